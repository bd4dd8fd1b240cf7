import { Table } from "../../ui/components.tsx";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { sql, type Kysely } from "kysely";
import { z } from "zod";
import { actorOf } from "../../comptes/access.ts";
import { generateToken, hashToken } from "../../comptes/rules.ts";
import { addFlash } from "../../comptes/session.ts";
import { CsrfField } from "../../comptes/views/components.tsx";
import type { AppContext } from "../../context.ts";
import { audit } from "../../platform/audit.ts";
import type { DB } from "../../platform/db/schema.ts";
import { ConflictError, NotFoundError } from "../../platform/http/errors.ts";
import { sendPage } from "../../ui/page.tsx";

const adminRule = { access: { kind: "admin" } } as const;
const LIST_URL = "/admin/api-clients";
const breadcrumbs = (label?: string) => [
  { href: "/admin", label: "Administration" },
  ...(label ? [{ href: LIST_URL, label: "Accès à l’API" }, { label }] : [{ label: "Accès à l’API" }]),
];

export type ApiClientRow = {
  id: number;
  name: string;
  departement_codes: string[];
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
};

export async function listApiClients(db: Kysely<DB>): Promise<ApiClientRow[]> {
  return db
    .selectFrom("api_clients")
    .select(["id", "name", "departement_codes", "created_at", "last_used_at", "revoked_at"])
    .orderBy(sql`revoked_at is not null`)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .execute();
}

export async function findApiClientRow(db: Kysely<DB>, id: number): Promise<ApiClientRow | undefined> {
  return db
    .selectFrom("api_clients")
    .select(["id", "name", "departement_codes", "created_at", "last_used_at", "revoked_at"])
    .where("id", "=", id)
    .executeTakeFirst();
}

/** Splits "56, 68 2A" into known département codes; the unknown ones are returned apart. */
export function parseDepartementCodes(value: string, known: ReadonlySet<string>): { codes: string[]; unknown: string[] } {
  const parts = [
    ...new Set(
      value
        .split(/[\s,;]+/)
        .filter((part) => part !== "")
        .map((part) => part.toUpperCase()),
    ),
  ];
  const codes = parts.filter((part) => known.has(part)).sort();
  return { codes, unknown: parts.filter((part) => !known.has(part)) };
}

const dateFormat = new Intl.DateTimeFormat("fr-FR", { dateStyle: "short", timeStyle: "short", timeZone: "Europe/Paris" });
const formatDate = (date: Date | null) => (date ? dateFormat.format(new Date(date)) : "Jamais");

const CreateForm = z.object({
  name: z.string().trim().max(100).default(""),
  departements: z.string().trim().max(1000).default(""),
});

const idParam = z.object({ api_client_id: z.coerce.number().int().min(1).max(2_147_483_647) });

function clientId(request: FastifyRequest): number {
  const parsed = idParam.safeParse(request.params);
  if (!parsed.success) throw new NotFoundError();
  return parsed.data.api_client_id;
}

/**
 * Admin side of the API tokens: list, creation (the token is shown once, only its hash is stored),
 * revocation with an explicit confirmation.
 */
export async function apiClientsAdminRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;

  function listPage(
    request: FastifyRequest,
    reply: FastifyReply,
    clients: ApiClientRow[],
    form: { name: string; departements: string; errors: string[] },
    statusCode = 200,
  ) {
    const csrfToken = reply.generateCsrf();
    return sendPage(
      request,
      reply,
      { title: "Accès à l’API", breadcrumbs: breadcrumbs(), statusCode },
      <>
        <h1>Accès à l’API</h1>
        <p>
          Les données publiques de l’API (<a href="/api/v1/openapi.json">documentation OpenAPI</a>) sont ouvertes à tous. Les recensements,
          examens et dossiers ne sont servis qu’aux systèmes munis d’un jeton d’accès, limité à des départements.
        </p>
        <Table>
          <table>
            <caption>Jetons d’accès</caption>
            <thead>
              <tr>
                <th scope="col">Nom</th>
                <th scope="col">Départements</th>
                <th scope="col">Créé le</th>
                <th scope="col">Dernière utilisation</th>
                <th scope="col">État</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {clients.length === 0 ? (
                <tr>
                  <td colSpan={6}>Aucun jeton pour l’instant.</td>
                </tr>
              ) : (
                clients.map((client) => (
                  <tr key={client.id}>
                    <td>{client.name}</td>
                    <td>{client.departement_codes.join(", ")}</td>
                    <td>{formatDate(client.created_at)}</td>
                    <td>{formatDate(client.last_used_at)}</td>
                    <td>
                      {client.revoked_at ? (
                        <p class="fr-badge fr-badge--error fr-badge--no-icon">Révoqué le {formatDate(client.revoked_at)}</p>
                      ) : (
                        <p class="fr-badge fr-badge--success fr-badge--no-icon">Actif</p>
                      )}
                    </td>
                    <td>
                      {client.revoked_at ? null : (
                        <a class="fr-btn fr-btn--sm fr-btn--tertiary" href={`${LIST_URL}/${client.id}/revoquer`}>
                          Révoquer<span class="fr-sr-only"> le jeton {client.name}</span>
                        </a>
                      )}
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </Table>

        <h2>Nouveau jeton</h2>
        {form.errors.length > 0 ? (
          <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
            <h3 class="fr-alert__title">Le jeton n’a pas été créé</h3>
            <ul>
              {form.errors.map((error) => (
                <li key={error}>{error}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <form method="post" action={LIST_URL}>
          <CsrfField token={csrfToken} />
          <div class="fr-input-group">
            <label class="fr-label" for="api-client-name">
              Nom du système ou de l’organisme
              <span class="fr-hint-text">Par exemple : « DRAC Bretagne – outil de suivi ».</span>
            </label>
            <input class="fr-input" type="text" id="api-client-name" name="name" value={form.name} maxLength={100} required />
          </div>
          <div class="fr-input-group">
            <label class="fr-label" for="api-client-departements">
              Départements accessibles
              <span class="fr-hint-text">Codes séparés par des virgules ou des espaces, par exemple : 56, 29, 2A.</span>
            </label>
            <input class="fr-input" type="text" id="api-client-departements" name="departements" value={form.departements} required />
          </div>
          <button type="submit" class="fr-btn">
            Créer le jeton
          </button>
        </form>
      </>,
    );
  }

  app.get(LIST_URL, { config: adminRule }, async (request, reply) =>
    listPage(request, reply, await listApiClients(db), { name: "", departements: "", errors: [] }),
  );

  app.post(LIST_URL, { config: adminRule }, async (request, reply) => {
    const parsed = CreateForm.safeParse(request.body ?? {});
    const form = parsed.success ? parsed.data : { name: "", departements: "" };
    const known = new Set((await db.selectFrom("departements").select("code").execute()).map((row) => row.code));
    const { codes, unknown } = parseDepartementCodes(form.departements, known);
    const errors: string[] = [];
    if (!parsed.success) errors.push("Le formulaire est mal rempli.");
    if (form.name === "") errors.push("Indiquez le nom du système ou de l’organisme qui utilisera le jeton.");
    if (unknown.length > 0) errors.push(`Départements inconnus : ${unknown.join(", ")}.`);
    if (codes.length === 0 && unknown.length === 0) errors.push("Indiquez au moins un département.");
    if (errors.length > 0) return listPage(request, reply, await listApiClients(db), { ...form, errors }, 400);

    const identity = request.identity;
    const token = generateToken();
    const created = await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto("api_clients")
        .values({
          name: form.name,
          token_hash: hashToken(token),
          departement_codes: codes,
          created_by_admin_id: identity.kind === "admin" ? identity.id : null,
        })
        .returning(["id", "name", "departement_codes"])
        .executeTakeFirstOrThrow();
      await audit(trx, {
        actor: actorOf(identity),
        action: "api_client.create",
        subject: { type: "api_client", id: row.id },
        after: { name: row.name, departement_codes: row.departement_codes },
        ip: request.ip,
      });
      return row;
    });
    reply.header("cache-control", "no-store");
    return sendPage(
      request,
      reply,
      { title: "Jeton créé", breadcrumbs: breadcrumbs("Jeton créé") },
      <>
        <h1>Jeton créé pour {created.name}</h1>
        <div class="fr-alert fr-alert--warning fr-mb-3w">
          <h2 class="fr-alert__title">Copiez ce jeton maintenant</h2>
          <p>
            Il ne sera plus jamais affiché : Collectif Objets n’en garde qu’une empreinte. S’il est perdu, révoquez-le et créez-en un autre.
          </p>
        </div>
        <div class="fr-input-group">
          <label class="fr-label" for="api-token">
            Jeton d’accès (départements {created.departement_codes.join(", ")})
          </label>
          <input class="fr-input" type="text" id="api-token" value={token} readOnly />
        </div>
        <p>
          À envoyer dans l’en-tête <code>Authorization: Bearer &lt;jeton&gt;</code> des requêtes vers <code>/api/v1/recensements</code> et{" "}
          <code>/api/v1/dossiers</code>.
        </p>
        <p>
          <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={LIST_URL}>
            Retour aux jetons
          </a>
        </p>
      </>,
    );
  });

  function revokePage(request: FastifyRequest, reply: FastifyReply, client: ApiClientRow, error: string | null, statusCode = 200) {
    const csrfToken = reply.generateCsrf();
    return sendPage(
      request,
      reply,
      { title: `Révoquer le jeton ${client.name}`, breadcrumbs: breadcrumbs("Révoquer un jeton"), statusCode },
      <>
        <h1>Révoquer le jeton « {client.name} »</h1>
        <p>
          Départements : {client.departement_codes.join(", ")}. Dernière utilisation : {formatDate(client.last_used_at)}.
        </p>
        <p>Une fois révoqué, le jeton est refusé immédiatement (réponse 401) ; cette action est définitive.</p>
        {error ? (
          <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
            <p>{error}</p>
          </div>
        ) : null}
        <form method="post" action={`${LIST_URL}/${client.id}/revoquer`}>
          <CsrfField token={csrfToken} />
          <div class="fr-checkbox-group fr-mb-3w">
            <input type="checkbox" id="confirmer" name="confirmer" value="oui" required />
            <label class="fr-label" for="confirmer">
              Je confirme la révocation de ce jeton
            </label>
          </div>
          <ul class="fr-btns-group fr-btns-group--inline">
            <li>
              <button type="submit" class="fr-btn">
                Révoquer le jeton
              </button>
            </li>
            <li>
              <a class="fr-btn fr-btn--secondary" href={LIST_URL}>
                Annuler
              </a>
            </li>
          </ul>
        </form>
      </>,
    );
  }

  app.get(`${LIST_URL}/:api_client_id/revoquer`, { config: adminRule }, async (request, reply) => {
    const client = await findApiClientRow(db, clientId(request));
    if (!client) throw new NotFoundError();
    if (client.revoked_at) throw new ConflictError("Ce jeton est déjà révoqué.");
    return revokePage(request, reply, client, null);
  });

  app.post(`${LIST_URL}/:api_client_id/revoquer`, { config: adminRule }, async (request, reply) => {
    const client = await findApiClientRow(db, clientId(request));
    if (!client) throw new NotFoundError();
    if (client.revoked_at) throw new ConflictError("Ce jeton est déjà révoqué.");
    const confirmed = (request.body as Record<string, unknown> | undefined)?.confirmer === "oui";
    if (!confirmed) return revokePage(request, reply, client, "Cochez la case de confirmation pour révoquer ce jeton.", 400);
    const identity = request.identity;
    const revoked = await db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable("api_clients")
        .set({ revoked_at: sql`now()`, revoked_by_admin_id: identity.kind === "admin" ? identity.id : null })
        .where("id", "=", client.id)
        .where("revoked_at", "is", null)
        .returning("id")
        .executeTakeFirst();
      if (row) {
        await audit(trx, {
          actor: actorOf(identity),
          action: "api_client.revoke",
          subject: { type: "api_client", id: client.id },
          before: { name: client.name, departement_codes: client.departement_codes },
          ip: request.ip,
        });
      }
      return row !== undefined;
    });
    if (!revoked) throw new ConflictError("Ce jeton est déjà révoqué.");
    addFlash(request, { type: "success", message: `Le jeton « ${client.name} » est révoqué.` });
    return reply.redirect(LIST_URL, 303);
  });
}
