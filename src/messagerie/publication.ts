import type { Kysely } from "kysely";
import type { AppContext } from "../context.ts";
import type { AuditActor } from "../platform/audit.ts";
import type { DB } from "../platform/db/schema.ts";

/** Who wrote the message: a commune user (`commune_users.id`), a conservateur or support (an admin). */
export type Auteur = { type: "commune"; id: number } | { type: "conservateur"; id: number } | { type: "admin"; id: number };

/** A file already checked and written to the file store (src/messagerie/pieces-jointes.ts), not yet recorded. */
export type NouvellePieceJointe = {
  storageKey: string;
  filename: string;
  contentType: string;
  byteSize: number;
  kind: "image" | "fichier";
  width?: number;
  height?: number;
  sha256?: string;
};

export type NouveauMessage = {
  communeId: number;
  auteur: Auteur;
  origine: "web" | "inbound_email";
  /** Plain text of the message (for a mail: the reply, without quoted history nor signature). */
  texte: string;
  piecesJointes: NouvellePieceJointe[];
  /** Who really acted, for the audit (an admin impersonating…); defaults to the author. */
  acteur?: AuditActor;
  ip?: string;
  // Replies received by mail only:
  inboundEmailId?: string;
  /** Already sanitised (src/messagerie/inbound/sanitize.ts). */
  bodyHtml?: string | null;
  quotedText?: string | null;
  signature?: string | null;
  fromEmail?: string | null;
  sentAt?: Date | null;
  omittedAttachments?: { filename: string; reason: string }[];
};

/**
 * Records a message and its attachments in the caller's transaction, marks the thread read for its author,
 * writes the audit event, and enqueues one notification mail per eligible reader of the other side
 * (commune users with notifications on; conservateurs of the département with notifications on), each with a
 * signed reply address. Returns the message id and the number of notifications enqueued.
 */
export async function publierMessage(
  _ctx: Pick<AppContext, "config" | "replyKey">,
  _trx: Kysely<DB>,
  _message: NouveauMessage,
): Promise<{ id: number; notifications: number }> {
  throw new Error("publierMessage: not implemented yet");
}
