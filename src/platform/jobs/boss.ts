import { CompiledQuery, sql, type Transaction } from "kysely";
import type { DB } from "../db/schema.ts";
import PgBoss from "pg-boss";
import type { Database } from "../db/database.ts";

export type JobHandler = (data: unknown) => Promise<void>;
export type JobDefinition = {
  name: string;
  handler: JobHandler;
  /** Cron expression (Europe/Paris) when the job is scheduled. */
  cron?: string;
};

export type Jobs = {
  boss: PgBoss;
  send(name: string, data?: object, options?: PgBoss.SendOptions): Promise<string | null>;
  stop(): Promise<void>;
};

/**
 * pg-boss runs on both backends through our own connection pool (PGlite has a single connection),
 * so jobs and business writes share one database and its transactions.
 */
export async function startJobs(
  database: Database,
  definitions: JobDefinition[],
  options: { work: boolean; onError?: (error: Error) => void },
): Promise<Jobs> {
  const boss = new PgBoss({
    db: { executeSql: (text, values) => database.executeSql(text, values) },
    schema: "pgboss",
    supervise: options.work,
    schedule: options.work,
    migrate: true,
  });
  boss.on("error", (error) => options.onError?.(error));
  await boss.start();
  for (const definition of definitions) {
    await boss.createQueue(definition.name);
    if (options.work) {
      await boss.work(definition.name, { pollingIntervalSeconds: 2 }, async (jobs) => {
        for (const job of jobs) await definition.handler(job.data);
      });
      if (definition.cron) await boss.schedule(definition.name, definition.cron, {}, { tz: "Europe/Paris" });
    }
  }
  return {
    boss,
    send: (name, data = {}, sendOptions = {}) => boss.send(name, data, sendOptions),
    stop: () => boss.stop({ graceful: true, timeout: 5000 }),
  };
}

/**
 * Enqueues a job inside the caller's transaction, so the job exists iff the caller's rows do. Without the job
 * queue's tables (tests, a web process started before any worker) nothing is sent: callers keep a periodic
 * sweep for the work left pending. Returns whether the job was enqueued.
 */
export async function sendInTransaction(
  trx: Transaction<DB>,
  name: string,
  data: object,
  options: PgBoss.SendOptions = {},
): Promise<boolean> {
  const { rows } = await sql<{ present: boolean }>`select to_regclass('pgboss.queue') is not null as present`.execute(trx);
  if (!rows[0]?.present) return false;
  const boss = new PgBoss({
    db: {
      executeSql: async (text: string, values?: unknown[]) => {
        const result = await trx.executeQuery(CompiledQuery.raw(text, values ?? []));
        return { rows: result.rows };
      },
    },
    schema: "pgboss",
  });
  await boss.send(name, data, options);
  return true;
}
