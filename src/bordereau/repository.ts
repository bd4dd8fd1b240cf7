import { sql, type Kysely, type Transaction } from "kysely";
import { RECENSEMENT_ACTIFS, type BordereauState, type DB } from "../platform/db/schema.ts";
import { edificeDisplayName, objetTitle, protection } from "../patrimoine/rules.ts";
import { photoUrl } from "../recensement/photos-repository.ts";
import { estProtege, ligneRetenue, type LigneBordereau, type RecensementBordereau } from "./rules.ts";

/**
 * Reads and writes of the bordereaux de récolement. A commune's tab issues a fixed number of statements
 * (4) whatever the number of objets; the generation of one bordereau as many.
 */

/** `:edifice_id` of the URLs: the édifice's id, or 0 for the objets whose édifice is unknown. */
export type EdificeCle = number | null;

export function edificeCleDuParametre(value: string): EdificeCle | undefined {
  if (!/^\d{1,9}$/.test(value)) return undefined;
  const id = Number(value);
  return id === 0 ? null : id;
}

export function parametreEdifice(cle: EdificeCle): string {
  return String(cle ?? 0);
}

export type BordereauEnregistre = {
  id: number;
  state: BordereauState;
  storage_key: string | null;
  byte_size: number | null;
  generated_at: Date | null;
  requested_at: Date | null;
  error: string | null;
};

export type PhotoLigne = { id: number; storage_key: string; vignetteUrl: string };

export type LigneEdifice = {
  recensement_id: number;
  palissy_ref: string;
  titre: string;
  categorie: string | null;
  epoque: string | null;
  date_protection: string | null;
  photo: PhotoLigne | null;
  /** Address of the objet's first Mémoire photo, printed when the recensement has no photo. */
  photoMemoire: string | null;
  /** The line to show or print: the saved one, else the defaults of RB §5.12. */
  ligne: LigneBordereau;
  enregistree: boolean;
};

export type EdificeBordereau = {
  cle: EdificeCle;
  nom: string;
  bordereau: BordereauEnregistre | null;
  lignes: LigneEdifice[];
};

const BORDEREAU_COLUMNS = ["id", "state", "storage_key", "byte_size", "generated_at", "requested_at", "error"] as const;

/**
 * The édifices of a dossier holding protected (classé/inscrit) objets with an active recensement, sorted by
 * name, each with its bordereau and its lines (sorted by Palissy emplacement then title). `seulement`
 * restricts to one édifice.
 */
export async function listEdificesBordereaux(
  db: Kysely<DB>,
  dossierId: number,
  communeNom: string,
  seulement?: { cle: EdificeCle },
): Promise<EdificeBordereau[]> {
  let query = db
    .selectFrom("recensements as r")
    .innerJoin("objets as o", "o.id", "r.objet_id")
    .leftJoin("edifices as e", "e.id", "o.edifice_id")
    .select([
      "r.id as recensement_id",
      "r.localisation",
      "r.recensable",
      "r.edifice_nom",
      "r.etat_sanitaire",
      "r.analyse_etat_sanitaire",
      "r.securisation",
      "r.analyse_securisation",
      "r.notes",
      "r.analyse_notes",
      "o.palissy_ref",
      "o.palissy_tico",
      "o.palissy_deno",
      "o.palissy_cate",
      "o.palissy_scle",
      "o.palissy_prot",
      "o.palissy_dpro",
      "o.palissy_empl",
      sql<string | null>`o.palissy_photos::jsonb -> 0 ->> 'url'`.as("photo_memoire"),
      "o.lieu_actuel_edifice_nom",
      "o.edifice_id",
      "e.nom as edifice_nom_officiel",
    ])
    .where("r.dossier_id", "=", dossierId)
    .where("r.status", "in", [...RECENSEMENT_ACTIFS]);
  if (seulement) {
    const cle = seulement.cle;
    query = cle === null ? query.where("o.edifice_id", "is", null) : query.where("o.edifice_id", "=", cle);
  }
  const rows = (await query.execute()).filter((row) => estProtege(row));
  if (rows.length === 0) return [];

  const recensementIds = rows.map((row) => row.recensement_id);
  const [bordereaux, enregistrees, photos] = await Promise.all([
    db
      .selectFrom("bordereaux")
      .select([...BORDEREAU_COLUMNS, "edifice_id"])
      .where("dossier_id", "=", dossierId)
      .execute(),
    db
      .selectFrom("bordereau_recensements as br")
      .innerJoin("bordereaux as b", "b.id", "br.bordereau_id")
      .select([
        "br.recensement_id",
        "b.edifice_id",
        "br.etat_sanitaire",
        "br.notes_commune",
        "br.notes_conservateur",
        "br.notes_proprietaire",
        "br.notes_affectataire",
      ])
      .where("b.dossier_id", "=", dossierId)
      .execute(),
    premieresPhotos(db, recensementIds),
  ]);

  const bordereauParCle = new Map<EdificeCle, BordereauEnregistre>();
  for (const { edifice_id, ...b } of bordereaux) bordereauParCle.set(edifice_id, b);
  // A line counts for the bordereau of the objet's current édifice only.
  const ligneParRecensement = new Map<string, LigneBordereau>();
  for (const { recensement_id, edifice_id, etat_sanitaire, ...notes } of enregistrees) {
    ligneParRecensement.set(`${edifice_id ?? 0}:${recensement_id}`, { etat_sanitaire: etat_sanitaire, ...notes });
  }

  const groupes = new Map<EdificeCle, EdificeBordereau & { tri: { empl: string; titre: string }[] }>();
  for (const row of rows) {
    const cle = row.edifice_id;
    let groupe = groupes.get(cle);
    if (!groupe) {
      groupe = {
        cle,
        nom: edificeDisplayName(row.edifice_nom_officiel ?? row.lieu_actuel_edifice_nom, communeNom),
        bordereau: bordereauParCle.get(cle) ?? null,
        lignes: [],
        tri: [],
      };
      groupes.set(cle, groupe);
    }
    const recensement: RecensementBordereau = {
      localisation: row.localisation,
      recensable: row.recensable,
      edifice_nom: row.edifice_nom,
      etat_sanitaire: row.etat_sanitaire,
      analyse_etat_sanitaire: row.analyse_etat_sanitaire,
      securisation: row.securisation,
      analyse_securisation: row.analyse_securisation,
      notes: row.notes,
      analyse_notes: row.analyse_notes,
    };
    const enregistree = ligneParRecensement.get(`${cle ?? 0}:${row.recensement_id}`);
    const titre = objetTitle(row);
    groupe.lignes.push({
      recensement_id: row.recensement_id,
      palissy_ref: row.palissy_ref,
      titre,
      categorie: row.palissy_cate,
      epoque: row.palissy_scle,
      date_protection: protection(row)?.date ?? null,
      photo: photos.get(row.recensement_id) ?? null,
      photoMemoire: row.photo_memoire,
      ligne: ligneRetenue(recensement, enregistree),
      enregistree: enregistree !== undefined,
    });
    groupe.tri.push({ empl: row.palissy_empl ?? "", titre });
  }

  const collator = new Intl.Collator("fr", { sensitivity: "base", numeric: true });
  return [...groupes.values()]
    .map(({ tri, ...groupe }) => {
      const ordre = groupe.lignes.map((ligne, i) => ({ ligne, cle: tri[i] ?? { empl: "", titre: "" } }));
      ordre.sort((a, b) => collator.compare(a.cle.empl, b.cle.empl) || collator.compare(a.cle.titre, b.cle.titre));
      return { ...groupe, lignes: ordre.map((o) => o.ligne) };
    })
    .sort((a, b) => collator.compare(a.nom, b.nom));
}

/** The first photo (by position) of each recensement, in one statement. */
async function premieresPhotos(db: Kysely<DB>, recensementIds: readonly number[]): Promise<Map<number, PhotoLigne>> {
  const map = new Map<number, PhotoLigne>();
  if (recensementIds.length === 0) return map;
  const rows = await db
    .selectFrom("photos")
    .select(["id", "recensement_id", "storage_key", "sha256"])
    .distinctOn("recensement_id")
    .where("recensement_id", "in", [...new Set(recensementIds)])
    .orderBy("recensement_id")
    .orderBy("position")
    .orderBy("id")
    .execute();
  for (const row of rows) {
    map.set(row.recensement_id, { id: row.id, storage_key: row.storage_key, vignetteUrl: photoUrl(row.id, "vignette", row.sha256) });
  }
  return map;
}

/** Where a bordereau is printed: commune, département, région, and the édifice of the row. */
export type ContexteBordereau = {
  bordereau: BordereauEnregistre & { dossier_id: number; edifice_id: number | null };
  dossier_status: string;
  commune: { id: number; nom: string; code_insee: string };
  departement: { code: string; nom: string; region: string };
};

export async function findContexteBordereau(db: Kysely<DB>, bordereauId: number): Promise<ContexteBordereau | undefined> {
  const row = await db
    .selectFrom("bordereaux as b")
    .innerJoin("dossiers as d", "d.id", "b.dossier_id")
    .innerJoin("communes as c", "c.id", "d.commune_id")
    .innerJoin("departements as dep", "dep.code", "c.departement_code")
    .select([
      "b.id",
      "b.state",
      "b.storage_key",
      "b.byte_size",
      "b.generated_at",
      "b.requested_at",
      "b.error",
      "b.dossier_id",
      "b.edifice_id",
      "d.status as dossier_status",
      "c.id as commune_id",
      "c.nom as commune_nom",
      "c.code_insee",
      "dep.code as departement_code",
      "dep.nom as departement_nom",
      "dep.region",
    ])
    .where("b.id", "=", bordereauId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    bordereau: {
      id: row.id,
      state: row.state,
      storage_key: row.storage_key,
      byte_size: row.byte_size,
      generated_at: row.generated_at,
      requested_at: row.requested_at,
      error: row.error,
      dossier_id: row.dossier_id,
      edifice_id: row.edifice_id,
    },
    dossier_status: row.dossier_status,
    commune: { id: row.commune_id, nom: row.commune_nom, code_insee: row.code_insee },
    departement: { code: row.departement_code, nom: row.departement_nom, region: row.region },
  };
}

/** The bordereau row of an édifice of a dossier, created (state "à générer") when missing. Locks it. */
export async function bordereauDeLEdifice(
  trx: Transaction<DB>,
  dossierId: number,
  cle: EdificeCle,
  edificeNom: string,
): Promise<BordereauEnregistre> {
  await trx
    .insertInto("bordereaux")
    .values({ dossier_id: dossierId, edifice_id: cle, edifice_nom: edificeNom })
    .onConflict((oc) => oc.expression(sql`dossier_id, coalesce(edifice_id, 0)`).doNothing())
    .execute();
  let query = trx.selectFrom("bordereaux").select(BORDEREAU_COLUMNS).where("dossier_id", "=", dossierId);
  query = cle === null ? query.where("edifice_id", "is", null) : query.where("edifice_id", "=", cle);
  return query.forUpdate().executeTakeFirstOrThrow();
}

/**
 * Replaces the saved lines of a bordereau and marks it "en cours de génération" (the job or the download
 * then writes the PDF). In the caller's transaction.
 */
export async function enregistrerLignes(
  trx: Transaction<DB>,
  bordereauId: number,
  edificeNom: string,
  lignes: ReadonlyMap<number, LigneBordereau>,
): Promise<void> {
  await trx.deleteFrom("bordereau_recensements").where("bordereau_id", "=", bordereauId).execute();
  if (lignes.size > 0) {
    await trx
      .insertInto("bordereau_recensements")
      .values([...lignes].map(([recensement_id, ligne]) => ({ bordereau_id: bordereauId, recensement_id, ...ligne })))
      .execute();
  }
  await trx
    .updateTable("bordereaux")
    .set({ state: "en_cours", requested_at: sql`now()`, error: null, edifice_nom: edificeNom, updated_at: sql`now()` })
    .where("id", "=", bordereauId)
    .execute();
}

export async function marquerGenere(db: Kysely<DB>, bordereauId: number, storageKey: string, byteSize: number): Promise<void> {
  await db
    .updateTable("bordereaux")
    .set({ state: "genere", storage_key: storageKey, byte_size: byteSize, generated_at: sql`now()`, error: null, updated_at: sql`now()` })
    .where("id", "=", bordereauId)
    .execute();
}

export async function marquerEchec(db: Kysely<DB>, bordereauId: number, message: string): Promise<void> {
  await db
    .updateTable("bordereaux")
    .set({ state: "echec", error: message.slice(0, 1000), updated_at: sql`now()` })
    .where("id", "=", bordereauId)
    .execute();
}

/** Bordereaux asked for but never generated (the job was lost), oldest first. */
export async function listBordereauxEnAttente(db: Kysely<DB>, olderThanSeconds: number, limit = 20): Promise<number[]> {
  const rows = await db
    .selectFrom("bordereaux")
    .select("id")
    .where("state", "=", "en_cours")
    .where("requested_at", "<", sql<Date>`now() - make_interval(secs => ${olderThanSeconds})`)
    .orderBy("requested_at")
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/** Storage keys of the bordereaux of a commune's dossiers, for a caller removing the commune's data. */
export async function clesBordereauxCommune(db: Kysely<DB>, communeId: number): Promise<string[]> {
  const rows = await db
    .selectFrom("bordereaux as b")
    .innerJoin("dossiers as d", "d.id", "b.dossier_id")
    .select("b.storage_key")
    .where("d.commune_id", "=", communeId)
    .where("b.storage_key", "is not", null)
    .execute();
  return rows.flatMap((row) => (row.storage_key ? [row.storage_key] : []));
}
