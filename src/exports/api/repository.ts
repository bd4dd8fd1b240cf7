import { sql, type Kysely, type RawBuilder } from "kysely";
import type { DB, FicheId, PalissyPhoto } from "../../platform/db/schema.ts";
import { STATUT_GLOBAL_LABELS } from "../../dossier/rules.ts";
import type { StatutGlobal } from "../../dossier/rules.ts";
import { cursorTimestamp, syncKeyText, type CursorKey } from "./pagination.ts";
import type { CommuneOut, DepartementDetailOut, DepartementOut, DossierOut, EdificeOut, ObjetOut, RecensementOut } from "./schemas.ts";

/** What every list takes: one page after `after`, rows changed since `updatedSince`. */
export type PageRequest = { limit: number; after: CursorKey | null; updatedSince: Date | null };

type Db = Kysely<DB>;
type Row<T> = T & { sync_key: string };

const iso = (value: Date | string): string => new Date(value).toISOString();
const isoOrNull = (value: Date | string | null): string | null => (value === null ? null : iso(value));

/** `(key, id) > (cursor)`: the keyset condition, on any sync-key expression. */
function after(key: RawBuilder<unknown>, id: RawBuilder<unknown>, cursor: CursorKey): RawBuilder<boolean> {
  return sql<boolean>`(${key}, ${id}) > (${cursorTimestamp(cursor)}, ${cursor.id})`;
}

// ——— Départements ———

const departementColumns = [
  "d.code",
  "d.nom",
  "d.region",
  "d.concordataire",
  "d.bbox_north",
  "d.bbox_south",
  "d.bbox_east",
  "d.bbox_west",
  "d.updated_at",
] as const;

type DepartementRow = {
  code: string;
  nom: string;
  region: string;
  concordataire: boolean;
  bbox_north: number | null;
  bbox_south: number | null;
  bbox_east: number | null;
  bbox_west: number | null;
  updated_at: Date;
};

function departementOut(row: DepartementRow): DepartementOut {
  const { bbox_north: north, bbox_south: south, bbox_east: east, bbox_west: west } = row;
  return {
    code: row.code,
    nom: row.nom,
    region: row.region,
    concordataire: row.concordataire,
    bbox: north !== null && south !== null && east !== null && west !== null ? { north, south, east, west } : null,
    updated_at: iso(row.updated_at),
  };
}

export async function listDepartements(db: Db, page: PageRequest): Promise<Row<DepartementOut & { key: string }>[]> {
  let query = db
    .selectFrom("departements as d")
    .select(departementColumns)
    .select(syncKeyText(sql`d.updated_at`).as("sync_key"))
    .orderBy("d.updated_at")
    .orderBy("d.code")
    .limit(page.limit + 1);
  if (page.after) query = query.where(after(sql`d.updated_at`, sql`d.code`, page.after));
  if (page.updatedSince) query = query.where("d.updated_at", ">=", page.updatedSince);
  const rows = await query.execute();
  return rows.map((row) => ({ ...departementOut(row), key: row.code, sync_key: row.sync_key }));
}

export async function findDepartement(db: Db, code: string): Promise<DepartementDetailOut | undefined> {
  const row = await db
    .selectFrom("departements as d")
    .select(departementColumns)
    .select((eb) => [
      eb
        .selectFrom("communes")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("communes.departement_code", "=", "d.code")
        .as("communes_count"),
      eb
        .selectFrom("objets")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("objets.lieu_actuel_departement_code", "=", "d.code")
        .as("objets_count"),
    ])
    .where("d.code", "=", code)
    .executeTakeFirst();
  if (!row) return undefined;
  return { ...departementOut(row), communes_count: Number(row.communes_count ?? 0), objets_count: Number(row.objets_count ?? 0) };
}

// ——— Communes ———

const communeColumns = [
  "c.id",
  "c.code_insee",
  "c.nom",
  "c.departement_code",
  "c.objets_count",
  "c.latitude",
  "c.longitude",
  "c.updated_at",
] as const;

function communeOut(row: {
  code_insee: string;
  nom: string;
  departement_code: string;
  objets_count: number;
  latitude: number | null;
  longitude: number | null;
  updated_at: Date;
}): CommuneOut {
  return {
    code_insee: row.code_insee,
    nom: row.nom,
    departement_code: row.departement_code,
    objets_count: Number(row.objets_count),
    latitude: row.latitude,
    longitude: row.longitude,
    updated_at: iso(row.updated_at),
  };
}

export async function listCommunes(
  db: Db,
  filters: { departement?: string | undefined; q?: string | undefined },
  page: PageRequest,
): Promise<Row<CommuneOut & { key: number }>[]> {
  let query = db
    .selectFrom("communes as c")
    .select(communeColumns)
    .select(syncKeyText(sql`c.updated_at`).as("sync_key"))
    .orderBy("c.updated_at")
    .orderBy("c.id")
    .limit(page.limit + 1);
  if (filters.departement) query = query.where("c.departement_code", "=", filters.departement);
  if (filters.q) {
    // Words in order, whatever separates them: "sainte anne" finds Sainte-Anne-d’Auray.
    const words = filters.q.split(/[\s\-'’.,;]+/).filter((word) => word !== "");
    const pattern = `%${words.map((word) => word.replace(/[\\%_]/g, (c) => `\\${c}`)).join("%")}%`;
    query = query.where(sql<boolean>`search_normalize(c.nom) like search_normalize(${pattern})`);
  }
  if (page.after) query = query.where(after(sql`c.updated_at`, sql`c.id`, page.after));
  if (page.updatedSince) query = query.where("c.updated_at", ">=", page.updatedSince);
  const rows = await query.execute();
  return rows.map((row) => ({ ...communeOut(row), key: row.id, sync_key: row.sync_key }));
}

export async function findCommune(db: Db, codeInsee: string): Promise<CommuneOut | undefined> {
  const row = await db.selectFrom("communes as c").select(communeColumns).where("c.code_insee", "=", codeInsee).executeTakeFirst();
  return row ? communeOut(row) : undefined;
}

// ——— Édifices ———

export async function listEdifices(db: Db, filters: { commune?: string | undefined }, page: PageRequest): Promise<Row<EdificeOut>[]> {
  let query = db
    .selectFrom("edifices as e")
    .select(["e.id", "e.merimee_ref", "e.nom", "e.code_insee", "e.updated_at"])
    .select(syncKeyText(sql`e.updated_at`).as("sync_key"))
    .orderBy("e.updated_at")
    .orderBy("e.id")
    .limit(page.limit + 1);
  if (filters.commune) query = query.where("e.code_insee", "=", filters.commune);
  if (page.after) query = query.where(after(sql`e.updated_at`, sql`e.id`, page.after));
  if (page.updatedSince) query = query.where("e.updated_at", ">=", page.updatedSince);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    merimee_ref: row.merimee_ref,
    nom: row.nom,
    code_insee: row.code_insee,
    updated_at: iso(row.updated_at),
    sync_key: row.sync_key,
  }));
}

// ——— Objets ———

const objetColumns = [
  "o.id",
  "o.palissy_ref",
  "o.palissy_tico",
  "o.palissy_deno",
  "o.palissy_cate",
  "o.palissy_scle",
  "o.palissy_denq",
  "o.palissy_com",
  "o.palissy_insee",
  "o.palissy_dpt",
  "o.palissy_doss",
  "o.palissy_edif",
  "o.palissy_empl",
  "o.palissy_refa",
  "o.palissy_prot",
  "o.palissy_dpro",
  "o.palissy_stat",
  "o.palissy_depl",
  "o.palissy_web",
  "o.palissy_mosa",
  "o.palissy_photos",
  "o.lieu_actuel_code_insee",
  "o.lieu_actuel_departement_code",
  "o.lieu_actuel_edifice_nom",
  "o.lieu_actuel_edifice_ref",
  "o.edifice_id",
  "o.updated_at",
] as const;

type ObjetRow = Omit<ObjetOut, "lieu_actuel" | "photos_memoire" | "updated_at"> & {
  palissy_photos: PalissyPhoto[] | string;
  lieu_actuel_code_insee: string;
  lieu_actuel_departement_code: string;
  lieu_actuel_edifice_nom: string | null;
  lieu_actuel_edifice_ref: string | null;
  updated_at: Date;
};

function objetOut(row: ObjetRow): ObjetOut {
  const photos = (typeof row.palissy_photos === "string" ? JSON.parse(row.palissy_photos) : row.palissy_photos) as PalissyPhoto[];
  return {
    palissy_ref: row.palissy_ref,
    palissy_tico: row.palissy_tico,
    palissy_deno: row.palissy_deno,
    palissy_cate: row.palissy_cate,
    palissy_scle: row.palissy_scle,
    palissy_denq: row.palissy_denq,
    palissy_com: row.palissy_com,
    palissy_insee: row.palissy_insee,
    palissy_dpt: row.palissy_dpt,
    palissy_doss: row.palissy_doss,
    palissy_edif: row.palissy_edif,
    palissy_empl: row.palissy_empl,
    palissy_refa: row.palissy_refa,
    palissy_prot: row.palissy_prot,
    palissy_dpro: row.palissy_dpro,
    palissy_stat: row.palissy_stat,
    palissy_depl: row.palissy_depl,
    palissy_web: row.palissy_web,
    palissy_mosa: row.palissy_mosa,
    lieu_actuel: {
      code_insee: row.lieu_actuel_code_insee,
      departement_code: row.lieu_actuel_departement_code,
      edifice_nom: row.lieu_actuel_edifice_nom,
      edifice_ref: row.lieu_actuel_edifice_ref,
    },
    edifice_id: row.edifice_id,
    photos_memoire: (Array.isArray(photos) ? photos : []).map((photo) => ({
      url: photo.url,
      name: photo.name ?? null,
      credit: photo.credit ?? null,
      memoire_ref: photo.memoire_ref ?? null,
    })),
    updated_at: iso(row.updated_at),
  };
}

export async function listObjets(
  db: Db,
  filters: { departement?: string | undefined; commune?: string | undefined },
  page: PageRequest,
): Promise<Row<ObjetOut & { key: number }>[]> {
  let query = db
    .selectFrom("objets as o")
    .select(objetColumns)
    .select(syncKeyText(sql`o.updated_at`).as("sync_key"))
    .orderBy("o.updated_at")
    .orderBy("o.id")
    .limit(page.limit + 1);
  if (filters.departement) query = query.where("o.lieu_actuel_departement_code", "=", filters.departement);
  if (filters.commune) query = query.where("o.lieu_actuel_code_insee", "=", filters.commune);
  if (page.after) query = query.where(after(sql`o.updated_at`, sql`o.id`, page.after));
  if (page.updatedSince) query = query.where("o.updated_at", ">=", page.updatedSince);
  const rows = await query.execute();
  return rows.map((row) => ({ ...objetOut(row as ObjetRow), key: row.id, sync_key: row.sync_key }));
}

export async function findObjet(db: Db, palissyRef: string): Promise<ObjetOut | undefined> {
  const row = await db.selectFrom("objets as o").select(objetColumns).where("o.palissy_ref", "=", palissyRef).executeTakeFirst();
  return row ? objetOut(row) : undefined;
}

// ——— Recensements (token) ———

/** A recensement changes when it does or when its dossier does (the examen is sent with the dossier). */
const recensementSyncAt = sql`greatest(r.updated_at, d.updated_at)`;

export async function listRecensements(
  db: Db,
  filters: { departements: readonly string[]; commune?: string | undefined },
  page: PageRequest,
): Promise<Row<RecensementOut>[]> {
  if (filters.departements.length === 0) return [];
  let query = db
    .selectFrom("recensements as r")
    .innerJoin("dossiers as d", "d.id", "r.dossier_id")
    .innerJoin("communes as c", "c.id", "d.commune_id")
    .leftJoin("objets as o", "o.id", "r.objet_id")
    .select([
      "r.id",
      "r.dossier_id",
      "r.status",
      "r.localisation",
      "r.edifice_nom",
      "r.autre_commune_code_insee",
      "r.recensable",
      "r.etat_sanitaire",
      "r.securisation",
      "r.notes",
      "r.completed_at",
      "r.created_at",
      "r.analyse_etat_sanitaire",
      "r.analyse_securisation",
      "r.analyse_fiches",
      "r.analyse_notes",
      "r.analysed_at",
      "r.deleted_objet_snapshot",
      "o.palissy_ref",
      "c.code_insee",
      "c.departement_code",
      "d.status as dossier_status",
      "d.accepted_at",
    ])
    .select(sql<Date>`${recensementSyncAt}`.as("sync_at"))
    .select(syncKeyText(recensementSyncAt).as("sync_key"))
    .where("c.departement_code", "in", filters.departements)
    .orderBy(recensementSyncAt)
    .orderBy("r.id")
    .limit(page.limit + 1);
  if (filters.commune) query = query.where("c.code_insee", "=", filters.commune);
  if (page.after) query = query.where(after(recensementSyncAt, sql`r.id`, page.after));
  if (page.updatedSince) query = query.where(sql<boolean>`${recensementSyncAt} >= ${page.updatedSince}`);
  const rows = await query.execute();

  const ids = rows.map((row) => row.id);
  const photos =
    ids.length === 0
      ? []
      : await db
          .selectFrom("photos")
          .select(["id", "recensement_id", "width", "height", "position", "sha256"])
          .where("recensement_id", "in", ids)
          .orderBy("recensement_id")
          .orderBy("position")
          .orderBy("id")
          .execute();
  const photosOf = new Map<number, RecensementOut["photos"]>();
  for (const photo of photos) {
    const list = photosOf.get(photo.recensement_id) ?? [];
    list.push({
      id: photo.id,
      url: apiPhotoUrl(photo.id, "affichage", photo.sha256),
      vignette_url: apiPhotoUrl(photo.id, "vignette", photo.sha256),
      original_url: apiPhotoUrl(photo.id, "original", photo.sha256),
      width: photo.width,
      height: photo.height,
      position: photo.position,
    });
    photosOf.set(photo.recensement_id, list);
  }

  return rows.map((row) => {
    const snapshot = (
      typeof row.deleted_objet_snapshot === "string" ? JSON.parse(row.deleted_objet_snapshot) : row.deleted_objet_snapshot
    ) as Record<string, unknown> | null;
    const snapshotRef = snapshot && typeof snapshot.palissy_ref === "string" ? snapshot.palissy_ref : null;
    const examenEnvoye = row.accepted_at !== null && (row.dossier_status === "accepted" || row.dossier_status === "archived");
    return {
      id: row.id,
      dossier_id: row.dossier_id,
      palissy_ref: row.palissy_ref ?? snapshotRef,
      commune_code_insee: row.code_insee,
      departement_code: row.departement_code,
      status: row.status,
      localisation: row.localisation,
      edifice_nom: row.edifice_nom,
      autre_commune_code_insee: row.autre_commune_code_insee,
      recensable: row.recensable,
      etat_sanitaire: row.etat_sanitaire,
      securisation: row.securisation,
      notes: row.notes,
      photos: photosOf.get(row.id) ?? [],
      completed_at: isoOrNull(row.completed_at),
      created_at: iso(row.created_at),
      updated_at: iso(row.sync_at),
      examen:
        examenEnvoye && row.accepted_at
          ? {
              etat_sanitaire: row.analyse_etat_sanitaire,
              securisation: row.analyse_securisation,
              fiches: (row.analyse_fiches ?? []) as FicheId[],
              commentaire: row.analyse_notes,
              analysed_at: isoOrNull(row.analysed_at),
              envoye_at: iso(row.accepted_at),
            }
          : null,
      sync_key: row.sync_key,
    };
  });
}

export function apiPhotoUrl(id: number, variant: "vignette" | "affichage" | "original", sha256: string): string {
  return `/api/v1/photos/${id}?variant=${variant}&v=${sha256.slice(0, 12)}`;
}

// ——— Dossiers (token) ———

export async function listDossiers(
  db: Db,
  filters: { departements: readonly string[]; status?: DossierOut["status"] | undefined },
  page: PageRequest,
): Promise<Row<DossierOut>[]> {
  if (filters.departements.length === 0) return [];
  let query = db
    .selectFrom("dossiers as d")
    .innerJoin("communes as c", "c.id", "d.commune_id")
    .select([
      "d.id",
      "d.status",
      "d.created_at",
      "d.submitted_at",
      "d.accepted_at",
      "d.archived_at",
      "d.visit",
      "d.notes_conservateur",
      "d.updated_at",
      "c.code_insee",
      "c.nom",
      "c.departement_code",
      "c.statut_global",
    ])
    .select(syncKeyText(sql`d.updated_at`).as("sync_key"))
    .where("c.departement_code", "in", filters.departements)
    .orderBy("d.updated_at")
    .orderBy("d.id")
    .limit(page.limit + 1);
  if (filters.status) query = query.where("d.status", "=", filters.status);
  if (page.after) query = query.where(after(sql`d.updated_at`, sql`d.id`, page.after));
  if (page.updatedSince) query = query.where("d.updated_at", ">=", page.updatedSince);
  const rows = await query.execute();
  return rows.map((row) => {
    const statut = Math.min(5, Math.max(0, Number(row.statut_global))) as StatutGlobal;
    return {
      id: row.id,
      commune_code_insee: row.code_insee,
      commune_nom: row.nom,
      departement_code: row.departement_code,
      status: row.status,
      created_at: iso(row.created_at),
      submitted_at: isoOrNull(row.submitted_at),
      accepted_at: isoOrNull(row.accepted_at),
      archived_at: isoOrNull(row.archived_at),
      statut_global: statut,
      statut_global_libelle: STATUT_GLOBAL_LABELS[statut],
      visite: row.visit,
      examen_commentaire:
        row.accepted_at !== null && row.status !== "construction" && row.status !== "submitted" ? row.notes_conservateur : null,
      updated_at: iso(row.updated_at),
      sync_key: row.sync_key,
    };
  });
}

// ——— Photos (token) ———

export async function findApiPhoto(db: Db, photoId: number) {
  return db
    .selectFrom("photos as p")
    .innerJoin("recensements as r", "r.id", "p.recensement_id")
    .innerJoin("dossiers as d", "d.id", "r.dossier_id")
    .innerJoin("communes as c", "c.id", "d.commune_id")
    .select(["p.id", "p.storage_key", "p.content_type", "p.sha256", "c.departement_code"])
    .where("p.id", "=", photoId)
    .executeTakeFirst();
}
