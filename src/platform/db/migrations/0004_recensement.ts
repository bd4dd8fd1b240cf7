import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
-- The questionnaire step a draft resumes on: leaving in the middle and coming back loses nothing.
alter table recensements add column etape_courante smallint not null default 1 check (etape_courante between 1 and 7);
`,
    )
    .execute(db);
}
