import { createRequire } from "node:module";
import { sql } from "kysely";
import type { Database } from "../platform/db/database.ts";

const require = createRequire(import.meta.url);

type DecoupageDepartement = { code: string; nom: string; region: string; typeLiaison: number; zone: string };
type DecoupageRegion = { code: string; nom: string };

/** The 101 départements the service covers: metropolitan France (2A/2B included) and the five DROM. */
const DROM = new Set(["971", "972", "973", "974", "976"]);
const CONCORDATAIRES = new Set(["57", "67", "68"]);
/**
 * Usage French grammar does not derive from INSEE's article codes: feminine names beginning with a vowel
 * take "en", some compound names take an article, islands and Paris take "à".
 */
const DANS_NOM_EXCEPTIONS: Record<string, string> = {
  "07": "en Ardèche",
  "28": "dans l\u02bcEure-et-Loir",
  "38": "en Isère",
  "49": "dans le Maine-et-Loire",
  "71": "dans la Saône-et-Loire",
  "91": "en Essonne",
  "2A": "en Corse-du-Sud",
  "2B": "en Haute-Corse",
  "75": "à Paris",
  "971": "en Guadeloupe",
  "972": "en Martinique",
  "973": "en Guyane",
  "974": "à La Réunion",
  "976": "à Mayotte",
};

export type DepartementReference = { code: string; nom: string; dans_nom: string; region: string; concordataire: boolean };

/** "dans l’Ain", "dans les Vosges", "en Eure-et-Loir": the form used in mails and titles. */
export function dansNom(departement: Pick<DecoupageDepartement, "code" | "nom" | "typeLiaison">): string {
  const exception = DANS_NOM_EXCEPTIONS[departement.code];
  if (exception) return exception;
  switch (departement.typeLiaison) {
    case 2:
      return `dans le ${departement.nom}`;
    case 3:
      return `en ${departement.nom}`;
    case 4:
      return `dans les ${departement.nom}`;
    case 5:
      return `dans l\u02bc${departement.nom}`;
    default:
      return `en ${departement.nom}`;
  }
}

export function departementsReference(): DepartementReference[] {
  const departements = require("@etalab/decoupage-administratif/data/departements.json") as DecoupageDepartement[];
  const regions = new Map((require("@etalab/decoupage-administratif/data/regions.json") as DecoupageRegion[]).map((r) => [r.code, r.nom]));
  return departements
    .filter((d) => d.zone === "metro" || DROM.has(d.code))
    .map((d) => ({
      code: d.code,
      nom: d.nom,
      dans_nom: dansNom(d),
      region: regions.get(d.region) ?? d.region,
      concordataire: CONCORDATAIRES.has(d.code),
    }));
}

/** Département code of an INSEE commune code: 2 characters, or 3 overseas ("97…"). */
export function departementCodeOf(codeInsee: string): string {
  return codeInsee.startsWith("97") ? codeInsee.slice(0, 3) : codeInsee.slice(0, 2);
}

/** Inserts or refreshes the départements (idempotent; bounding boxes are kept, they come from communes). */
export async function ensureDepartements(database: Database): Promise<void> {
  const rows = departementsReference();
  await database.db
    .insertInto("departements")
    .values(rows)
    .onConflict((oc) =>
      oc.column("code").doUpdateSet((eb) => ({
        nom: eb.ref("excluded.nom"),
        dans_nom: eb.ref("excluded.dans_nom"),
        region: eb.ref("excluded.region"),
        concordataire: eb.ref("excluded.concordataire"),
        updated_at: sql`now()`,
      })),
    )
    .execute();
}

/** Derives each département's bounding box from its communes' mairie coordinates (the annuaire has them). */
export async function refreshDepartementBoundingBoxes(database: Database): Promise<void> {
  await sql`
    update departements d set
      bbox_north = b.north, bbox_south = b.south, bbox_east = b.east, bbox_west = b.west, updated_at = now()
    from (
      select departement_code, max(latitude) as north, min(latitude) as south, max(longitude) as east, min(longitude) as west
      from communes where latitude is not null and longitude is not null group by departement_code
    ) b
    where b.departement_code = d.code`.execute(database.db);
}

let nomsDepartements: Map<string, string> | undefined;

/** "Morbihan" for "56", from the administrative reference (no query: used in every conservateur page's navigation). */
export function nomDepartement(code: string): string {
  nomsDepartements ??= new Map(departementsReference().map((d) => [d.code, d.nom]));
  return nomsDepartements.get(code) ?? code;
}
