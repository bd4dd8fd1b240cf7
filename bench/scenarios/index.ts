import { analyseScenario } from "./analyse.ts";
import { bordereauScenario } from "./bordereau.ts";
import { campagneScenario } from "./campagne.ts";
import { communeObjetsScenario, questionnaireScenario } from "./commune.ts";
import { dashboardScenario } from "./dashboard.ts";
import { importScenario } from "./import.ts";
import { photosScenario } from "./photos.ts";
import type { Scenario } from "./types.ts";

/** Benchmark scenarios of SPEC §12, in the order `npm run bench` runs them. */
export const scenarios: readonly Scenario[] = [
  importScenario,
  communeObjetsScenario,
  questionnaireScenario,
  photosScenario,
  dashboardScenario,
  campagneScenario,
  bordereauScenario,
  analyseScenario,
];
