import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { actorOf, conservateurOf } from "../comptes/access.ts";
import { addFlash } from "../comptes/session.ts";
import type { AppContext } from "../context.ts";
import { departementDuRecensement, idParam } from "../departements/access.ts";
import { objetTitle } from "../patrimoine/rules.ts";
import { ClientScript } from "../platform/http/client-assets.ts";
import { BadRequestError, ConflictError, NotFoundError } from "../platform/http/errors.ts";
import { cspNonce } from "../platform/http/server.ts";
import { listPhotosRecensement } from "../recensement/photos-repository.ts";
import { sendPage } from "../ui/page.tsx";
import { prioritairesAExaminer, recensementSuivant, type ErreurExamen, type SaisieExamen } from "./analyse.ts";
import { photosConservateurRoutes } from "./photos-conservateur.tsx";
import {
  MESSAGES_EXAMEN_ETAT,
  findRecensementExamen,
  listRecensementsAOrdonner,
  sauvegarderExamen,
  type RecensementExamen,
} from "./recensement-repository.ts";
import { estExaminable, etatEnvoiExamen } from "./rules.ts";
import { examenUrl } from "./views/examen-photos.tsx";
import { ExamenRecensementPage, communeConservateurUrl, type SaisieAffichee } from "./views/examen-recensement.tsx";
import { ExamenSauvegardePage } from "./views/examen-sauvegarde.tsx";

type Params = { recensement_id: string };

export const MESSAGE_FORMULAIRE_INCOMPLET =
  "Le formulaire d’examen envoyé est incomplet : rechargez la page de l’examen puis sauvegardez de nouveau.";

export function breadcrumbsExamen(
  examen: Pick<RecensementExamen, "departement_code" | "departement_nom" | "code_insee" | "commune_nom">,
  dernier: string,
) {
  return [
    { href: "/conservateurs/departements", label: "Mes départements" },
    { href: `/conservateurs/departements/${examen.departement_code}`, label: examen.departement_nom },
    { href: communeConservateurUrl(examen.code_insee), label: examen.commune_nom },
    { label: dernier },
  ];
}

/** Examen of one recensement (RB §5.7) and the conservateur's photo actions (RB §5.8). */
export async function examenRecensementRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const rule = { access: { kind: "conservateur_departement", departement: departementDuRecensement(db, "recensement_id") } } as const;

  /** The recensement, provided it can be examined (its dossier sent or examined, itself completed). */
  async function chargerExaminable(request: FastifyRequest<{ Params: Params }>): Promise<RecensementExamen> {
    const id = idParam(request.params.recensement_id);
    const examen = id === null ? undefined : await findRecensementExamen(db, id);
    if (!examen) throw new NotFoundError(MESSAGES_EXAMEN_ETAT.introuvable);
    if (!estExaminable(examen.dossier_status, examen)) throw new ConflictError(MESSAGES_EXAMEN_ETAT.nonExaminable);
    return examen;
  }

  async function afficher(
    request: FastifyRequest,
    reply: FastifyReply,
    examen: RecensementExamen,
    etat: { erreurs: ErreurExamen[]; saisie: SaisieAffichee | null; conflit: boolean; statusCode?: number },
  ): Promise<FastifyReply> {
    const photos = await listPhotosRecensement(db, examen.id);
    const titre = objetTitle(examen);
    return sendPage(
      request,
      reply,
      {
        title: `${etat.erreurs.length > 0 ? "Erreur — " : ""}Examen du recensement – ${titre} — ${examen.commune_nom}`,
        statusCode: etat.statusCode,
        breadcrumbs: breadcrumbsExamen(examen, `Examen de ${titre}`),
      },
      <>
        <ExamenRecensementPage examen={examen} photos={photos} csrfToken={reply.generateCsrf()} {...etat} />
        <ClientScript name="examen" nonce={cspNonce(reply)} />
      </>,
    );
  }

  app.get<{ Params: Params }>("/conservateurs/recensements/:recensement_id/examen", { config: rule }, async (request, reply) => {
    const examen = await chargerExaminable(request);
    return afficher(request, reply, examen, { erreurs: [], saisie: null, conflit: false });
  });

  app.post<{ Params: Params; Body: Record<string, unknown> }>(
    "/conservateurs/recensements/:recensement_id/examen",
    { config: rule },
    async (request, reply) => {
      const examen = await chargerExaminable(request);
      if (examen.dossier_status !== "submitted") throw new ConflictError(MESSAGES_EXAMEN_ETAT.dejaEnvoye);
      const form = typeof request.body === "object" && request.body !== null ? request.body : {};
      // The page always sends the version it showed: a post without it is not the examen form (nothing is written).
      const version = typeof form.version === "string" && /^[0-9]{1,9}$/.test(form.version) ? Number(form.version) : null;
      if (version === null) throw new BadRequestError(MESSAGE_FORMULAIRE_INCOMPLET);
      const saisie: SaisieExamen = {
        etat_sanitaire: form.etat_sanitaire,
        securisation: form.securisation,
        fiches: form.fiches,
        analyse_notes: form.analyse_notes,
      };
      const conservateur = conservateurOf(request);
      const resultat = await sauvegarderExamen(db, {
        recensementId: examen.id,
        version,
        saisie,
        actor: actorOf(request.identity),
        conservateurId: conservateur.id,
        ip: request.ip,
      });
      if (!resultat.ok) {
        const conflit = "conflit" in resultat;
        const actuel = conflit ? ((await findRecensementExamen(db, examen.id)) ?? examen) : examen;
        return afficher(request, reply, actuel, {
          erreurs: conflit ? [] : resultat.erreurs,
          saisie: saisieAffichee(form),
          conflit,
          statusCode: conflit ? 409 : 400,
        });
      }
      if (form.enregistrer === "suivant") {
        const recensements = await listRecensementsAOrdonner(db, examen.dossier_id, examen.commune_nom);
        const suivant = recensementSuivant(recensements, examen.id);
        if (suivant) {
          addFlash(request, { type: "success", message: `Examen sauvegardé. Recensement suivant : ${suivant.titre}` });
          return reply.redirect(examenUrl(suivant.id), 303);
        }
      }
      return reply.redirect(`${examenUrl(examen.id)}/sauvegarde`, 303);
    },
  );

  app.get<{ Params: Params }>("/conservateurs/recensements/:recensement_id/examen/sauvegarde", { config: rule }, async (request, reply) => {
    const examen = await chargerExaminable(request);
    const recensements = await listRecensementsAOrdonner(db, examen.dossier_id, examen.commune_nom);
    const titre = objetTitle(examen);
    return sendPage(
      request,
      reply,
      { title: `Examen sauvegardé — ${titre} — ${examen.commune_nom}`, breadcrumbs: breadcrumbsExamen(examen, "Examen sauvegardé") },
      <ExamenSauvegardePage
        recensementId={examen.id}
        objetTitre={titre}
        codeInsee={examen.code_insee}
        communeNom={examen.commune_nom}
        prioritaires={prioritairesAExaminer(recensements)}
        envoi={etatEnvoiExamen(examen.dossier_status, recensements)}
      />,
    );
  });

  await photosConservateurRoutes(app, ctx);
}

function premier(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && typeof value[0] === "string") return value[0];
  return "";
}

function saisieAffichee(form: Record<string, unknown>): SaisieAffichee {
  const fiches =
    typeof form.fiches === "string" ? [form.fiches] : Array.isArray(form.fiches) ? form.fiches.filter((f) => typeof f === "string") : [];
  return {
    etat_sanitaire: premier(form.etat_sanitaire),
    securisation: premier(form.securisation),
    fiches,
    analyse_notes: premier(form.analyse_notes).slice(0, 20_000),
  };
}
