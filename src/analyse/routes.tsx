import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";
import { departementDuParametre } from "../departements/access.ts";
import { EnteteDepartement, findEnteteDepartement } from "../departements/entete.tsx";
import { NotFoundError } from "../platform/http/errors.ts";
import { FragmentPreRendu, renderFragment, type FragmentRendu } from "../platform/http/render.ts";
import { sendPage } from "../ui/page.tsx";
import { FICHIERS_CSV, nomDeFichier, tableauDuFichier } from "./fichiers.ts";
import { cached } from "../pages/cache.ts";
import { chargerAnalyse, objetsNonVus, type Analyse, type ObjetNonVu } from "./repository.ts";
import { OBJETS_NON_VUS_PAR_PAGE, lirePage } from "./rules.ts";
import { csvDuTableau } from "./tableaux.ts";
import { SectionCouverture, SectionEtats, SectionProgression } from "./views/analyse.tsx";

const MES_DEPARTEMENTS = { href: "/conservateurs/departements", label: "Mes départements" };

/**
 * The aggregates read every objet and recensement of the département, several times the cost of the rest of
 * the page: they are kept a minute per département (figures that move by the day), like the national ones on
 * /stats. So is the département's list of objets by last visit (a few thousand short rows), which the
 * pages of 20 and the CSV file slice.
 */
const ANALYSE_TTL_MS = 60_000;

/** Analysis tab of the département dashboard and its CSV downloads (issue 10). */
export async function analyseRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const access = { kind: "conservateur_departement", departement: departementDuParametre(db, "code") } as const;
  /** `sections`: the charts and tables that do not depend on the page, rendered once with the figures. */
  type Figures = { analyse: Analyse; objets: ObjetNonVu[]; sections: FragmentRendu };
  const parDepartement = new Map<string, () => Promise<Figures>>();
  const figuresDe = (code: string): Promise<Figures> => {
    let charger = parDepartement.get(code);
    if (!charger) {
      charger = cached(ANALYSE_TTL_MS, async () => {
        const [analyse, objets] = await Promise.all([chargerAnalyse(db, code), objetsNonVus(db, code, null)]);
        const csv = (nom: string) => `/conservateurs/departements/${code}/analyse/${nom}.csv`;
        const sections = renderFragment(
          <>
            <SectionEtats etats={analyse.etats} csv={csv} niveau={2} />
            <SectionProgression progression={analyse.progression} csv={csv} niveau={2} avecDepartement={false} />
          </>,
        );
        return { analyse, objets, sections };
      });
      parDepartement.set(code, charger);
    }
    return charger();
  };

  app.get<{ Params: { code: string } }>("/conservateurs/departements/:code/analyse", { config: { access } }, async (request, reply) => {
    const code = request.params.code;
    const page = lirePage(request.query);
    const [entete, { analyse, objets, sections }] = await Promise.all([findEnteteDepartement(db, code), figuresDe(code)]);
    const nonVus = objets.slice((page - 1) * OBJETS_NON_VUS_PAR_PAGE, page * OBJETS_NON_VUS_PAR_PAGE);
    if (!entete) throw new NotFoundError();
    const base = `/conservateurs/departements/${code}/analyse`;
    const csv = (nom: string) => `${base}/${nom}.csv`;
    return sendPage(
      request,
      reply,
      {
        title: `Analyse — ${entete.code} - ${entete.nom}`,
        breadcrumbs: [
          MES_DEPARTEMENTS,
          { href: `/conservateurs/departements/${code}`, label: `${entete.code} - ${entete.nom}` },
          { label: "Analyse" },
        ],
      },
      <>
        <EnteteDepartement entete={entete} onglet="analyse" />
        <SectionCouverture couverture={analyse.couverture} nonVus={{ objets: nonVus, page, base: `${base}?` }} csv={csv} niveau={2} />
        <FragmentPreRendu rendu={sections} />
      </>,
    );
  });

  for (const nom of FICHIERS_CSV) {
    app.get<{ Params: { code: string } }>(
      `/conservateurs/departements/:code/analyse/${nom}.csv`,
      { config: { access } },
      async (request, reply) => {
        const code = request.params.code;
        const { analyse, objets } = await figuresDe(code);
        const tableau = tableauDuFichier(nom, analyse, { national: false, nomsDepartements: new Map(), objetsNonVus: objets });
        return reply
          .header("content-type", "text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="${nomDeFichier(`analyse-${code}`, nom)}"`)
          .send(csvDuTableau(tableau));
      },
    );
  }
}
