import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
-- Drafts the commune never finished are archived when the examen is sent (RB ⚠: they were deleted).
alter table recensements drop constraint recensements_status_check;
alter table recensements add constraint recensements_status_check check (status in ('draft', 'completed', 'deleted', 'archived'));
alter table recensements add column archived_at timestamptz;
alter table recensements add constraint recensements_archived_at_check check (status <> 'archived' or archived_at is not null);

-- Département dashboard: default order (péril desc, disparus desc, nom) read straight from an index.
create index communes_departement_alertes on communes (departement_code, en_peril_count desc, disparus_count desc, nom);

-- Header search over objets: REF, titre and dénomination, accent-insensitive, trigram-ranked.
create index objets_recherche on objets using gin (
  search_normalize(palissy_ref || ' ' || coalesce(palissy_tico, '') || ' ' || coalesce(palissy_deno, '')) gin_trgm_ops
);
drop index if exists objets_titre_search;

-- "Mes actions": current dossiers flagged for a visit.
create index dossiers_visit on dossiers (visit) where visit is not null and status <> 'archived';
-- Activité: dossiers sent in a period.
create index dossiers_submitted_at on dossiers (submitted_at) where status <> 'archived';
`,
    )
    .execute(db);
}
