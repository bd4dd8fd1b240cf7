import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { FastifyRequest } from "fastify";
import { BadRequestError, HttpError } from "../platform/http/errors.ts";
import { PhotoError, type PhotoErrorCode } from "../platform/images/photo.ts";
import { deleteVariants, processAndStorePhoto } from "../platform/images/stored.ts";
import type { FileStore } from "../platform/storage/file-store.ts";
import { MESSAGES_PHOTOS, type NouvellePhoto } from "./photos-repository.ts";

export const MESSAGE_AUCUN_FICHIER = "Choisissez au moins une photo à envoyer.";
export const MESSAGE_ENVOI_INVALIDE = "L’envoi des photos n’a pas abouti : réessayez, une photo à la fois si le problème continue.";

/** Status of each refusal in the JSON answers of the enhanced form. */
const PHOTO_ERROR_STATUS: Record<PhotoErrorCode, number> = { not_an_image: 415, corrupt: 422, too_large: 413, too_many_pixels: 422 };

export type Refus = { fichier: string; message: string; status: number };
export type Envoi = { recues: NouvellePhoto[]; refus: Refus[] };

/**
 * Reads the multipart body one file at a time, each streamed to a temporary file (an upload waiting for
 * its turn to be processed holds no memory): each is checked and normalised, then its variants are
 * written to the store, before the next one is read. The database is not touched here: the caller
 * attaches the stored photos in one transaction.
 */
export async function recevoirPhotos(request: FastifyRequest, files: FileStore, place: number, deja: number): Promise<Envoi> {
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
      await supprimerFichiers(
        files,
        recues.map((p) => p.storageKey),
        request,
      );
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

/** Removes the files of photos that will not be attached (a later failure); a file left behind is only logged. */
export async function supprimerFichiers(files: FileStore, storageKeys: readonly string[], request: FastifyRequest): Promise<void> {
  for (const storageKey of storageKeys) {
    await deleteVariants(files, storageKey).catch((error: unknown) =>
      request.log.warn({ err: error, storageKey }, "photo files not deleted"),
    );
  }
}

/** "« IMG_1.jpg » : message", for flash messages and JSON errors. */
export function messageDeRefus(refus: Refus): string {
  return refus.fichier ? `« ${refus.fichier} » : ${refus.message}` : refus.message;
}
