import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { FastifyRequest } from "fastify";
import { BadRequestError, HttpError } from "../platform/http/errors.ts";
import { detectImageFormat } from "../platform/images/formats.ts";
import { IMAGE_VARIANTS, PhotoError } from "../platform/images/photo.ts";
import { deleteVariants, processAndStorePhoto, variantKey } from "../platform/images/stored.ts";
import type { FileStore } from "../platform/storage/file-store.ts";
import type { NouvellePieceJointe } from "./publication.ts";

export const PIECES_JOINTES_LIMITES = { parMessage: 10, octets: 10 * 1024 * 1024 } as const;

/** A file that was not kept, with the reason in French (shown to the sender, or listed under the message). */
export type PieceRefusee = { filename: string; reason: string };

export type SourcePiece = { filename: string; data: Buffer } | { filename: string; file: string };

/** Documents kept as they are, recognised by their content and, for the ZIP-based ones, their extension. */
type TypeDocument = "pdf" | "docx" | "xlsx" | "odt" | "ods" | "txt";

export const TYPES_DOCUMENTS: Record<TypeDocument, string> = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  odt: "application/vnd.oasis.opendocument.text",
  ods: "application/vnd.oasis.opendocument.spreadsheet",
  txt: "text/plain; charset=utf-8",
};

export const FORMATS_ACCEPTES =
  "photos (JPEG, PNG, WebP, HEIC), PDF, documents texte ou tableurs (DOCX, XLSX, ODT, ODS) et fichiers texte (TXT)";

export const MESSAGES_PIECES_JOINTES = {
  vide: "Ce fichier est vide.",
  tropLourd: `Ce fichier est trop lourd : ${PIECES_JOINTES_LIMITES.octets / 1024 / 1024} Mo au plus par pièce jointe.`,
  tropDeFichiers: `${PIECES_JOINTES_LIMITES.parMessage} pièces jointes au plus par message.`,
  typeRefuse: `Ce type de fichier n’est pas accepté. Pièces jointes acceptées : ${FORMATS_ACCEPTES}.`,
  contenuDifferent: (extension: string) =>
    `Ce fichier porte l’extension .${extension} mais son contenu ne correspond pas : il n’a pas été envoyé. Pièces jointes acceptées : ${FORMATS_ACCEPTES}.`,
  texteInvalide:
    "Ce fichier texte n’est pas lisible (il doit être enregistré en UTF-8) : enregistrez-le en PDF ou copiez son contenu dans le message.",
} as const;

/**
 * Storage layout: every attachment is a folder `messages/<uuid>` (its `storage_key`). A photo holds the
 * JPEG variants `original.jpg`, `display.jpg`, `thumbnail.jpg`; a document holds one file, `fichier`.
 */
export const DOSSIER_PIECES_JOINTES = "messages/";

export function cleFichier(storageKey: string): string {
  return `${storageKey}/fichier`;
}

/** Every key written for an attachment (for deletion or consistency checks). */
export function clesStockees(piece: { storageKey: string; kind: "image" | "fichier" }): string[] {
  return piece.kind === "image" ? IMAGE_VARIANTS.map((variant) => variantKey(piece.storageKey, variant)) : [cleFichier(piece.storageKey)];
}

/** The name the person gave the file: no path, no control character, at most 120 characters, extension kept. */
export function nomPieceJointe(filename: string | undefined): string {
  const base = (filename ?? "").split(/[\\/]/).pop() ?? "";
  const propre = base
    .replace(/[\p{C}]/gu, "")
    .replace(/\s+/g, " ")
    .trim();
  if ([...propre].length <= 120) return propre;
  const extension = /\.[A-Za-z0-9]{1,8}$/.exec(propre)?.[0] ?? "";
  return [...propre].slice(0, 120 - extension.length).join("") + extension;
}

function extensionDe(filename: string): string {
  return /\.([A-Za-z0-9]{1,8})$/.exec(filename)?.[1]?.toLowerCase() ?? "";
}

/** The photo's name with the extension of what is stored (a JPEG re-encoded from any accepted format). */
function nomJpeg(filename: string): string {
  const sansExtension = filename.replace(/\.[A-Za-z0-9]{1,8}$/, "");
  return `${sansExtension || "photo"}.jpg`;
}

function estZip(data: Buffer): boolean {
  return data.length > 30 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04;
}

/** ODF packages begin with an uncompressed `mimetype` entry whose content is the document's type. */
function mimetypeOdf(data: Buffer): string | null {
  const nameLength = data.readUInt16LE(26);
  const extraLength = data.readUInt16LE(28);
  if (data.subarray(30, 30 + nameLength).toString("latin1") !== "mimetype") return null;
  const start = 30 + nameLength + extraLength;
  return data.subarray(start, start + 60).toString("latin1");
}

/** OOXML packages list `[Content_Types].xml` and the main part; entry names are stored in clear in the ZIP. */
function contientEntree(data: Buffer, nom: string): boolean {
  return data.includes(Buffer.from(nom, "latin1"));
}

/** The document type the content proves, given the extension it claims; null when they do not match. */
function typeDocument(data: Buffer, extension: string): TypeDocument | null {
  if (data.subarray(0, 5).toString("latin1") === "%PDF-") return "pdf";
  if (estZip(data)) {
    switch (extension) {
      case "odt":
        return mimetypeOdf(data)?.startsWith("application/vnd.oasis.opendocument.text") ? "odt" : null;
      case "ods":
        return mimetypeOdf(data)?.startsWith("application/vnd.oasis.opendocument.spreadsheet") ? "ods" : null;
      case "docx":
        return contientEntree(data, "[Content_Types].xml") && contientEntree(data, "word/document.xml") ? "docx" : null;
      case "xlsx":
        return contientEntree(data, "[Content_Types].xml") && contientEntree(data, "xl/workbook.xml") ? "xlsx" : null;
      default:
        return null;
    }
  }
  if (extension === "txt" && texteValide(data)) return "txt";
  return null;
}

function texteValide(data: Buffer): boolean {
  if (data.includes(0)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(data);
    return true;
  } catch {
    return false;
  }
}

async function tailleDe(source: SourcePiece): Promise<number> {
  return "data" in source ? source.data.length : (await fsp.stat(source.file)).size;
}

async function contenuDe(source: SourcePiece): Promise<Buffer> {
  return "data" in source ? source.data : fsp.readFile(source.file);
}

/**
 * Checks a file by its content (images are re-encoded without metadata and get a thumbnail; PDF and office
 * documents are checked by signature; anything else is refused), then writes it to the file store under
 * `messages/…`. Nothing is written when it is refused.
 */
export async function stockerPieceJointe(
  files: FileStore,
  source: SourcePiece,
): Promise<{ ok: true; piece: NouvellePieceJointe } | { ok: false; refus: PieceRefusee }> {
  const filename = nomPieceJointe(source.filename);
  const refus = (reason: string) => ({ ok: false as const, refus: { filename, reason } });
  const taille = await tailleDe(source);
  if (taille === 0) return refus(MESSAGES_PIECES_JOINTES.vide);
  if (taille > PIECES_JOINTES_LIMITES.octets) return refus(MESSAGES_PIECES_JOINTES.tropLourd);
  const data = await contenuDe(source);
  const storageKey = `${DOSSIER_PIECES_JOINTES}${crypto.randomUUID()}`;

  if (detectImageFormat(data.subarray(0, 4096))) {
    try {
      const photo = await processAndStorePhoto(files, storageKey, data);
      return {
        ok: true,
        piece: {
          storageKey,
          filename: nomJpeg(filename),
          contentType: photo.contentType,
          byteSize: photo.variants.original.data.length,
          kind: "image",
          width: photo.width,
          height: photo.height,
          sha256: photo.sha256,
        },
      };
    } catch (error) {
      if (error instanceof PhotoError) return refus(error.message);
      throw error;
    }
  }

  const extension = extensionDe(filename);
  const type = typeDocument(data, extension);
  if (!type) {
    if (extension === "txt") return refus(MESSAGES_PIECES_JOINTES.texteInvalide);
    if (extension in TYPES_DOCUMENTS || ["jpg", "jpeg", "png", "webp", "heic", "heif"].includes(extension)) {
      return refus(MESSAGES_PIECES_JOINTES.contenuDifferent(extension));
    }
    return refus(MESSAGES_PIECES_JOINTES.typeRefuse);
  }
  // A PDF named otherwise is still a PDF: its name gets the extension of what it is.
  const nom = extension === type ? filename : `${filename.replace(/\.[A-Za-z0-9]{1,8}$/, "") || "document"}.${type}`;
  await files.put(cleFichier(storageKey), data, TYPES_DOCUMENTS[type]);
  return {
    ok: true,
    piece: {
      storageKey,
      filename: nom,
      contentType: TYPES_DOCUMENTS[type],
      byteSize: data.length,
      kind: "fichier",
      sha256: crypto.createHash("sha256").update(data).digest("hex"),
    },
  };
}

/** Removes stored files whose message was finally not recorded (failed transaction). */
export async function supprimerPiecesStockees(files: FileStore, pieces: readonly NouvellePieceJointe[]): Promise<void> {
  for (const piece of pieces) {
    if (piece.kind === "image") await deleteVariants(files, piece.storageKey);
    else await files.delete(cleFichier(piece.storageKey));
  }
}

/** A new message read from the web form: its text, the attachments already stored, and those refused. */
export type MessageRecu = { texte: string; texteTronque: boolean; pieces: NouvellePieceJointe[]; refus: PieceRefusee[] };

/** Form field names of the new message form. */
export const CHAMPS_MESSAGE = { texte: "texte", fichiers: "fichiers" } as const;

/**
 * Reads the new message form. A multipart body is read one file at a time, each streamed to a temporary
 * file then checked and stored (memory stays bounded whatever the size sent); an urlencoded body only
 * carries the text. The caller records the message, or removes the stored attachments.
 */
export async function recevoirMessage(request: FastifyRequest, files: FileStore): Promise<MessageRecu> {
  if (!request.isMultipart()) {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const texte = body[CHAMPS_MESSAGE.texte];
    return { texte: typeof texte === "string" ? texte : "", texteTronque: false, pieces: [], refus: [] };
  }
  const recu: MessageRecu = { texte: "", texteTronque: false, pieces: [], refus: [] };
  let fichiers = 0;
  const dossier = await fsp.mkdtemp(path.join(os.tmpdir(), "co-message-"));
  const tropDeFichiers = () => {
    if (!recu.refus.some((r) => r.reason === MESSAGES_PIECES_JOINTES.tropDeFichiers)) {
      recu.refus.push({ filename: "", reason: MESSAGES_PIECES_JOINTES.tropDeFichiers });
    }
  };
  try {
    for await (const part of request.parts()) {
      if (part.type === "field") {
        if (part.fieldname === CHAMPS_MESSAGE.texte && typeof part.value === "string") {
          recu.texte = part.value;
          recu.texteTronque = part.valueTruncated;
        }
        continue;
      }
      if (part.fieldname !== CHAMPS_MESSAGE.fichiers) {
        await vider(part.file);
        continue;
      }
      const temporaire = path.join(dossier, String(fichiers));
      const taille = await enregistrer(part.file, temporaire);
      try {
        // A file input left empty still sends one part, with no name and no content.
        if (!part.filename && taille === 0) continue;
        fichiers += 1;
        if (fichiers > PIECES_JOINTES_LIMITES.parMessage) {
          tropDeFichiers();
          continue;
        }
        if (taille === null) {
          recu.refus.push({ filename: nomPieceJointe(part.filename), reason: MESSAGES_PIECES_JOINTES.tropLourd });
          continue;
        }
        const result = await stockerPieceJointe(files, { filename: part.filename, file: temporaire });
        if (result.ok) recu.pieces.push(result.piece);
        else recu.refus.push(result.refus);
      } finally {
        await fsp.rm(temporaire, { force: true });
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "FST_FILES_LIMIT" || code === "FST_PARTS_LIMIT") {
      tropDeFichiers();
    } else {
      await supprimerPiecesStockees(files, recu.pieces).catch(() => undefined);
      if (error instanceof HttpError) throw error;
      request.log.info({ err: error }, "message form refused");
      throw new BadRequestError(MESSAGE_ENVOI_INVALIDE);
    }
  } finally {
    await fsp.rm(dossier, { recursive: true, force: true });
  }
  return recu;
}

export const MESSAGE_ENVOI_INVALIDE =
  "L’envoi du message n’a pas abouti : réessayez, avec moins de pièces jointes si le problème continue.";

async function vider(stream: Readable): Promise<void> {
  for await (const _chunk of stream) {
    // Drained: a part nobody wants must still be read for the next one to come.
  }
}

/** Streams a file part to disk; its size, or null when it went over the limit (busboy then drops the rest). */
async function enregistrer(stream: Readable & { truncated?: boolean }, file: string): Promise<number | null> {
  await pipeline(stream, fs.createWriteStream(file, { flags: "wx", mode: 0o600 }));
  if (stream.truncated) return null;
  return (await fsp.stat(file)).size;
}
