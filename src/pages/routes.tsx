import type { FastifyInstance } from "fastify";
import { FICHIERS_CSV, nomDeFichier, tableauDuFichier } from "../analyse/fichiers.ts";
import { chargerAnalyse } from "../analyse/repository.ts";
import { ANALYSE_TTL_MS } from "../analyse/rules.ts";
import { csvDuTableau } from "../analyse/tableaux.ts";
import type { AppContext } from "../context.ts";
import { publicAccess } from "../platform/http/access.ts";
import { FragmentPreRendu, renderFragment } from "../platform/http/render.ts";
import { sendPage } from "../ui/page.tsx";
import { cached, cachedStale } from "./cache.ts";
import { homeCounters, nationalStats } from "./repository.ts";
import { CommentCaMarchePage } from "./views/comment-ca-marche.tsx";
import { HomePage } from "./views/home.tsx";
import { ConfidentialitePage, DeclarationAccessibilitePage, MentionsLegalesPage } from "./views/legal.tsx";
import { PlanPage } from "./views/plan.tsx";
import { StatsPage } from "./views/stats.tsx";

/** Public figures may lag by a minute; they stay cheap however often the home page is hit. */
const FIGURES_TTL_MS = 60_000;

const STATIC_PAGES = [
  { path: "/comment-ca-marche", title: "Comment ça marche ?", Page: CommentCaMarchePage },
  { path: "/plan", title: "Plan du site", Page: PlanPage },
  { path: "/mentions-legales", title: "Mentions légales", Page: MentionsLegalesPage },
  { path: "/confidentialite", title: "Données personnelles", Page: ConfidentialitePage },
  { path: "/declaration-accessibilite", title: "Déclaration d’accessibilité", Page: DeclarationAccessibilitePage },
];

/** Home, statistics and the editorial pages. */
export async function pagesRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const counters = cached(FIGURES_TTL_MS, () => homeCounters(db));
  // The national analysis reads every objet and recensement (seconds on the national dataset): computed off
  // the request path, at most every ANALYSE_TTL_MS per process, and its hundreds of chart and table nodes,
  // the same for every visitor, rendered once with it.
  const statistiques = cachedStale(
    ANALYSE_TTL_MS,
    async () => {
      const calculeLe = new Date();
      const [national, figures] = await Promise.all([nationalStats(db), chargerAnalyse(db, null, calculeLe)]);
      const page = renderFragment(<StatsPage stats={national} analyse={figures} calculeLe={calculeLe} />);
      return { national, figures, page };
    },
    { onError: (error) => app.log.error({ err: error }, "statistiques : recalcul des chiffres en échec") },
  );

  app.get("/", { config: publicAccess }, async (request, reply) =>
    sendPage(
      request,
      reply,
      {
        title: "Collectif Objets",
        description:
          "Recensement participatif des objets mobiliers protégés au titre des monuments historiques, par les communes, avec les conservateurs.",
      },
      <HomePage counters={await counters()} />,
    ),
  );

  app.get("/stats", { config: publicAccess }, async (request, reply) =>
    sendPage(
      request,
      reply,
      { title: "Statistiques", breadcrumbs: [{ href: "/", label: "Accueil" }, { label: "Statistiques" }] },
      <FragmentPreRendu rendu={(await statistiques()).page} />,
    ),
  );

  for (const nom of FICHIERS_CSV) {
    app.get(`/stats/${nom}.csv`, { config: publicAccess }, async (_request, reply) => {
      const { national, figures } = await statistiques();
      const nomsDepartements = new Map(national.departements.map((departement) => [departement.code, departement.nom]));
      const tableau = tableauDuFichier(nom, figures, { national: true, nomsDepartements });
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${nomDeFichier("collectif-objets", nom)}"`)
        .send(csvDuTableau(tableau));
    });
  }

  for (const { path, title, Page } of STATIC_PAGES) {
    app.get(path, { config: publicAccess }, async (request, reply) =>
      sendPage(
        request,
        reply,
        { title, breadcrumbs: [{ href: "/", label: "Accueil" }, { label: title }] },
        <div class="fr-grid-row">
          <div class="fr-col-12 fr-col-lg-9">
            <Page />
          </div>
        </div>,
      ),
    );
  }
}
