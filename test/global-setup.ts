import fs from "node:fs";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { ensureDepartements } from "../src/patrimoine/departements-reference.ts";
import { openDatabase } from "../src/platform/db/database.ts";
import { migrateToLatest } from "../src/platform/db/migrate.ts";
import { PGLITE_TEMPLATE_DIR_PREFIX, runPidOf, templateDatabaseName, withDatabase } from "./database-names.ts";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Prepares one migrated database template per run; each test file clones it (see test/database.ts). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.TEST_DATABASE_URL;
  const template = templateDatabaseName(process.pid);
  const pgliteDir = `${PGLITE_TEMPLATE_DIR_PREFIX}-${process.pid}`;
  project.provide("templateDatabase", template);
  project.provide("pgliteTemplateDir", pgliteDir);

  if (url) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const existing = await admin.query<{ datname: string }>("select datname from pg_database where datname like 'co\\_t%'");
    for (const { datname } of existing.rows) {
      const pid = runPidOf(datname);
      if (pid !== undefined && !isAlive(pid)) await admin.query(`drop database if exists "${datname}" with (force)`);
    }
    await admin.query(`create database "${template}"`);
    await admin.end();
    const database = await openDatabase({ databaseUrl: withDatabase(url, template), dataDir: "" });
    await migrateToLatest(database.db);
    await ensureDepartements(database);
    await database.close();
    return async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop database if exists "${template}" with (force)`);
      await client.end();
    };
  }

  fs.rmSync(pgliteDir, { recursive: true, force: true });
  const database = await openDatabase({ dataDir: pgliteDir, lock: false });
  await migrateToLatest(database.db);
  await ensureDepartements(database);
  await database.close();
  return async () => {
    fs.rmSync(pgliteDir, { recursive: true, force: true });
  };
}
