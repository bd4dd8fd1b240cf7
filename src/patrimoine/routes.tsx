import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { publicAccess } from "../platform/http/access.ts";
import { fichesRoutes } from "../fiches/routes.tsx";
import { pagesRoutes } from "../pages/routes.tsx";
import { NotFoundError } from "../platform/http/errors.ts";
import { parseInput } from "../platform/http/params.ts";
import { sendPage } from "../ui/page.tsx";
import { findCommuneByCodeInsee, findObjetByRef, listObjetsOfCommune } from "./repository.ts";
import { groupByEdifice, objetTitle, truncate } from "./rules.ts";
import { CommunePage, communeTitle } from "./views/commune.tsx";
import { ObjetPage } from "./views/objet.tsx";

export const CodeInsee = z.string().regex(/^[0-9][0-9AB][0-9]{3}$/);
export const PalissyRef = z.string().regex(/^[A-Z]{2}[0-9A-Z]{8}$/);

/** A path that cannot name a commune or an objet is a page that does not exist, not a malformed request. */
function parsePath<S extends z.ZodType>(schema: S, params: unknown): z.output<S> {
  const result = schema.safeParse(params);
  if (!result.success) throw new NotFoundError();
  return result.data;
}

/** Every public (anonymous) page: the patrimoine pages here, the other areas registered from here. */
export async function publicRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;

  app.get("/communes/:code_insee", { config: publicAccess }, async (request, reply) => {
    const { code_insee } = parsePath(z.object({ code_insee: CodeInsee }), request.params);
    const commune = await findCommuneByCodeInsee(db, code_insee);
    if (!commune) throw new NotFoundError("Aucune commune ne correspond à ce code INSEE.");
    const objets = await listObjetsOfCommune(db, code_insee);
    const groups = groupByEdifice(objets, commune.nom);
    return sendPage(
      request,
      reply,
      {
        title: communeTitle(commune, objets.length),
        description: `Objets mobiliers protégés au titre des monuments historiques à ${commune.nom}, par édifice.`,
        breadcrumbs: [{ href: "/", label: "Accueil" }, { label: commune.nom }],
      },
      <CommunePage commune={commune} groups={groups} count={objets.length} />,
    );
  });

  app.get("/objets", { config: publicAccess }, async (request, reply) => {
    const { commune_code_insee } = parseInput(z.object({ commune_code_insee: CodeInsee.optional() }), request.query);
    if (!commune_code_insee) throw new NotFoundError();
    const commune = await findCommuneByCodeInsee(db, commune_code_insee);
    if (!commune) throw new NotFoundError("Aucune commune ne correspond à ce code INSEE.");
    return reply.redirect(`/communes/${commune.code_insee}`);
  });

  app.get("/objets/:palissy_ref", { config: publicAccess }, async (request, reply) => {
    const { palissy_ref } = parsePath(z.object({ palissy_ref: PalissyRef }), request.params);
    const objet = await findObjetByRef(db, palissy_ref);
    if (!objet) throw new NotFoundError("Aucun objet ne correspond à cette référence Palissy.");
    const title = objetTitle(objet);
    return sendPage(
      request,
      reply,
      {
        title: `${title} (${objet.palissy_ref})`,
        breadcrumbs: [
          { href: "/", label: "Accueil" },
          ...(objet.commune_nom ? [{ href: `/communes/${objet.lieu_actuel_code_insee}`, label: objet.commune_nom }] : []),
          { label: truncate(title) },
        ],
      },
      <ObjetPage objet={objet} />,
    );
  });

  await pagesRoutes(app, ctx);
  await fichesRoutes(app, ctx);
}
