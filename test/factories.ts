import { departementCodeOf } from "../src/patrimoine/departements-reference.ts";
import type { Insertable, Selectable } from "kysely";
import type { Database } from "../src/platform/db/database.ts";
import type {
  CommunesTable,
  ConservateursTable,
  DossiersTable,
  EdificesTable,
  ObjetsTable,
  RecensementsTable,
} from "../src/platform/db/schema.ts";

/**
 * Test data factories: each inserts one row with sensible defaults, any column overridable, and returns the
 * row as stored. Defaults never collide within a process (sequence-based codes and REFs).
 */
let sequence = 0;
function next(): number {
  sequence += 1;
  return sequence;
}

function slugify(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

type Db = Pick<Database, "db">;

export type CommuneRow = Selectable<CommunesTable>;
export async function insertCommune(database: Db, overrides: Partial<Insertable<CommunesTable>> = {}): Promise<CommuneRow> {
  const n = next();
  const departement = overrides.departement_code ?? (overrides.code_insee ? departementCodeOf(overrides.code_insee) : "01");
  const codeInsee =
    overrides.code_insee ??
    (departement.length === 3
      ? `${departement}${String(n % 100).padStart(2, "0")}`
      : `${departement}${String(100 + (n % 900)).padStart(3, "0")}`);
  return database.db
    .insertInto("communes")
    .values({ nom: `Commune ${n}`, ...overrides, code_insee: codeInsee, departement_code: departementCodeOf(codeInsee) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export type EdificeRow = Selectable<EdificesTable>;
export async function insertEdifice(
  database: Db,
  overrides: Partial<Insertable<EdificesTable>> & { code_insee: string },
): Promise<EdificeRow> {
  const nom = overrides.nom ?? `église Saint-Martin ${next()}`;
  return database.db
    .insertInto("edifices")
    .values({ ...overrides, nom, slug: overrides.slug ?? slugify(nom) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export type ObjetRow = Selectable<ObjetsTable>;
/** An objet of a commune (its current location); pass `edifice` to place it in an édifice row. */
export async function insertObjet(
  database: Db,
  overrides: Partial<Insertable<ObjetsTable>> & { lieu_actuel_code_insee: string; edifice?: EdificeRow },
): Promise<ObjetRow> {
  const { edifice, ...values } = overrides;
  const n = next();
  const codeInsee = values.lieu_actuel_code_insee;
  return database.db
    .insertInto("objets")
    .values({
      palissy_ref: `PM${departementCodeOf(codeInsee).slice(0, 2)}${String(900000 + n).padStart(6, "0")}`,
      palissy_tico: `Statue de saint Martin ${n}`,
      palissy_deno: "statue",
      palissy_cate: "sculpture",
      palissy_scle: "17e siècle",
      palissy_prot: "classé au titre objet",
      palissy_dpro: "1908/07/25 : classé au titre objet",
      palissy_insee: codeInsee,
      palissy_dpt: departementCodeOf(codeInsee),
      palissy_edif: edifice?.nom ?? null,
      palissy_refa: edifice?.merimee_ref ?? null,
      lieu_actuel_edifice_nom: edifice?.nom ?? null,
      lieu_actuel_edifice_ref: edifice?.merimee_ref ?? null,
      lieu_actuel_departement_code: departementCodeOf(codeInsee),
      edifice_id: edifice?.id ?? null,
      ...values,
      palissy_photos: JSON.stringify(values.palissy_photos ?? []),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export type ConservateurRow = Selectable<ConservateursTable>;
export async function insertConservateur(
  database: Db,
  overrides: Partial<Insertable<ConservateursTable>> & { departement_codes?: string[] } = {},
): Promise<ConservateurRow> {
  const { departement_codes: departementCodes = [], ...values } = overrides;
  const n = next();
  const conservateur = await database.db
    .insertInto("conservateurs")
    .values({ email: `conservateur-${n}@example.test`, first_name: "Jeanne", last_name: `Conservatrice ${n}`, ...values })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (departementCodes.length > 0) {
    await database.db
      .insertInto("conservateur_departements")
      .values(departementCodes.map((code) => ({ conservateur_id: conservateur.id, departement_code: code })))
      .execute();
  }
  return conservateur;
}

export type DossierRow = Selectable<DossiersTable>;
/**
 * A dossier with the timestamps its status implies (submitted_at, accepted_at, archived_at); an accepted
 * dossier gets a conservateur when none is given.
 */
export async function insertDossier(
  database: Db,
  overrides: Partial<Insertable<DossiersTable>> & { commune_id: number },
): Promise<DossierRow> {
  const status = overrides.status ?? "construction";
  const now = new Date();
  const conservateurId = overrides.conservateur_id ?? (status === "accepted" ? (await insertConservateur(database)).id : null);
  return database.db
    .insertInto("dossiers")
    .values({
      submitted_at: status === "construction" ? null : now,
      accepted_at: status === "accepted" ? now : null,
      archived_at: status === "archived" ? now : null,
      ...overrides,
      status,
      conservateur_id: conservateurId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export type RecensementRow = Selectable<RecensementsTable>;
/** A completed recensement of an objet found in place, in good condition, unless overridden. */
export async function insertRecensement(
  database: Db,
  overrides: Partial<Insertable<RecensementsTable>> & { objet_id: number; dossier_id: number },
): Promise<RecensementRow> {
  const status = overrides.status ?? "completed";
  const absent = overrides.localisation === "absent";
  return database.db
    .insertInto("recensements")
    .values({
      localisation: "edifice_initial",
      recensable: !absent,
      etat_sanitaire: absent ? null : "bon",
      securisation: absent ? null : "en_securite",
      completed_at: status === "completed" ? new Date() : null,
      ...overrides,
      status,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
