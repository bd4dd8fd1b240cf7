import crypto from "node:crypto";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type pg from "pg";
import { buildApp } from "../src/app.tsx";
import { loadConfig } from "../src/config.ts";
import type { Database } from "../src/platform/db/database.ts";
import { SESSION_COOKIE } from "../src/platform/http/session.ts";
import { openBenchDatabase, type DatabaseLocation } from "./databases.ts";

export type BenchApp = {
  app: FastifyInstance;
  database: Database;
  baseUrl: string;
  /** SQL statements sent by the app since it started (BEGIN and COMMIT included). */
  statements(): number;
  close(): Promise<void>;
};

/**
 * The real application in this process, listening on a free loopback port, over the location's
 * database: production settings, request logs off (one line per request would be measured too).
 */
export async function startBenchApp(location: DatabaseLocation): Promise<BenchApp> {
  const filesDir = location.dataDir || fs.mkdtempSync(path.join(os.tmpdir(), "co-bench-files-"));
  const database = await openBenchDatabase(location);
  const statements = countStatements(database.pool);
  const config = loadConfig({
    NODE_ENV: "production",
    SESSION_SECRET: crypto.randomBytes(32).toString("base64url"),
    LOG_LEVEL: "warn",
    DATA_DIR: filesDir,
    DATABASE_URL: location.databaseUrl,
  });
  try {
    const app = await buildApp({ config, database });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const { port } = app.server.address() as AddressInfo;
    return {
      app,
      database,
      baseUrl: `http://127.0.0.1:${port}`,
      statements,
      async close() {
        await app.close();
        await database.close();
        if (!location.dataDir) fs.rmSync(filesDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** A commune account's session cookie, as if its person had signed in (the login flow is not what is measured). */
export function communeSessionCookie(app: FastifyInstance, communeUserId: number): Record<string, string> {
  const now = Date.now();
  const session = app.createSecureSession({ account: { type: "commune", id: communeUserId, signedInAt: now, seenAt: now } });
  return { [SESSION_COOKIE]: encodeURIComponent(app.encodeSecureSession(session)) };
}

/** The account of each commune (the annuaire gives most communes one; the others get a bench address). */
export async function ensureCommuneUsers(database: Database, communeIds: readonly number[]): Promise<Map<number, number>> {
  const db = database.db;
  const users = new Map<number, number>();
  if (communeIds.length === 0) return users;
  const existing = await db
    .selectFrom("commune_users")
    .select(["commune_id", "id"])
    .where("commune_id", "in", [...communeIds])
    .orderBy("id")
    .execute();
  for (const row of existing) if (!users.has(row.commune_id)) users.set(row.commune_id, row.id);
  const missing = communeIds.filter((id) => !users.has(id));
  if (missing.length > 0) {
    const created = await db
      .insertInto("commune_users")
      .values(missing.map((id) => ({ commune_id: id, email: `bench-mairie-${id}@example.test` })))
      .returning(["commune_id", "id"])
      .execute();
    for (const row of created) users.set(row.commune_id, row.id);
  }
  return users;
}

/**
 * Counts the statements the app sends, by wrapping each pooled client's `query` when Kysely checks it
 * out: the figure that tells a slow page's query count from its queries' cost.
 */
function countStatements(pool: pg.Pool): () => number {
  let count = 0;
  const wrapped = new WeakSet<pg.PoolClient>();
  const wrap = (client: pg.PoolClient): pg.PoolClient => {
    if (!wrapped.has(client)) {
      wrapped.add(client);
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        count += 1;
        return query(...args);
      };
    }
    return client;
  };
  const connect = pool.connect.bind(pool) as (
    callback?: (error: Error | undefined, client?: pg.PoolClient, done?: unknown) => void,
  ) => unknown;
  // Both forms of pg's API: the promise one (Kysely) and the callback one (pool.query).
  (pool as { connect: unknown }).connect = (callback?: (error: Error | undefined, client?: pg.PoolClient, done?: unknown) => void) =>
    callback
      ? connect((error, client, done) => callback(error, client && wrap(client), done))
      : (connect() as Promise<pg.PoolClient>).then(wrap);
  return () => count;
}
