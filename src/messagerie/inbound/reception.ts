import crypto from "node:crypto";
import type { AddressObject, ParsedMail } from "mailparser";
import type { AppContext } from "../../context.ts";
import type { DB } from "../../platform/db/schema.ts";
import type { Kysely } from "kysely";
import { jetonValide, lireAdresseReponse, type AdresseLue } from "../adresses.ts";
import { PIECES_JOINTES_LIMITES, stockerPieceJointe, supprimerPiecesStockees, type PieceRefusee } from "../pieces-jointes.ts";
import { publierMessage, type Auteur, type NouvellePieceJointe } from "../publication.ts";
import { extraireReponse } from "./extraction.ts";
import { sanitiserHtml } from "./sanitize.ts";

/**
 * One processing path for the replies received by mail, whatever the channel (built-in SMTP listener or the
 * provider's webhook): find the commune and the side from the signed reply address, check its token, pick the
 * author, keep the reply without its quoted history, store the attachments and post the message in the
 * commune's thread. Every mail is recorded in `inbound_emails` under its Message-ID, accepted or rejected, so
 * that a mail delivered twice (or twice at once) is processed once. A rejected mail is never posted.
 */

/** An attachment as received: its bytes, or only its name when the provider did not send the content. */
export type PieceRecue = ({ filename: string; data: Buffer } | { filename: string; omise: string }) & {
  /** Content-ID of an image shown inside the HTML body (`<img src="cid:…">`). */
  cid?: string | undefined;
};

export type MailRecu = {
  source: "smtp" | "webhook";
  /** The Message-ID header, with or without its angle brackets. */
  messageId: string | null;
  /** The mail as received (raw MIME, or the provider's JSON item): its hash identifies a mail without Message-ID. */
  brut: Buffer | string;
  from: string | null;
  /** Envelope recipients (SMTP RCPT TO, the provider's recipients list) when known: they come first. */
  envelopeTo: string[];
  to: string[];
  cc: string[];
  subject: string | null;
  text: string | null;
  html: string | null;
  sentAt: Date | null;
  attachments: PieceRecue[];
  /** An auto-reply or a bounce (RFC 3834 headers, null sender): never posted, or two out-of-office replies would talk forever. */
  automatique?: boolean;
};

export type ResultatReception =
  | { status: "accepted"; messageId: number; inboundEmailId: string }
  | { status: "duplicate"; inboundEmailId: string }
  | { status: "rejected"; reason: string; inboundEmailId: string };

export type Journal = (entree: Record<string, unknown>) => void;

type ContexteReception = Pick<AppContext, "config" | "database" | "files" | "replyKey">;

const journalParDefaut: Journal = (entree) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...entree })}\n`);

const TAILLE_MAX_CORPS = 1_000_000;

export function identifiantMail(mail: Pick<MailRecu, "messageId" | "brut">): string {
  const messageId = mail.messageId
    ?.trim()
    .replace(/^<+|>+$/g, "")
    .trim();
  if (messageId) return messageId.slice(0, 900);
  return `sha256:${crypto.createHash("sha256").update(mail.brut).digest("hex")}`;
}

function adresses(objet: AddressObject | AddressObject[] | undefined): string[] {
  const liste = objet === undefined ? [] : Array.isArray(objet) ? objet : [objet];
  const out: string[] = [];
  const parcourir = (valeurs: AddressObject["value"]) => {
    for (const v of valeurs) {
      if (v.address) out.push(v.address);
      if (v.group) parcourir(v.group);
    }
  };
  for (const o of liste) parcourir(o.value);
  return out;
}

const OBJET_AUTOMATIQUE =
  /^\s*(?:R[ée]ponse\s+automatique|Absence|Out\s+of\s+(?:the\s+)?office|Automatic\s+reply|Auto(?:matic)?[\s-]?reply|Accus[ée]\s+de\s+r[ée]ception|Undeliverable|Non\s+remis|Delivery\s+Status\s+Notification|Mail\s+delivery\s+failed)\b/i;

/** RFC 3834 and the usual headers of auto-responders and mailing lists. */
export function enTetesAutomatiques(entetes: (nom: string) => string | undefined): boolean {
  const soumis = entetes("auto-submitted")?.trim().toLowerCase();
  if (soumis && soumis !== "no") return true;
  if (entetes("x-autoreply") !== undefined || entetes("x-autorespond") !== undefined) return true;
  const precedence = entetes("precedence")?.trim().toLowerCase();
  return precedence === "bulk" || precedence === "junk" || precedence === "auto_reply" || precedence === "list";
}

function enTeteTexte(valeur: unknown): string | undefined {
  if (valeur === undefined || valeur === null) return undefined;
  if (typeof valeur === "string") return valeur;
  if (typeof valeur === "object" && "value" in valeur && typeof valeur.value === "string") return valeur.value;
  return typeof valeur === "number" || typeof valeur === "boolean" ? String(valeur) : undefined;
}

/**
 * A mail parsed by mailparser's `simpleParser` (SMTP listener, raw MIME posted to the webhook). mailparser makes
 * up a text part from the HTML when there is none: then the HTML, whose quote marks are more reliable, is used.
 */
export function mailDepuisMime(
  parsed: ParsedMail,
  options: { source: "smtp" | "webhook"; brut: Buffer; envelopeTo?: string[]; expediteurEnveloppeVide?: boolean },
): MailRecu {
  const html = typeof parsed.html === "string" ? parsed.html : null;
  const aUnTexte = html === null || /^content-type:\s*text\/plain/im.test(options.brut.toString("latin1"));
  return {
    source: options.source,
    messageId: parsed.messageId ?? null,
    brut: options.brut,
    from: adresses(parsed.from)[0] ?? null,
    envelopeTo: options.envelopeTo ?? [],
    to: adresses(parsed.to),
    cc: adresses(parsed.cc),
    subject: parsed.subject ?? null,
    text: aUnTexte ? (parsed.text ?? null) : null,
    html,
    sentAt: parsed.date ?? null,
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename ?? "piece-jointe",
      data: a.content,
      cid: a.related ? a.cid : undefined,
    })),
    automatique: options.expediteurEnveloppeVide === true || enTetesAutomatiques((nom) => enTeteTexte(parsed.headers.get(nom))),
  };
}

type Destinataire = { adresse: string; lue: AdresseLue };

function premierDestinataire(mail: MailRecu, domaine: string): Destinataire | null {
  for (const adresse of [...mail.envelopeTo, ...mail.to, ...mail.cc]) {
    const lue = lireAdresseReponse(adresse, domaine);
    if (lue) return { adresse: adresse.trim().toLowerCase(), lue };
  }
  return null;
}

async function trouverAuteur(
  db: Kysely<DB>,
  commune: { id: number; departement_code: string },
  cote: AdresseLue["cote"],
  expediteur: string,
): Promise<Auteur | null> {
  const email = expediteur.trim().toLowerCase();
  if (cote === "conservateur") {
    const trouve = await db
      .selectFrom("conservateurs")
      .innerJoin("conservateur_departements", "conservateur_departements.conservateur_id", "conservateurs.id")
      .where("conservateur_departements.departement_code", "=", commune.departement_code)
      .select("conservateurs.id")
      .orderBy((eb) =>
        eb
          .case()
          .when(eb.fn("lower", ["conservateurs.email"]), "=", email)
          .then(0)
          .else(1)
          .end(),
      )
      .orderBy("conservateurs.id")
      .executeTakeFirst();
    return trouve ? { type: "conservateur", id: trouve.id } : null;
  }
  const trouve = await db
    .selectFrom("commune_users")
    .where("commune_id", "=", commune.id)
    .select("id")
    .orderBy((eb) =>
      eb
        .case()
        .when(eb.fn("lower", ["email"]), "=", email)
        .then(0)
        .else(1)
        .end(),
    )
    .orderBy("id")
    .executeTakeFirst();
  return trouve ? { type: "commune", id: trouve.id } : null;
}

class Doublon extends Error {}

/**
 * Images embedded in the HTML (`cid:`) belong to the reply only when the reply itself shows them: a logo of a
 * signature or the images of the quoted history are left out. When the HTML could not be cut, all are kept.
 */
function piecesDeLaReponse(mail: MailRecu, htmlReponse: string | null): PieceRecue[] {
  if (htmlReponse === null || !mail.html) return mail.attachments;
  const html = htmlReponse.toLowerCase();
  return mail.attachments.filter((piece) => !piece.cid || html.includes(`cid:${piece.cid.toLowerCase().replace(/^<|>$/g, "")}`));
}

function tronquer(texte: string | null): string | null {
  return texte === null ? null : texte.slice(0, TAILLE_MAX_CORPS);
}

export async function recevoirMail(
  ctx: ContexteReception,
  mail: MailRecu,
  options: { journal?: Journal } = {},
): Promise<ResultatReception> {
  const journal = options.journal ?? journalParDefaut;
  const { db } = ctx.database;
  const id = identifiantMail(mail);
  const deja = await db.selectFrom("inbound_emails").select("id").where("id", "=", id).executeTakeFirst();
  if (deja) return { status: "duplicate", inboundEmailId: id };

  const destinataire = premierDestinataire(mail, ctx.config.replyDomain);
  const commune = destinataire
    ? await db
        .selectFrom("communes")
        .select(["id", "code_insee", "departement_code", "inbound_email_token"])
        .where("code_insee", "=", destinataire.lue.codeInsee)
        .executeTakeFirst()
    : undefined;

  const rejeter = async (reason: string, communeId: number | null): Promise<ResultatReception> => {
    const inseree = await db
      .insertInto("inbound_emails")
      .values({
        id,
        commune_id: communeId,
        from_email: (mail.from ?? "").slice(0, 320),
        to_email: (destinataire?.adresse ?? [...mail.envelopeTo, ...mail.to, ...mail.cc].join(", ")).slice(0, 2000),
        subject: mail.subject?.slice(0, 1000) ?? null,
        status: "rejected",
        reject_reason: reason,
        source: mail.source,
        cote: destinataire?.lue.cote ?? null,
        sent_at: mail.sentAt,
      })
      .onConflict((oc) => oc.column("id").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!inseree) return { status: "duplicate", inboundEmailId: id };
    journal({
      level: "warn",
      event: "inbound_email_rejected",
      source: mail.source,
      inboundEmailId: id,
      from: mail.from,
      to: destinataire?.adresse ?? [...mail.envelopeTo, ...mail.to, ...mail.cc],
      subject: mail.subject,
      reason,
    });
    return { status: "rejected", reason, inboundEmailId: id };
  };

  if (!destinataire) return rejeter("Aucun destinataire n'est une adresse de réponse de la messagerie.", null);
  if (!commune) return rejeter(`Adresse de réponse d'une commune inconnue (${destinataire.lue.codeInsee}).`, null);
  if (!jetonValide(ctx.replyKey, commune, destinataire.lue))
    return rejeter("Adresse de réponse falsifiée ou révoquée : jeton invalide.", commune.id);
  if (!mail.from) return rejeter("Expéditeur absent.", commune.id);
  if (mail.automatique || OBJET_AUTOMATIQUE.test(mail.subject ?? "")) {
    return rejeter("Réponse automatique (absence, accusé de réception, erreur de remise) : non publiée.", commune.id);
  }
  const auteur = await trouverAuteur(db, commune, destinataire.lue.cote, mail.from);
  if (!auteur) {
    return rejeter(
      destinataire.lue.cote === "conservateur"
        ? "Aucun conservateur n'est rattaché au département de la commune."
        : "La commune n'a aucun compte utilisateur.",
      commune.id,
    );
  }

  const reponse = extraireReponse({ text: mail.text, html: mail.html });
  const omises: PieceRefusee[] = [];
  const pieces: NouvellePieceJointe[] = [];
  for (const [index, piece] of piecesDeLaReponse(mail, reponse.html).entries()) {
    if ("omise" in piece) {
      omises.push({ filename: piece.filename, reason: piece.omise });
    } else if (index >= PIECES_JOINTES_LIMITES.parMessage) {
      omises.push({ filename: piece.filename, reason: `Au-delà de ${PIECES_JOINTES_LIMITES.parMessage} pièces jointes par message.` });
    } else {
      const stockee = await stockerPieceJointe(ctx.files, { filename: piece.filename, data: piece.data });
      if (stockee.ok) pieces.push(stockee.piece);
      else omises.push(stockee.refus);
    }
  }
  if (!reponse.texte.trim() && pieces.length === 0)
    return rejeter("Message vide : aucun texte de réponse ni pièce jointe acceptée.", commune.id);

  const bodyHtml = reponse.html ? sanitiserHtml(reponse.html) || null : null;
  try {
    const publie = await db.transaction().execute(async (trx) => {
      const inseree = await trx
        .insertInto("inbound_emails")
        .values({
          id,
          commune_id: commune.id,
          from_email: mail.from!.slice(0, 320),
          to_email: destinataire.adresse,
          subject: mail.subject?.slice(0, 1000) ?? null,
          body_text: tronquer(mail.text),
          body_html: mail.html ? tronquer(sanitiserHtml(mail.html)) : null,
          signature_md: reponse.signature,
          status: "accepted",
          source: mail.source,
          cote: destinataire.lue.cote,
          sent_at: mail.sentAt,
          attachments_count: mail.attachments.length,
        })
        .onConflict((oc) => oc.column("id").doNothing())
        .returning("id")
        .executeTakeFirst();
      if (!inseree) throw new Doublon();
      return publierMessage(ctx, trx, {
        communeId: commune.id,
        auteur,
        origine: "inbound_email",
        texte: reponse.texte,
        bodyHtml,
        quotedText: reponse.historique,
        signature: reponse.signature,
        fromEmail: mail.from!.trim().toLowerCase(),
        sentAt: mail.sentAt,
        inboundEmailId: id,
        piecesJointes: pieces,
        omittedAttachments: omises,
      });
    });
    journal({
      level: "info",
      event: "inbound_email_accepted",
      source: mail.source,
      inboundEmailId: id,
      communeId: commune.id,
      messageId: publie.id,
    });
    return { status: "accepted", messageId: publie.id, inboundEmailId: id };
  } catch (error) {
    await supprimerPiecesStockees(ctx.files, pieces);
    if (error instanceof Doublon) return { status: "duplicate", inboundEmailId: id };
    throw error;
  }
}
