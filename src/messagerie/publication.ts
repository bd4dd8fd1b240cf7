import { sql, type Kysely } from "kysely";
import type { AppContext } from "../context.ts";
import { audit, type AuditActor } from "../platform/audit.ts";
import type { DB } from "../platform/db/schema.ts";
import { enqueueMail } from "../platform/mail/outbox.ts";
import { adresseReponse } from "./adresses.ts";
import { notificationMessageMail } from "./mails.ts";

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

/** How the author is named in notifications. */
export const NOM_SUPPORT = "Support Collectif Objets";

/**
 * Records a message and its attachments in the caller's transaction, marks the thread read for its author,
 * writes the audit event, and enqueues one notification mail per eligible reader of the other side
 * (commune users with notifications on; conservateurs of the département with notifications on), each with a
 * signed reply address. Returns the message id and the number of notifications enqueued.
 */
export async function publierMessage(
  ctx: Pick<AppContext, "config" | "replyKey">,
  trx: Kysely<DB>,
  message: NouveauMessage,
): Promise<{ id: number; notifications: number }> {
  const commune = await trx
    .selectFrom("communes")
    .select(["id", "nom", "code_insee", "departement_code", "inbound_email_token"])
    .where("id", "=", message.communeId)
    .executeTakeFirstOrThrow();
  const { id } = await trx
    .insertInto("messages")
    .values({
      commune_id: commune.id,
      origin: message.origine,
      author_type: message.auteur.type,
      author_id: message.auteur.id,
      text: message.texte,
      inbound_email_id: message.inboundEmailId ?? null,
      body_html: message.bodyHtml ?? null,
      quoted_text: message.quotedText ?? null,
      signature: message.signature ?? null,
      from_email: message.fromEmail ?? null,
      sent_at: message.sentAt ?? null,
      // Generated<Json<…>> in schema.ts leaves no insert type for a value: the JSON text is passed as such.
      omitted_attachments: JSON.stringify(message.omittedAttachments ?? []) as never,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (message.piecesJointes.length > 0) {
    await trx
      .insertInto("message_attachments")
      .values(
        message.piecesJointes.map((piece) => ({
          message_id: id,
          storage_key: piece.storageKey,
          filename: piece.filename,
          content_type: piece.contentType,
          byte_size: piece.byteSize,
          kind: piece.kind,
          width: piece.width ?? null,
          height: piece.height ?? null,
          sha256: piece.sha256 ?? null,
        })),
      )
      .execute();
  }
  if (message.auteur.type !== "admin") await marquerLu(trx, { type: message.auteur.type, id: message.auteur.id }, commune.id, id);
  await audit(trx, {
    actor: message.acteur ?? { type: message.auteur.type, id: message.auteur.id },
    action: "message.create",
    subject: { type: "message", id },
    communeId: commune.id,
    after: {
      origine: message.origine,
      auteur: message.auteur.type,
      pieces_jointes: message.piecesJointes.length,
      ...(message.inboundEmailId ? { inbound_email_id: message.inboundEmailId } : {}),
    },
    ip: message.ip ?? null,
  });

  const auteurNom = await nomAuteur(trx, message.auteur, commune.nom);
  const cote = message.auteur.type === "commune" ? "conservateur" : "commune";
  const destinataires =
    cote === "conservateur"
      ? await trx
          .selectFrom("conservateurs")
          .innerJoin("conservateur_departements", "conservateur_departements.conservateur_id", "conservateurs.id")
          .select(["conservateurs.id", "conservateurs.email"])
          .where("conservateur_departements.departement_code", "=", commune.departement_code)
          .where("conservateurs.messages_mail_notifications", "=", true)
          .orderBy("conservateurs.id")
          .execute()
      : await trx
          .selectFrom("commune_users")
          .select(["id", "email"])
          .where("commune_id", "=", commune.id)
          .where("messages_mail_notifications", "=", true)
          .orderBy("id")
          .execute();
  const replyTo = adresseReponse(ctx.replyKey, ctx.config.replyDomain, commune, cote);
  let notifications = 0;
  for (const destinataire of destinataires) {
    const mail = notificationMessageMail(ctx.config, {
      messageId: id,
      destinataire: { type: cote, id: destinataire.id, email: destinataire.email },
      auteur: { type: message.auteur.type, nom: auteurNom },
      commune: { nom: commune.nom, codeInsee: commune.code_insee },
      texte: message.texte,
      piecesJointes: message.piecesJointes.length,
      replyTo,
    });
    if ((await enqueueMail(trx, mail)).created) notifications += 1;
  }
  return { id, notifications };
}

async function nomAuteur(trx: Kysely<DB>, auteur: Auteur, communeNom: string): Promise<string> {
  if (auteur.type === "commune") return communeNom;
  if (auteur.type === "admin") return NOM_SUPPORT;
  const row = await trx
    .selectFrom("conservateurs")
    .select(["first_name", "last_name", "email"])
    .where("id", "=", auteur.id)
    .executeTakeFirst();
  if (!row) return "Un conservateur";
  return `${row.first_name} ${row.last_name}`.trim() || row.email;
}

/** The reader has seen the thread up to this message (never moves backwards); returns the previous mark (0 if none). */
export async function marquerLu(
  db: Kysely<DB>,
  lecteur: { type: "commune" | "conservateur"; id: number },
  communeId: number,
  messageId: number,
): Promise<number> {
  // The CTE reads the row as it was before this statement's upsert.
  const result = await sql<{ ancien: number | null }>`
    with ancien as (
      select dernier_message_lu_id from message_lectures
      where lecteur_type = ${lecteur.type} and lecteur_id = ${lecteur.id} and commune_id = ${communeId}
    )
    insert into message_lectures (commune_id, lecteur_type, lecteur_id, dernier_message_lu_id)
    values (${communeId}, ${lecteur.type}, ${lecteur.id}, ${messageId})
    on conflict (lecteur_type, lecteur_id, commune_id) do update
      set dernier_message_lu_id = greatest(message_lectures.dernier_message_lu_id, excluded.dernier_message_lu_id), lu_at = now()
    returning (select dernier_message_lu_id from ancien) as ancien`.execute(db);
  return result.rows[0]?.ancien ?? 0;
}
