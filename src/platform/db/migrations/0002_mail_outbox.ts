import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // When a delivery worker claimed the mail: a claim older than the lease is taken over after a crash.
  await sql`alter table outbox_mails add column claimed_at timestamptz`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error("Cette migration ne peut pas être annulée / irreversible migration");
}
