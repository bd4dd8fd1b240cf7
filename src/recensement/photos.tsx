import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { actorOf, communeOf } from "../comptes/access.ts";
import { addFlash } from "../comptes/session.ts";
import type { AppContext } from "../context.ts";
import { BadRequestError, ConflictError, HttpError, NotFoundError } from "../platform/http/errors.ts";
import { PHOTO_LIMITS, PhotoError, type PhotoErrorCode } from "../platform/images/photo.ts";
import { deleteVariants, processAndStorePhoto, variantKey } from "../platform/images/stored.ts";
import type { FileStore } from "../platform/storage/file-store.ts";
import {
  MAX_PHOTOS_PAR_RECENSEMENT,
  MESSAGES_PHOTOS,
  PHOTO_URL_VARIANTS,
  PhotoRefuseeError,
  ajouterPhotos,
  findPhotoAcces,
  isPhotoUrlVariant,
  peutVoirPhoto,
  supprimerPhoto,
  type NouvellePhoto,
  type PhotoVue,
} from "./photos-repository.ts";
import { assertPositiveInt, findRecensementCourant } from "./repository.ts";
import { MESSAGE_NON_MODIFIABLE, photosPermises, recensementModifiable } from "./rules.ts";

const communeRule = { access: { kind: "commune", param: "code_insee" } } as const;

type ObjetParams = { code_insee: string; objet_id: string };

const MESSAGE_AUCUN_FICHIER = "Choisissez au moins une photo à envoyer.";
const MESSAGE_ENVOI_INVALIDE = "L’envoi des photos n’a pas abouti : réessayez, une photo à la fois si le problème continue.";

/** Status of each refusal in the JSON answers of the enhanced form. */
const PHOTO_ERROR_STATUS: Record<PhotoErrorCode, number> = { not_an_image: 415, corrupt: 422, too_large: 413, too_many_pixels: 422 };

function etapePhotosUrl(codeInsee: string, objetId: number): string {
  return `/communes/${codeInsee}/objets/${objetId}/recensement/etapes/4`;
}

/** The enhanced form (src/client/photos.ts) asks for JSON; a plain form post gets redirected. */
function wantsJson(request: FastifyRequest): boolean {
  return (request.headers.accept ?? "").includes("application/json") || request.headers["x-requested-with"] === "XMLHttpRequest";
}

/**
 * Photos of the commune's recensements (RB §4.5 step 4, "Photo rules"): upload, deletion, and reading
 * the stored variants for the people allowed to see them.
 */
export async function photoRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const files = ctx.files;

  // Multipart parsing only where files are expected: elsewhere a multipart body stays a 415.
  await app.register(async (scope) => {
    await scope.register(multipart, {
      limits: {
        fileSize: PHOTO_LIMITS.maxBytes,
        files: MAX_PHOTOS_PAR_RECENSEMENT,
        fields: 10,
        fieldSize: 1024,
        parts: MAX_PHOTOS_PAR_RECENSEMENT + 10,
        headerPairs: 50,
      },
      // An oversized file is reported with the others' results, not as an error ending the request.
      throwFileSizeLimit: false,
    });

    scope.post<{ Params: ObjetParams }>(
      "/communes/:code_insee/objets/:objet_id/recensement/photos",
      { config: communeRule },
      async (request, reply) => {
        const commune = communeOf(request);
        const objetId = assertPositiveInt(request.params.objet_id, "Numéro d’objet");
        const json = wantsJson(request);
        const retour = etapePhotosUrl(commune.codeInsee, objetId);
        try {
          const recensement = await findRecensementCourant(db, commune.communeId, objetId);
          if (!recensement) throw new NotFoundError(MESSAGES_PHOTOS.sansRecensement);
          if (!recensementModifiable(recensement.dossier_status)) throw new ConflictError(MESSAGE_NON_MODIFIABLE);
          if (!photosPermises(recensement)) throw new PhotoRefuseeError(MESSAGES_PHOTOS.nonPermises);
          const place = MAX_PHOTOS_PAR_RECENSEMENT - recensement.photos_count;
          if (place <= 0) throw new PhotoRefuseeError(MESSAGES_PHOTOS.tropDePhotos(recensement.photos_count));

          const envoi = await recevoirPhotos(request, files, place, recensement.photos_count);
          let ajoutees: PhotoVue[] = [];
          if (envoi.recues.length > 0) {
            try {
              ajoutees = await ajouterPhotos(db, actorOf(request.identity), commune.communeId, recensement.id, envoi.recues);
            } catch (error) {
              await supprimerFichiers(files, envoi.recues, request);
              throw error;
            }
          }
          return repondre(request, reply, { json, retour, ajoutees, refus: envoi.refus });
        } catch (error) {
          if (!(error instanceof HttpError)) throw error;
          if (json) return reply.code(error.statusCode).send({ error: error.message });
          // Refusals about the photos themselves come back to the step page; access errors get their page.
          if (error instanceof PhotoRefuseeError || error instanceof BadRequestError) {
            addFlash(request, { type: "error", message: error.message });
            return reply.redirect(retour, 303);
          }
          throw error;
        }
      },
    );
  });

  app.post<{ Params: ObjetParams & { photo_id: string } }>(
    "/communes/:code_insee/objets/:objet_id/recensement/photos/:photo_id/supprimer",
    { config: communeRule },
    async (request, reply) => {
      const commune = communeOf(request);
      const objetId = assertPositiveInt(request.params.objet_id, "Numéro d’objet");
      const photoId = assertPositiveInt(request.params.photo_id, "Numéro de photo");
      const json = wantsJson(request);
      try {
        const { storageKey } = await supprimerPhoto(db, actorOf(request.identity), commune.communeId, objetId, photoId);
        // Once committed: a file left behind by a failure here is an orphan for the clean-up job, never a broken photo.
        await deleteVariants(files, storageKey).catch((error: unknown) =>
          request.log.warn({ err: error, storageKey }, "photo files not deleted"),
        );
      } catch (error) {
        if (json && error instanceof HttpError) return reply.code(error.statusCode).send({ error: error.message });
        throw error;
      }
      if (json) return reply.send({ ok: true });
      addFlash(request, { type: "success", message: "La photo a été supprimée." });
      return reply.redirect(etapePhotosUrl(commune.codeInsee, objetId), 303);
    },
  );

  app.get<{ Params: { photo_id: string; variant: string } }>(
    "/photos/:photo_id/:variant",
    { config: { access: { kind: "signed_in" } } },
    async (request, reply) => {
      const { photo_id: rawId, variant } = request.params;
      if (!isPhotoUrlVariant(variant) || !/^[1-9][0-9]{0,9}$/.test(rawId) || Number(rawId) > 2_147_483_647) throw new NotFoundError();
      const photoId = Number(rawId);
      const photo = await findPhotoAcces(db, photoId);
      // Someone else's photo answers exactly like a missing one.
      if (!photo || !peutVoirPhoto(request.identity, photo)) throw new NotFoundError();
      const etag = `"${photo.sha256.slice(0, 32)}-${variant}"`;
      reply
        .header("cache-control", "private, max-age=86400")
        .header("etag", etag)
        .header("x-content-type-options", "nosniff")
        .header("content-disposition", `inline; filename="photo-${photoId}-${variant}.jpg"`);
      if (request.headers["if-none-match"] === etag) return reply.code(304).send();
      const file = await files.createReadStream(variantKey(photo.storage_key, PHOTO_URL_VARIANTS[variant]));
      if (!file) {
        request.log.error({ photoId, variant }, "photo file missing from the store");
        throw new NotFoundError();
      }
      return reply.header("content-type", photo.content_type).header("content-length", file.size).send(file.stream);
    },
  );
}

type Refus = { fichier: string; message: string; status: number };
type Envoi = { recues: NouvellePhoto[]; refus: Refus[] };

/**
 * Reads the multipart body one file at a time, each streamed to a temporary file (an upload waiting for
 * its turn to be processed holds no memory): each is checked and normalised, then its variants are
 * written to the store, before the next one is read. The database is not touched here: the caller
 * attaches the stored photos in one transaction.
 */
async function recevoirPhotos(request: FastifyRequest, files: FileStore, place: number, deja: number): Promise<Envoi> {
  const recues: NouvellePhoto[] = [];
  const refus: Refus[] = [];
  let tropDePhotos = false;
  let fichiers = 0;
  const dossier = await fsp.mkdtemp(path.join(os.tmpdir(), "co-upload-"));
  try {
    for await (const part of request.parts()) {
      if (part.type !== "file") continue;
      if (part.fieldname !== "photos" || recues.length >= place) {
        if ((await vider(part.file)) > 0 && part.fieldname === "photos") tropDePhotos = true;
        continue;
      }
      const temporaire = path.join(dossier, String(fichiers));
      const taille = await enregistrer(part.file, temporaire);
      // A file input left empty still sends one part, with no name and no content.
      if (!part.filename && taille === 0) continue;
      fichiers += 1;
      const fichier = nomDeFichier(part.filename);
      try {
        if (taille === null) throw new PhotoError("too_large");
        const storageKey = `photos/${crypto.randomUUID()}`;
        const photo = await processAndStorePhoto(files, storageKey, { file: temporaire });
        recues.push({
          storageKey,
          contentType: photo.contentType,
          byteSize: photo.variants.original.data.length,
          width: photo.width,
          height: photo.height,
          sha256: photo.sha256,
          originalFilename: fichier || null,
        });
      } catch (error) {
        if (!(error instanceof PhotoError)) throw error;
        refus.push({ fichier, message: error.message, status: PHOTO_ERROR_STATUS[error.code] });
      } finally {
        await fsp.rm(temporaire, { force: true });
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "FST_FILES_LIMIT" || code === "FST_PARTS_LIMIT") {
      tropDePhotos = true;
    } else {
      await supprimerFichiers(files, recues, request);
      if (error instanceof HttpError) throw error;
      // Malformed or interrupted multipart data, a form that is not multipart…
      request.log.info({ err: error }, "photo upload refused");
      throw new BadRequestError(MESSAGE_ENVOI_INVALIDE);
    }
  } finally {
    await fsp.rm(dossier, { recursive: true, force: true });
  }
  if (tropDePhotos) refus.push({ fichier: "", message: MESSAGES_PHOTOS.tropDePhotos(deja), status: 409 });
  if (fichiers === 0 && refus.length === 0) throw new BadRequestError(MESSAGE_AUCUN_FICHIER);
  return { recues, refus };
}

/** Reads and drops a part nobody wants; returns its size. */
async function vider(stream: Readable): Promise<number> {
  let size = 0;
  for await (const chunk of stream) size += (chunk as Buffer).length;
  return size;
}

/** Streams a file part to disk; its size, or null when it went over the limit (busboy then drops the rest). */
async function enregistrer(stream: Readable & { truncated?: boolean }, file: string): Promise<number | null> {
  await pipeline(stream, fs.createWriteStream(file, { flags: "wx", mode: 0o600 }));
  if (stream.truncated) return null;
  return (await fsp.stat(file)).size;
}

/** The name the person gave the file, only to tell them which one was refused (and kept for the record). */
function nomDeFichier(filename: string | undefined): string {
  const base = (filename ?? "").split(/[\\/]/).pop() ?? "";
  return base
    .replace(/[\p{C}]/gu, "")
    .trim()
    .slice(0, 120);
}

async function supprimerFichiers(files: FileStore, photos: readonly NouvellePhoto[], request: FastifyRequest): Promise<void> {
  for (const photo of photos) {
    await deleteVariants(files, photo.storageKey).catch((error: unknown) =>
      request.log.warn({ err: error, storageKey: photo.storageKey }, "photo files not deleted"),
    );
  }
}

function repondre(
  request: FastifyRequest,
  reply: FastifyReply,
  resultat: { json: boolean; retour: string; ajoutees: PhotoVue[]; refus: Refus[] },
): FastifyReply {
  const { json, retour, ajoutees, refus } = resultat;
  const messagesRefus = refus.map((r) => (r.fichier ? `« ${r.fichier} » : ${r.message}` : r.message));
  if (json) {
    if (ajoutees.length === 0)
      return reply.code(refus[0]?.status ?? 400).send({ error: messagesRefus.join("\n") || MESSAGE_AUCUN_FICHIER });
    return reply.code(201).send({ photo: ajoutees[0], photos: ajoutees, errors: messagesRefus });
  }
  if (ajoutees.length > 0) {
    addFlash(request, {
      type: "success",
      message: ajoutees.length === 1 ? "La photo a été ajoutée." : `${ajoutees.length} photos ont été ajoutées.`,
    });
  }
  for (const message of messagesRefus) addFlash(request, { type: "error", message });
  return reply.redirect(retour, 303);
}
