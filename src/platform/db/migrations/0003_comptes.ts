import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
-- A code re-sent while still valid gets one more mail: the count makes each mail's idempotency key distinct.
alter table login_codes add column send_count integer not null default 1;

-- Fixed-window counters shared by every web process (no in-memory state).
create table rate_limits (
  key text primary key,
  window_start timestamptz not null,
  count integer not null
);
create index rate_limits_window on rate_limits (window_start);
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error("Cette migration ne peut pas être annulée / irreversible migration");
}
