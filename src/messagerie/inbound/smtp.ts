import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";
import type { AppContext } from "../../context.ts";
import { lireAdresseReponse } from "../adresses.ts";
import { mailDepuisMime, recevoirMail, type Journal } from "./reception.ts";

export type InboundSmtp = { port: number; close(): Promise<void> };

/** Announced in EHLO (SIZE) and enforced on DATA: a bigger mail is answered 552. */
export const TAILLE_MAX_MAIL = 25 * 1024 * 1024;
const DESTINATAIRES_MAX = 20;

type ErreurSmtp = Error & { responseCode: number };

function erreurSmtp(code: number, message: string): ErreurSmtp {
  return Object.assign(new Error(ascii(message)), { responseCode: code });
}

/** SMTP replies are 7-bit: accents are dropped from the French texts. */
function ascii(texte: string): string {
  return texte
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[’‘]/g, "'")
    .replace(/[^\x20-\x7e]/g, " ");
}

const journalParDefaut: Journal = (entree) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...entree })}\n`);

/**
 * The MX of the reply domain: a plain SMTP listener that accepts mail only for well-formed reply addresses of
 * REPLY_DOMAIN (never an open relay) and hands each mail to `recevoirMail`. No AUTH (senders are other mail
 * servers) and no STARTTLS: there is no certificate here, so put a TLS-terminating relay in front if the
 * transport must be encrypted. 250 for an accepted or duplicate mail, 550 for a rejected one (the sending
 * server bounces it to its author), 451 when our side fails (the sender retries later).
 */
export async function startInboundSmtp(
  ctx: AppContext,
  options: { journal?: Journal; tailleMax?: number } = {},
): Promise<InboundSmtp | undefined> {
  const port = ctx.config.inboundSmtpPort;
  if (port === undefined) return undefined;
  const journal = options.journal ?? journalParDefaut;
  const domaine = ctx.config.replyDomain;

  const server = new SMTPServer({
    name: domaine,
    banner: "Collectif Objets - reponses a la messagerie",
    disabledCommands: ["AUTH", "STARTTLS"],
    authOptional: true,
    hideSTARTTLS: true,
    size: options.tailleMax ?? TAILLE_MAX_MAIL,
    maxClients: 50,
    socketTimeout: 60_000,
    closeTimeout: 10_000,
    logger: false,
    onRcptTo(address, session, callback) {
      if (!lireAdresseReponse(address.address, domaine)) {
        return callback(erreurSmtp(550, "5.1.1 Adresse inconnue / No such mailbox here (relay denied)"));
      }
      if (session.envelope.rcptTo.length >= DESTINATAIRES_MAX)
        return callback(erreurSmtp(452, "4.5.3 Trop de destinataires / Too many recipients"));
      return callback();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const morceaux: Buffer[] = [];
      stream.on("data", (morceau: Buffer) => {
        if (!stream.sizeExceeded) morceaux.push(morceau);
      });
      stream.on("error", (error) => callback(erreurSmtp(451, `4.3.0 ${error.message}`)));
      stream.on("end", () => {
        if (stream.sizeExceeded)
          return callback(erreurSmtp(552, "5.3.4 Message trop volumineux / Message exceeds fixed maximum message size"));
        const brut = Buffer.concat(morceaux);
        traiter(brut, session)
          .then((reponse) => callback(null, reponse))
          .catch((error: unknown) => {
            if (error instanceof Error && "responseCode" in error) return callback(error);
            journal({ level: "error", event: "inbound_smtp_failure", error: error instanceof Error ? error.message : String(error) });
            return callback(erreurSmtp(451, "4.3.0 Erreur temporaire, reessayez plus tard / Temporary failure, try again later"));
          });
      });
    },
  });

  async function traiter(brut: Buffer, session: SMTPServerSession): Promise<string> {
    const parsed = await simpleParser(brut, { keepCidLinks: true, skipTextToHtml: true, skipTextLinks: true });
    const mail = mailDepuisMime(parsed, {
      source: "smtp",
      brut,
      envelopeTo: session.envelope.rcptTo.map((r) => r.address),
      expediteurEnveloppeVide: !session.envelope.mailFrom || !session.envelope.mailFrom.address,
    });
    const resultat = await recevoirMail(ctx, mail, { journal });
    if (resultat.status === "rejected") throw erreurSmtp(550, `5.7.1 Message refuse : ${resultat.reason} / Message rejected`);
    return resultat.status === "duplicate" ? "Message deja recu / Already received" : "Message recu / Message accepted";
  }

  server.on("error", (error) => journal({ level: "error", event: "inbound_smtp_error", error: error.message }));

  await new Promise<void>((resolve, reject) => {
    const surErreur = (error: Error) => reject(error);
    server.server.once("error", surErreur);
    server.listen(port, ctx.config.inboundSmtpHost, () => {
      server.server.off("error", surErreur);
      resolve();
    });
  });
  const adresse = server.server.address() as AddressInfo;
  return {
    port: adresse.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
