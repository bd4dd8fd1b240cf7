import { sql, type Kysely } from "kysely";
import {
  type DB,
  type DossierStatus,
  type EtatSanitaire,
  type Localisation,
  type PalissyPhoto,
  RECENSEMENT_ACTIFS,
  type Securisation,
} from "../platform/db/schema.ts";
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
        where dossier_id = d.id and status in ('draft', 'completed')
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

export type EtatRecensementCommune = {
  dossier: DossierActuel | undefined;
  /** Objets currently in the commune. */
  objetsCount: number;
  /** Those of them with a completed recensement in the current dossier. */
  objetsRecensesCount: number;
};

/** What `can_complete?` needs (RB §3.1), in two small queries. */
export async function findEtatRecensementCommune(
  db: Kysely<DB>,
  commune: { communeId: number; codeInsee: string },
): Promise<EtatRecensementCommune> {
  const dossier = await findDossierActuel(db, commune.communeId);
  const counts = await db
    .selectFrom("objets as o")
    .leftJoin("recensements as r", (join) =>
      join
        .onRef("r.objet_id", "=", "o.id")
        .on("r.dossier_id", "=", dossier?.id ?? -1)
        .on("r.status", "=", "completed"),
    )
    .select((eb) => [eb.fn.count<string>("o.id").distinct().as("objets"), eb.fn.count<string>("r.objet_id").distinct().as("recenses")])
    .where("o.lieu_actuel_code_insee", "=", commune.codeInsee)
    .executeTakeFirstOrThrow();
  return { dossier, objetsCount: Number(counts.objets), objetsRecensesCount: Number(counts.recenses) };
}

export type PhotoRecensement = { id: number };

/** One recensement of a dossier with its objet, as the summary table and the rapport show it. */
export type RecensementDuDossier = {
  id: number;
  objet_id: number;
  status: "draft" | "completed";
  localisation: Localisation | null;
  edifice_nom: string | null;
  autre_commune_code_insee: string | null;
  autre_commune_nom: string | null;
  recensable: boolean | null;
  etat_sanitaire: EtatSanitaire | null;
  securisation: Securisation | null;
  notes: string | null;
  analyse_etat_sanitaire: EtatSanitaire | null;
  analyse_securisation: Securisation | null;
  analyse_fiches: string[];
  analyse_notes: string | null;
  palissy_ref: string;
  palissy_tico: string | null;
  palissy_deno: string | null;
  palissy_cate: string | null;
  palissy_scle: string | null;
  palissy_edif: string | null;
  /** Name of the objet's édifice row, else its Palissy current building name. */
  edifice_initial_nom: string | null;
  palissy_photo: PalissyPhoto | null;
  photos: PhotoRecensement[];
  photos_count: number;
};

/** The non-deleted recensements of a dossier with their objet and photos (in position order), in two queries. */
export async function listRecensementsDuDossier(db: Kysely<DB>, dossierId: number): Promise<RecensementDuDossier[]> {
  const rows = await db
    .selectFrom("recensements as r")
    .innerJoin("objets as o", "o.id", "r.objet_id")
    .leftJoin("edifices as e", "e.id", "o.edifice_id")
    .leftJoin("communes as ac", "ac.code_insee", "r.autre_commune_code_insee")
    .select((eb) => [
      "r.id",
      "r.status",
      "r.localisation",
      "r.edifice_nom",
      "r.autre_commune_code_insee",
      "ac.nom as autre_commune_nom",
      "r.recensable",
      "r.etat_sanitaire",
      "r.securisation",
      "r.notes",
      "r.analyse_etat_sanitaire",
      "r.analyse_securisation",
      "r.analyse_fiches",
      "r.analyse_notes",
      "o.id as objet_id",
      "o.palissy_ref",
      "o.palissy_tico",
      "o.palissy_deno",
      "o.palissy_cate",
      "o.palissy_scle",
      "o.palissy_edif",
      eb.fn.coalesce("e.nom", "o.lieu_actuel_edifice_nom").as("edifice_initial_nom"),
      eb.ref("o.palissy_photos", "->").at(0).$castTo<PalissyPhoto | null>().as("palissy_photo"),
    ])
    .where("r.dossier_id", "=", dossierId)
    .where("r.status", "in", RECENSEMENT_ACTIFS)
    .orderBy("r.id")
    .execute();
  if (rows.length === 0) return [];
  const photos = await db
    .selectFrom("photos")
    .select(["id", "recensement_id"])
    .where(
      "recensement_id",
      "in",
      rows.map((r) => r.id),
    )
    .orderBy("recensement_id")
    .orderBy("position")
    .orderBy("id")
    .execute();
  const byRecensement = new Map<number, PhotoRecensement[]>();
  for (const photo of photos) {
    const list = byRecensement.get(photo.recensement_id) ?? [];
    list.push({ id: photo.id });
    byRecensement.set(photo.recensement_id, list);
  }
  return rows.map((row) => {
    const own = byRecensement.get(row.id) ?? [];
    return {
      ...row,
      status: row.status as "draft" | "completed",
      analyse_fiches: row.analyse_fiches ?? [],
      photos: own,
      photos_count: own.length,
    };
  });
}

export type ConservateurDuDossier = { nom: string; email: string };

/** Who examined the dossier, as the rapport names them. */
export async function findConservateurDuDossier(db: Kysely<DB>, conservateurId: number): Promise<ConservateurDuDossier | undefined> {
  const row = await db
    .selectFrom("conservateurs")
    .select(["first_name", "last_name", "email"])
    .where("id", "=", conservateurId)
    .executeTakeFirst();
  if (!row) return undefined;
  const nom = `${row.first_name} ${row.last_name}`.trim();
  return { nom: nom || row.email, email: row.email };
}
