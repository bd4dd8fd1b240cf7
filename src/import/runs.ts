import { sql } from "kysely";
import type { Database } from "../platform/db/database.ts";
import type { ImportKind } from "../platform/db/schema.ts";
import { ErrorLog, emptySummary, type ImportSummary } from "./summary.ts";

/** An import that stopped: the run is recorded as failed, with what was done before the failure. */
export class ImportFailedError extends Error {
  override name = "ImportFailedError";
  constructor(
    message: string,
    readonly summary: ImportSummary,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Counters an importer fills as it goes; `summary.errors` is filled from `errors` at the end. */
export type ImportExecution = { summary: ImportSummary; details: Record<string, unknown>; errors: ErrorLog };

/** `runId`: a run already recorded as `pending` (an import started from the back office) that this import fills in. */
export type RunOptions = { runId?: number };

/**
 * Records one run in `import_runs` around an importer. `prepare` must not write (it checks the file's
 * header), so a file with missing columns leaves only a failed run behind.
 */
export async function recordImportRun<T>(
  database: Database,
  kind: ImportKind,
  file: string,
  prepare: () => Promise<T>,
  execute: (prepared: T, execution: ImportExecution) => Promise<void>,
  options: RunOptions = {},
): Promise<ImportSummary> {
  const started = Date.now();
  const execution: ImportExecution = { summary: emptySummary(), details: {}, errors: new ErrorLog() };
  let prepared: T;
  try {
    prepared = await prepare();
  } catch (error) {
    if (options.runId === undefined) await insertFinishedRun(database, kind, file, started, execution, error);
    else await finishRun(database, options.runId, started, execution, error);
    throw new ImportFailedError(messageOf(error), finalSummary(execution, error), { cause: error });
  }
  const run =
    options.runId === undefined
      ? await database.db
          .insertInto("import_runs")
          .values({ kind, source_file: file, out_of_scope: "{}", details: "{}", errors: "[]" })
          .returning("id")
          .executeTakeFirstOrThrow()
      : { id: options.runId };
  if (options.runId !== undefined) {
    await sql`update import_runs set status = 'running', started_at = now(), progress_at = now() where id = ${options.runId}`.execute(
      database.db,
    );
  }
  try {
    await execute(prepared, execution);
  } catch (error) {
    await finishRun(database, run.id, started, execution, error);
    throw new ImportFailedError(messageOf(error), finalSummary(execution, error), { cause: error });
  }
  await finishRun(database, run.id, started, execution);
  return finalSummary(execution);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function finalSummary(execution: ImportExecution, error?: unknown): ImportSummary {
  const errors = execution.errors.list();
  return { ...execution.summary, errors: error === undefined ? errors : [...errors, messageOf(error)] };
}

function runColumns(started: number, execution: ImportExecution, error?: unknown) {
  const summary = finalSummary(execution, error);
  return {
    status: error === undefined ? ("succeeded" as const) : ("failed" as const),
    finished_at: sql<Date>`now()`,
    duration_ms: Date.now() - started,
    read: summary.read,
    in_scope: summary.in_scope,
    created: summary.created,
    updated: summary.updated,
    deleted: summary.deleted,
    out_of_scope: JSON.stringify(summary.out_of_scope),
    details: JSON.stringify(execution.details),
    errors: JSON.stringify(summary.errors),
  };
}

async function insertFinishedRun(
  database: Database,
  kind: ImportKind,
  file: string,
  started: number,
  execution: ImportExecution,
  error: unknown,
): Promise<void> {
  await database.db
    .insertInto("import_runs")
    .values({ kind, source_file: file, ...runColumns(started, execution, error) })
    .execute();
}

async function finishRun(database: Database, id: number, started: number, execution: ImportExecution, error?: unknown): Promise<void> {
  await database.db
    .updateTable("import_runs")
    .set(runColumns(started, execution, error))
    .where("id", "=", id)
    .execute();
}
