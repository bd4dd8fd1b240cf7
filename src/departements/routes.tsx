import type { FastifyInstance } from "fastify";
import { conservateurOf } from "../comptes/access.ts";
import type { AppContext } from "../context.ts";
import { NotFoundError } from "../platform/http/errors.ts";
import { sendPage } from "../ui/page.tsx";
import { departementDuParametre } from "./access.ts";
import { EnteteDepartement, findEnteteDepartement } from "./entete.tsx";
import { departementSummaries, type DepartementSummary } from "./repository.ts";

/** Départements list and département dashboard (RB §5.2–5.4). */
export async function departementsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const departementOfUrl = departementDuParametre(db);

  app.get("/conservateurs/departements", { config: { access: { kind: "conservateur" } } }, async (request, reply) => {
    const conservateur = conservateurOf(request);
    const departements = await departementSummaries(db, conservateur.departementCodes);
    return sendPage(
      request,
      reply,
      { title: "Mes départements" },
      <>
        <h1>Mes départements</h1>
        {departements.length === 0 ? (
          <p>Aucun département ne vous est attribué pour l’instant : écrivez à l’équipe Collectif Objets pour l’ajouter.</p>
        ) : (
          <DepartementsTable departements={departements} />
        )}
      </>,
    );
  });

  app.get<{ Params: { code: string } }>(
    "/conservateurs/departements/:code",
    { config: { access: { kind: "conservateur_departement", departement: departementOfUrl } } },
    async (request, reply) => {
      const entete = await findEnteteDepartement(db, request.params.code);
      if (!entete) throw new NotFoundError();
      return sendPage(
        request,
        reply,
        {
          title: `${entete.code} - ${entete.nom}`,
          breadcrumbs: [{ href: "/conservateurs/departements", label: "Mes départements" }, { label: entete.nom }],
        },
        <>
          <EnteteDepartement entete={entete} onglet="tableau" />
          <p>Le tableau des communes de ce département arrive bientôt ici.</p>
        </>,
      );
    },
  );
}

function DepartementsTable({ departements }: { departements: DepartementSummary[] }) {
  return (
    <div class="fr-table">
      <table>
        <caption>Départements dont vous avez la charge</caption>
        <thead>
          <tr>
            <th scope="col">Département</th>
            <th scope="col">Communes</th>
            <th scope="col">Objets</th>
          </tr>
        </thead>
        <tbody>
          {departements.map((d) => (
            <tr key={d.code}>
              <td>
                <a href={`/conservateurs/departements/${d.code}`}>
                  {d.code} - {d.nom}
                </a>
              </td>
              <td>{d.communes}</td>
              <td>{d.objets}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
