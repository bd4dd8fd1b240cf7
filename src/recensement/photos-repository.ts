import type { Kysely, Transaction } from "kysely";
import type { Identity } from "../comptes/rules.ts";
import { audit, type AuditActor } from "../platform/audit.ts";
import type { DB } from "../platform/db/schema.ts";
import { HttpError, NotFoundError } from "../platform/http/errors.ts";
import type { ImageVariant } from "../platform/images/photo.ts";
import { findRecensementCourant, lockRecensementModifiable, marquerModifie } from "./repository.ts";
import { photosPermises } from "./rules.ts";

/** The variants as the URLs name them: `/photos/:id/vignette`. */
export type PhotoUrlVariant = "vignette" | "affichage" | "original";
export const PHOTO_URL_VARIANTS: Record<PhotoUrlVariant, ImageVariant> = {
  vignette: "thumbnail",
  affichage: "display",
  original: "original",
};

export function isPhotoUrlVariant(value: string): value is PhotoUrlVariant {
  return Object.hasOwn(PHOTO_URL_VARIANTS, value);
}

/**
 * URL of one variant of a photo. The version (start of the SHA-256) changes when the file does (a
 * conservateur's rotation), so that browsers never keep showing the old one from their cache.
 */
export function photoUrl(id: number, variant: PhotoUrlVariant, sha256?: string): string {
  return `/photos/${id}/${variant}${sha256 ? `?v=${sha256.slice(0, 12)}` : ""}`;
}

export type PhotoVue = {
  id: number;
  recensementId: number;
  vignetteUrl: string;
  affichageUrl: string;
  originalUrl: string;
  /** Size of the stored original. */
  width: number;
  height: number;
  position: number;
};

export const MAX_PHOTOS_PAR_RECENSEMENT = 10;

export const MESSAGES_PHOTOS = {
  nonPermises:
    "Les photos ne sont demandées que pour un objet trouvé et recensable : modifiez d’abord vos réponses aux étapes « Localisation » et « Accessibilité ».",
  introuvable: "Cette photo n’existe pas ou n’appartient pas à ce recensement.",
  sansRecensement: "Commencez le recensement de cet objet avant d’y ajouter des photos.",
  tropDePhotos: (deja: number) =>
    deja >= MAX_PHOTOS_PAR_RECENSEMENT
      ? `Vous avez déjà ${MAX_PHOTOS_PAR_RECENSEMENT} photos pour cet objet, le maximum : supprimez-en une avant d’en ajouter une autre.`
      : `Vous avez déjà ${deja} photo${deja > 1 ? "s" : ""} pour cet objet : vous pouvez en ajouter ${MAX_PHOTOS_PAR_RECENSEMENT - deja} au plus (${MAX_PHOTOS_PAR_RECENSEMENT} par objet).`,
} as const;

/** A photo the recensement's answers or its count do not allow (409: the page shows the message). */
export class PhotoRefuseeError extends HttpError {
  constructor(message: string) {
    super(409, message, "Photo refusée");
  }
}

const PHOTO_COLUMNS = ["id", "recensement_id", "width", "height", "position", "sha256"] as const;

type PhotoRow = { id: number; recensement_id: number; width: number; height: number; position: number; sha256: string };

function toVue(row: PhotoRow): PhotoVue {
  return {
    id: row.id,
    recensementId: row.recensement_id,
    vignetteUrl: photoUrl(row.id, "vignette", row.sha256),
    affichageUrl: photoUrl(row.id, "affichage", row.sha256),
    originalUrl: photoUrl(row.id, "original", row.sha256),
    width: row.width,
    height: row.height,
    position: row.position,
  };
}

export async function listPhotosRecensement(db: Kysely<DB>, recensementId: number): Promise<PhotoVue[]> {
  const rows = await db
    .selectFrom("photos")
    .select(PHOTO_COLUMNS)
    .where("recensement_id", "=", recensementId)
    .orderBy("position")
    .orderBy("id")
    .execute();
  return rows.map(toVue);
}

/** The photos of several recensements in one query, grouped by recensement (every id asked is a key). */
export async function listPhotosRecensements(db: Kysely<DB>, recensementIds: readonly number[]): Promise<Map<number, PhotoVue[]>> {
  const grouped = new Map<number, PhotoVue[]>(recensementIds.map((id) => [id, []]));
  if (recensementIds.length === 0) return grouped;
  const rows = await db
    .selectFrom("photos")
    .select(PHOTO_COLUMNS)
    .where("recensement_id", "in", [...new Set(recensementIds)])
    .orderBy("recensement_id")
    .orderBy("position")
    .orderBy("id")
    .execute();
  for (const row of rows) grouped.get(row.recensement_id)?.push(toVue(row));
  return grouped;
}

/** A processed photo whose files are already in the store. */
export type NouvellePhoto = {
  storageKey: string;
  contentType: "image/jpeg";
  byteSize: number;
  width: number;
  height: number;
  sha256: string;
  originalFilename: string | null;
};

/**
 * Attaches stored photos to the commune's recensement in one transaction: the recensement is locked
 * and must still be editable, the answers must allow photos, the count stays within the maximum; the
 * recensement goes back to draft (RB §3.3) and each photo is audited.
 */
export async function ajouterPhotos(
  db: Kysely<DB>,
  actor: AuditActor,
  communeId: number,
  recensementId: number,
  photos: readonly NouvellePhoto[],
): Promise<PhotoVue[]> {
  return db.transaction().execute(async (trx) => {
    const recensement = await lockRecensementModifiable(trx, communeId, recensementId);
    if (!photosPermises(recensement)) throw new PhotoRefuseeError(MESSAGES_PHOTOS.nonPermises);
    const { count, lastPosition } = await photoCount(trx, recensementId);
    if (count + photos.length > MAX_PHOTOS_PAR_RECENSEMENT) throw new PhotoRefuseeError(MESSAGES_PHOTOS.tropDePhotos(count));
    const rows = await trx
      .insertInto("photos")
      .values(
        photos.map((photo, i) => ({
          recensement_id: recensementId,
          uploaded_by: "commune" as const,
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
      .returning(PHOTO_COLUMNS)
      .execute();
    await marquerModifie(trx, recensement, { photos_count: count + rows.length });
    for (const row of rows) {
      await audit(trx, {
        actor,
        action: "photo.add",
        subject: { type: "photo", id: row.id },
        communeId,
        after: { recensement_id: recensementId, width: row.width, height: row.height, sha256: row.sha256 },
      });
    }
    return rows.map(toVue);
  });
}

/**
 * Deletes one photo of the commune's current recensement of this objet. The photo must belong to that
 * very recensement (RB ⚠: any attachment id was accepted). Returns the storage key, whose files the
 * caller removes once the transaction has committed.
 */
export async function supprimerPhoto(
  db: Kysely<DB>,
  actor: AuditActor,
  communeId: number,
  objetId: number,
  photoId: number,
): Promise<{ storageKey: string }> {
  return db.transaction().execute(async (trx) => {
    const courant = await findRecensementCourant(trx, communeId, objetId);
    if (!courant) throw new NotFoundError(MESSAGES_PHOTOS.introuvable);
    const recensement = await lockRecensementModifiable(trx, communeId, courant.id);
    const deleted = await trx
      .deleteFrom("photos")
      .where("id", "=", photoId)
      .where("recensement_id", "=", recensement.id)
      .returning(["storage_key", "sha256", "position"])
      .executeTakeFirst();
    if (!deleted) throw new NotFoundError(MESSAGES_PHOTOS.introuvable);
    const { count } = await photoCount(trx, recensement.id);
    await marquerModifie(trx, recensement, { photos_count: count });
    await audit(trx, {
      actor,
      action: "photo.delete",
      subject: { type: "photo", id: photoId },
      communeId,
      before: { recensement_id: recensement.id, sha256: deleted.sha256, position: deleted.position },
    });
    return { storageKey: deleted.storage_key };
  });
}

async function photoCount(trx: Transaction<DB>, recensementId: number): Promise<{ count: number; lastPosition: number }> {
  const row = await trx
    .selectFrom("photos")
    .select((eb) => [eb.fn.countAll<string>().as("count"), eb.fn.max("position").as("last_position")])
    .where("recensement_id", "=", recensementId)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), lastPosition: row.last_position ?? 0 };
}

/** `photos_count` mirrors the rows, so lists show counts without counting. */
export type PhotoAcces = {
  storage_key: string;
  content_type: string;
  sha256: string;
  commune_id: number;
  departement_code: string;
};

/** A stored photo with what decides who may see it: the commune of its dossier and that commune's département. */
export async function findPhotoAcces(db: Kysely<DB>, photoId: number): Promise<PhotoAcces | undefined> {
  return db
    .selectFrom("photos as p")
    .innerJoin("recensements as r", "r.id", "p.recensement_id")
    .innerJoin("dossiers as d", "d.id", "r.dossier_id")
    .innerJoin("communes as c", "c.id", "d.commune_id")
    .select(["p.storage_key", "p.content_type", "p.sha256", "c.id as commune_id", "c.departement_code"])
    .where("p.id", "=", photoId)
    .executeTakeFirst();
}

/** A commune sees its own dossiers' photos, a conservateur those of its départements, an admin all of them. */
export function peutVoirPhoto(identity: Identity, photo: Pick<PhotoAcces, "commune_id" | "departement_code">): boolean {
  switch (identity.kind) {
    case "commune":
      return identity.communeId === photo.commune_id;
    case "conservateur":
      return identity.departementCodes.includes(photo.departement_code);
    case "admin":
      return true;
    case "anonymous":
      return false;
  }
}
