import type { FastifyInstance, FastifyRequest } from "fastify";
import { conservateurOf } from "../comptes/access.ts";
import type { AppContext } from "../context.ts";
import { NotFoundError } from "../platform/http/errors.ts";
import { sendPage } from "../ui/page.tsx";
import { departementExists, departementSummaries, type DepartementSummary } from "./repository.ts";

const DEPARTEMENT = /^([0-9]{2}|2A|2B|97[1-6])$/;

/**
 * Where a conservateur lands after signing in. Minimal pages for now: the conservateur dashboard
 * (issue 5) replaces them.
 */
export async function examenRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const departementOfUrl = async (request: FastifyRequest) => {
    const code = (request.params as { code?: string }).code ?? "";
    return DEPARTEMENT.test(code) && (await departementExists(db, code)) ? code : null;
  };

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
      const [departement] = await departementSummaries(db, [request.params.code]);
      if (!departement) throw new NotFoundError();
      return sendPage(
        request,
        reply,
        {
          title: `${departement.code} - ${departement.nom}`,
          breadcrumbs: [{ href: "/conservateurs/departements", label: "Mes départements" }, { label: departement.nom }],
        },
        <>
          <h1>
            {departement.code} - {departement.nom}
          </h1>
          <p class="fr-text--lead">
            {departement.communes} commune{departement.communes > 1 ? "s" : ""} avec des objets protégés, {departement.objets} objet
            {departement.objets > 1 ? "s" : ""}.
          </p>
          <p>Le tableau de bord des communes de ce département arrive bientôt ici.</p>
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
