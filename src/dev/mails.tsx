import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { NotFoundError } from "../platform/http/errors.ts";
import { parseInput } from "../platform/http/params.ts";
import { Pagination } from "../ui/components.tsx";
import { sendPage } from "../ui/page.tsx";

const devAccess = { access: { kind: "dev" } } as const;
const PAGE_SIZE = 50;
const STATUS_LABELS = { pending: "En attente", sending: "En cours d’envoi", sent: "Envoyé", failed: "Échec" } as const;

const dateFormat = new Intl.DateTimeFormat("fr-FR", { dateStyle: "short", timeStyle: "medium", timeZone: "Europe/Paris" });

/**
 * Local mail catcher: with no SMTP server configured (never in production), mails stay in the outbox
 * and are read here.
 */
export async function devMailRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;

  app.get("/dev/mails", { config: devAccess }, async (request, reply) => {
    const { page } = parseInput(z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1) }), request.query);
    const mails = await db
      .selectFrom("outbox_mails")
      .select(["id", "to_address", "subject", "category", "status", "created_at"])
      .orderBy("id", "desc")
      .limit(PAGE_SIZE + 1)
      .offset((page - 1) * PAGE_SIZE)
      .execute();
    const hasNext = mails.length > PAGE_SIZE;
    return sendPage(
      request,
      reply,
      { title: "Mails envoyés (développement)", breadcrumbs: [{ href: "/", label: "Accueil" }, { label: "Mails (développement)" }] },
      <>
        <h1>Mails (développement)</h1>
        <p>Aucun serveur SMTP n’est configuré : les mails restent ici au lieu d’être envoyés.</p>
        {mails.length === 0 ? (
          <p>Aucun mail pour l’instant.</p>
        ) : (
          <div class="fr-table">
            <table>
              <caption>Mails de la boîte d’envoi, du plus récent au plus ancien</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Destinataire</th>
                  <th scope="col">Objet</th>
                  <th scope="col">Type</th>
                  <th scope="col">État</th>
                </tr>
              </thead>
              <tbody>
                {mails.slice(0, PAGE_SIZE).map((mail) => (
                  <tr key={mail.id}>
                    <td>{dateFormat.format(mail.created_at)}</td>
                    <td>{mail.to_address}</td>
                    <td>
                      <a href={`/dev/mails/${mail.id}`}>{mail.subject}</a>
                    </td>
                    <td>{mail.category}</td>
                    <td>{STATUS_LABELS[mail.status]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pagination base="/dev/mails?" page={page} hasNext={hasNext} />
      </>,
    );
  });

  const idParams = z.object({
    id: z.coerce
      .number()
      .int()
      .positive()
      .max(2 ** 53),
  });

  async function findMail(id: number) {
    const mail = await db.selectFrom("outbox_mails").selectAll().where("id", "=", id).executeTakeFirst();
    if (!mail) throw new NotFoundError("Ce mail n’existe pas.");
    return mail;
  }

  app.get("/dev/mails/:id", { config: devAccess }, async (request, reply) => {
    const mail = await findMail(parseInput(idParams, request.params).id);
    return sendPage(
      request,
      reply,
      {
        title: mail.subject,
        breadcrumbs: [{ href: "/", label: "Accueil" }, { href: "/dev/mails", label: "Mails (développement)" }, { label: mail.subject }],
      },
      <>
        <h1>{mail.subject}</h1>
        <dl class="co-mail-meta">
          <dt>De</dt>
          <dd>{mail.from_address}</dd>
          <dt>À</dt>
          <dd>{mail.to_address}</dd>
          {mail.reply_to ? (
            <>
              <dt>Répondre à</dt>
              <dd>{mail.reply_to}</dd>
            </>
          ) : null}
          <dt>Créé le</dt>
          <dd>{dateFormat.format(mail.created_at)}</dd>
          <dt>État</dt>
          <dd>
            {STATUS_LABELS[mail.status]} ({mail.attempts} tentative{mail.attempts > 1 ? "s" : ""})
            {mail.last_error ? ` — ${mail.last_error}` : ""}
          </dd>
        </dl>
        <h2 class="fr-mt-4w">Version HTML</h2>
        <iframe class="co-mail-frame" title={`Contenu HTML du mail « ${mail.subject} »`} src={`/dev/mails/${mail.id}/html`} sandbox="" />
        <h2 class="fr-mt-4w">Version texte</h2>
        <pre class="co-mail-text">{mail.text}</pre>
      </>,
    );
  });

  app.get("/dev/mails/:id/html", { config: devAccess }, async (request, reply) => {
    const mail = await findMail(parseInput(idParams, request.params).id);
    // Mail HTML needs inline styles; it is shown sandboxed, in a frame of our own page only.
    return reply
      .header(
        "content-security-policy",
        "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; frame-ancestors 'self'; sandbox",
      )
      .header("x-frame-options", "SAMEORIGIN")
      .type("text/html; charset=utf-8")
      .send(mail.html);
  });
}
