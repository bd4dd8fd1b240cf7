import { sql, type Kysely } from "kysely";
import type { DB, DossierStatus } from "../platform/db/schema.ts";
import { communeStatusForDossier, statutGlobal, type DossierCourant } from "./rules.ts";

const REFRESH_CHUNK = 5000;

type CommuneDerivedRow = {
  id: number;
  dossier_status: DossierStatus | null;
  replied_automatically_at: Date | null;
  dossier_created_at: Date | null;
  submitted_at: Date | null;
  analyses: number;
  en_peril: number;
  disparus: number;
};

/**
 * Stores each commune's status, statut global and péril/disparus counters, derived from its current
 * (non-archived) dossier. Call it inside the transaction of every change that moves them (DESIGN §4),
 * so the conservateur dashboard filters and sorts on stored, indexed columns.
 * Two statements per chunk of communes, whatever their number.
 */
export async function refreshCommunesStatut(db: Kysely<DB>, communeIds: readonly number[]): Promise<void> {
  const ids = [...new Set(communeIds)];
  for (let start = 0; start < ids.length; start += REFRESH_CHUNK) {
    const chunk = ids.slice(start, start + REFRESH_CHUNK);
    const { rows } = await sql<CommuneDerivedRow>`
      select c.id,
             d.status as dossier_status,
             d.replied_automatically_at,
             d.created_at as dossier_created_at,
             d.submitted_at,
             coalesce(r.analyses, 0)::int as analyses,
             coalesce(r.en_peril, 0)::int as en_peril,
             coalesce(r.disparus, 0)::int as disparus
      from communes c
      left join dossiers d on d.commune_id = c.id and d.status <> 'archived'
      left join lateral (
        select count(*) filter (where analysed_at is not null) as analyses,
               count(*) filter (where coalesce(analyse_etat_sanitaire, etat_sanitaire) = 'peril') as en_peril,
               count(*) filter (where localisation = 'absent') as disparus
        from recensements
        where dossier_id = d.id and status <> 'deleted'
      ) r on true
      where c.id = any(${sql.val(chunk)}::int[])
    `.execute(db);
    if (rows.length === 0) continue;
    const derived = rows.map((row) => {
      const courant: DossierCourant | null =
        row.dossier_status && row.dossier_status !== "archived"
          ? { status: row.dossier_status, replied_automatically_at: row.replied_automatically_at, recensementsAnalyses: row.analyses }
          : null;
      const status = communeStatusForDossier(courant);
      return {
        id: row.id,
        status,
        statut: statutGlobal(courant),
        startedAt: courant ? row.dossier_created_at : null,
        completedAt: status === "completed" ? row.submitted_at : null,
        enPeril: courant ? row.en_peril : 0,
        disparus: courant ? row.disparus : 0,
      };
    });
    await sql`
      update communes c set
        status = v.status,
        statut_global = v.statut,
        started_at = coalesce(v.started_at, c.started_at),
        completed_at = v.completed_at,
        en_peril_count = v.en_peril,
        disparus_count = v.disparus,
        updated_at = now()
      from unnest(
        ${sql.val(derived.map((d) => d.id))}::int[],
        ${sql.val(derived.map((d) => d.status))}::text[],
        ${sql.val(derived.map((d) => d.statut))}::smallint[],
        ${sql.val(derived.map((d) => d.startedAt))}::timestamptz[],
        ${sql.val(derived.map((d) => d.completedAt))}::timestamptz[],
        ${sql.val(derived.map((d) => d.enPeril))}::int[],
        ${sql.val(derived.map((d) => d.disparus))}::int[]
      ) as v(id, status, statut, started_at, completed_at, en_peril, disparus)
      where c.id = v.id
        and (c.status, c.statut_global, c.completed_at, c.en_peril_count, c.disparus_count)
            is distinct from (v.status, v.statut, v.completed_at, v.en_peril, v.disparus)
    `.execute(db);
  }
}

export async function refreshCommuneStatut(db: Kysely<DB>, communeId: number): Promise<void> {
  await refreshCommunesStatut(db, [communeId]);
}

export type DossierActuel = {
  id: number;
  status: Exclude<DossierStatus, "archived">;
  submitted_at: Date | null;
  accepted_at: Date | null;
  notes_commune: string | null;
  recenseur: string | null;
  notes_conservateur: string | null;
  conservateur_id: number | null;
  created_at: Date;
};

/** The commune's single non-archived dossier, if any. */
export async function findDossierActuel(db: Kysely<DB>, communeId: number): Promise<DossierActuel | undefined> {
  const row = await db
    .selectFrom("dossiers")
    .select([
      "id",
      "status",
      "submitted_at",
      "accepted_at",
      "notes_commune",
      "recenseur",
      "notes_conservateur",
      "conservateur_id",
      "created_at",
    ])
    .where("commune_id", "=", communeId)
    .where("status", "<>", "archived")
    .executeTakeFirst();
  return row as DossierActuel | undefined;
}
