import type { FastifyInstance } from "fastify";
import { FICHIERS_CSV, nomDeFichier, tableauDuFichier } from "../analyse/fichiers.ts";
import { chargerAnalyse } from "../analyse/repository.ts";
import { csvDuTableau } from "../analyse/tableaux.ts";
import type { AppContext } from "../context.ts";
import { publicAccess } from "../platform/http/access.ts";
import { FragmentPreRendu, renderFragment } from "../platform/http/render.ts";
import { sendPage } from "../ui/page.tsx";
import { cached } from "./cache.ts";
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
  const stats = cached(FIGURES_TTL_MS, () => nationalStats(db));
  // The national analysis reads every objet and recensement: computed at most once a minute per process.
  const analyse = cached(FIGURES_TTL_MS, () => chargerAnalyse(db, null));
  // Hundreds of chart and table nodes, the same for every visitor until the figures change: rendered once.
  const pageStats = cached(FIGURES_TTL_MS, async () => {
    const [national, figures] = await Promise.all([stats(), analyse()]);
    return renderFragment(<StatsPage stats={national} analyse={figures} />);
  });

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
      <FragmentPreRendu rendu={await pageStats()} />,
    ),
  );

  for (const nom of FICHIERS_CSV) {
    app.get(`/stats/${nom}.csv`, { config: publicAccess }, async (_request, reply) => {
      const [national, figures] = await Promise.all([stats(), analyse()]);
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
