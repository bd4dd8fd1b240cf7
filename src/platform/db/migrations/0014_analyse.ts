import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
-- Analysis tab (issue 10). The latest plausible year of Palissy's date du récolement: 4-digit numbers standing
-- alone, from 1900 to annee_max (typos such as 20022 ignored). Same rule as anneeRecolement in src/analyse/rules.ts.
create function palissy_annee_recolement(denq text, annee_max int) returns int
language sql immutable parallel safe
as $$
  select max(m[1]::int)
  from regexp_matches(coalesce(denq, ''), '(?:^|[^0-9])([0-9]{4})(?![0-9])', 'g') as m
  where m[1]::int between 1900 and annee_max
$$;

-- Each objet's completed recensements, latest first: the retained état, the coverage and the "not seen for the
-- longest time" list read them per objet instead of walking every dossier.
create index recensements_objet_completed on recensements (objet_id, completed_at desc) where status = 'completed';
`,
    )
    .execute(db);
}
