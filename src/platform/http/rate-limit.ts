import crypto from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { DB } from "../db/schema.ts";
import { HttpError } from "./errors.ts";

export type RateLimit = { limit: number; windowSeconds: number };

export class TooManyRequestsError extends HttpError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, "Trop de tentatives. Patientez quelques minutes avant de réessayer.", "Trop de tentatives");
  }
}

/**
 * Fixed-window counter in PostgreSQL, so every web process shares it: one upsert per hit.
 * Returns whether this hit is within the limit.
 */
export async function hitRateLimit(db: Kysely<DB>, key: string, rule: RateLimit): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const window = rule.windowSeconds;
  const row = await sql<{ count: number; retry_after: number }>`
    insert into rate_limits as r (key, window_start, count)
    values (${key}, to_timestamp(floor(extract(epoch from now()) / ${window}) * ${window}), 1)
    on conflict (key) do update set
      count = case when r.window_start = excluded.window_start then r.count + 1 else 1 end,
      window_start = excluded.window_start
    returning count, ceil(extract(epoch from (window_start + make_interval(secs => ${window}) - now())))::int as retry_after`.execute(db);
  const result = row.rows[0];
  if (!result) throw new Error("rate limit upsert returned nothing");
  return { allowed: result.count <= rule.limit, retryAfterSeconds: Math.max(1, result.retry_after) };
}

/** Counts the hit on every key and throws a 429 when any of them is over its limit. */
export async function enforceRateLimits(db: Kysely<DB>, hits: { key: string; rule: RateLimit }[]): Promise<void> {
  let refusal: number | undefined;
  for (const hit of hits) {
    const { allowed, retryAfterSeconds } = await hitRateLimit(db, hit.key, hit.rule);
    if (!allowed) refusal = Math.max(refusal ?? 0, retryAfterSeconds);
  }
  if (refusal !== undefined) throw new TooManyRequestsError(refusal);
}

/** Personal data (e-mail addresses) never lands in the counters' keys. */
export function hashedKeyPart(value: string): string {
  return crypto.createHash("sha256").update(value.trim().toLowerCase()).digest("base64url").slice(0, 22);
}

export async function purgeRateLimits(db: Kysely<DB>): Promise<void> {
  await sql`delete from rate_limits where window_start < now() - interval '1 day'`.execute(db);
}
