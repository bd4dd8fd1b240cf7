import crypto from "node:crypto";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { simpleParser } from "mailparser";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import type { AccessRule } from "../../platform/http/access.ts";
import {
  enTetesAutomatiques,
  mailDepuisMime,
  recevoirMail,
  type Journal,
  type MailRecu,
  type PieceRecue,
  type ResultatReception,
} from "./reception.ts";
import { TAILLE_MAX_MAIL } from "./smtp.ts";

/**
 * `POST /api/v1/inbound-emails`: the mail provider's inbound webhook (Brevo inbound parsing JSON, or any relay
 * posting the raw MIME as `message/rfc822`), authenticated by `Authorization: Bearer INBOUND_WEBHOOK_SECRET`.
 * Each mail goes through the same `recevoirMail` as the SMTP listener. A rejected mail still gets a 200 (with
 * its status in `results`): the provider must not retry forever a mail we will never accept; only our own
 * failures (5xx) are worth a retry, and a retry is harmless since a mail is processed once.
 */
const ADRESSE = z.looseObject({ Address: z.string().max(320).nullish(), Name: z.string().max(500).nullish() });
const BASE64 = /^[A-Za-z0-9+/=\s]*$/;

const ELEMENT = z.looseObject({
  MessageId: z.string().max(1000).nullish(),
  From: ADRESSE.nullish(),
  To: z.array(ADRESSE).max(100).nullish(),
  Cc: z.array(ADRESSE).max(100).nullish(),
  Recipients: z.array(z.string().max(320)).max(100).nullish(),
  Subject: z.string().max(10_000).nullish(),
  SentAtDate: z.string().max(100).nullish(),
  RawHtmlBody: z.string().nullish(),
  RawTextBody: z.string().nullish(),
  /** The few headers the provider forwards (Auto-Submitted, Precedence…), to recognise auto-replies. */
  Headers: z.record(z.string(), z.union([z.string(), z.array(z.string())])).nullish(),
  Attachments: z
    .array(
      z.looseObject({
        Name: z.string().max(500).nullish(),
        ContentType: z.string().max(200).nullish(),
        ContentLength: z.number().nullish(),
        ContentID: z.string().max(1000).nullish(),
        Content: z.string().regex(BASE64, "contenu base64 attendu").nullish(),
      }),
    )
    .max(100)
    .nullish(),
});

const CORPS_JSON = z.object({ items: z.array(ELEMENT).min(1).max(50) });

type Element = z.infer<typeof ELEMENT>;

function dateOuNull(texte: string | null | undefined): Date | null {
  if (!texte) return null;
  const date = new Date(texte);
  return Number.isNaN(date.getTime()) ? null : date;
}

function adressesDe(liste: z.infer<typeof ADRESSE>[] | null | undefined): string[] {
  return (liste ?? []).flatMap((a) => (a.Address ? [a.Address] : []));
}

/** A Brevo inbound parsing item as a received mail. */
export function mailDepuisFournisseur(element: Element): MailRecu {
  const pieces: PieceRecue[] = (element.Attachments ?? []).map((a) => {
    const filename = a.Name?.trim() || "piece-jointe";
    const cid = a.ContentID?.replace(/^<|>$/g, "") || undefined;
    return a.Content
      ? { filename, data: Buffer.from(a.Content, "base64"), cid }
      : { filename, omise: "Non transmise par le fournisseur de messagerie.", cid };
  });
  return {
    source: "webhook",
    messageId: element.MessageId ?? null,
    brut: JSON.stringify(element),
    from: element.From?.Address ?? null,
    envelopeTo: element.Recipients ?? [],
    to: adressesDe(element.To),
    cc: adressesDe(element.Cc),
    subject: element.Subject ?? null,
    text: element.RawTextBody ?? null,
    html: element.RawHtmlBody ?? null,
    sentAt: dateOuNull(element.SentAtDate),
    attachments: pieces,
    automatique: enTetesAutomatiques((nom) => {
      const trouve = Object.entries(element.Headers ?? {}).find(([cle]) => cle.toLowerCase() === nom)?.[1];
      return Array.isArray(trouve) ? trouve[0] : trouve;
    }),
  };
}

function resultatPublic(resultat: ResultatReception): { status: ResultatReception["status"]; reason?: string } {
  return resultat.status === "rejected" ? { status: "rejected", reason: resultat.reason } : { status: resultat.status };
}

function erreur(reply: FastifyReply, statusCode: number, code: string, message: string) {
  return reply.status(statusCode).header("cache-control", "no-store").send({ error: { code, message } });
}

function secretPresent(request: FastifyRequest, secret: string | undefined): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
  if (!secret || !match?.[1]) return false;
  const empreinte = (valeur: string) => crypto.createHash("sha256").update(valeur).digest();
  return crypto.timingSafeEqual(empreinte(match[1]), empreinte(secret));
}

export async function inboundRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const regle = { access: { kind: "shared_secret", secret: () => ctx.config.inboundWebhookSecret } } as const satisfies {
    access: AccessRule;
  };

  await app.register(async (scope) => {
    scope.addContentTypeParser("message/rfc822", { parseAs: "buffer", bodyLimit: TAILLE_MAX_MAIL }, (_request, body, done) =>
      done(null, body),
    );

    // Bad input answers JSON, in the shape of the API's errors, not the HTML error page.
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      const statusCode = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      if (statusCode === 413) return erreur(reply, 413, "trop_volumineux", "Le mail dépasse la taille autorisée (25 Mo).");
      if (statusCode === 415)
        return erreur(reply, 415, "type_non_pris_en_charge", "Envoyez du JSON ({ items: [...] }) ou un mail brut (message/rfc822).");
      if (statusCode < 500) return erreur(reply, 400, "requete_invalide", "Le corps de la requête est mal formé.");
      request.log.error({ err: error }, "inbound webhook failure");
      return erreur(reply, 500, "erreur_interne", "Erreur temporaire, réessayez plus tard.");
    });

    scope.post(
      "/api/v1/inbound-emails",
      {
        config: regle,
        bodyLimit: TAILLE_MAX_MAIL * 2,
        // Before reading a body of up to 50 MB: the access layer would answer the same 401 after parsing it.
        onRequest: async (request, reply) => {
          if (!secretPresent(request, ctx.config.inboundWebhookSecret)) {
            return reply
              .status(401)
              .header("www-authenticate", "Bearer")
              .header("cache-control", "no-store")
              .send({ error: { code: "authentification_requise", message: "Secret du webhook manquant ou invalide." } });
          }
        },
      },
      async (request, reply) => {
        let mails: MailRecu[];
        if (Buffer.isBuffer(request.body)) {
          if (request.body.length === 0) return erreur(reply, 400, "requete_invalide", "Le mail brut est vide.");
          const parsed = await simpleParser(request.body, { keepCidLinks: true, skipTextToHtml: true, skipTextLinks: true });
          mails = [mailDepuisMime(parsed, { source: "webhook", brut: request.body })];
        } else {
          const corps = CORPS_JSON.safeParse(request.body);
          if (!corps.success) {
            const probleme = corps.error.issues[0];
            const message = probleme ? `${probleme.path.join(".") || "corps"} : ${probleme.message}` : "corps invalide";
            return erreur(reply, 400, "requete_invalide", `Le corps doit être { items: [...] } au format du fournisseur (${message}).`);
          }
          mails = corps.data.items.map(mailDepuisFournisseur);
        }
        const results = [];
        const journal: Journal = (entree) => request.log[entree.level === "warn" ? "warn" : "info"](entree, String(entree.event));
        for (const mail of mails) results.push(resultatPublic(await recevoirMail(ctx, mail, { journal })));
        return reply.header("cache-control", "no-store").send({ success: true, results });
      },
    );
  });
}
