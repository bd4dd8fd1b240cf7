import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
-- Generation of the bordereaux de récolement (RB §5.12): a job turns the saved lines into a PDF stored in
-- the file store under bordereaux/… ; the row tells where the file is, its size, and how the last run went.
alter table bordereaux add column state text not null default 'a_generer'
  check (state in ('a_generer', 'en_cours', 'genere', 'echec'));
alter table bordereaux add column byte_size integer check (byte_size is null or byte_size > 0);
alter table bordereaux add column error text;
alter table bordereaux add column requested_at timestamptz;
create index bordereaux_en_cours on bordereaux (requested_at) where state = 'en_cours';
create index bordereau_recensements_recensement on bordereau_recensements (recensement_id);
`,
    )
    .execute(db);
}
