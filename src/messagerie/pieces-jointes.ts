import type { FileStore } from "../platform/storage/file-store.ts";
import type { NouvellePieceJointe } from "./publication.ts";

export const PIECES_JOINTES_LIMITES = { parMessage: 10, octets: 10 * 1024 * 1024 } as const;

/** A file that was not kept, with the reason in French (shown to the sender, or listed under the message). */
export type PieceRefusee = { filename: string; reason: string };

export type SourcePiece = { filename: string; data: Buffer } | { filename: string; file: string };

/**
 * Checks a file by its content (images are re-encoded without metadata and get a thumbnail; PDF and office
 * documents are checked by signature; anything else is refused), then writes it to the file store under
 * `messages/…`. Nothing is written when it is refused.
 */
export async function stockerPieceJointe(
  _files: FileStore,
  _source: SourcePiece,
): Promise<{ ok: true; piece: NouvellePieceJointe } | { ok: false; refus: PieceRefusee }> {
  throw new Error("stockerPieceJointe: not implemented yet");
}

/** Removes stored files whose message was finally not recorded (failed transaction). */
export async function supprimerPiecesStockees(_files: FileStore, _pieces: readonly NouvellePieceJointe[]): Promise<void> {
  throw new Error("supprimerPiecesStockees: not implemented yet");
}
