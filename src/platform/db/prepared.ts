import crypto from "node:crypto";
import type { CompiledQuery, Kysely } from "kysely";
import type pg from "pg";
import type { DB } from "./schema.ts";

const pools = new WeakMap<Kysely<DB>, pg.Pool>();

/** Called once per database: lets `executePrepared` reach the pool behind its Kysely instance. */
export function registerPool(db: Kysely<DB>, pool: pg.Pool): void {
  pools.set(db, pool);
}

/**
 * Runs a query sent on every page (the signed-in account, a dashboard header) as a named prepared statement:
 * PostgreSQL parses and plans its text once per connection instead of on each page, which was as long as
 * running it. The name is derived from the SQL text, so two texts never share one. Only for texts drawn from a
 * bounded set (values go in parameters): each connection keeps every statement it prepared. Inside a
 * transaction (`db` is then not the pool's instance), it runs as an ordinary query on that transaction.
 */
export async function executePrepared<R>(db: Kysely<DB>, prefix: string, query: CompiledQuery<R>): Promise<R[]> {
  const pool = pools.get(db);
  if (!pool) return (await db.executeQuery(query)).rows;
  const name = `${prefix}_${crypto.createHash("sha1").update(query.sql).digest("hex").slice(0, 16)}`;
  const { rows } = await pool.query<R & pg.QueryResultRow>({ name, text: query.sql, values: [...query.parameters] });
  return rows;
}
