import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { actorOf, communeOf } from "../comptes/access.ts";
import { addFlash } from "../comptes/session.ts";
import type { AppContext } from "../context.ts";
import { BadRequestError, ConflictError, HttpError, NotFoundError } from "../platform/http/errors.ts";
import { PHOTO_LIMITS } from "../platform/images/photo.ts";
import { deleteVariants, variantKey } from "../platform/images/stored.ts";
import {
  MAX_PHOTOS_PAR_RECENSEMENT,
  MESSAGES_PHOTOS,
  PHOTO_URL_VARIANTS,
  PhotoRefuseeError,
  ajouterPhotos,
  findPhotoAcces,
  isPhotoUrlVariant,
  peutVoirPhoto,
  supprimerPhoto,
  type PhotoVue,
} from "./photos-repository.ts";
import { MESSAGE_AUCUN_FICHIER, messageDeRefus, recevoirPhotos, supprimerFichiers, type Refus } from "./reception-photos.ts";
import { assertPositiveInt, findRecensementCourant } from "./repository.ts";
import { MESSAGE_NON_MODIFIABLE, photosPermises, recensementModifiable } from "./rules.ts";

const communeRule = { access: { kind: "commune", param: "code_insee" } } as const;

type ObjetParams = { code_insee: string; objet_id: string };

function etapePhotosUrl(codeInsee: string, objetId: number): string {
  return `/communes/${codeInsee}/objets/${objetId}/recensement/etapes/4`;
}

/** The enhanced form (src/client/photos.ts) asks for JSON; a plain form post gets redirected. */
function wantsJson(request: FastifyRequest): boolean {
  return (request.headers.accept ?? "").includes("application/json") || request.headers["x-requested-with"] === "XMLHttpRequest";
}

/**
 * Photos of the commune's recensements (RB §4.5 step 4, "Photo rules"): upload, deletion, and reading
 * the stored variants for the people allowed to see them.
 */
export async function photoRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const files = ctx.files;

  // Multipart parsing only where files are expected: elsewhere a multipart body stays a 415.
  await app.register(async (scope) => {
    await scope.register(multipart, {
      limits: {
        fileSize: PHOTO_LIMITS.maxBytes,
        files: MAX_PHOTOS_PAR_RECENSEMENT,
        fields: 10,
        fieldSize: 1024,
        parts: MAX_PHOTOS_PAR_RECENSEMENT + 10,
        headerPairs: 50,
      },
      // An oversized file is reported with the others' results, not as an error ending the request.
      throwFileSizeLimit: false,
    });

    scope.post<{ Params: ObjetParams }>(
      "/communes/:code_insee/objets/:objet_id/recensement/photos",
      { config: communeRule },
      async (request, reply) => {
        const commune = communeOf(request);
        const objetId = assertPositiveInt(request.params.objet_id, "Numéro d’objet");
        const json = wantsJson(request);
        const retour = etapePhotosUrl(commune.codeInsee, objetId);
        try {
          const recensement = await findRecensementCourant(db, commune.communeId, objetId);
          if (!recensement) throw new NotFoundError(MESSAGES_PHOTOS.sansRecensement);
          if (!recensementModifiable(recensement.dossier_status)) throw new ConflictError(MESSAGE_NON_MODIFIABLE);
          if (!photosPermises(recensement)) throw new PhotoRefuseeError(MESSAGES_PHOTOS.nonPermises);
          const place = MAX_PHOTOS_PAR_RECENSEMENT - recensement.photos_count;
          if (place <= 0) throw new PhotoRefuseeError(MESSAGES_PHOTOS.tropDePhotos(recensement.photos_count));

          const envoi = await recevoirPhotos(request, files, place, recensement.photos_count);
          let ajoutees: PhotoVue[] = [];
          if (envoi.recues.length > 0) {
            try {
              ajoutees = await ajouterPhotos(db, actorOf(request.identity), commune.communeId, recensement.id, envoi.recues);
            } catch (error) {
              await supprimerFichiers(
                files,
                envoi.recues.map((p) => p.storageKey),
                request,
              );
              throw error;
            }
          }
          return repondre(request, reply, { json, retour, ajoutees, refus: envoi.refus });
        } catch (error) {
          if (!(error instanceof HttpError)) throw error;
          if (json) return reply.code(error.statusCode).send({ error: error.message });
          // Refusals about the photos themselves come back to the step page; access errors get their page.
          if (error instanceof PhotoRefuseeError || error instanceof BadRequestError) {
            addFlash(request, { type: "error", message: error.message });
            return reply.redirect(retour, 303);
          }
          throw error;
        }
      },
    );
  });

  app.post<{ Params: ObjetParams & { photo_id: string } }>(
    "/communes/:code_insee/objets/:objet_id/recensement/photos/:photo_id/supprimer",
    { config: communeRule },
    async (request, reply) => {
      const commune = communeOf(request);
      const objetId = assertPositiveInt(request.params.objet_id, "Numéro d’objet");
      const photoId = assertPositiveInt(request.params.photo_id, "Numéro de photo");
      const json = wantsJson(request);
      try {
        const { storageKey } = await supprimerPhoto(db, actorOf(request.identity), commune.communeId, objetId, photoId);
        // Once committed: a file left behind by a failure here is an orphan for the clean-up job, never a broken photo.
        await deleteVariants(files, storageKey).catch((error: unknown) =>
          request.log.warn({ err: error, storageKey }, "photo files not deleted"),
        );
      } catch (error) {
        if (json && error instanceof HttpError) return reply.code(error.statusCode).send({ error: error.message });
        throw error;
      }
      if (json) return reply.send({ ok: true });
      addFlash(request, { type: "success", message: "La photo a été supprimée." });
      return reply.redirect(etapePhotosUrl(commune.codeInsee, objetId), 303);
    },
  );

  app.get<{ Params: { photo_id: string; variant: string } }>(
    "/photos/:photo_id/:variant",
    { config: { access: { kind: "signed_in" } } },
    async (request, reply) => {
      const { photo_id: rawId, variant } = request.params;
      if (!isPhotoUrlVariant(variant) || !/^[1-9][0-9]{0,9}$/.test(rawId) || Number(rawId) > 2_147_483_647) throw new NotFoundError();
      const photoId = Number(rawId);
      const photo = await findPhotoAcces(db, photoId);
      // Someone else's photo answers exactly like a missing one.
      if (!photo || !peutVoirPhoto(request.identity, photo)) throw new NotFoundError();
      const etag = `"${photo.sha256.slice(0, 32)}-${variant}"`;
      reply
        .header("cache-control", "private, max-age=86400")
        .header("etag", etag)
        .header("x-content-type-options", "nosniff")
        .header("content-disposition", `inline; filename="photo-${photoId}-${variant}.jpg"`);
      if (request.headers["if-none-match"] === etag) return reply.code(304).send();
      const file = await files.createReadStream(variantKey(photo.storage_key, PHOTO_URL_VARIANTS[variant]));
      if (!file) {
        request.log.error({ photoId, variant }, "photo file missing from the store");
        throw new NotFoundError();
      }
      return reply.header("content-type", photo.content_type).header("content-length", file.size).send(file.stream);
    },
  );
}

function repondre(
  request: FastifyRequest,
  reply: FastifyReply,
  resultat: { json: boolean; retour: string; ajoutees: PhotoVue[]; refus: Refus[] },
): FastifyReply {
  const { json, retour, ajoutees, refus } = resultat;
  const messagesRefus = refus.map(messageDeRefus);
  if (json) {
    if (ajoutees.length === 0)
      return reply.code(refus[0]?.status ?? 400).send({ error: messagesRefus.join("\n") || MESSAGE_AUCUN_FICHIER });
    return reply.code(201).send({ photo: ajoutees[0], photos: ajoutees, errors: messagesRefus });
  }
  if (ajoutees.length > 0) {
    addFlash(request, {
      type: "success",
      message: ajoutees.length === 1 ? "La photo a été ajoutée." : `${ajoutees.length} photos ont été ajoutées.`,
    });
  }
  for (const message of messagesRefus) addFlash(request, { type: "error", message });
  return reply.redirect(retour, 303);
}
