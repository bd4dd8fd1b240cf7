import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";
import { publicAccess } from "../platform/http/access.ts";
import { NotFoundError } from "../platform/http/errors.ts";
import { sendPage } from "../ui/page.tsx";
import { findFiche, listFiches } from "./fiches.ts";
import { objetsConcernesParFiche } from "./repository.ts";
import { FichePage, FichesPage } from "./views/fiches.tsx";

export async function fichesRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // Loaded at registration: a missing or malformed fiche stops the start-up instead of failing a request.
  const fiches = listFiches();

  app.get("/fiches", { config: publicAccess }, async (request, reply) =>
    sendPage(
      request,
      reply,
      { title: "Fiches conseil", breadcrumbs: [{ href: "/", label: "Accueil" }, { label: "Fiches conseil" }] },
      <FichesPage fiches={fiches} />,
    ),
  );

  app.get<{ Params: { id: string } }>("/fiches/:id", { config: publicAccess }, async (request, reply) => {
    const fiche = findFiche(request.params.id);
    if (!fiche) throw new NotFoundError("Cette fiche conseil n’existe pas.");
    const identity = request.identity;
    const objets = identity?.kind === "commune" ? await objetsConcernesParFiche(ctx.database.db, identity.communeId, fiche.id) : [];
    return sendPage(
      request,
      reply,
      {
        title: fiche.titre,
        description: fiche.resume,
        breadcrumbs: [{ href: "/", label: "Accueil" }, { href: "/fiches", label: "Fiches conseil" }, { label: fiche.titre }],
      },
      <FichePage fiche={fiche} objets={objets} others={fiches.filter((other) => other.id !== fiche.id)} />,
    );
  });
}
