import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { openDatabase, type Database } from "../src/platform/db/database.ts";
import { withDatabase } from "./database-names.ts";

export type TestDatabase = Database & { dataDir: string; drop(): Promise<void> };

/**
 * A fresh, migrated database for one test file: a clone of the run's template, on PGlite by default
 * or on the real PostgreSQL server named by TEST_DATABASE_URL.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const name = `co_test_${process.pid}_${crypto.randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database "${name}" template "${inject("templateDatabase")}"`);
    await admin.end();
    const database = await openDatabase({ databaseUrl: withDatabase(url, name), dataDir: "", poolMax: 5 });
    return {
      ...database,
      dataDir: "",
      async drop() {
        await database.close();
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`drop database if exists "${name}" with (force)`);
        await client.end();
      },
    };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "co-test-"));
  fs.cpSync(inject("pgliteTemplateDir"), dataDir, { recursive: true });
  const database = await openDatabase({ dataDir });
  return {
    ...database,
    dataDir,
    async drop() {
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Empties every business table (keeps the schema), for tests that share one database across cases. */
export async function truncateAll(database: Database): Promise<void> {
  const { rows } = await database.pool.query<{ tablename: string }>(
    "select tablename from pg_tables where schemaname = 'public' and tablename not like 'kysely_%'",
  );
  if (rows.length === 0) return;
  await database.pool.query(`truncate ${rows.map((r) => `"${r.tablename}"`).join(", ")} restart identity cascade`);
}
