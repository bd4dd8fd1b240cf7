import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { actorOf, communeOf } from "../comptes/access.ts";
import { redirectWithFlash } from "../comptes/session.ts";
import type { AppContext } from "../context.ts";
import { objetTitle } from "../patrimoine/rules.ts";
import { BadRequestError } from "../platform/http/errors.ts";
import { sendPage } from "../ui/page.tsx";
import {
  assertPositiveInt,
  commencerRecensement,
  enregistrerEtape,
  findCommuneNom,
  findObjetQuestionnaire,
  findRecensementCourant,
  listAutresEdifices,
  listObjetsRestants,
  validerRecensement,
  type RecensementCourant,
} from "./repository.ts";
import {
  DERNIERE_ETAPE,
  erreursDeCompletion,
  etapeAccessibilite,
  etapeAccessible,
  etapeCommentaires,
  etapeDeReprise,
  etapeEtat,
  etapeLocalisation,
  etapePhotos,
  etapePrecedente,
  etapePrecisions,
  etapeSuivante,
  parseEtape,
  patchEffectif,
  recensementModifiable,
  TITRES_ETAPES,
  type Confirmation,
  type Etape,
  type ResultatEtape,
} from "./rules.ts";
import {
  ConfirmationBox,
  EtapeAccessibilite,
  EtapeCommentaires,
  EtapeEtat,
  EtapeLocalisation,
  EtapePhotosSuite,
  EtapePrecisions,
  EtapeRecapitulatif,
  QuestionnaireFrame,
  questionnaireUrl,
  type QuestionnaireContext,
} from "./views/questionnaire.tsx";
import { RecensementEnregistrePage } from "./views/enregistre.tsx";
import { PhotosRecensement } from "./views/photos.tsx";
import { listPhotosRecensement } from "./photos-repository.ts";
import { ClientScript } from "../platform/http/client-assets.ts";
import { deleteVariants } from "../platform/images/stored.ts";
import { cspNonce } from "../platform/http/server.ts";

const communeRule = { access: { kind: "commune", param: "code_insee" } } as const;

type ObjetParams = { code_insee: string; objet_id: string };
type EtapeParams = ObjetParams & { etape: string };

/** The commune's questionnaire (RB §4.5): one page per step, each saved when submitted. */
export async function recensementRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;

  app.post<{ Params: ObjetParams }>(
    "/communes/:code_insee/objets/:objet_id/recensement",
    { config: communeRule },
    async (request, reply) => {
      const commune = communeOf(request);
      const objetId = assertPositiveInt(request.params.objet_id, "Numéro d’objet");
      await commencerRecensement(db, actorOf(request.identity), commune, objetId);
      return reply.redirect(questionnaireUrl(commune.codeInsee, objetId), 303);
    },
  );

  app.get<{ Params: ObjetParams }>(
    "/communes/:code_insee/objets/:objet_id/recensement",
    { config: communeRule },
    async (request, reply) => {
      const commune = communeOf(request);
      const objetId = assertPositiveInt(request.params.objet_id, "Numéro d’objet");
      const recensement = await findRecensementCourant(db, commune.communeId, objetId);
      if (!recensement || !recensementModifiable(recensement.dossier_status)) {
        return reply.redirect(`/communes/${commune.codeInsee}/objets/${objetId}`, 303);
      }
      const etape = etapeDeReprise(recensement.status, recensement, recensement.etape_courante);
      return reply.redirect(questionnaireUrl(commune.codeInsee, objetId, etape), 303);
    },
  );

  app.get<{ Params: EtapeParams }>(
    "/communes/:code_insee/objets/:objet_id/recensement/etapes/:etape",
    { config: communeRule },
    async (request, reply) => {
      const loaded = await loadStep(request, reply);
      if ("redirected" in loaded) return loaded.redirected;
      return renderStep(request, reply, loaded, { erreurs: [], saisie: {} });
    },
  );

  app.post<{ Params: EtapeParams; Body: Record<string, unknown> }>(
    "/communes/:code_insee/objets/:objet_id/recensement/etapes/:etape",
    { config: communeRule },
    async (request, reply) => {
      const loaded = await loadStep(request, reply);
      if ("redirected" in loaded) return loaded.redirected;
      const { commune, recensement, etape } = loaded;
      const form = typeof request.body === "object" && request.body !== null ? request.body : {};
      const actor = actorOf(request.identity);

      if (etape === 7) {
        const result = await validerRecensement(db, actor, commune.communeId, recensement.id);
        if (!result.ok) return renderStep(request, reply, loaded, { erreurs: [], saisie: {}, statusCode: 422 });
        await Promise.all(
          result.photosSupprimees.map((key) =>
            deleteVariants(ctx.files, key).catch((error: unknown) => request.log.warn({ error, key }, "photo file not deleted")),
          ),
        );
        return reply.redirect(`/communes/${commune.codeInsee}/objets/${recensement.objet_id}/recensement/enregistre`, 303);
      }

      const result = await evaluateStep(etape, form, loaded);
      if (result.ok === false) {
        return renderStep(request, reply, loaded, { erreurs: result.erreurs, saisie: stringFields(form), statusCode: 422 });
      }
      if (result.ok === "confirmation") {
        return renderStep(request, reply, loaded, { erreurs: [], saisie: stringFields(form), confirmation: result.confirmation });
      }
      const patch = patchEffectif(result.patch, recensement);
      const after = { ...recensement, ...patch };
      const next = etapeSuivante(etape, after);
      const saved = await enregistrerEtape(db, actor, commune.communeId, recensement.id, patch, next);
      const to = questionnaireUrl(commune.codeInsee, recensement.objet_id, next);
      if (saved.repasseEnBrouillon) {
        return redirectWithFlash(request, reply, to, {
          type: "info",
          message:
            "Votre modification est enregistrée. Le recensement est repassé en brouillon : validez-le de nouveau à l’étape Récapitulatif.",
        });
      }
      return reply.redirect(to, 303);
    },
  );

  app.get<{ Params: ObjetParams }>(
    "/communes/:code_insee/objets/:objet_id/recensement/enregistre",
    { config: communeRule },
    async (request, reply) => {
      const commune = communeOf(request);
      const objetId = assertPositiveInt(request.params.objet_id, "Numéro d’objet");
      const objet = await findObjetQuestionnaire(db, commune.codeInsee, objetId);
      const restants = await listObjetsRestants(db, commune.communeId, commune.codeInsee);
      return sendPage(
        request,
        reply,
        {
          title: "Recensement enregistré",
          breadcrumbs: [
            { href: `/communes/${commune.codeInsee}/objets`, label: `Objets de ${commune.nom}` },
            { label: "Recensement enregistré" },
          ],
        },
        <RecensementEnregistrePage
          codeInsee={commune.codeInsee}
          communeNom={commune.nom}
          objet={objet}
          restants={restants}
          csrfToken={reply.generateCsrf()}
        />,
      );
    },
  );

  type Loaded = {
    commune: ReturnType<typeof communeOf>;
    recensement: RecensementCourant;
    etape: Etape;
  };

  async function loadStep(
    request: FastifyRequest<{ Params: EtapeParams }>,
    reply: FastifyReply,
  ): Promise<Loaded | { redirected: FastifyReply }> {
    const commune = communeOf(request);
    const objetId = assertPositiveInt(request.params.objet_id, "Numéro d’objet");
    const etape = parseEtape(request.params.etape);
    if (!etape) throw new BadRequestError("Cette étape du recensement n’existe pas : les étapes vont de 1 à 7.");
    const recensement = await findRecensementCourant(db, commune.communeId, objetId);
    if (!recensement) {
      return {
        redirected: redirectWithFlash(request, reply, `/communes/${commune.codeInsee}/objets/${objetId}`, {
          type: "info",
          message: "Commencez par cliquer sur « Recenser » pour ouvrir le questionnaire de cet objet.",
        }),
      };
    }
    if (!recensementModifiable(recensement.dossier_status)) {
      return {
        redirected: redirectWithFlash(request, reply, `/communes/${commune.codeInsee}/objets/${objetId}`, {
          type: "info",
          message: "Votre recensement a été envoyé aux conservateurs : il ne peut plus être modifié.",
        }),
      };
    }
    if (!etapeAccessible(etape, recensement)) {
      const reprise = etapeDeReprise(recensement.status, recensement, recensement.etape_courante);
      return { redirected: reply.redirect(questionnaireUrl(commune.codeInsee, objetId, reprise), 303) };
    }
    return { commune, recensement, etape };
  }

  async function evaluateStep(etape: Exclude<Etape, 7>, form: Record<string, unknown>, loaded: Loaded): Promise<ResultatEtape> {
    const { recensement, commune } = loaded;
    switch (etape) {
      case 1:
        return etapeLocalisation(form, recensement);
      case 2: {
        const objet = await findObjetQuestionnaire(db, commune.codeInsee, recensement.objet_id);
        const autres = await listAutresEdifices(db, commune.codeInsee, objet.edifice_id);
        return etapePrecisions(form, recensement, autres, commune.codeInsee);
      }
      case 3:
        return etapeAccessibilite(form, recensement);
      case 4:
        return etapePhotos(form, recensement.photos_count);
      case 5:
        return etapeEtat(form, recensement);
      case 6:
        return etapeCommentaires(form);
    }
  }

  async function renderStep(
    request: FastifyRequest,
    reply: FastifyReply,
    loaded: Loaded,
    state: { erreurs: QuestionnaireContext["erreurs"]; saisie: Record<string, string>; confirmation?: Confirmation; statusCode?: number },
  ): Promise<FastifyReply> {
    const { commune, recensement, etape } = loaded;
    const objet = await findObjetQuestionnaire(db, commune.codeInsee, recensement.objet_id);
    const context: QuestionnaireContext = {
      codeInsee: commune.codeInsee,
      communeNom: commune.nom,
      objet,
      etape,
      etapeSuivante: etape === DERNIERE_ETAPE ? null : etapeSuivante(etape, recensement),
      etapePrecedente: etapePrecedente(etape, recensement),
      reponses: recensement,
      saisie: state.saisie,
      erreurs: state.erreurs,
      csrfToken: reply.generateCsrf(),
      dejaValide: recensement.status === "completed",
    };
    let body;
    if (state.confirmation) {
      body = <ConfirmationBox ctx={context} confirmation={state.confirmation} />;
    } else {
      switch (etape) {
        case 1:
          body = <EtapeLocalisation ctx={context} />;
          break;
        case 2:
          body = <EtapePrecisions ctx={context} autresEdifices={await listAutresEdifices(db, commune.codeInsee, objet.edifice_id)} />;
          break;
        case 3:
          body = <EtapeAccessibilite ctx={context} />;
          break;
        case 4: {
          const photos = await listPhotosRecensement(db, recensement.id);
          body = (
            <>
              <PhotosRecensement
                codeInsee={commune.codeInsee}
                objetId={objet.id}
                objetTitre={objetTitle(objet)}
                photos={photos}
                csrfToken={context.csrfToken}
                modifiable
              />
              <EtapePhotosSuite ctx={context} />
              <ClientScript name="photos" nonce={cspNonce(reply)} />
            </>
          );
          break;
        }
        case 5:
          body = <EtapeEtat ctx={context} />;
          break;
        case 6:
          body = <EtapeCommentaires ctx={context} />;
          break;
        case 7: {
          const photos = await listPhotosRecensement(db, recensement.id);
          const autreCommuneNom = recensement.autre_commune_code_insee
            ? await findCommuneNom(db, recensement.autre_commune_code_insee)
            : null;
          body = (
            <EtapeRecapitulatif
              ctx={context}
              photos={photos}
              autreCommuneNom={autreCommuneNom}
              analyseNotes={recensement.analyse_notes}
              erreursCompletion={state.statusCode ? erreursDeCompletion(recensement) : []}
            />
          );
          break;
        }
      }
    }
    const titre = `${state.erreurs.length > 0 ? "Erreur — " : ""}${TITRES_ETAPES[etape]} (étape ${etape} sur ${DERNIERE_ETAPE}) — Recensement de ${objetTitle(objet)}`;
    return sendPage(
      request,
      reply,
      {
        title: titre,
        statusCode: state.statusCode,
        breadcrumbs: [
          { href: `/communes/${commune.codeInsee}/objets`, label: `Objets de ${commune.nom}` },
          { href: `/communes/${commune.codeInsee}/objets/${objet.id}`, label: objetTitle(objet) },
          { label: "Recensement" },
        ],
      },
      <QuestionnaireFrame {...context}>{body}</QuestionnaireFrame>,
    );
  }
}

function stringFields(form: Record<string, unknown>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(form)) if (typeof value === "string" && key !== "_csrf") fields[key] = value.slice(0, 10_000);
  return fields;
}
