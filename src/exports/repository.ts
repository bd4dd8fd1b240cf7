import { sql, type Kysely } from "kysely";
import type { DB, DossierStatus, EtatSanitaire, Localisation, RecensementStatus, Securisation } from "../platform/db/schema.ts";
import { LOCALISATIONS_DEPLACEES, type LigneMppSource, type TypeMpp } from "./rules.ts";

// ——— MPP exports: objets of accepted dossiers, newest acceptance first ———

/** Keyset cursor of the MPP lists: (accepted_at, recensement id), both descending. */
export type CurseurMpp = { acceptedAt: Date; id: number };

function mppBase(db: Kysely<DB>, code: string, type: TypeMpp) {
  let query = db
    .selectFrom("recensements as r")
    .innerJoin("dossiers as d", "d.id", "r.dossier_id")
    .innerJoin("communes as c", "c.id", "d.commune_id")
    .innerJoin("objets as o", "o.id", "r.objet_id")
    .where("c.departement_code", "=", code)
    .where("d.status", "=", "accepted")
    .where("r.status", "=", "completed");
  query =
    type === "manquants" ? query.where("r.localisation", "=", "absent") : query.where("r.localisation", "in", [...LOCALISATIONS_DEPLACEES]);
  return query;
}

export async function compterMpp(db: Kysely<DB>, code: string, type: TypeMpp): Promise<number> {
  const row = await mppBase(db, code, type)
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One batch of the list after `apres` (or from the start); `offset` only for the HTML preview's pages. */
export async function lotMpp(
  db: Kysely<DB>,
  code: string,
  type: TypeMpp,
  options: { apres?: CurseurMpp | null; limit: number; offset?: number },
): Promise<LigneMppSource[]> {
  let query = mppBase(db, code, type)
    .leftJoin("edifices as e", "e.id", "o.edifice_id")
    .leftJoin("communes as ac", "ac.code_insee", "r.autre_commune_code_insee")
    .leftJoin("departements as dd", (join) =>
      join.on(
        "dd.code",
        "=",
        sql<string>`case when r.localisation = 'deplacement_autre_commune' and r.autre_commune_code_insee is not null
          then (case when left(r.autre_commune_code_insee, 2) = '97' then left(r.autre_commune_code_insee, 3) else left(r.autre_commune_code_insee, 2) end)
          else c.departement_code end`,
      ),
    )
    .select([
      "r.id as recensement_id",
      "o.palissy_ref",
      "c.departement_code",
      "c.code_insee",
      "c.nom as commune_nom",
      sql<string | null>`coalesce(e.nom, o.lieu_actuel_edifice_nom, o.palissy_edif)`.as("edifice_origine"),
      "r.localisation",
      "r.edifice_nom",
      "r.autre_commune_code_insee",
      "ac.nom as autre_commune_nom",
      "dd.code as destination_departement_code",
      "dd.nom as destination_departement_nom",
      "dd.region as destination_region",
      sql<Date>`d.accepted_at`.as("accepted_at"),
      "d.notes_commune as notes_commune_dossier",
      "d.notes_conservateur as notes_conservateur_dossier",
      "r.notes",
      "r.analyse_notes",
    ])
    .orderBy("d.accepted_at", "desc")
    .orderBy("r.id", "desc")
    .limit(options.limit);
  if (options.apres) query = query.where(sql<boolean>`(d.accepted_at, r.id) < (${options.apres.acceptedAt}, ${options.apres.id})`);
  if (options.offset) query = query.offset(options.offset);
  return query.execute();
}

// ——— XLSX: the département's active recensements ———

export type LigneRecensementXlsx = {
  recensement_id: number;
  commune_nom: string;
  code_insee: string;
  palissy_ref: string;
  palissy_tico: string | null;
  palissy_deno: string | null;
  palissy_cate: string | null;
  palissy_scle: string | null;
  palissy_prot: string | null;
  edifice: string | null;
  status: RecensementStatus;
  localisation: Localisation | null;
  edifice_nom: string | null;
  autre_commune_code_insee: string | null;
  recensable: boolean | null;
  etat_sanitaire: EtatSanitaire | null;
  securisation: Securisation | null;
  notes: string | null;
  photos_count: number;
  analyse_etat_sanitaire: EtatSanitaire | null;
  analyse_securisation: Securisation | null;
  analyse_notes: string | null;
  analyse_fiches: string[];
  analysed_at: Date | null;
  completed_at: Date | null;
  dossier_status: DossierStatus;
  submitted_at: Date | null;
  accepted_at: Date | null;
  notes_conservateur_dossier: string | null;
};

/** Keyset cursor of the XLSX: (commune name, recensement id). */
export type CurseurXlsx = { communeNom: string; id: number };

function recensementsBase(db: Kysely<DB>, code: string) {
  return db
    .selectFrom("recensements as r")
    .innerJoin("dossiers as d", "d.id", "r.dossier_id")
    .innerJoin("communes as c", "c.id", "d.commune_id")
    .innerJoin("objets as o", "o.id", "r.objet_id")
    .where("c.departement_code", "=", code)
    .where("r.status", "in", ["draft", "completed"]);
}

export async function compterRecensements(db: Kysely<DB>, code: string): Promise<number> {
  const row = await recensementsBase(db, code)
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function lotRecensements(
  db: Kysely<DB>,
  code: string,
  apres: CurseurXlsx | null,
  limit: number,
): Promise<LigneRecensementXlsx[]> {
  let query = recensementsBase(db, code)
    .leftJoin("edifices as e", "e.id", "o.edifice_id")
    .select([
      "r.id as recensement_id",
      "c.nom as commune_nom",
      "c.code_insee",
      "o.palissy_ref",
      "o.palissy_tico",
      "o.palissy_deno",
      "o.palissy_cate",
      "o.palissy_scle",
      "o.palissy_prot",
      sql<string | null>`coalesce(e.nom, o.lieu_actuel_edifice_nom, o.palissy_edif)`.as("edifice"),
      "r.status",
      "r.localisation",
      "r.edifice_nom",
      "r.autre_commune_code_insee",
      "r.recensable",
      "r.etat_sanitaire",
      "r.securisation",
      "r.notes",
      "r.photos_count",
      "r.analyse_etat_sanitaire",
      "r.analyse_securisation",
      "r.analyse_notes",
      "r.analyse_fiches",
      "r.analysed_at",
      "r.completed_at",
      "d.status as dossier_status",
      "d.submitted_at",
      "d.accepted_at",
      "d.notes_conservateur as notes_conservateur_dossier",
    ])
    .orderBy("c.nom")
    .orderBy("r.id")
    .limit(limit);
  if (apres) query = query.where(sql<boolean>`(c.nom, r.id) > (${apres.communeNom}, ${apres.id})`);
  return query.execute();
}

// ——— Mémoire photo export ———

/**
 * Photos the next export takes: marked exportable, in no export yet, of completed recensements of accepted
 * dossiers of the département (photos only exist for recensable objets).
 */
function photosExportablesBase(db: Kysely<DB>, code: string) {
  return db
    .selectFrom("photos as p")
    .innerJoin("recensements as r", "r.id", "p.recensement_id")
    .innerJoin("dossiers as d", "d.id", "r.dossier_id")
    .innerJoin("communes as c", "c.id", "d.commune_id")
    .innerJoin("objets as o", "o.id", "r.objet_id")
    .where("c.departement_code", "=", code)
    .where("d.status", "=", "accepted")
    .where("r.status", "=", "completed")
    .where("p.pop_export_id", "is", null);
}

export async function compterPhotosMemoire(db: Kysely<DB>, code: string): Promise<{ exportables: number; exclues: number }> {
  const row = await photosExportablesBase(db, code)
    .select([
      sql<string>`count(*) filter (where p.exportable)`.as("exportables"),
      sql<string>`count(*) filter (where not p.exportable)`.as("exclues"),
    ])
    .executeTakeFirstOrThrow();
  return { exportables: Number(row.exportables), exclues: Number(row.exclues) };
}

export type PhotoMemoireVue = {
  photo_id: number;
  sha256: string;
  width: number;
  height: number;
  byte_size: number;
  original_filename: string | null;
  exportable: boolean;
  palissy_ref: string;
  palissy_tico: string | null;
  palissy_deno: string | null;
  palissy_cate: string | null;
  palissy_scle: string | null;
  commune_nom: string;
  code_insee: string;
  analyse_notes: string | null;
  notes: string | null;
  numero: number | null;
  annee: number | null;
};

function photoVueSelect() {
  return [
    "p.id as photo_id",
    "p.sha256",
    "p.width",
    "p.height",
    "p.byte_size",
    "p.original_filename",
    "p.exportable",
    "o.palissy_ref",
    "o.palissy_tico",
    "o.palissy_deno",
    "o.palissy_cate",
    "o.palissy_scle",
    "c.nom as commune_nom",
    "c.code_insee",
    "r.analyse_notes",
    "r.notes",
    "m.numero",
    "m.annee",
  ] as const;
}

/** A page of the photos awaiting export (exportable or excluded), in the order the export numbers them. */
export async function listerPhotosMemoire(
  db: Kysely<DB>,
  code: string,
  exportable: boolean,
  options: { limit: number; offset: number },
): Promise<PhotoMemoireVue[]> {
  return photosExportablesBase(db, code)
    .leftJoin("memoire_numeros as m", "m.photo_id", "p.id")
    .where("p.exportable", "=", exportable)
    .select(photoVueSelect())
    .orderBy("p.id")
    .limit(options.limit)
    .offset(options.offset)
    .execute();
}

export async function listerPhotosDeLExport(
  db: Kysely<DB>,
  exportId: number,
  options: { limit: number; offset: number },
): Promise<PhotoMemoireVue[]> {
  return db
    .selectFrom("photos as p")
    .innerJoin("recensements as r", "r.id", "p.recensement_id")
    .innerJoin("dossiers as d", "d.id", "r.dossier_id")
    .innerJoin("communes as c", "c.id", "d.commune_id")
    .innerJoin("objets as o", "o.id", "r.objet_id")
    .leftJoin("memoire_numeros as m", "m.photo_id", "p.id")
    .where("p.pop_export_id", "=", exportId)
    .select(photoVueSelect())
    .orderBy("m.numero")
    .orderBy("p.id")
    .limit(options.limit)
    .offset(options.offset)
    .execute();
}

export type ExportMemoire = {
  id: number;
  departement_code: string;
  status: "pending" | "ready" | "failed";
  csv_key: string | null;
  zip_key: string | null;
  created_at: Date;
  photos_count: number;
  started_at: Date | null;
  generated_at: Date | null;
  error: string | null;
};

const EXPORT_COLUMNS = [
  "id",
  "departement_code",
  "status",
  "csv_key",
  "zip_key",
  "created_at",
  "photos_count",
  "started_at",
  "generated_at",
  "error",
] as const;

export async function listerExportsMemoire(db: Kysely<DB>, code: string): Promise<ExportMemoire[]> {
  return db
    .selectFrom("pop_exports")
    .select(EXPORT_COLUMNS)
    .where("departement_code", "=", code)
    .where("base", "=", "memoire")
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(200)
    .execute();
}

/** The export of this département, or undefined (another département's export is "not found"). */
export async function findExportMemoire(db: Kysely<DB>, code: string, exportId: number): Promise<ExportMemoire | undefined> {
  return db
    .selectFrom("pop_exports")
    .select(EXPORT_COLUMNS)
    .where("id", "=", exportId)
    .where("departement_code", "=", code)
    .where("base", "=", "memoire")
    .executeTakeFirst();
}

/** The photo, if it is a photo of this département's recensements. */
export async function findPhotoDuDepartement(
  db: Kysely<DB>,
  code: string,
  photoId: number,
): Promise<{ id: number; exportable: boolean; pop_export_id: number | null; commune_id: number } | undefined> {
  return db
    .selectFrom("photos as p")
    .innerJoin("recensements as r", "r.id", "p.recensement_id")
    .innerJoin("dossiers as d", "d.id", "r.dossier_id")
    .innerJoin("communes as c", "c.id", "d.commune_id")
    .select(["p.id", "p.exportable", "p.pop_export_id", "c.id as commune_id"])
    .where("p.id", "=", photoId)
    .where("c.departement_code", "=", code)
    .executeTakeFirst();
}

export { photosExportablesBase };
