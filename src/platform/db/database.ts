import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { createPgConfig } from "@electric-sql/pglite/node-postgres";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { lockDataDir, type DataDirLock } from "./lock.ts";
import { registerPool } from "./prepared.ts";
import type { DB } from "./schema.ts";

// DATE columns stay 'YYYY-MM-DD' strings (no time-zone shift); counts (int8) become numbers.
pg.types.setTypeParser(1082, (value: string) => value);
pg.types.setTypeParser(20, (value: string) => Number(value));
pg.types.setTypeParser(1700, (value: string) => Number(value));

export type DatabaseKind = "pglite" | "postgres";

export type Database = {
  kind: DatabaseKind;
  db: Kysely<DB>;
  pool: pg.Pool;
  /** Runs raw SQL with positional parameters (used by pg-boss). */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  close(): Promise<void>;
};

export type DatabaseOptions = {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Take the exclusive folder lock (always true outside tests that manage their own folders). */
  lock?: boolean;
  poolMax?: number;
};

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolMax ?? 10);
  return openPglite(options.dataDir, options.lock ?? true);
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max, application_name: "collectif-objets" });
  pool.on("error", () => {
    // idle client errors (server restart) are recovered by the pool on next checkout
  });
  return wrap("postgres", pool, async () => {
    await pool.end();
  });
}

async function openPglite(dataDir: string, takeLock: boolean): Promise<Database> {
  fs.mkdirSync(dataDir, { recursive: true });
  const lock: DataDirLock | undefined = takeLock ? lockDataDir(dataDir) : undefined;
  try {
    const pglite = await PGlite.create(path.join(dataDir, "pgdata"), { extensions: { unaccent, pg_trgm } });
    const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 });
    return wrap("pglite", pool, async () => {
      await pool.end();
      await pglite.close();
      lock?.release();
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
}

function wrap(kind: DatabaseKind, pool: pg.Pool, close: () => Promise<void>): Database {
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  registerPool(db, pool);
  let closed = false;
  return {
    kind,
    db,
    pool,
    async executeSql(text, values) {
      const result = await pool.query(text, values);
      return { rows: result.rows };
    },
    async close() {
      if (closed) return;
      closed = true;
      await close();
    },
  };
}
