import { sql, type Kysely } from "kysely";
import type { DB, FicheId } from "../platform/db/schema.ts";

export type ObjetConcerne = {
  palissy_ref: string;
  palissy_tico: string | null;
  palissy_deno: string | null;
  palissy_cate: string | null;
  palissy_scle: string | null;
};

/** Objets of the commune's examined dossier to which the conservateur attached this fiche (RB §4.0). */
export async function objetsConcernesParFiche(db: Kysely<DB>, communeId: number, ficheId: FicheId): Promise<ObjetConcerne[]> {
  return db
    .selectFrom("recensements")
    .innerJoin("dossiers", "dossiers.id", "recensements.dossier_id")
    .innerJoin("objets", "objets.id", "recensements.objet_id")
    .select(["objets.palissy_ref", "objets.palissy_tico", "objets.palissy_deno", "objets.palissy_cate", "objets.palissy_scle"])
    .where("dossiers.commune_id", "=", communeId)
    .where("dossiers.status", "=", "accepted")
    .where("recensements.status", "=", "completed")
    .where(sql<boolean>`${ficheId} = any(recensements.analyse_fiches)`)
    .orderBy("objets.palissy_ref")
    .execute();
}
