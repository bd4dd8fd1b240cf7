import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
-- Back office: a deactivated conservateur or admin cannot sign in and their sessions stop working; the account
-- and its history (dossiers examined, comments, audit) are kept.
alter table conservateurs add column deactivated_at timestamptz;
alter table admins add column deactivated_at timestamptz;
`,
    )
    .execute(db);
}
