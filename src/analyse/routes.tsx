import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";
import { departementDuParametre } from "../departements/access.ts";
import { EnteteDepartement, findEnteteDepartement } from "../departements/entete.tsx";
import { NotFoundError } from "../platform/http/errors.ts";
import { FragmentPreRendu, renderFragment, type FragmentRendu } from "../platform/http/render.ts";
import { sendPage } from "../ui/page.tsx";
import { FICHIERS_CSV, nomDeFichier, tableauDuFichier } from "./fichiers.ts";
import { cachedStale } from "../pages/cache.ts";
import { chargerAnalyse, objetsNonVus, type Analyse, type ObjetNonVu } from "./repository.ts";
import { ANALYSE_TTL_MS, OBJETS_NON_VUS_PAR_PAGE, lirePage } from "./rules.ts";
import { csvDuTableau } from "./tableaux.ts";
import { DateDesChiffres, SectionCouverture, SectionEtats, SectionProgression } from "./views/analyse.tsx";

const MES_DEPARTEMENTS = { href: "/conservateurs/departements", label: "Mes départements" };

/**
 * The aggregates read every objet and recensement of the département, hundreds of times the cost of the page:
 * they are computed off the request path and kept per département (figures that move by the day), like the
 * national ones on /stats. Past the delay, readers get the kept figures while one recomputation runs.
 * The département's list of objets by last visit (a few thousand short rows) is kept with them; the pages of
 * 20 and the CSV file slice it (ANALYSE_TTL_MS).
 */

/** Pages of the analysis rendered and kept with one set of figures (page 1 and the next few are read most). */
const PAGES_GARDEES = 5;
/**
 * Départements whose figures are kept, the least recently read dropped first: a conservateur reads one to
 * three, and the largest département's figures weigh a few megabytes (its objets by last visit).
 */
const DEPARTEMENTS_GARDES = 12;

/** Analysis tab of the département dashboard and its CSV downloads (issue 10). */
export async function analyseRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const access = { kind: "conservateur_departement", departement: departementDuParametre(db, "code") } as const;
  type Figures = { analyse: Analyse; objets: ObjetNonVu[]; calculeLe: Date; pages: Map<number, FragmentRendu> };
  const parDepartement = new Map<string, () => Promise<Figures>>();
  const figuresDe = (code: string): Promise<Figures> => {
    let charger = parDepartement.get(code);
    if (charger) {
      parDepartement.delete(code);
    } else {
      charger = cachedStale(
        ANALYSE_TTL_MS,
        async () => {
          const calculeLe = new Date();
          const [analyse, objets] = await Promise.all([chargerAnalyse(db, code, calculeLe), objetsNonVus(db, code, null, calculeLe)]);
          return { analyse, objets, calculeLe, pages: new Map() };
        },
        { onError: (error) => app.log.error({ err: error, departement: code }, "analyse : recalcul des chiffres en échec") },
      );
      const plusAncien = parDepartement.keys().next();
      if (parDepartement.size >= DEPARTEMENTS_GARDES && !plusAncien.done) parDepartement.delete(plusAncien.value);
    }
    parDepartement.set(code, charger);
    return charger();
  };

  /** Everything below the header for one page of the list: the same for every reader of these figures. */
  const contenu = (code: string, figures: Figures, page: number): FragmentRendu => {
    const kept = figures.pages.get(page);
    if (kept) return kept;
    const base = `/conservateurs/departements/${code}/analyse`;
    const csv = (nom: string) => `${base}/${nom}.csv`;
    const { analyse, objets } = figures;
    const nonVus = objets.slice((page - 1) * OBJETS_NON_VUS_PAR_PAGE, page * OBJETS_NON_VUS_PAR_PAGE);
    const rendu = renderFragment(
      <>
        <DateDesChiffres calculeLe={figures.calculeLe} delaiMinutes={ANALYSE_TTL_MS / 60_000} />
        <SectionCouverture couverture={analyse.couverture} nonVus={{ objets: nonVus, page, base: `${base}?` }} csv={csv} niveau={2} />
        <SectionEtats etats={analyse.etats} csv={csv} niveau={2} />
        <SectionProgression progression={analyse.progression} csv={csv} niveau={2} avecDepartement={false} />
      </>,
    );
    if (figures.pages.size >= PAGES_GARDEES) figures.pages.delete(figures.pages.keys().next().value as number);
    figures.pages.set(page, rendu);
    return rendu;
  };

  app.get<{ Params: { code: string } }>("/conservateurs/departements/:code/analyse", { config: { access } }, async (request, reply) => {
    const code = request.params.code;
    const page = lirePage(request.query);
    const [entete, figures] = await Promise.all([findEnteteDepartement(db, code), figuresDe(code)]);
    if (!entete) throw new NotFoundError();
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
        <FragmentPreRendu rendu={contenu(code, figures, page)} />
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
