import type { Dataset } from "../dataset.ts";
import type { DatabaseTarget } from "../databases.ts";
import type { Timed } from "../measure.ts";

/** One line of a scenario's table in bench/results.md. */
export type ResultRow = {
  database: string;
  figure: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  /** null when the figure has no target (shown for context). */
  pass: boolean | null;
};

export type ScenarioContext = {
  scale: number;
  seed: number;
  dataset: Dataset;
  /** Databases to measure, PGlite and/or PostgreSQL (see bench/run.ts options). */
  databases: readonly DatabaseTarget[];
  log(message: string): void;
};

export type ScenarioReport = { rows: ResultRow[]; notes: string[] };

/** A measured step, run alone in a child process by bench/worker.ts; returns what the scenario needs. */
export type Step = (args: Record<string, unknown>) => Promise<Timed<unknown>>;

export type Scenario = {
  name: string;
  title: string;
  steps: Record<string, Step>;
  run(context: ScenarioContext): Promise<ScenarioReport>;
};
