import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { conservateurOf } from "../comptes/access.ts";
import type { AppContext } from "../context.ts";
import { parseInput } from "../platform/http/params.ts";
import { sendPage } from "../ui/page.tsx";
import { rechercherCommunes, rechercherObjets, validerRecherche } from "./repository.ts";
import { communeHref, communeLabel, objetHref, objetLabel, RecherchePage, RESULTATS_MAX } from "./views.tsx";

const SUGGESTIONS_MAX = 5;
const conservateurRule = { access: { kind: "conservateur" } } as const;
// Anything longer than the limit is refused with a message by validerRecherche, not by the parser.
const rechercheQuery = z.object({ q: z.union([z.string(), z.array(z.string())]).optional() });

function saisie(query: unknown): string {
  const { q } = parseInput(rechercheQuery, query);
  return (Array.isArray(q) ? q[0] : q) ?? "";
}

export type Suggestions = { communes: { label: string; href: string }[]; objets: { label: string; href: string }[] };

/** Header search across the conservateur's communes and objets (RB §5.1, issue 5 point 7). */
export async function rechercheRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;

  app.get("/conservateurs/recherche", { config: conservateurRule }, async (request, reply) => {
    const q = saisie(request.query);
    const validation = validerRecherche(q);
    const codes = conservateurOf(request).departementCodes;
    const resultats = validation.ok
      ? {
          communes: await rechercherCommunes(db, codes, validation.recherche, RESULTATS_MAX),
          objets: await rechercherObjets(db, codes, validation.recherche, RESULTATS_MAX),
        }
      : null;
    return sendPage(
      request,
      reply,
      {
        title: validation.ok ? `Recherche « ${validation.recherche.q} »` : "Recherche",
        breadcrumbs: [{ href: "/conservateurs/departements", label: "Mes départements" }, { label: "Recherche" }],
      },
      <RecherchePage q={q.slice(0, 200)} message={validation.ok ? null : validation.message} resultats={resultats} />,
    );
  });

  app.get("/conservateurs/recherche/suggestions", { config: conservateurRule }, async (request, reply) => {
    const validation = validerRecherche(saisie(request.query));
    const suggestions: Suggestions = { communes: [], objets: [] };
    if (validation.ok) {
      const codes = conservateurOf(request).departementCodes;
      const [communes, objets] = [
        await rechercherCommunes(db, codes, validation.recherche, SUGGESTIONS_MAX),
        await rechercherObjets(db, codes, validation.recherche, SUGGESTIONS_MAX),
      ];
      suggestions.communes = communes.map((c) => ({ label: communeLabel(c), href: communeHref(c.code_insee) }));
      suggestions.objets = objets.map((o) => ({ label: objetLabel(o), href: objetHref(o.palissy_ref) }));
    }
    return reply.header("cache-control", "private, no-store").send(suggestions);
  });
}
