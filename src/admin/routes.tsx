import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { CsrfField } from "../comptes/views/components.tsx";
import type { AppContext } from "../context.ts";
import { parseInput } from "../platform/http/params.ts";
import { Pagination } from "../ui/components.tsx";
import { sendPage } from "../ui/page.tsx";
import { adminCommunesRoutes } from "./communes.tsx";
import { adminSuiviRoutes } from "./suivi.tsx";
import { adminTableauRoutes } from "./tableau.tsx";
import { ADMIN_PAGE_SIZE, listConservateurs, listDepartements } from "./repository.ts";

const adminRule = { access: { kind: "admin" } } as const;
const pageSchema = z.coerce.number().int().min(1).max(100_000).default(1);

/** Minimal back office: the hub and the lists to impersonate from (issue 9 builds the full back office). */
export async function adminRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  await adminTableauRoutes(app, ctx);
  await adminSuiviRoutes(app, ctx);
  await adminCommunesRoutes(app, ctx);

  app.get("/admin/departements", { config: adminRule }, async (request, reply) => {
    const departements = await listDepartements(db);
    return sendPage(
      request,
      reply,
      { title: "Départements", breadcrumbs: [{ href: "/admin", label: "Administration" }, { label: "Départements" }] },
      <>
        <h1>Départements</h1>
        <div class="fr-table">
          <table>
            <caption>Départements, avec leurs exports vers les bases nationales</caption>
            <thead>
              <tr>
                <th scope="col">Département</th>
                <th scope="col">Communes</th>
                <th scope="col">Objets</th>
                <th scope="col">Exports</th>
              </tr>
            </thead>
            <tbody>
              {departements.map((d) => (
                <tr key={d.code}>
                  <td>
                    {d.code} - {d.nom}
                  </td>
                  <td>{d.communes.toLocaleString("fr-FR")}</td>
                  <td>{d.objets.toLocaleString("fr-FR")}</td>
                  <td>
                    <a href={`/admin/departements/${d.code}/exports`}>
                      Exports<span class="fr-sr-only"> du département {d.nom}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </>,
    );
  });

  app.get("/admin/conservateurs", { config: adminRule }, async (request, reply) => {
    const query = parseInput(z.object({ page: pageSchema }), request.query);
    const rows = await listConservateurs(db, query.page);
    const csrfToken = reply.generateCsrf();
    return sendPage(
      request,
      reply,
      { title: "Conservateurs", breadcrumbs: [{ href: "/admin", label: "Administration" }, { label: "Conservateurs" }] },
      <>
        <h1>Conservateurs</h1>
        <div class="fr-table">
          <table>
            <caption>Comptes conservateurs et conservatrices</caption>
            <thead>
              <tr>
                <th scope="col">Nom</th>
                <th scope="col">Email</th>
                <th scope="col">Départements</th>
                <th scope="col">Téléphone</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, ADMIN_PAGE_SIZE).map((c) => (
                <tr key={c.id}>
                  <td>
                    {c.first_name} {c.last_name}
                  </td>
                  <td>{c.email}</td>
                  <td>{c.departement_codes.join(", ")}</td>
                  <td>{c.phone_number ?? ""}</td>
                  <td>
                    <form method="post" action={`/admin/conservateurs/${c.id}/incarner`}>
                      <CsrfField token={csrfToken} />
                      <button type="submit" class="fr-btn fr-btn--sm fr-btn--secondary">
                        Incarner
                        <span class="fr-sr-only">
                          {" "}
                          {c.first_name} {c.last_name}
                        </span>
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Pagination base="/admin/conservateurs?" page={query.page} hasNext={rows.length > ADMIN_PAGE_SIZE} />
      </>,
    );
  });
}
