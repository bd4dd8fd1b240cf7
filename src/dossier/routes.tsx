import { adressageDe } from "../messagerie/adresses.ts";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { actorOf, communeOf, type CommuneIdentity } from "../comptes/access.ts";
import { redirectWithFlash } from "../comptes/session.ts";
import type { AppContext } from "../context.ts";
import { listFiches } from "../fiches/fiches.ts";
import { ClientScript } from "../platform/http/client-assets.ts";
import { parseInput } from "../platform/http/params.ts";
import { cspNonce } from "../platform/http/server.ts";
import { sendPage } from "../ui/page.tsx";
import { envoyerDossier } from "./completion.ts";
import { findConservateurDuDossier, findDossierActuel, findEtatRecensementCommune, listRecensementsDuDossier } from "./repository.ts";
import {
  etatFinalisation,
  manquePhotos,
  MESSAGES_FINALISATION,
  validerSaisieFinalisation,
  type FinalisationImpossible,
  type SaisieFinalisation,
} from "./rules.ts";
import { objetUrl } from "./views/components.tsx";
import { DonneesEnvoyeesPage } from "./views/donnees-envoyees.tsx";
import { ExamenAVenir, ExamenEnAttente, Rapport } from "./views/examen.tsx";
import { ConfirmationSansPhotoPage, FinalisationPage, type ErreursFinalisation } from "./views/finalisation.tsx";

const communeRule = { access: { kind: "commune", param: "code_insee" } } as const;

const finalisationBody = z.object({
  notes_commune: z.string().default(""),
  recenseur: z.string().default(""),
  confirme: z.literal("1").optional(),
  retour: z.literal("1").optional(),
});

export const MESSAGE_RECENSEMENT_TERMINE = "Le recensement de votre commune est terminé !";

const objetsUrl = (codeInsee: string) => `/communes/${codeInsee}/objets`;
const donneesEnvoyeesUrl = (codeInsee: string) => `/communes/${codeInsee}/dossier/donnees-envoyees`;

/**
 * The commune's dossier: completion and sending (RB §4.6), what was sent, and the conservateur's
 * examen once the dossier is accepted (RB §4.7).
 */
export async function dossierRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  // Loaded at registration, as the fiches pages do: a malformed fiche stops the start-up.
  const fiches = listFiches();

  const breadcrumbs = (commune: CommuneIdentity, label: string) => [
    { href: "/", label: "Accueil" },
    { href: objetsUrl(commune.codeInsee), label: `Objets de ${commune.nom}` },
    { label },
  ];

  /** The completion page is only reachable while it makes sense; otherwise say why, where the commune can act. */
  function refuserFinalisation(request: FastifyRequest, reply: FastifyReply, commune: CommuneIdentity, raison: FinalisationImpossible) {
    return redirectWithFlash(
      request,
      reply,
      raison === "deja_envoye" ? donneesEnvoyeesUrl(commune.codeInsee) : objetsUrl(commune.codeInsee),
      {
        type: raison === "deja_envoye" ? "info" : "warning",
        message: MESSAGES_FINALISATION[raison],
      },
    );
  }

  async function renderFinalisation(
    request: FastifyRequest,
    reply: FastifyReply,
    commune: CommuneIdentity,
    dossierId: number,
    saisie: SaisieFinalisation,
    erreurs: ErreursFinalisation = {},
  ) {
    const recensements = await listRecensementsDuDossier(db, dossierId);
    return sendPage(
      request,
      reply,
      {
        title: `${Object.keys(erreurs).length > 0 ? "Erreur - " : ""}Finalisation du recensement de ${commune.nom}`,
        breadcrumbs: breadcrumbs(commune, "Finalisation du recensement"),
        statusCode: Object.keys(erreurs).length > 0 ? 422 : 200,
      },
      <FinalisationPage commune={commune} recensements={recensements} saisie={saisie} erreurs={erreurs} csrfToken={reply.generateCsrf()} />,
    );
  }

  app.get("/communes/:code_insee/dossier/finalisation", { config: communeRule }, async (request, reply) => {
    const commune = communeOf(request);
    const etat = await findEtatRecensementCommune(db, commune);
    const verdict = etatFinalisation({ dossierStatus: etat.dossier?.status ?? null, ...etat });
    if (!verdict.ok || !etat.dossier) return refuserFinalisation(request, reply, commune, verdict.ok ? "sans_dossier" : verdict.raison);
    return renderFinalisation(request, reply, commune, etat.dossier.id, {
      notes_commune: etat.dossier.notes_commune ?? "",
      recenseur: etat.dossier.recenseur ?? "",
    });
  });

  app.post("/communes/:code_insee/dossier/finalisation", { config: communeRule }, async (request, reply) => {
    const commune = communeOf(request);
    const body = parseInput(finalisationBody, request.body);
    const saisie: SaisieFinalisation = { notes_commune: body.notes_commune, recenseur: body.recenseur };
    const etat = await findEtatRecensementCommune(db, commune);
    const verdict = etatFinalisation({ dossierStatus: etat.dossier?.status ?? null, ...etat });
    if (!verdict.ok || !etat.dossier) return refuserFinalisation(request, reply, commune, verdict.ok ? "sans_dossier" : verdict.raison);

    const valide = validerSaisieFinalisation(saisie);
    if (!valide.ok) {
      const erreurs = Object.fromEntries(valide.erreurs.map((e) => [e.champ, e.message])) as ErreursFinalisation;
      return renderFinalisation(request, reply, commune, etat.dossier.id, saisie, erreurs);
    }
    if (body.retour === "1") return renderFinalisation(request, reply, commune, etat.dossier.id, saisie);
    if (body.confirme !== "1") {
      const sansPhoto = (await listRecensementsDuDossier(db, etat.dossier.id)).filter(manquePhotos);
      if (sansPhoto.length > 0) {
        return sendPage(
          request,
          reply,
          { title: "Certains objets n’ont pas de photo", breadcrumbs: breadcrumbs(commune, "Finalisation du recensement") },
          <ConfirmationSansPhotoPage commune={commune} sansPhoto={sansPhoto} saisie={saisie} csrfToken={reply.generateCsrf()} />,
        );
      }
    }

    const resultat = await envoyerDossier(db, ctx.config, adressageDe(ctx), {
      actor: actorOf(commune),
      commune,
      email: commune.email,
      notes_commune: valide.notes_commune,
      recenseur: valide.recenseur,
      ip: request.ip,
    });
    if (!resultat.ok) return refuserFinalisation(request, reply, commune, resultat.raison);
    return redirectWithFlash(request, reply, objetsUrl(commune.codeInsee), { type: "success", message: MESSAGE_RECENSEMENT_TERMINE });
  });

  app.get("/communes/:code_insee/dossier/donnees-envoyees", { config: communeRule }, async (request, reply) => {
    const commune = communeOf(request);
    const dossier = await findDossierActuel(db, commune.communeId);
    if (!dossier || dossier.status === "construction") {
      return redirectWithFlash(request, reply, objetsUrl(commune.codeInsee), {
        type: "info",
        message:
          "Vous n’avez pas encore envoyé votre recensement aux conservateurs : recensez vos objets, puis envoyez-le depuis la liste de vos objets.",
      });
    }
    const recensements = await listRecensementsDuDossier(db, dossier.id);
    return sendPage(
      request,
      reply,
      { title: `Recensements de ${commune.nom}`, breadcrumbs: breadcrumbs(commune, "Données envoyées") },
      <DonneesEnvoyeesPage commune={commune} dossier={dossier} recensements={recensements} />,
    );
  });

  app.get("/communes/:code_insee/dossier", { config: communeRule }, async (request, reply) => {
    const commune = communeOf(request);
    const dossier = await findDossierActuel(db, commune.communeId);
    const chrome = { title: "Examen du conservateur", breadcrumbs: breadcrumbs(commune, "Examen du conservateur") };
    if (dossier?.status === "accepted") {
      const [recensements, conservateur] = await Promise.all([
        listRecensementsDuDossier(db, dossier.id),
        dossier.conservateur_id === null ? undefined : findConservateurDuDossier(db, dossier.conservateur_id),
      ]);
      return sendPage(
        request,
        reply,
        chrome,
        <>
          <Rapport
            commune={commune}
            dossier={dossier}
            conservateur={conservateur}
            recensements={recensements.filter((r) => r.status === "completed")}
            fiches={fiches}
            objetHref={(r) => objetUrl(commune.codeInsee, r.objet_id)}
          />
          <ClientScript name="imprimer" nonce={cspNonce(reply)} />
        </>,
      );
    }
    if (dossier?.status === "submitted") {
      return sendPage(request, reply, chrome, <ExamenEnAttente commune={commune} submittedAt={dossier.submitted_at} />);
    }
    return sendPage(request, reply, chrome, <ExamenAVenir commune={commune} />);
  });
}
