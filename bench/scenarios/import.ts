import path from "node:path";
import { FILES } from "../../src/import/generate/national.ts";
import { importPalissy, readPalissyRows } from "../../src/import/palissy.ts";
import type { ImportSummary } from "../../src/import/summary.ts";
import { describeTarget, withFreshDatabase, type DatabaseLocation } from "../databases.ts";
import { measureInChild, timed, type Measurement } from "../measure.ts";
import { timedOnDatabase } from "../steps.ts";
import type { ResultRow, Scenario, ScenarioContext } from "./types.ts";

/** SPEC §12 targets for the Palissy import. */
const TARGETS = { importSeconds: 60, importVsParse: 3, importRssMb: 512, reimportVsParse: 2, pgliteVsPostgres: 2 };

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
/** Wall time, with the step's own CPU time and the load average when it started (the machine is shared). */
const wall = (step: Measurement<unknown>): string =>
  `${seconds(step.ms)} (CPU ${seconds(step.cpuMs)}, load ${step.loadAverage.toFixed(1)})`;
const megabytes = (mb: number): string => `${Math.round(mb)} MB`;
const times = (ratio: number): string => `${ratio.toFixed(2)}×`;

type ImportRun = { first: Measurement<ImportSummary>; second: Measurement<ImportSummary> };

export const importScenario: Scenario = {
  name: "import",
  title: "Palissy import (national synthetic dataset)",
  steps: {
    async "parse-palissy"(args) {
      return timed(async () => {
        let rows = 0;
        for await (const row of readPalissyRows(String(args.file))) if (row.reference !== "") rows += 1;
        return { rows };
      });
    },
    async "import-palissy"(args) {
      return timedOnDatabase(args.location as DatabaseLocation, (database) => importPalissy(database, String(args.file)));
    },
  },

  async run(context) {
    const { expected } = context.dataset;
    const file = path.join(context.dataset.dir, FILES.palissy);
    const rows: ResultRow[] = [];
    const notes: string[] = [];

    context.log("lecture seule de palissy.csv (readPalissyRows)…");
    const parse = await measureInChild<{ rows: number }>("import:parse-palissy", { file });
    rows.push({
      database: "—",
      figure: `Parse-only, ${parse.result.rows.toLocaleString("en")} rows`,
      value: wall(parse),
      baseline: "—",
      ratio: "—",
      target: "—",
      pass: null,
    });
    rows.push({
      database: "—",
      figure: "Parse-only peak RSS",
      value: megabytes(parse.peakRssMb),
      baseline: "—",
      ratio: "—",
      target: "—",
      pass: null,
    });
    if (parse.result.rows !== expected.palissy.read)
      notes.push(`Parse-only read ${parse.result.rows} rows, expected ${expected.palissy.read}.`);

    const runs = new Map<string, ImportRun>();
    for (const target of context.databases) {
      const label = describeTarget(target);
      const run = await withFreshDatabase(target, async (location) => {
        context.log(`${label} : import complet…`);
        const first = await measureInChild<ImportSummary>("import:import-palissy", { file, location });
        context.log(`${label} : ré-import du même fichier…`);
        const second = await measureInChild<ImportSummary>("import:import-palissy", { file, location });
        return { first, second };
      });
      runs.set(target.kind, run);
      rows.push(...importRows(label, target.kind === "postgres", run, parse.ms));
      const mismatch = countsMismatch(context, run);
      rows.push({
        database: label,
        figure: "Import counts = expected-counts.json",
        value: mismatch ?? "yes",
        baseline: "—",
        ratio: "—",
        target: "equal",
        pass: mismatch === undefined,
      });
    }

    const pglite = runs.get("pglite");
    const postgres = runs.get("postgres");
    if (pglite && postgres) {
      const ratio = pglite.first.ms / postgres.first.ms;
      rows.push({
        database: "PGlite vs PostgreSQL",
        figure: "Full import",
        value: seconds(pglite.first.ms),
        baseline: seconds(postgres.first.ms),
        ratio: times(ratio),
        target: `≤ ${TARGETS.pgliteVsPostgres}× PostgreSQL`,
        pass: ratio <= TARGETS.pgliteVsPostgres,
      });
    } else {
      notes.push("PGlite ≤ 2× PostgreSQL is only checked when both are measured (`npm run bench -- --pg URL`).");
    }
    notes.push(
      "Each step runs in its own Node process: times exclude start-up and migration; peak RSS is that process's `maxRSS` (for PGlite it includes the embedded database).",
    );
    return { rows, notes };
  },
};

function importRows(label: string, postgres: boolean, run: ImportRun, parseMs: number): ResultRow[] {
  const importRatio = run.first.ms / parseMs;
  const reimportRatio = run.second.ms / parseMs;
  return [
    {
      database: label,
      figure: "Full import",
      value: wall(run.first),
      baseline: "—",
      ratio: "—",
      target: postgres ? `≤ ${TARGETS.importSeconds} s` : "—",
      pass: postgres ? run.first.ms <= TARGETS.importSeconds * 1000 : null,
    },
    {
      database: label,
      figure: "Full import vs parse-only",
      value: seconds(run.first.ms),
      baseline: seconds(parseMs),
      ratio: times(importRatio),
      target: postgres ? `≤ ${TARGETS.importVsParse}×` : "—",
      pass: postgres ? importRatio <= TARGETS.importVsParse : null,
    },
    {
      database: label,
      figure: "Full import peak RSS",
      value: megabytes(run.first.peakRssMb),
      baseline: "—",
      ratio: "—",
      target: postgres ? `≤ ${TARGETS.importRssMb} MB` : "—",
      pass: postgres ? run.first.peakRssMb <= TARGETS.importRssMb : null,
    },
    {
      database: label,
      figure: "Re-import (nothing changed) vs parse-only",
      value: wall(run.second),
      baseline: seconds(parseMs),
      ratio: times(reimportRatio),
      target: `≤ ${TARGETS.reimportVsParse}×`,
      pass: reimportRatio <= TARGETS.reimportVsParse,
    },
    {
      database: label,
      figure: "Re-import peak RSS",
      value: megabytes(run.second.peakRssMb),
      baseline: "—",
      ratio: "—",
      target: "—",
      pass: null,
    },
  ];
}

/** What differs between the two runs' summaries and the generator's expected counts, if anything. */
function countsMismatch(context: ScenarioContext, run: ImportRun): string | undefined {
  const { palissy } = context.dataset.expected;
  const outOfScope = Object.fromEntries(Object.entries(palissy.out_of_scope).filter(([, n]) => n > 0));
  const actual = run.first.result;
  const problems: string[] = [];
  if (actual.read !== palissy.read) problems.push(`read ${actual.read} ≠ ${palissy.read}`);
  if (actual.in_scope !== palissy.in_scope) problems.push(`in_scope ${actual.in_scope} ≠ ${palissy.in_scope}`);
  if (actual.created !== palissy.in_scope) problems.push(`created ${actual.created} ≠ ${palissy.in_scope}`);
  if (JSON.stringify(sortKeys(actual.out_of_scope)) !== JSON.stringify(sortKeys(outOfScope))) problems.push("out_of_scope differs");
  if (actual.errors.length > 0) problems.push(`${actual.errors.length} errors`);
  const again = run.second.result;
  if (again.created + again.updated + again.deleted > 0)
    problems.push(`re-import changed ${again.created}/${again.updated}/${again.deleted}`);
  return problems.length > 0 ? `no: ${problems.join(", ")}` : undefined;
}

function sortKeys(record: Record<string, number>): [string, number][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1));
}
