import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { openDatabase } from "../src/platform/db/database.ts";
import { migrateToLatest } from "../src/platform/db/migrate.ts";
import { ensureDepartements } from "../src/patrimoine/departements-reference.ts";
import { PGLITE_TEMPLATE_DIR, TEMPLATE_DATABASE, withDatabase } from "./database-names.ts";

/** Prepares one migrated database template per run; each test file clones it (see test/database.ts). */
export default async function setup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const stale = await admin.query<{ datname: string }>("select datname from pg_database where datname like 'co_test_%' or datname = $1", [TEMPLATE_DATABASE]);
    for (const row of stale.rows) await admin.query(`drop database if exists "${row.datname}" with (force)`);
    await admin.query(`create database "${TEMPLATE_DATABASE}"`);
    await admin.end();
    const database = await openDatabase({ databaseUrl: withDatabase(url, TEMPLATE_DATABASE), dataDir: "" });
    await migrateToLatest(database.db);
    await ensureDepartements(database);
    await database.close();
    return;
  }
  fs.rmSync(PGLITE_TEMPLATE_DIR, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(PGLITE_TEMPLATE_DIR), { recursive: true });
  const database = await openDatabase({ dataDir: PGLITE_TEMPLATE_DIR, lock: false });
  await migrateToLatest(database.db);
  await ensureDepartements(database);
  await database.close();
}
