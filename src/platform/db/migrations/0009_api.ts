import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
-- API clients: when the token was last used (updated at most once a minute), who created it, who revoked it.
alter table api_clients add column last_used_at timestamptz;
alter table api_clients add column created_by_admin_id integer references admins(id) on delete set null;
alter table api_clients add column revoked_by_admin_id integer references admins(id) on delete set null;

-- Keyset pagination of /api/v1 lists on (updated_at, id), with or without their usual filter.
create index api_communes_sync on communes (updated_at, id);
create index api_communes_departement_sync on communes (departement_code, updated_at, id);
create index api_edifices_sync on edifices (updated_at, id);
create index api_edifices_commune_sync on edifices (code_insee, updated_at, id);
create index api_objets_sync on objets (updated_at, id);
create index api_objets_departement_sync on objets (lieu_actuel_departement_code, updated_at, id);
create index api_objets_commune_sync on objets (lieu_actuel_code_insee, updated_at, id);
create index api_dossiers_sync on dossiers (updated_at, id);
create index api_recensements_sync on recensements (updated_at, id);
`,
    )
    .execute(db);
}
