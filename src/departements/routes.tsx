import type { FastifyInstance, FastifyRequest } from "fastify";
import { conservateurOf } from "../comptes/access.ts";
import type { AppContext } from "../context.ts";
import { NotFoundError } from "../platform/http/errors.ts";
import { sendPage } from "../ui/page.tsx";
import { departementDuParametre } from "./access.ts";
import { EnteteDepartement, findEnteteDepartement } from "./entete.tsx";
import { activiteDesDepartements, departementSummaries, findTableauDepartement } from "./repository.ts";
import { estFiltreStatut, lireFiltresTableau, lirePeriode, type FiltreStatut } from "./rules.ts";
import { CartesActivite, FormulairePeriode } from "./views/activite.tsx";
import { ListeDepartements } from "./views/liste.tsx";
import { TableauCommunes } from "./views/tableau.tsx";

declare module "@fastify/secure-session" {
  interface SessionData {
    /** Statut filter of each département's communes table, kept until "Réinitialiser les filtres" (RB §5.3). */
    filtresTableau: Record<string, FiltreStatut>;
  }
}

const MES_DEPARTEMENTS = { href: "/conservateurs/departements", label: "Mes départements" };

function filtresMemorises(request: FastifyRequest): Record<string, FiltreStatut> {
  const stored = request.session.get("filtresTableau");
  if (!stored || typeof stored !== "object") return {};
  return Object.fromEntries(Object.entries(stored).filter(([, value]) => estFiltreStatut(value)));
}

function memoriserFiltre(request: FastifyRequest, code: string, statut: FiltreStatut | undefined): void {
  const { [code]: current, ...others } = filtresMemorises(request);
  if (current === statut) return;
  request.session.set("filtresTableau", statut === undefined ? others : { ...others, [code]: statut });
}

/**
 * The département of the URL for the access rule: one of the conservateur's own is known to exist (its
 * row is referenced by theirs), so only a code outside their list costs a query, to tell 404 from 403.
 */
function departementDeLUrl(db: AppContext["database"]["db"]): (request: FastifyRequest) => Promise<string | null> {
  const parRequete = departementDuParametre(db);
  return async (request) => {
    const code = (request.params as { code?: string }).code ?? "";
    const identity = request.identity;
    if (identity.kind === "conservateur" && identity.departementCodes.includes(code)) return code;
    return parRequete(request);
  };
}

/** Address of the team for access requests: the mail sender's. */
function adresseContact(mailFrom: string): string {
  return /<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom;
}

/** Départements list, département dashboard (communes table, activity) and the activity of all départements (RB §5.2–5.4). */
export async function departementsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const departementOfUrl = departementDeLUrl(db);
  const contact = adresseContact(ctx.config.mailFrom);

  app.get("/conservateurs/departements", { config: { access: { kind: "conservateur" } } }, async (request, reply) => {
    const conservateur = conservateurOf(request);
    const departements = await departementSummaries(db, conservateur.departementCodes);
    return sendPage(request, reply, { title: "Mes départements" }, <ListeDepartements departements={departements} contact={contact} />);
  });

  // A static segment: Fastify's router prefers it to `/conservateurs/departements/:code`.
  app.get("/conservateurs/departements/activite", { config: { access: { kind: "conservateur" } } }, async (request, reply) => {
    const conservateur = conservateurOf(request);
    const codes = conservateur.departementCodes;
    if (codes.length === 1) {
      const query = request.url.includes("?") ? request.url.slice(request.url.indexOf("?")) : "";
      return reply.redirect(`/conservateurs/departements/${codes[0]}/activite${query}`, 303);
    }
    const lecture = lirePeriode(request.query);
    const [departements, activites] = await Promise.all([
      departementSummaries(db, codes),
      lecture.ok ? activiteDesDepartements(db, codes, lecture.periode) : undefined,
    ]);
    return sendPage(
      request,
      reply,
      {
        title: lecture.ok ? "Activité des communes" : "Erreur : Activité des communes",
        breadcrumbs: [MES_DEPARTEMENTS, { label: "Activité des communes" }],
        statusCode: lecture.ok ? 200 : 400,
      },
      <>
        <h1>Activité des communes</h1>
        {departements.length === 0 ? (
          <p>Vous n’avez accès à aucun département pour l’instant.</p>
        ) : (
          <>
            <FormulairePeriode action="/conservateurs/departements/activite" lecture={lecture} />
            {lecture.ok && activites
              ? departements.map((d) => {
                  const activite = activites.get(d.code);
                  return activite ? (
                    <section key={d.code} aria-labelledby={`activite-${d.code}`}>
                      <h2 id={`activite-${d.code}`}>
                        <a href={`/conservateurs/departements/${d.code}/activite`}>
                          {d.code} - {d.nom}
                        </a>
                      </h2>
                      <CartesActivite activite={activite} periode={lecture.periode} niveau={3} />
                    </section>
                  ) : null;
                })
              : null}
          </>
        )}
      </>,
    );
  });

  app.get<{ Params: { code: string } }>(
    "/conservateurs/departements/:code",
    { config: { access: { kind: "conservateur_departement", departement: departementOfUrl } } },
    async (request, reply) => {
      const code = request.params.code;
      if ((request.query as Record<string, unknown>).reinitialiser !== undefined) {
        memoriserFiltre(request, code, undefined);
        return reply.redirect(`/conservateurs/departements/${code}`, 303);
      }
      const filtres = lireFiltresTableau(request.query, filtresMemorises(request)[code]);
      if (filtres.statutExplicite) memoriserFiltre(request, code, filtres.statut);
      const tableau = await findTableauDepartement(ctx.database, code, filtres);
      if (!tableau) throw new NotFoundError();
      const { entete, resultat } = tableau;
      return sendPage(
        request,
        reply,
        { title: `${entete.code} - ${entete.nom}`, breadcrumbs: [MES_DEPARTEMENTS, { label: `${entete.code} - ${entete.nom}` }] },
        <>
          <EnteteDepartement entete={entete} onglet="tableau" />
          <TableauCommunes entete={entete} filtres={filtres} resultat={resultat} />
        </>,
      );
    },
  );

  app.get<{ Params: { code: string } }>(
    "/conservateurs/departements/:code/activite",
    { config: { access: { kind: "conservateur_departement", departement: departementOfUrl } } },
    async (request, reply) => {
      const code = request.params.code;
      const lecture = lirePeriode(request.query);
      const [entete, activites] = await Promise.all([
        findEnteteDepartement(db, code),
        lecture.ok ? activiteDesDepartements(db, [code], lecture.periode) : undefined,
      ]);
      if (!entete) throw new NotFoundError();
      const activite = activites?.get(code);
      return sendPage(
        request,
        reply,
        {
          title: `${lecture.ok ? "" : "Erreur : "}Activité — ${entete.code} - ${entete.nom}`,
          breadcrumbs: [
            MES_DEPARTEMENTS,
            { href: `/conservateurs/departements/${code}`, label: `${entete.code} - ${entete.nom}` },
            { label: "Activité" },
          ],
          statusCode: lecture.ok ? 200 : 400,
        },
        <>
          <EnteteDepartement entete={entete} onglet="activite" />
          <FormulairePeriode action={`/conservateurs/departements/${code}/activite`} lecture={lecture} />
          {lecture.ok && activite ? <CartesActivite activite={activite} periode={lecture.periode} niveau={2} /> : null}
        </>,
      );
    },
  );
}
