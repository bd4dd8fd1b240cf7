import { sql, type RawBuilder } from "kysely";

/**
 * `json_to_recordset($1) as <alias>(col type, …)`: a whole batch travels as one parameter, so a
 * set-based INSERT … SELECT or UPDATE … FROM stays far below the 65,535 bind-parameter limit.
 */
export function recordset(rows: readonly object[], columns: Record<string, string>, alias = "t"): RawBuilder<unknown> {
  const definition = Object.entries(columns)
    .map(([name, type]) => `${name} ${type}`)
    .join(", ");
  return sql`json_to_recordset(${JSON.stringify(rows)}::json) as ${sql.raw(alias)}(${sql.raw(definition)})`;
}

/** Runs `work` on successive batches while the next batch is being read (parsing overlaps the database). */
export async function inBatches<T>(
  rows: AsyncIterable<T>,
  size: number,
  work: (batch: T[]) => Promise<void>,
  onRow?: () => void,
): Promise<void> {
  let batch: T[] = [];
  let running: Promise<void> = Promise.resolve();
  try {
    for await (const row of rows) {
      batch.push(row);
      onRow?.();
      if (batch.length >= size) {
        await running;
        const current = batch;
        batch = [];
        running = work(current);
        // The rejection is observed by the next `await running`; this only silences the interim warning.
        running.catch(() => undefined);
      }
    }
  } catch (error) {
    // A read error must not leave a batch transaction running behind the failure report.
    await running.catch(() => undefined);
    throw error;
  }
  await running;
  if (batch.length > 0) await work(batch);
}
