import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ComponentChildren } from "preact";
import { z } from "zod";
import { conservateurOf } from "../comptes/access.ts";
import type { AppContext } from "../context.ts";
import { departementDeLaCommune } from "../departements/access.ts";
import { findConservateurDuDossier, listRecensementsDuDossier } from "../dossier/repository.ts";
import { listFiches } from "../fiches/fiches.ts";
import { groupByEdifice } from "../patrimoine/rules.ts";
import { ClientScript } from "../platform/http/client-assets.ts";
import { parseInput } from "../platform/http/params.ts";
import { cspNonce } from "../platform/http/server.ts";
import { sendPage } from "../ui/page.tsx";
import { ordreDesCartes } from "./cartes.ts";
import {
  findCommuneConservateur,
  listDossiersArchives,
  listEvenementsCommune,
  listObjetsCartes,
  listRecensementsExamen,
  listRecensementsSupprimes,
  type CommuneConservateur,
} from "./commune-repository.ts";
import { etatEnvoiExamen, type EtatEnvoiExamen } from "./rules.ts";
import { CommuneConservateurEntete, communeBreadcrumbs, type OngletCommune } from "./views/commune-entete.tsx";
import { ExamenAccepte, ExamenAVenirConservateur } from "./views/commune-examen.tsx";
import { HistoriqueOnglet } from "./views/commune-historique.tsx";
import { RecensementOnglet } from "./views/commune-recensement.tsx";
import { RecensementsSupprimes } from "./views/commune-supprimes.tsx";

type Params = { Params: { code_insee: string } };

const TITRES: Record<OngletCommune, string> = {
  recensement: "Recensement",
  examen: "Examen",
  messagerie: "Messagerie",
  bordereaux: "Bordereaux de récolement",
  historique: "Historique",
};

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1) });

/**
 * A tab of the conservateur's commune page: the commune header with its tabs, then the tab's content.
 * Other areas (messagerie, bordereaux) render their tab through it.
 */
export function sendCommunePage(
  request: FastifyRequest,
  reply: FastifyReply,
  commune: CommuneConservateur,
  onglet: OngletCommune,
  body: ComponentChildren,
  statusCode?: number,
): FastifyReply {
  return sendPage(
    request,
    reply,
    {
      title: `${TITRES[onglet]} — ${commune.nom} (${commune.code_insee})`,
      breadcrumbs: communeBreadcrumbs(commune, onglet === "recensement" ? undefined : TITRES[onglet]),
      ...(statusCode ? { statusCode } : {}),
    },
    <>
      <CommuneConservateurEntete commune={commune} onglet={onglet} />
      {body}
    </>,
  );
}

/**
 * The conservateur's page of a commune and its tabs (RB §5.5–5.6, §5.10–5.13): each tab is its own
 * URL, and each page issues a fixed number of SQL statements whatever the number of objets.
 */
export async function communeConservateurRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const fiches = listFiches();
  const rule = { access: { kind: "conservateur_departement", departement: departementDeLaCommune(db, "code_insee") } } as const;

  async function etatDuDossier(commune: CommuneConservateur): Promise<EtatEnvoiExamen> {
    const dossier = commune.dossier;
    if (!dossier) return etatEnvoiExamen("construction", []);
    // Only a submitted dossier needs its recensements to tell whether the examen can be sent.
    return etatEnvoiExamen(dossier.status, dossier.status === "submitted" ? await listRecensementsExamen(db, dossier.id) : []);
  }

  app.get<Params>("/conservateurs/communes/:code_insee", { config: rule }, async (request, reply) => {
    const conservateur = conservateurOf(request);
    const commune = await findCommuneConservateur(db, request.params.code_insee, conservateurOf(request).id);
    const [objets, etat] = await Promise.all([
      listObjetsCartes(db, commune.code_insee, commune.dossier?.id ?? null),
      etatDuDossier(commune),
    ]);
    const dossierExiste = commune.dossier !== null;
    const groups = groupByEdifice(objets, commune.nom).map((group) => ({ ...group, objets: ordreDesCartes(group.objets, dossierExiste) }));
    const lectureSeule = conservateur.impersonation !== undefined && !conservateur.impersonation.write;
    return sendCommunePage(
      request,
      reply,
      commune,
      "recensement",
      <RecensementOnglet
        commune={commune}
        etat={etat}
        groups={groups}
        count={objets.length}
        csrfToken={lectureSeule ? null : reply.generateCsrf()}
      />,
    );
  });

  app.get<Params>("/conservateurs/communes/:code_insee/examen", { config: rule }, async (request, reply) => {
    const commune = await findCommuneConservateur(db, request.params.code_insee, conservateurOf(request).id);
    const dossier = commune.dossier;
    if (dossier?.status === "accepted") {
      const [recensements, conservateur] = await Promise.all([
        listRecensementsDuDossier(db, dossier.id),
        dossier.conservateur_id === null ? undefined : findConservateurDuDossier(db, dossier.conservateur_id),
      ]);
      return sendCommunePage(
        request,
        reply,
        commune,
        "examen",
        <>
          <ExamenAccepte commune={commune} dossier={dossier} conservateur={conservateur} recensements={recensements} fiches={fiches} />
          <ClientScript name="imprimer" nonce={cspNonce(reply)} />
        </>,
      );
    }
    const etat = await etatDuDossier(commune);
    return sendCommunePage(request, reply, commune, "examen", <ExamenAVenirConservateur commune={commune} etat={etat} />);
  });

  app.get<Params>("/conservateurs/communes/:code_insee/historique", { config: rule }, async (request, reply) => {
    const { page: numero } = parseInput(pageQuery, request.query, "Ce numéro de page n’existe pas.");
    const commune = await findCommuneConservateur(db, request.params.code_insee, conservateurOf(request).id);
    const [{ evenements, suivante }, archives] = await Promise.all([
      listEvenementsCommune(db, commune.id, numero),
      numero === 1 ? listDossiersArchives(db, commune.id) : Promise.resolve([]),
    ]);
    return sendCommunePage(
      request,
      reply,
      commune,
      "historique",
      <HistoriqueOnglet
        codeInsee={commune.code_insee}
        communeNom={commune.nom}
        evenements={evenements}
        page={numero}
        suivante={suivante}
        archives={archives}
        fiches={fiches}
      />,
    );
  });

  app.get<Params>("/conservateurs/communes/:code_insee/recensements-supprimes", { config: rule }, async (request, reply) => {
    const commune = await findCommuneConservateur(db, request.params.code_insee, conservateurOf(request).id);
    const recensements = commune.dossier ? await listRecensementsSupprimes(db, commune.dossier.id) : [];
    return sendPage(
      request,
      reply,
      {
        title: `Recensements supprimés — ${commune.nom} (${commune.code_insee})`,
        breadcrumbs: communeBreadcrumbs(commune, "Recensements supprimés"),
      },
      <>
        <CommuneConservateurEntete commune={commune} onglet={null} />
        <RecensementsSupprimes codeInsee={commune.code_insee} communeNom={commune.nom} recensements={recensements} fiches={fiches} />
      </>,
    );
  });
}
