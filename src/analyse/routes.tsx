import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";
import { departementDuParametre } from "../departements/access.ts";
import { EnteteDepartement, findEnteteDepartement } from "../departements/entete.tsx";
import { NotFoundError } from "../platform/http/errors.ts";
import { sendPage } from "../ui/page.tsx";
import { FICHIERS_CSV, nomDeFichier, tableauDuFichier } from "./fichiers.ts";
import { cached } from "../pages/cache.ts";
import { chargerAnalyse, objetsNonVus, type Analyse } from "./repository.ts";
import { lirePage } from "./rules.ts";
import { csvDuTableau } from "./tableaux.ts";
import { SectionCouverture, SectionEtats, SectionProgression } from "./views/analyse.tsx";

const MES_DEPARTEMENTS = { href: "/conservateurs/departements", label: "Mes départements" };

/**
 * The aggregates read every objet and recensement of the département, several times the cost of the rest of
 * the page: they are kept a minute per département (figures that move by the day), like the national ones on
 * /stats. The list of objets seen longest ago is one indexed page, read live.
 */
const ANALYSE_TTL_MS = 60_000;

/** Analysis tab of the département dashboard and its CSV downloads (issue 10). */
export async function analyseRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const access = { kind: "conservateur_departement", departement: departementDuParametre(db, "code") } as const;
  const parDepartement = new Map<string, () => Promise<Analyse>>();
  const analyseDe = (code: string): Promise<Analyse> => {
    let charger = parDepartement.get(code);
    if (!charger) {
      charger = cached(ANALYSE_TTL_MS, () => chargerAnalyse(db, code));
      parDepartement.set(code, charger);
    }
    return charger();
  };

  app.get<{ Params: { code: string } }>("/conservateurs/departements/:code/analyse", { config: { access } }, async (request, reply) => {
    const code = request.params.code;
    const page = lirePage(request.query);
    const [entete, analyse, nonVus] = await Promise.all([findEnteteDepartement(db, code), analyseDe(code), objetsNonVus(db, code, page)]);
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
        <SectionEtats etats={analyse.etats} csv={csv} niveau={2} />
        <SectionProgression progression={analyse.progression} csv={csv} niveau={2} avecDepartement={false} />
      </>,
    );
  });

  for (const nom of FICHIERS_CSV) {
    app.get<{ Params: { code: string } }>(
      `/conservateurs/departements/:code/analyse/${nom}.csv`,
      { config: { access } },
      async (request, reply) => {
        const code = request.params.code;
        const [analyse, objets] = await Promise.all([analyseDe(code), nom === "couverture" ? objetsNonVus(db, code, null) : undefined]);
        const tableau = tableauDuFichier(nom, analyse, { national: false, nomsDepartements: new Map(), objetsNonVus: objets });
        return reply
          .header("content-type", "text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="${nomDeFichier(`analyse-${code}`, nom)}"`)
          .send(csvDuTableau(tableau));
      },
    );
  }
}
