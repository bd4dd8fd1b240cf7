import { sql, type Kysely } from "kysely";
import type { StatutGlobal } from "../dossier/rules.ts";
import {
  type ActorType,
  type DB,
  type DossierStatus,
  type EtatSanitaire,
  type Localisation,
  type PalissyPhoto,
  RECENSEMENT_ACTIFS,
  type RecensementActifStatus,
  type Securisation,
} from "../platform/db/schema.ts";
import { NON_LUS_MAX } from "../messagerie/repository.ts";
import { NotFoundError } from "../platform/http/errors.ts";
import { listPhotosRecensements, photoUrl, type PhotoVue } from "../recensement/photos-repository.ts";
import type { CarteObjet, RecensementCarte } from "./cartes.ts";
import type { RecensementExamine, Visite } from "./rules.ts";

/** Reads of the conservateur's commune page and its tabs; every page issues a fixed number of statements. */

export type DossierConservateur = {
  id: number;
  status: Exclude<DossierStatus, "archived">;
  submitted_at: Date | null;
  accepted_at: Date | null;
  replied_automatically_at: Date | null;
  notes_commune: string | null;
  recenseur: string | null;
  notes_conservateur: string | null;
  visit: Visite | null;
  conservateur_id: number | null;
  conservateur_nom: string | null;
  conservateur_email: string | null;
};

export type CommuneConservateur = {
  id: number;
  code_insee: string;
  nom: string;
  departement_code: string;
  departement_nom: string;
  statut_global: StatutGlobal;
  /** The current (non-archived) dossier. */
  dossier: DossierConservateur | null;
  /** Recensements of the current dossier removed by the Palissy synchronisation. */
  recensements_supprimes: number;
  /** Messages of the commune the reading conservateur has not opened yet (0 when no reader is given). */
  messages_non_lus: number;
};

const nomConservateur = sql<string | null>`nullif(trim(concat_ws(' ', k.first_name, k.last_name)), '')`;

/**
 * The commune, its département, its current dossier and who examined it, in one query (404 when unknown);
 * with `lecteurId`, also the count of the commune's messages that conservateur has not read (same rule as
 * the inbox: written by the commune after the read mark and after the account was created).
 */
export async function findCommuneConservateur(db: Kysely<DB>, codeInsee: string, lecteurId?: number): Promise<CommuneConservateur> {
  const row = await db
    .selectFrom("communes as c")
    .innerJoin("departements as dep", "dep.code", "c.departement_code")
    .leftJoin("dossiers as d", (join) => join.onRef("d.commune_id", "=", "c.id").on("d.status", "<>", "archived"))
    .leftJoin("conservateurs as k", "k.id", "d.conservateur_id")
    .select((eb) => [
      "c.id",
      "c.code_insee",
      "c.nom",
      "c.departement_code",
      "dep.nom as departement_nom",
      "c.statut_global",
      "d.id as dossier_id",
      "d.status as dossier_status",
      "d.submitted_at",
      "d.accepted_at",
      "d.replied_automatically_at",
      "d.notes_commune",
      "d.recenseur",
      "d.notes_conservateur",
      "d.visit",
      "d.conservateur_id",
      nomConservateur.as("conservateur_nom"),
      "k.email as conservateur_email",
      eb
        .selectFrom("recensements as rs")
        .select(eb.fn.countAll<string>().as("n"))
        .whereRef("rs.dossier_id", "=", "d.id")
        .where("rs.status", "=", "deleted")
        .as("recensements_supprimes"),
      lecteurId === undefined
        ? sql<number>`0`.as("messages_non_lus")
        : sql<number>`(select count(*) from (
            select 1 from messages n
            join conservateurs lk on lk.id = ${lecteurId}
            left join message_lectures l on l.lecteur_type = 'conservateur' and l.lecteur_id = ${lecteurId} and l.commune_id = c.id
            where n.commune_id = c.id and n.author_type = 'commune' and n.created_at > lk.created_at
              and n.id > coalesce(l.dernier_message_lu_id, 0)
            limit ${NON_LUS_MAX + 1}) x)::int`.as("messages_non_lus"),
    ])
    .where("c.code_insee", "=", codeInsee)
    .executeTakeFirst();
  if (!row) throw new NotFoundError("Cette commune est introuvable.");
  const { dossier_id, dossier_status, recensements_supprimes, messages_non_lus, ...rest } = row;
  return {
    id: rest.id,
    code_insee: rest.code_insee,
    nom: rest.nom,
    departement_code: rest.departement_code,
    departement_nom: rest.departement_nom,
    statut_global: rest.statut_global as StatutGlobal,
    dossier:
      dossier_id !== null && dossier_status !== null && dossier_status !== "archived"
        ? {
            id: dossier_id,
            status: dossier_status,
            submitted_at: rest.submitted_at,
            accepted_at: rest.accepted_at,
            replied_automatically_at: rest.replied_automatically_at,
            notes_commune: rest.notes_commune,
            recenseur: rest.recenseur,
            notes_conservateur: rest.notes_conservateur,
            visit: rest.visit,
            conservateur_id: rest.conservateur_id,
            conservateur_nom: rest.conservateur_nom,
            conservateur_email: rest.conservateur_email,
          }
        : null,
    recensements_supprimes: Number(recensements_supprimes ?? 0),
    messages_non_lus: Number(messages_non_lus ?? 0),
  };
}

/** What `etatEnvoiExamen` needs of the active recensements of a dossier. */
export async function listRecensementsExamen(db: Kysely<DB>, dossierId: number): Promise<RecensementExamine[]> {
  return db
    .selectFrom("recensements")
    .select(["status", "localisation", "etat_sanitaire", "analyse_etat_sanitaire", "analysed_at"])
    .where("dossier_id", "=", dossierId)
    .where("status", "in", RECENSEMENT_ACTIFS)
    .execute();
}

export type ObjetCarteConservateur = CarteObjet & {
  id: number;
  palissy_tico: string | null;
  palissy_deno: string | null;
  palissy_cate: string | null;
  palissy_scle: string | null;
  lieu_actuel_edifice_nom: string | null;
  edifice_id: number | null;
  edifice_nom: string | null;
  /** First recensement photo, else first Mémoire photo, else null. */
  photo: { url: string } | null;
};

type ObjetCarteRow = {
  id: number;
  palissy_ref: string;
  palissy_tico: string | null;
  palissy_deno: string | null;
  palissy_cate: string | null;
  palissy_scle: string | null;
  lieu_actuel_edifice_nom: string | null;
  edifice_id: number | null;
  edifice_nom: string | null;
  memoire_photo: PalissyPhoto | null;
  recensement_id: number | null;
  recensement_status: RecensementActifStatus | null;
  localisation: Localisation | null;
  etat_sanitaire: EtatSanitaire | null;
  analyse_etat_sanitaire: EtatSanitaire | null;
  analysed_at: Date | null;
  recensable: boolean | null;
  photos_count: number | null;
  photo_id: number | null;
  photo_sha256: string | null;
};

/**
 * Every objet currently in the commune with its active recensement of the current dossier and that
 * recensement's first photo: one statement whatever the number of objets.
 */
export async function listObjetsCartes(db: Kysely<DB>, codeInsee: string, dossierId: number | null): Promise<ObjetCarteConservateur[]> {
  const rows = (await db
    .selectFrom("objets as o")
    .leftJoin("recensements as r", (join) =>
      join
        .onRef("r.objet_id", "=", "o.id")
        // No dossier: nothing to join (ids start at 1).
        .on("r.dossier_id", "=", dossierId ?? 0)
        .on("r.status", "in", RECENSEMENT_ACTIFS),
    )
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom("photos as p")
          .select(["p.id", "p.sha256"])
          .whereRef("p.recensement_id", "=", "r.id")
          .orderBy("p.position")
          .orderBy("p.id")
          .limit(1)
          .as("premiere_photo"),
      (join) => join.onTrue(),
    )
    .select((eb) => [
      "o.id",
      "o.palissy_ref",
      "o.palissy_tico",
      "o.palissy_deno",
      "o.palissy_cate",
      "o.palissy_scle",
      "o.lieu_actuel_edifice_nom",
      "o.edifice_id",
      // By primary key per objet, as the commune's list does: a join made the planner hash every édifice.
      eb.selectFrom("edifices as e").select("e.nom").whereRef("e.id", "=", "o.edifice_id").as("edifice_nom"),
      eb.ref("o.palissy_photos", "->").at(0).$castTo<PalissyPhoto | null>().as("memoire_photo"),
      "r.id as recensement_id",
      "r.status as recensement_status",
      "r.localisation",
      "r.etat_sanitaire",
      "r.analyse_etat_sanitaire",
      "r.analysed_at",
      "r.recensable",
      "r.photos_count",
      "premiere_photo.id as photo_id",
      "premiere_photo.sha256 as photo_sha256",
    ])
    .where("o.lieu_actuel_code_insee", "=", codeInsee)
    .orderBy("o.id")
    .execute()) as ObjetCarteRow[];
  return rows.map((row) => {
    const recensement: RecensementCarte | null =
      row.recensement_id !== null && row.recensement_status !== null
        ? {
            id: row.recensement_id,
            status: row.recensement_status,
            localisation: row.localisation,
            etat_sanitaire: row.etat_sanitaire,
            analyse_etat_sanitaire: row.analyse_etat_sanitaire,
            analysed_at: row.analysed_at,
            recensable: row.recensable,
            photos_count: row.photos_count ?? 0,
          }
        : null;
    return {
      id: row.id,
      palissy_ref: row.palissy_ref,
      palissy_tico: row.palissy_tico,
      palissy_deno: row.palissy_deno,
      palissy_cate: row.palissy_cate,
      palissy_scle: row.palissy_scle,
      lieu_actuel_edifice_nom: row.lieu_actuel_edifice_nom,
      edifice_id: row.edifice_id,
      edifice_nom: row.edifice_nom,
      photo:
        row.photo_id !== null ? { url: photoUrl(row.photo_id, "vignette", row.photo_sha256 ?? undefined) } : (row.memoire_photo ?? null),
      recensement,
    };
  });
}

// ——— Detailed recensements (historique of archived dossiers, deleted recensements) ———

/** A recensement as the detailed view shows it, whether its objet is still there or only its snapshot. */
export type RecensementDetaille = {
  id: number;
  dossier_id: number;
  status: "completed" | "deleted" | "draft" | "archived";
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
  analysed_at: Date | null;
  /** From the objet, else from the snapshot taken when the synchronisation removed it. */
  palissy_ref: string;
  titre: string | null;
  palissy_deno: string | null;
  palissy_cate: string | null;
  palissy_scle: string | null;
  /** The objet's édifice as Palissy (or the snapshot) names it. */
  edifice_initial_nom: string | null;
  deleted_at: Date | null;
  deleted_reason: "objet-devenu-hors-scope" | "changement-de-commune" | null;
  deleted_message: string | null;
  photos: PhotoVue[];
};

type DetailRow = Omit<RecensementDetaille, "photos" | "analyse_fiches" | "palissy_ref"> & {
  analyse_fiches: string[] | null;
  palissy_ref: string | null;
};

function selectDetails(db: Kysely<DB>) {
  return db
    .selectFrom("recensements as r")
    .leftJoin("objets as o", "o.id", "r.objet_id")
    .leftJoin("communes as ac", "ac.code_insee", "r.autre_commune_code_insee")
    .select([
      "r.id",
      "r.dossier_id",
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
      "r.analysed_at",
      sql<string | null>`coalesce(o.palissy_ref, r.deleted_objet_snapshot->>'palissy_ref')`.as("palissy_ref"),
      sql<string | null>`coalesce(o.palissy_tico, r.deleted_objet_snapshot->>'palissy_tico')`.as("titre"),
      "o.palissy_deno",
      "o.palissy_cate",
      "o.palissy_scle",
      sql<string | null>`coalesce(
        (select e.nom from edifices e where e.id = o.edifice_id),
        o.lieu_actuel_edifice_nom,
        r.deleted_objet_snapshot->>'lieu_actuel_edifice_nom'
      )`.as("edifice_initial_nom"),
      "r.deleted_at",
      "r.deleted_reason",
      "r.deleted_message",
    ]);
}

async function withPhotos(db: Kysely<DB>, rows: DetailRow[]): Promise<RecensementDetaille[]> {
  const photos = await listPhotosRecensements(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => ({
    ...row,
    status: row.status,
    palissy_ref: row.palissy_ref ?? "Référence inconnue",
    analyse_fiches: row.analyse_fiches ?? [],
    photos: photos.get(row.id) ?? [],
  }));
}

/** Recensements of the current dossier removed by the synchronisation (RB §5.13), newest first, with their photos. */
export async function listRecensementsSupprimes(db: Kysely<DB>, dossierId: number): Promise<RecensementDetaille[]> {
  const rows = await selectDetails(db)
    .where("r.dossier_id", "=", dossierId)
    .where("r.status", "=", "deleted")
    .orderBy("r.deleted_at", "desc")
    .orderBy("r.id")
    .execute();
  return withPhotos(db, rows);
}

export type DossierArchive = {
  id: number;
  archived_at: Date | null;
  submitted_at: Date | null;
  accepted_at: Date | null;
  notes_commune: string | null;
  notes_conservateur: string | null;
  conservateur_nom: string | null;
  recensements: RecensementDetaille[];
};

/**
 * The commune's archived dossiers, newest first, each with its completed recensements (and those the
 * synchronisation removed since): three statements whatever the number of dossiers.
 */
export async function listDossiersArchives(db: Kysely<DB>, communeId: number): Promise<DossierArchive[]> {
  const dossiers = await db
    .selectFrom("dossiers as d")
    .leftJoin("conservateurs as k", "k.id", "d.conservateur_id")
    .select([
      "d.id",
      "d.archived_at",
      "d.submitted_at",
      "d.accepted_at",
      "d.notes_commune",
      "d.notes_conservateur",
      nomConservateur.as("conservateur_nom"),
    ])
    .where("d.commune_id", "=", communeId)
    .where("d.status", "=", "archived")
    .orderBy(sql`d.archived_at desc nulls last`)
    .orderBy("d.id", "desc")
    .execute();
  if (dossiers.length === 0) return [];
  const rows = await selectDetails(db)
    .where(
      "r.dossier_id",
      "in",
      dossiers.map((d) => d.id),
    )
    .where("r.status", "in", ["completed", "deleted"])
    .orderBy("r.id")
    .execute();
  const recensements = await withPhotos(db, rows);
  return dossiers.map((dossier) => ({ ...dossier, recensements: recensements.filter((r) => r.dossier_id === dossier.id) }));
}

// ——— Historique: the audit events of the commune ———

export const EVENEMENTS_PAR_PAGE = 50;

export type EvenementHistorique = {
  id: number;
  occurred_at: Date;
  actor_type: ActorType;
  actor_nom: string | null;
  impersonator_nom: string | null;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};

/** One page of the commune's audit events, newest first; the names of the people in the same statement. */
export async function listEvenementsCommune(
  db: Kysely<DB>,
  communeId: number,
  page: number,
): Promise<{ evenements: EvenementHistorique[]; suivante: boolean }> {
  const rows = await db
    .selectFrom("audit_events as a")
    .leftJoin("conservateurs as k", (join) => join.onRef("k.id", "=", "a.actor_id").on("a.actor_type", "=", "conservateur"))
    .leftJoin("commune_users as u", (join) => join.onRef("u.id", "=", "a.actor_id").on("a.actor_type", "=", "commune"))
    .leftJoin("admins as ad", (join) => join.onRef("ad.id", "=", "a.actor_id").on("a.actor_type", "=", "admin"))
    .leftJoin("admins as imp", "imp.id", "a.impersonator_admin_id")
    .select([
      "a.id",
      "a.occurred_at",
      "a.actor_type",
      sql<string | null>`coalesce(
        nullif(trim(concat_ws(' ', k.first_name, k.last_name)), ''), k.email,
        u.email,
        nullif(trim(concat_ws(' ', ad.first_name, ad.last_name)), ''), ad.email
      )`.as("actor_nom"),
      sql<string | null>`coalesce(nullif(trim(concat_ws(' ', imp.first_name, imp.last_name)), ''), imp.email)`.as("impersonator_nom"),
      "a.action",
      "a.before",
      "a.after",
    ])
    .where("a.commune_id", "=", communeId)
    .orderBy("a.occurred_at", "desc")
    .orderBy("a.id", "desc")
    .limit(EVENEMENTS_PAR_PAGE + 1)
    .offset((page - 1) * EVENEMENTS_PAR_PAGE)
    .execute();
  return { evenements: rows.slice(0, EVENEMENTS_PAR_PAGE), suivante: rows.length > EVENEMENTS_PAR_PAGE };
}
