import { Table } from "../ui/components.tsx";
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";
import { adminCommunesRoutes } from "./communes.tsx";
import { adminCodesRoutes } from "./codes.tsx";
import { adminComptesRoutes } from "./comptes.tsx";
import { adminImportsRoutes } from "./imports.tsx";
import { adminSuiviRoutes } from "./suivi.tsx";
import { adminTableauRoutes } from "./tableau.tsx";
import { listDepartements } from "./repository.ts";
import { sendAdminPage } from "./views/page.tsx";

const adminRule = { access: { kind: "admin" } } as const;

/** Minimal back office: the hub and the lists to impersonate from (issue 9 builds the full back office). */
export async function adminRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  await adminTableauRoutes(app, ctx);
  await adminSuiviRoutes(app, ctx);
  await adminCommunesRoutes(app, ctx);
  await adminComptesRoutes(app, ctx);
  await adminCodesRoutes(app, ctx);
  await adminImportsRoutes(app, ctx);

  app.get("/admin/departements", { config: adminRule }, async (request, reply) => {
    const departements = await listDepartements(db);
    return sendAdminPage(
      request,
      reply,
      { title: "Départements", section: "departements" },
      <>
        <h1>Départements</h1>
        <Table>
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
        </Table>
      </>,
    );
  });
}
