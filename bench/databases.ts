import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { ensureDepartements } from "../src/patrimoine/departements-reference.ts";
import { openDatabase, type Database } from "../src/platform/db/database.ts";
import { migrateToLatest } from "../src/platform/db/migrate.ts";

export type DatabaseTarget = { kind: "pglite" } | { kind: "postgres"; url: string };

/** Where a child process finds the fresh database of a run: a PGlite folder or a PostgreSQL URL. */
export type DatabaseLocation = { dataDir: string; databaseUrl?: string };

export function describeTarget(target: DatabaseTarget): string {
  return target.kind === "pglite" ? "PGlite (embedded)" : "PostgreSQL";
}

/** A fresh dedicated database for one scenario run, dropped afterwards whatever happens. */
export async function withFreshDatabase<T>(target: DatabaseTarget, run: (location: DatabaseLocation) => Promise<T>): Promise<T> {
  if (target.kind === "pglite") {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "co-bench-"));
    try {
      return await run({ dataDir });
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const name = `co_bench_${process.pid}`;
  const admin = async (statement: string): Promise<void> => {
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`drop database if exists "${name}" with (force)`);
  await admin(`create database "${name}"`);
  try {
    const url = new URL(target.url);
    url.pathname = `/${name}`;
    return await run({ dataDir: "", databaseUrl: url.toString() });
  } finally {
    await admin(`drop database if exists "${name}" with (force)`);
  }
}

/** Opens (and migrates, untimed) the database of a location, in a child process. */
export async function openBenchDatabase(location: DatabaseLocation): Promise<Database> {
  const database = await openDatabase({ databaseUrl: location.databaseUrl, dataDir: location.dataDir });
  await migrateToLatest(database.db);
  await ensureDepartements(database);
  return database;
}

export async function serverVersion(target: DatabaseTarget): Promise<string> {
  if (target.kind === "pglite") {
    const pkg = JSON.parse(
      fs.readFileSync(path.join(import.meta.dirname, "../node_modules/@electric-sql/pglite/package.json"), "utf8"),
    ) as { version: string };
    return `PGlite ${pkg.version}`;
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>("show server_version");
    return `PostgreSQL ${rows[0]?.server_version ?? "?"}`;
  } finally {
    await client.end();
  }
}
