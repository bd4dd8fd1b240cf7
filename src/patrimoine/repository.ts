import type { Kysely } from "kysely";
import type { DB, PalissyPhoto } from "../platform/db/schema.ts";

export type CommunePublique = { id: number; code_insee: string; nom: string; departement_code: string; departement_nom: string };

export async function findCommuneByCodeInsee(db: Kysely<DB>, codeInsee: string): Promise<CommunePublique | undefined> {
  return db
    .selectFrom("communes")
    .innerJoin("departements", "departements.code", "communes.departement_code")
    .select(["communes.id", "communes.code_insee", "communes.nom", "communes.departement_code", "departements.nom as departement_nom"])
    .where("communes.code_insee", "=", codeInsee)
    .executeTakeFirst();
}

export type ObjetCarte = {
  id: number;
  palissy_ref: string;
  palissy_tico: string | null;
  palissy_deno: string | null;
  palissy_cate: string | null;
  palissy_scle: string | null;
  lieu_actuel_edifice_nom: string | null;
  edifice_id: number | null;
  edifice_nom: string | null;
  /** First Mémoire photo, if any. */
  photo: PalissyPhoto | null;
};

/** The objets currently in a commune, with their édifice, in one query (the list is grouped in rules.ts). */
export async function listObjetsOfCommune(db: Kysely<DB>, codeInsee: string): Promise<ObjetCarte[]> {
  return db
    .selectFrom("objets")
    .leftJoin("edifices", "edifices.id", "objets.edifice_id")
    .select((eb) => [
      "objets.id",
      "objets.palissy_ref",
      "objets.palissy_tico",
      "objets.palissy_deno",
      "objets.palissy_cate",
      "objets.palissy_scle",
      "objets.lieu_actuel_edifice_nom",
      "objets.edifice_id",
      "edifices.nom as edifice_nom",
      eb.ref("objets.palissy_photos", "->").at(0).$castTo<PalissyPhoto | null>().as("photo"),
    ])
    .where("objets.lieu_actuel_code_insee", "=", codeInsee)
    .orderBy("objets.id")
    .execute();
}

export type ObjetPublic = {
  id: number;
  palissy_ref: string;
  palissy_tico: string | null;
  palissy_deno: string | null;
  palissy_cate: string | null;
  palissy_scle: string | null;
  palissy_denq: string | null;
  palissy_com: string | null;
  palissy_insee: string | null;
  palissy_edif: string | null;
  palissy_empl: string | null;
  palissy_prot: string | null;
  palissy_dpro: string | null;
  palissy_depl: string | null;
  palissy_web: string | null;
  palissy_mosa: string | null;
  palissy_photos: PalissyPhoto[];
  lieu_actuel_code_insee: string;
  lieu_actuel_edifice_nom: string | null;
  edifice_id: number | null;
  edifice_nom: string | null;
  commune_nom: string | null;
};

/** One objet with its current commune and édifice (either may be missing after a sync). */
export async function findObjetByRef(db: Kysely<DB>, palissyRef: string): Promise<ObjetPublic | undefined> {
  return db
    .selectFrom("objets")
    .leftJoin("edifices", "edifices.id", "objets.edifice_id")
    .leftJoin("communes", "communes.code_insee", "objets.lieu_actuel_code_insee")
    .select([
      "objets.id",
      "objets.palissy_ref",
      "objets.palissy_tico",
      "objets.palissy_deno",
      "objets.palissy_cate",
      "objets.palissy_scle",
      "objets.palissy_denq",
      "objets.palissy_com",
      "objets.palissy_insee",
      "objets.palissy_edif",
      "objets.palissy_empl",
      "objets.palissy_prot",
      "objets.palissy_dpro",
      "objets.palissy_depl",
      "objets.palissy_web",
      "objets.palissy_mosa",
      "objets.palissy_photos",
      "objets.lieu_actuel_code_insee",
      "objets.lieu_actuel_edifice_nom",
      "objets.edifice_id",
      "edifices.nom as edifice_nom",
      "communes.nom as commune_nom",
    ])
    .where("objets.palissy_ref", "=", palissyRef)
    .executeTakeFirst();
}
