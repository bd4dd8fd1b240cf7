import type { Kysely } from "kysely";
import type { DB } from "../platform/db/schema.ts";
import { lotMpp, type CurseurMpp } from "./repository.ts";
import {
  BOM,
  COLONNES_DEPLACES,
  COLONNES_MANQUANTS,
  ligneDeplace,
  ligneManquant,
  lignesCsvPointVirgule,
  TAILLE_LOT,
  type LigneMppSource,
  type TypeMpp,
} from "./rules.ts";

export function colonnesMpp(type: TypeMpp): readonly string[] {
  return type === "deplaces" ? COLONNES_DEPLACES : COLONNES_MANQUANTS;
}

export function ligneMpp(type: TypeMpp, ligne: LigneMppSource, publicUrl: string): string[] {
  return type === "deplaces" ? ligneDeplace(ligne, publicUrl) : ligneManquant(ligne, publicUrl);
}

/**
 * The MPP CSV as chunks (BOM and header first), read from the database in keyset batches: newest
 * acceptance first, then by recensement (the same order as the HTML preview).
 */
export async function* csvMpp(db: Kysely<DB>, code: string, type: TypeMpp, publicUrl: string, lot = TAILLE_LOT): AsyncGenerator<string> {
  yield BOM + lignesCsvPointVirgule([[...colonnesMpp(type)]]);
  let apres: CurseurMpp | null = null;
  for (;;) {
    const lignes = await lotMpp(db, code, type, { apres, limit: lot });
    if (lignes.length > 0) yield lignesCsvPointVirgule(lignes.map((l) => ligneMpp(type, l, publicUrl)));
    if (lignes.length < lot) return;
    const dernier = lignes[lignes.length - 1]!;
    apres = { acceptedAt: dernier.accepted_at, id: dernier.recensement_id };
  }
}
