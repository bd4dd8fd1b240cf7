import { leverAlertes } from "../alertes/repository.ts";
import type { Kysely, Transaction } from "kysely";
import { refreshCommunesStatut } from "../dossier/repository.ts";
import { audit, type AuditActor } from "../platform/audit.ts";
import {
  RECENSEMENT_ACTIFS,
  type DB,
  type DossierStatus,
  type EtatSanitaire,
  type Localisation,
  type PalissyPhoto,
  type RecensementStatus,
  type Securisation,
} from "../platform/db/schema.ts";
import { ConflictError, NotFoundError } from "../platform/http/errors.ts";
import { edificeDisplayName, objetTitle } from "../patrimoine/rules.ts";
import { MAX_PHOTOS_PAR_RECENSEMENT, PhotoRefuseeError, type NouvellePhoto } from "../recensement/photos-repository.ts";
import {
  changementsExamen,
  situationDuRecensement,
  validerSaisieExamen,
  type ErreurExamen,
  type RecensementAOrdonner,
  type SaisieExamen,
} from "./analyse.ts";
import { estExaminable } from "./rules.ts";

export const MESSAGES_EXAMEN_ETAT = {
  nonExaminable: "L’examen ne peut se faire que pour les communes ayant terminé et confirmé leur recensement.",
  dejaEnvoye: "L’examen de ce dossier a déjà été envoyé à la commune. Rouvrez le dossier pour modifier l’examen.",
  photosDejaEnvoye: "L’examen de ce dossier a déjà été envoyé à la commune. Rouvrez le dossier pour modifier les photos.",
  introuvable: "Ce recensement n’existe pas.",
  photoIntrouvable: "Cette photo n’existe pas ou a déjà été supprimée.",
  photoModifiee: "Cette photo vient d’être modifiée par ailleurs : rechargez la page puis recommencez.",
  photosNonPermises: "Des photos ne peuvent être ajoutées qu’à un objet trouvé et recensé par la commune.",
  tropDePhotos: (deja: number) =>
    deja >= MAX_PHOTOS_PAR_RECENSEMENT
      ? `Ce recensement compte déjà ${MAX_PHOTOS_PAR_RECENSEMENT} photos, le maximum : supprimez-en une avant d’en ajouter une autre.`
      : `Ce recensement compte déjà ${deja} photo${deja > 1 ? "s" : ""} : vous pouvez en ajouter ${MAX_PHOTOS_PAR_RECENSEMENT - deja} au plus.`,
} as const;

/** One recensement as the examen page shows it, with its objet, its commune and its dossier. */
export type RecensementExamen = {
  id: number;
  version: number;
  status: RecensementStatus;
  localisation: Localisation | null;
  edifice_nom: string | null;
  autre_commune_code_insee: string | null;
  autre_commune_nom: string | null;
  recensable: boolean | null;
  etat_sanitaire: EtatSanitaire | null;
  securisation: Securisation | null;
  notes: string | null;
  photos_count: number;
  analyse_etat_sanitaire: EtatSanitaire | null;
  analyse_securisation: Securisation | null;
  analyse_fiches: string[];
  analyse_notes: string | null;
  analysed_at: Date | null;
  dossier_id: number;
  dossier_status: DossierStatus;
  commune_id: number;
  code_insee: string;
  commune_nom: string;
  departement_code: string;
  departement_nom: string;
  objet_id: number;
  palissy_ref: string;
  palissy_tico: string | null;
  palissy_deno: string | null;
  palissy_cate: string | null;
  palissy_scle: string | null;
  palissy_empl: string | null;
  /** Name of the objet's édifice row, else its Palissy current building name. */
  edifice_initial_nom: string | null;
  palissy_photo: PalissyPhoto | null;
};

/** The recensement with everything its examen page shows, in one query. */
export async function findRecensementExamen(db: Kysely<DB>, recensementId: number): Promise<RecensementExamen | undefined> {
  const row = await db
    .selectFrom("recensements as r")
    .innerJoin("dossiers as d", "d.id", "r.dossier_id")
    .innerJoin("communes as c", "c.id", "d.commune_id")
    .innerJoin("departements as dep", "dep.code", "c.departement_code")
    .innerJoin("objets as o", "o.id", "r.objet_id")
    .leftJoin("edifices as e", "e.id", "o.edifice_id")
    .leftJoin("communes as ac", "ac.code_insee", "r.autre_commune_code_insee")
    .select((eb) => [
      "r.id",
      "r.version",
      "r.status",
      "r.localisation",
      "r.edifice_nom",
      "r.autre_commune_code_insee",
      "ac.nom as autre_commune_nom",
      "r.recensable",
      "r.etat_sanitaire",
      "r.securisation",
      "r.notes",
      "r.photos_count",
      "r.analyse_etat_sanitaire",
      "r.analyse_securisation",
      "r.analyse_fiches",
      "r.analyse_notes",
      "r.analysed_at",
      "d.id as dossier_id",
      "d.status as dossier_status",
      "c.id as commune_id",
      "c.code_insee",
      "c.nom as commune_nom",
      "c.departement_code",
      "dep.nom as departement_nom",
      "o.id as objet_id",
      "o.palissy_ref",
      "o.palissy_tico",
      "o.palissy_deno",
      "o.palissy_cate",
      "o.palissy_scle",
      "o.palissy_empl",
      eb.fn.coalesce("e.nom", "o.lieu_actuel_edifice_nom").as("edifice_initial_nom"),
      eb.ref("o.palissy_photos", "->").at(0).$castTo<PalissyPhoto | null>().as("palissy_photo"),
    ])
    .where("r.id", "=", recensementId)
    .executeTakeFirst();
  if (!row) return undefined;
  return { ...row, analyse_fiches: row.analyse_fiches ?? [] };
}

/**
 * The active recensements of a dossier with what orders the examen (one query): the commune page
 * groups objets by édifice, named as edificeDisplayName shows it.
 */
export async function listRecensementsAOrdonner(db: Kysely<DB>, dossierId: number, communeNom: string): Promise<RecensementAOrdonner[]> {
  const rows = await db
    .selectFrom("recensements as r")
    .innerJoin("objets as o", "o.id", "r.objet_id")
    .leftJoin("edifices as e", "e.id", "o.edifice_id")
    .select((eb) => [
      "r.id",
      "r.status",
      "r.localisation",
      "r.etat_sanitaire",
      "r.analyse_etat_sanitaire",
      "r.analysed_at",
      "o.palissy_ref",
      "o.palissy_tico",
      "o.palissy_deno",
      "o.palissy_cate",
      "o.palissy_scle",
      eb.fn.coalesce("e.nom", "o.lieu_actuel_edifice_nom").as("edifice_nom"),
    ])
    .where("r.dossier_id", "=", dossierId)
    .where("r.status", "in", RECENSEMENT_ACTIFS)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    status: row.status,
    localisation: row.localisation,
    etat_sanitaire: row.etat_sanitaire,
    analyse_etat_sanitaire: row.analyse_etat_sanitaire,
    analysed_at: row.analysed_at,
    edifice: edificeDisplayName(row.edifice_nom, communeNom),
    titre: objetTitle(row),
  }));
}

type Verrouille = {
  id: number;
  version: number;
  status: RecensementStatus;
  localisation: Localisation | null;
  recensable: boolean | null;
  etat_sanitaire: EtatSanitaire | null;
  securisation: Securisation | null;
  analyse_etat_sanitaire: EtatSanitaire | null;
  analyse_securisation: Securisation | null;
  analyse_fiches: string[] | null;
  analyse_notes: string | null;
  analysed_at: Date | null;
  dossier_status: DossierStatus;
  commune_id: number;
};

/**
 * Locks the recensement (and holds the dossier row, so that sending the examen waits for this change)
 * and checks the examen may still change: the dossier is sent and not yet examined.
 */
async function verrouillerPourExamen(trx: Transaction<DB>, recensementId: number, dejaEnvoye: string): Promise<Verrouille> {
  const row = await trx
    .selectFrom("recensements as r")
    .innerJoin("dossiers as d", "d.id", "r.dossier_id")
    .select([
      "r.id",
      "r.version",
      "r.status",
      "r.localisation",
      "r.recensable",
      "r.etat_sanitaire",
      "r.securisation",
      "r.analyse_etat_sanitaire",
      "r.analyse_securisation",
      "r.analyse_fiches",
      "r.analyse_notes",
      "r.analysed_at",
      "d.status as dossier_status",
      "d.commune_id",
    ])
    .where("r.id", "=", recensementId)
    .forUpdate("r")
    .forShare("d")
    .executeTakeFirst();
  if (!row) throw new NotFoundError(MESSAGES_EXAMEN_ETAT.introuvable);
  if (row.dossier_status === "accepted") throw new ConflictError(dejaEnvoye);
  if (row.dossier_status !== "submitted" || !estExaminable(row.dossier_status, row)) {
    throw new ConflictError(MESSAGES_EXAMEN_ETAT.nonExaminable);
  }
  return row;
}

export type ResultatSauvegarde =
  | { ok: true; communeId: number }
  | { ok: false; erreurs: ErreurExamen[] }
  /** The recensement changed since the page was loaded (another conservateur's save). */
  | { ok: false; conflit: true; version: number };

/**
 * Saves the examen of one recensement in one transaction (RB §5.7): the form is checked against the
 * locked row, the overrides, fiches and comment are written with the examen date and the conservateur,
 * the commune's statut global and péril counters follow, and the change is audited.
 */
export async function sauvegarderExamen(
  db: Kysely<DB>,
  input: { recensementId: number; version: number; saisie: SaisieExamen; actor: AuditActor; conservateurId: number; ip: string | null },
): Promise<ResultatSauvegarde> {
  return db.transaction().execute(async (trx): Promise<ResultatSauvegarde> => {
    const row = await verrouillerPourExamen(trx, input.recensementId, MESSAGES_EXAMEN_ETAT.dejaEnvoye);
    if (row.version !== input.version) return { ok: false, conflit: true, version: row.version };
    const resultat = validerSaisieExamen(input.saisie, row);
    if (!resultat.ok) return resultat;
    const valeurs = resultat.valeurs;
    const now = new Date();
    await trx
      .updateTable("recensements")
      .set((eb) => ({
        ...valeurs,
        analysed_at: now,
        conservateur_id: input.conservateurId,
        version: eb("version", "+", 1),
        updated_at: now,
      }))
      .where("id", "=", row.id)
      .execute();
    await refreshCommunesStatut(trx, [row.commune_id]);
    await leverAlertes(trx, row.id, "conservateur");
    const { before, after } = changementsExamen({ ...row, analyse_fiches: row.analyse_fiches ?? [] }, valeurs);
    if (!row.analysed_at) {
      before.analysed_at = null;
      after.analysed_at = now.toISOString();
    }
    await audit(trx, {
      actor: input.actor,
      action: "examen.recensement_sauvegarde",
      subject: { type: "recensement", id: row.id },
      communeId: row.commune_id,
      before,
      after,
      ip: input.ip,
    });
    return { ok: true, communeId: row.commune_id };
  });
}

// ——— Photos of the recensement, changed by the conservateur (RB §5.8) ———

/** A photo with its recensement, commune and objet: what the photo actions need. */
export type PhotoExamen = {
  id: number;
  storage_key: string;
  width: number;
  height: number;
  sha256: string;
  recensement_id: number;
  dossier_status: DossierStatus;
  code_insee: string;
  commune_nom: string;
  departement_code: string;
  departement_nom: string;
  palissy_ref: string;
  palissy_tico: string | null;
  palissy_deno: string | null;
  palissy_cate: string | null;
  palissy_scle: string | null;
};

export async function findPhotoExamen(db: Kysely<DB>, photoId: number): Promise<PhotoExamen | undefined> {
  return db
    .selectFrom("photos as p")
    .innerJoin("recensements as r", "r.id", "p.recensement_id")
    .innerJoin("dossiers as d", "d.id", "r.dossier_id")
    .innerJoin("communes as c", "c.id", "d.commune_id")
    .innerJoin("departements as dep", "dep.code", "c.departement_code")
    .innerJoin("objets as o", "o.id", "r.objet_id")
    .select([
      "p.id",
      "p.storage_key",
      "p.width",
      "p.height",
      "p.sha256",
      "r.id as recensement_id",
      "d.status as dossier_status",
      "c.code_insee",
      "c.nom as commune_nom",
      "c.departement_code",
      "dep.nom as departement_nom",
      "o.palissy_ref",
      "o.palissy_tico",
      "o.palissy_deno",
      "o.palissy_cate",
      "o.palissy_scle",
    ])
    .where("p.id", "=", photoId)
    .executeTakeFirst();
}

/** The rotated files, already in the store under a new key. */
export type PhotoPivotee = { storageKey: string; width: number; height: number; sha256: string; byteSize: number };

/**
 * Points the photo at its rotated files. `ancienneCle` is the key the rotation started from: when
 * another action changed the photo meanwhile, nothing is written (409) and the caller removes its files.
 * Returns the old key, whose files the caller deletes once committed.
 */
export async function remplacerPhotoPivotee(
  db: Kysely<DB>,
  input: { photoId: number; ancienneCle: string; pivotee: PhotoPivotee; sens: "gauche" | "droite"; actor: AuditActor; ip: string | null },
): Promise<{ recensementId: number }> {
  return db.transaction().execute(async (trx) => {
    const photo = await trx.selectFrom("photos").select(["recensement_id"]).where("id", "=", input.photoId).executeTakeFirst();
    if (!photo) throw new NotFoundError(MESSAGES_EXAMEN_ETAT.photoIntrouvable);
    const recensement = await verrouillerPourExamen(trx, photo.recensement_id, MESSAGES_EXAMEN_ETAT.photosDejaEnvoye);
    const { pivotee } = input;
    const avant = await trx
      .updateTable("photos")
      .set({
        storage_key: pivotee.storageKey,
        width: pivotee.width,
        height: pivotee.height,
        sha256: pivotee.sha256,
        byte_size: pivotee.byteSize,
      })
      .where("id", "=", input.photoId)
      .where("storage_key", "=", input.ancienneCle)
      .returning("id")
      .executeTakeFirst();
    if (!avant) throw new ConflictError(MESSAGES_EXAMEN_ETAT.photoModifiee);
    await trx.updateTable("recensements").set({ updated_at: new Date() }).where("id", "=", recensement.id).execute();
    await audit(trx, {
      actor: input.actor,
      action: "examen.photo_pivotee",
      subject: { type: "photo", id: input.photoId },
      communeId: recensement.commune_id,
      after: { recensement_id: recensement.id, sens: input.sens, width: pivotee.width, height: pivotee.height, sha256: pivotee.sha256 },
      ip: input.ip,
    });
    return { recensementId: recensement.id };
  });
}

async function compterPhotos(trx: Transaction<DB>, recensementId: number): Promise<{ count: number; lastPosition: number }> {
  const row = await trx
    .selectFrom("photos")
    .select((eb) => [eb.fn.countAll<string>().as("count"), eb.fn.max("position").as("last_position")])
    .where("recensement_id", "=", recensementId)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), lastPosition: row.last_position ?? 0 };
}

/** Deletes one photo of a recensement under examen; returns the key whose files the caller removes once committed. */
export async function supprimerPhotoExamen(
  db: Kysely<DB>,
  input: { photoId: number; actor: AuditActor; ip: string | null },
): Promise<{ storageKey: string; recensementId: number }> {
  return db.transaction().execute(async (trx) => {
    const photo = await trx.selectFrom("photos").select(["recensement_id"]).where("id", "=", input.photoId).executeTakeFirst();
    if (!photo) throw new NotFoundError(MESSAGES_EXAMEN_ETAT.photoIntrouvable);
    const recensement = await verrouillerPourExamen(trx, photo.recensement_id, MESSAGES_EXAMEN_ETAT.photosDejaEnvoye);
    const deleted = await trx
      .deleteFrom("photos")
      .where("id", "=", input.photoId)
      .where("recensement_id", "=", recensement.id)
      .returning(["storage_key", "sha256", "position", "uploaded_by"])
      .executeTakeFirst();
    if (!deleted) throw new NotFoundError(MESSAGES_EXAMEN_ETAT.photoIntrouvable);
    const { count } = await compterPhotos(trx, recensement.id);
    await trx.updateTable("recensements").set({ photos_count: count, updated_at: new Date() }).where("id", "=", recensement.id).execute();
    await audit(trx, {
      actor: input.actor,
      action: "examen.photo_supprimee",
      subject: { type: "photo", id: input.photoId },
      communeId: recensement.commune_id,
      before: { recensement_id: recensement.id, sha256: deleted.sha256, position: deleted.position, uploaded_by: deleted.uploaded_by },
      ip: input.ip,
    });
    return { storageKey: deleted.storage_key, recensementId: recensement.id };
  });
}

/**
 * Attaches photos the conservateur uploaded (uploaded_by = conservateur) to a recensement under
 * examen, within the maximum per recensement; the recensement's answers are not touched.
 */
export async function ajouterPhotosExamen(
  db: Kysely<DB>,
  input: { recensementId: number; photos: readonly NouvellePhoto[]; actor: AuditActor; ip: string | null },
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const recensement = await verrouillerPourExamen(trx, input.recensementId, MESSAGES_EXAMEN_ETAT.photosDejaEnvoye);
    if (situationDuRecensement(recensement) !== "recensable") throw new PhotoRefuseeError(MESSAGES_EXAMEN_ETAT.photosNonPermises);
    const { count, lastPosition } = await compterPhotos(trx, recensement.id);
    if (count + input.photos.length > MAX_PHOTOS_PAR_RECENSEMENT) throw new PhotoRefuseeError(MESSAGES_EXAMEN_ETAT.tropDePhotos(count));
    const rows = await trx
      .insertInto("photos")
      .values(
        input.photos.map((photo, i) => ({
          recensement_id: recensement.id,
          uploaded_by: "conservateur" as const,
          storage_key: photo.storageKey,
          content_type: photo.contentType,
          byte_size: photo.byteSize,
          width: photo.width,
          height: photo.height,
          sha256: photo.sha256,
          original_filename: photo.originalFilename,
          position: lastPosition + 1 + i,
        })),
      )
      .returning(["id", "width", "height", "sha256"])
      .execute();
    await trx
      .updateTable("recensements")
      .set({ photos_count: count + rows.length, updated_at: new Date() })
      .where("id", "=", recensement.id)
      .execute();
    for (const row of rows) {
      await audit(trx, {
        actor: input.actor,
        action: "examen.photo_ajoutee",
        subject: { type: "photo", id: row.id },
        communeId: recensement.commune_id,
        after: { recensement_id: recensement.id, width: row.width, height: row.height, sha256: row.sha256 },
        ip: input.ip,
      });
    }
    return rows.length;
  });
}
