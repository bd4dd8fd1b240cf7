import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { actorOf } from "../comptes/access.ts";
import type { AppContext } from "../context.ts";
import { audit } from "../platform/audit.ts";
import { BadRequestError, ConflictError, NotFoundError } from "../platform/http/errors.ts";
import { parseInput } from "../platform/http/params.ts";
import { requeueMail } from "../platform/mail/outbox.ts";
import { listerMails, type FiltreMails } from "./repository-outils.ts";
import { apercusMails, PageApercus } from "./views/outils-apercus.tsx";
import { DetailMail, ListeMails } from "./views/outils-mails.tsx";
import { sendAdminPage } from "./views/page.tsx";

const adminRule = { access: { kind: "admin" } } as const;

const filtreSchema = z.object({
  etat: z.enum(["", "pending", "sending", "sent", "failed", "difficulte"]).optional(),
  destinataire: z.string().trim().max(200).optional(),
  avant: z.coerce.number().int().positive().optional(),
});
const idSchema = z.object({
  mail_id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
});

/** A mail's HTML alone, for a sandboxed iframe: no script, no form, no external resource but images. */
export function envoyerHtmlMail(reply: FastifyReply, html: string): FastifyReply {
  return reply
    .header(
      "content-security-policy",
      "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; frame-ancestors 'self'; sandbox",
    )
    .header("x-frame-options", "SAMEORIGIN")
    .header("cache-control", "private, no-store")
    .type("text/html; charset=utf-8")
    .send(html);
}

export async function adminMailsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;

  app.get("/admin/mails", { config: adminRule }, async (request, reply) => {
    const q = parseInput(filtreSchema, request.query, "Les filtres de la liste des mails ne sont pas valides.");
    const filtre: FiltreMails = {
      ...(q.etat ? { etat: q.etat } : {}),
      ...(q.destinataire ? { destinataire: q.destinataire } : {}),
      ...(q.avant ? { avant: q.avant } : {}),
    };
    const { mails, suivant } = await listerMails(db, filtre);
    return sendAdminPage(
      request,
      reply,
      { title: "Mails", section: "mails" },
      <ListeMails mails={mails} filtre={filtre} suivant={suivant} />,
    );
  });

  const modele = (query: unknown) => {
    const { modele: id } = parseInput(z.object({ modele: z.string().max(100).optional() }), query);
    const apercus = apercusMails(ctx.config);
    const choisi = id ? apercus.find((a) => a.id === id) : undefined;
    if (id && !choisi) throw new NotFoundError();
    return { apercus, choisi: choisi ?? null };
  };

  app.get("/admin/mails/apercus", { config: adminRule }, async (request, reply) => {
    const { apercus, choisi } = modele(request.query);
    return sendAdminPage(
      request,
      reply,
      {
        title: "Aperçu des mails",
        section: "mails",
        breadcrumbs: [{ href: "/admin/mails", label: "Mails" }, { label: "Aperçu des mails" }],
      },
      <PageApercus apercus={apercus} choisi={choisi} />,
    );
  });

  app.get("/admin/mails/apercus/html", { config: adminRule }, async (request, reply) => {
    const { choisi } = modele(request.query);
    if (!choisi) throw new NotFoundError();
    return envoyerHtmlMail(reply, choisi.mail.html);
  });

  app.get("/admin/mails/:mail_id", { config: adminRule }, async (request, reply) => {
    const { mail_id } = parseInput(idSchema, request.params);
    const mail = await db.selectFrom("outbox_mails").selectAll().where("id", "=", mail_id).executeTakeFirst();
    if (!mail) throw new NotFoundError();
    const avis = (request.query as { renvoye?: string }).renvoye === "1";
    return sendAdminPage(
      request,
      reply,
      {
        title: `Mail n° ${mail.id}`,
        section: "mails",
        breadcrumbs: [{ href: "/admin/mails", label: "Mails" }, { label: `Mail n° ${mail.id}` }],
      },
      <DetailMail
        mail={{ ...mail, id: Number(mail.id), attempts: Number(mail.attempts) }}
        csrfToken={reply.generateCsrf()}
        renvoye={avis}
      />,
    );
  });

  // The mail's HTML in its own sandboxed document: a srcdoc frame would inherit the page's CSP, which forbids inline styles.
  app.get("/admin/mails/:mail_id/html", { config: adminRule }, async (request, reply) => {
    const { mail_id } = parseInput(idSchema, request.params);
    const mail = await db.selectFrom("outbox_mails").select("html").where("id", "=", mail_id).executeTakeFirst();
    if (!mail) throw new NotFoundError();
    return envoyerHtmlMail(reply, mail.html);
  });

  app.post("/admin/mails/:mail_id/renvoyer", { config: adminRule }, async (request, reply) => {
    const { mail_id } = parseInput(idSchema, request.params);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const mail = await db
      .selectFrom("outbox_mails")
      .select(["id", "status", "attempts", "to_address"])
      .where("id", "=", mail_id)
      .executeTakeFirst();
    if (!mail) throw new NotFoundError();
    if (body.confirmer !== "oui") throw new BadRequestError("Cochez la confirmation pour renvoyer ce mail.");
    if (mail.status !== "failed") throw new ConflictError("Seul un mail en échec définitif peut être renvoyé.");
    await db.transaction().execute(async (trx) => {
      await requeueMail(trx, mail_id);
      await audit(trx, {
        actor: actorOf(request.identity),
        action: "mail.renvoye",
        subject: { type: "outbox_mail", id: mail_id },
        before: { status: mail.status, attempts: Number(mail.attempts) },
        after: { status: "pending", attempts: 0 },
        ip: request.ip,
      });
    });
    return reply.redirect(`/admin/mails/${mail_id}?renvoye=1`, 303);
  });
}
