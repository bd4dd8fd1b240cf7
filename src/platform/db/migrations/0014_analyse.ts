import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
-- Analysis tab (issue 10). The latest plausible year of Palissy's date du récolement: the first and the last
-- 4-digit numbers standing alone, kept from 1900 to annee_max (typos such as 20022 ignored). Same rule as
-- anneeRecolement in src/analyse/rules.ts. A single expression, so that the planner inlines it: it runs on
-- every objet of the coverage and of the "seen longest ago" list.
create or replace function palissy_annee_recolement(denq text, annee_max int) returns int
language sql immutable parallel safe
as $$
  select greatest(
    case when substring(denq from '(?:^|[^0-9])([0-9]{4})(?![0-9])')::int between 1900 and annee_max
      then substring(denq from '(?:^|[^0-9])([0-9]{4})(?![0-9])')::int end,
    case when substring(denq from '^.*(?:^|[^0-9])([0-9]{4})(?![0-9])')::int between 1900 and annee_max
      then substring(denq from '^.*(?:^|[^0-9])([0-9]{4})(?![0-9])')::int end
  )
$$;

-- Each objet's completed recensements, latest first: the retained état, the coverage and the "not seen for the
-- longest time" list read them per objet instead of walking every dossier.
create index recensements_objet_completed on recensements (objet_id, completed_at desc) where status = 'completed';
`,
    )
    .execute(db);
}
