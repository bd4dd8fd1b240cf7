import type { Kysely } from "kysely";
import type { DB } from "../platform/db/schema.ts";
import type { Emprise, Position } from "./carte-rules.ts";

/** A commune with objets protégés, as the map shows it. */
export type CommuneCarte = {
  code_insee: string;
  nom: string;
  latitude: number | null;
  longitude: number | null;
  statut_global: number;
  en_peril_count: number;
  disparus_count: number;
  objets_count: number;
};

export type DonneesCarte = {
  departement: { code: string; nom: string; emprise: Emprise | null };
  /** Communes with at least one objet, sorted by name (French order). */
  communes: CommuneCarte[];
  /** Mairie points of every commune of the département (with objets or not): the outline is drawn around them. */
  pointsContour: Position[];
};

const COLLATOR = new Intl.Collator("fr", { sensitivity: "base", numeric: true });

/**
 * Everything the map of a département needs, in two statements whatever its size: the département,
 * then its communes (a few hundred, at most about a thousand). `undefined` when the département is unknown.
 */
export async function findDonneesCarte(db: Kysely<DB>, code: string): Promise<DonneesCarte | undefined> {
  const departement = await db
    .selectFrom("departements")
    .select(["code", "nom", "bbox_north", "bbox_south", "bbox_east", "bbox_west"])
    .where("code", "=", code)
    .executeTakeFirst();
  if (!departement) return undefined;
  const rows = await db
    .selectFrom("communes")
    .select(["code_insee", "nom", "latitude", "longitude", "statut_global", "en_peril_count", "disparus_count", "objets_count"])
    .where("departement_code", "=", code)
    .where((eb) => eb.or([eb("objets_count", ">", 0), eb.and([eb("latitude", "is not", null), eb("longitude", "is not", null)])]))
    .execute();

  const { bbox_north: north, bbox_south: south, bbox_east: east, bbox_west: west } = departement;
  const emprise = north !== null && south !== null && east !== null && west !== null ? { north, south, east, west } : null;
  const pointsContour: Position[] = [];
  const communes: CommuneCarte[] = [];
  for (const row of rows) {
    const position = positionValide(row.latitude, row.longitude);
    if (position) pointsContour.push(position);
    if (row.objets_count > 0) {
      communes.push({
        ...row,
        latitude: position ? position[1] : null,
        longitude: position ? position[0] : null,
      });
    }
  }
  communes.sort((a, b) => COLLATOR.compare(a.nom, b.nom) || a.code_insee.localeCompare(b.code_insee));
  return { departement: { code: departement.code, nom: departement.nom, emprise }, communes, pointsContour };
}

/** Coordinates outside the earth or at (0, 0) (a bad import) count as missing rather than breaking the drawing. */
function positionValide(latitude: number | null, longitude: number | null): Position | null {
  if (latitude === null || longitude === null) return null;
  const lat = Number(latitude);
  const lon = Number(longitude);
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  if (lat === 0 && lon === 0) return null;
  return [lon, lat];
}
