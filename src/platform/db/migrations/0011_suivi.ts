import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
-- Back office: why the support team archived a dossier by hand (null for archives by a campaign or a job).
alter table dossiers add column archive_reason text;
`,
    )
    .execute(db);
}
