import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { communeOf } from "../comptes/access.ts";
import type { AppContext } from "../context.ts";
import { groupByEdifice, objetTitle, truncate } from "../patrimoine/rules.ts";
import { memoirePhotos } from "../patrimoine/views/objet.tsx";
import { NotFoundError } from "../platform/http/errors.ts";
import { parseInput } from "../platform/http/params.ts";
import { sendPage } from "../ui/page.tsx";
import { countObjetsDeCommune, findCommuneRecensement, findObjetDeCommune, listObjetsDeCommune } from "./objets-repository.ts";
import { assertPositiveInt } from "./repository.ts";
import { ObjetCommunePage, PhotoMemoirePage } from "./views/objet.tsx";
import { ObjetsListPage, etatListe, objetHref, paginer, titreListe } from "./views/objets-list.tsx";
import { PremiereVisitePage } from "./views/premiere-visite.tsx";

const communeRule = { access: { kind: "commune", param: "code_insee" } } as const;

type ObjetParams = { code_insee: string; objet_id?: string; n?: string };

/** The commune's objets: première visite, list by édifice, objet page and full-screen Mémoire photos (RB §4.2–4.4). */
export async function objetsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const listeHref = (codeInsee: string) => `/communes/${codeInsee}/objets`;
  const accueil = { href: "/", label: "Accueil" };

  app.get("/communes/:code_insee/premiere-visite", { config: communeRule }, async (request, reply) => {
    const commune = communeOf(request);
    const count = await countObjetsDeCommune(db, commune.codeInsee);
    return sendPage(
      request,
      reply,
      { title: `Recensez vos objets en 3 étapes — ${commune.nom}`, breadcrumbs: [accueil, { label: "Première visite" }] },
      <PremiereVisitePage communeNom={commune.nom} codeInsee={commune.codeInsee} count={count} />,
    );
  });

  app.get("/communes/:code_insee/objets", { config: communeRule }, async (request, reply) => {
    const { page } = parseInput(z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1) }), request.query);
    const identity = communeOf(request);
    const commune = await findCommuneRecensement(db, identity.communeId);
    const objets = await listObjetsDeCommune(db, commune.code_insee, commune.dossier?.id ?? null);
    const etat = etatListe(commune, objets);
    const groups = groupByEdifice(objets, commune.nom);
    const pagination = paginer(groups, page);
    if (!pagination) throw new NotFoundError("Cette page de la liste des objets n’existe pas.");
    const titre = titreListe(etat, commune.nom);
    return sendPage(
      request,
      reply,
      {
        title: [
          titre,
          ...(etat.kind === "envoye" || etat.kind === "examine" ? [] : [commune.nom]),
          ...(pagination.pages > 1 ? [`page ${pagination.page} sur ${pagination.pages}`] : []),
        ].join(" — "),
        breadcrumbs: [accueil, { label: `Objets de ${commune.nom}` }],
      },
      <ObjetsListPage
        commune={commune}
        etat={etat}
        groups={groups}
        pagination={pagination}
        count={objets.length}
        csrfToken={reply.generateCsrf()}
      />,
    );
  });

  app.get("/communes/:code_insee/objets/:objet_id", { config: communeRule }, async (request, reply) => {
    const objetId = assertPositiveInt((request.params as ObjetParams).objet_id, "Numéro d’objet");
    const identity = communeOf(request);
    const commune = await findCommuneRecensement(db, identity.communeId);
    const objet = await findObjetDeCommune(db, commune.code_insee, objetId, commune.dossier?.id ?? null);
    const titre = objetTitle(objet);
    return sendPage(
      request,
      reply,
      {
        title: `${titre} — ${commune.nom}`,
        breadcrumbs: [accueil, { href: listeHref(commune.code_insee), label: `Objets de ${commune.nom}` }, { label: truncate(titre) }],
      },
      <ObjetCommunePage
        objet={objet}
        codeInsee={commune.code_insee}
        dossierStatus={commune.dossier?.status ?? null}
        csrfToken={reply.generateCsrf()}
      />,
    );
  });

  app.get("/communes/:code_insee/objets/:objet_id/photos-memoire/:n", { config: communeRule }, async (request, reply) => {
    const params = request.params as ObjetParams;
    const objetId = assertPositiveInt(params.objet_id, "Numéro d’objet");
    const n = assertPositiveInt(params.n, "Numéro de photo");
    const identity = communeOf(request);
    const objet = await findObjetDeCommune(db, identity.codeInsee, objetId, null);
    const titre = objetTitle(objet);
    const photos = memoirePhotos(objet.palissy_photos, titre);
    if (n > photos.length) throw new NotFoundError("Cette photo n’existe pas.");
    return sendPage(
      request,
      reply,
      {
        title: `Photo ${n} sur ${photos.length} — ${titre}`,
        breadcrumbs: [
          accueil,
          { href: listeHref(identity.codeInsee), label: `Objets de ${identity.nom}` },
          { href: objetHref(identity.codeInsee, objetId), label: truncate(titre) },
          { label: `Photo ${n}` },
        ],
      },
      <PhotoMemoirePage titre={titre} codeInsee={identity.codeInsee} objetId={objetId} photos={photos} n={n} />,
    );
  });
}
