import { sql, type Kysely } from "kysely";
import type { ObjetPublic } from "../patrimoine/repository.ts";
import {
  type CommuneStatus,
  type DB,
  type DossierStatus,
  type PalissyPhoto,
  RECENSEMENT_ACTIFS,
  type RecensementActifStatus,
} from "../platform/db/schema.ts";
import { NotFoundError } from "../platform/http/errors.ts";

/** Reads of the commune's objets pages (list, objet page, première visite). */

export type DossierCommune = {
  id: number;
  status: Exclude<DossierStatus, "archived">;
  submitted_at: Date | null;
  accepted_at: Date | null;
  conservateur_nom: string | null;
};

export type CommuneRecensement = {
  id: number;
  code_insee: string;
  nom: string;
  status: CommuneStatus;
  /** The current (non-archived) dossier. */
  dossier: DossierCommune | null;
  /** A conservateur wrote in the messagerie: the data sent is then discussed there. */
  conservateur_a_ecrit: boolean;
};

type CommuneRow = {
  id: number;
  code_insee: string;
  nom: string;
  status: CommuneStatus;
  dossier_id: number | null;
  dossier_status: Exclude<DossierStatus, "archived"> | null;
  submitted_at: Date | null;
  accepted_at: Date | null;
  conservateur_nom: string | null;
  conservateur_a_ecrit: boolean;
};

/** The commune, its current dossier and the name of the conservateur who examined it, in one query. */
export async function findCommuneRecensement(db: Kysely<DB>, communeId: number): Promise<CommuneRecensement> {
  const row = (await db
    .selectFrom("communes as c")
    .leftJoin("dossiers as d", (join) => join.onRef("d.commune_id", "=", "c.id").on("d.status", "<>", "archived"))
    .leftJoin("conservateurs as k", "k.id", "d.conservateur_id")
    .select((eb) => [
      "c.id",
      "c.code_insee",
      "c.nom",
      "c.status",
      "d.id as dossier_id",
      "d.status as dossier_status",
      "d.submitted_at",
      "d.accepted_at",
      sql<string | null>`nullif(trim(concat_ws(' ', k.first_name, k.last_name)), '')`.as("conservateur_nom"),
      eb
        .exists(
          eb.selectFrom("messages as m").select("m.id").whereRef("m.commune_id", "=", "c.id").where("m.author_type", "=", "conservateur"),
        )
        .as("conservateur_a_ecrit"),
    ])
    .where("c.id", "=", communeId)
    .executeTakeFirst()) as CommuneRow | undefined;
  if (!row) throw new NotFoundError("Cette commune est introuvable.");
  return {
    id: row.id,
    code_insee: row.code_insee,
    nom: row.nom,
    status: row.status,
    dossier:
      row.dossier_id !== null && row.dossier_status !== null
        ? {
            id: row.dossier_id,
            status: row.dossier_status,
            submitted_at: row.submitted_at,
            accepted_at: row.accepted_at,
            conservateur_nom: row.conservateur_nom,
          }
        : null,
    conservateur_a_ecrit: row.conservateur_a_ecrit,
  };
}

export type ObjetDeListe = {
  id: number;
  palissy_ref: string;
  palissy_tico: string | null;
  palissy_deno: string | null;
  palissy_cate: string | null;
  palissy_scle: string | null;
  lieu_actuel_edifice_nom: string | null;
  edifice_id: number | null;
  edifice_nom: string | null;
  /** First Mémoire photo, shown when the commune took none. */
  memoire_photo: PalissyPhoto | null;
  recensement_status: RecensementActifStatus | null;
  /** The conservateur left a comment on this recensement. */
  analyse_notes: boolean;
  /** First photo of the recensement (by position). */
  photo_id: number | null;
};

/**
 * Every objet of the commune with its édifice, its recensement in the current dossier and that
 * recensement's first photo: one query whatever the number of objets (SPEC §12).
 */
export async function listObjetsDeCommune(db: Kysely<DB>, codeInsee: string, dossierId: number | null): Promise<ObjetDeListe[]> {
  const rows = await db
    .selectFrom("objets as o")
    .leftJoin("recensements as r", (join) =>
      join
        .onRef("r.objet_id", "=", "o.id")
        // No dossier yet: no recensement to find (ids start at 1).
        .on("r.dossier_id", "=", dossierId ?? 0)
        .on("r.status", "in", RECENSEMENT_ACTIFS),
    )
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom("photos as p")
          .select("p.id")
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
      // A lookup per objet by primary key: a join made the planner hash every édifice of France.
      eb.selectFrom("edifices as e").select("e.nom").whereRef("e.id", "=", "o.edifice_id").as("edifice_nom"),
      eb.ref("o.palissy_photos", "->").at(0).$castTo<PalissyPhoto | null>().as("memoire_photo"),
      "r.status as recensement_status",
      sql<boolean>`coalesce(btrim(r.analyse_notes) <> '', false)`.as("analyse_notes"),
      "premiere_photo.id as photo_id",
    ])
    .where("o.lieu_actuel_code_insee", "=", codeInsee)
    .orderBy("o.id")
    .execute();
  return rows as ObjetDeListe[];
}

export type PhotoRecensement = { id: number };

export type ObjetDeCommune = ObjetPublic & {
  recensement: {
    id: number;
    status: RecensementActifStatus;
    analyse_notes: string | null;
    photos: PhotoRecensement[];
  } | null;
};

/** One objet of the commune (404 otherwise) with its recensement in the current dossier and its photos. */
export async function findObjetDeCommune(
  db: Kysely<DB>,
  codeInsee: string,
  objetId: number,
  dossierId: number | null,
): Promise<ObjetDeCommune> {
  const row = await db
    .selectFrom("objets as o")
    .leftJoin("edifices as e", "e.id", "o.edifice_id")
    .leftJoin("communes as c", "c.code_insee", "o.lieu_actuel_code_insee")
    .leftJoin("recensements as r", (join) =>
      join
        .onRef("r.objet_id", "=", "o.id")
        .on("r.dossier_id", "=", dossierId ?? 0)
        .on("r.status", "in", RECENSEMENT_ACTIFS),
    )
    .select((eb) => [
      "o.id",
      "o.palissy_ref",
      "o.palissy_tico",
      "o.palissy_deno",
      "o.palissy_cate",
      "o.palissy_scle",
      "o.palissy_denq",
      "o.palissy_com",
      "o.palissy_insee",
      "o.palissy_edif",
      "o.palissy_empl",
      "o.palissy_prot",
      "o.palissy_dpro",
      "o.palissy_depl",
      "o.palissy_web",
      "o.palissy_mosa",
      "o.palissy_photos",
      "o.lieu_actuel_code_insee",
      "o.lieu_actuel_edifice_nom",
      "o.edifice_id",
      "e.nom as edifice_nom",
      "c.nom as commune_nom",
      "r.id as recensement_id",
      "r.status as recensement_status",
      "r.analyse_notes",
      eb
        .fn<PhotoRecensement[]>("coalesce", [
          eb
            .selectFrom("photos as p")
            .select(sql<PhotoRecensement[]>`json_agg(json_build_object('id', p.id) order by p.position, p.id)`.as("photos"))
            .whereRef("p.recensement_id", "=", "r.id"),
          sql`'[]'::json`,
        ])
        .as("photos"),
    ])
    .where("o.id", "=", objetId)
    .where("o.lieu_actuel_code_insee", "=", codeInsee)
    .executeTakeFirst();
  if (!row) throw new NotFoundError("Cet objet n’est pas dans la liste des objets protégés de votre commune.");
  const { recensement_id, recensement_status, analyse_notes, photos, ...objet } = row;
  return {
    ...objet,
    recensement:
      recensement_id !== null && recensement_status !== null
        ? { id: recensement_id, status: recensement_status as RecensementActifStatus, analyse_notes, photos }
        : null,
  };
}

/** Number of objets the commune has to recense (première visite). */
export async function countObjetsDeCommune(db: Kysely<DB>, codeInsee: string): Promise<number> {
  const row = await db
    .selectFrom("objets")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("lieu_actuel_code_insee", "=", codeInsee)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
