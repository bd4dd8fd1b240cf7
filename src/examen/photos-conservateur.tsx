import crypto from "node:crypto";
import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import sharp from "sharp";
import { actorOf } from "../comptes/access.ts";
import { addFlash } from "../comptes/session.ts";
import type { AppContext } from "../context.ts";
import { departementDeLaPhoto, departementDuRecensement, idParam } from "../departements/access.ts";
import { objetTitle } from "../patrimoine/rules.ts";
import { BadRequestError, ConflictError, NotFoundError } from "../platform/http/errors.ts";
import { IMAGE_VARIANTS, JPEG_OPTIONS, PHOTO_LIMITS, VARIANT_SIZES } from "../platform/images/photo.ts";
import { deleteVariants, variantKey } from "../platform/images/stored.ts";
import type { FileStore } from "../platform/storage/file-store.ts";
import { MAX_PHOTOS_PAR_RECENSEMENT, PhotoRefuseeError, photoUrl } from "../recensement/photos-repository.ts";
import { messageDeRefus, recevoirPhotos, supprimerFichiers } from "../recensement/reception-photos.ts";
import { sendPage } from "../ui/page.tsx";
import { situationDuRecensement } from "./analyse.ts";
import {
  MESSAGES_EXAMEN_ETAT,
  ajouterPhotosExamen,
  findPhotoExamen,
  findRecensementExamen,
  remplacerPhotoPivotee,
  supprimerPhotoExamen,
  type PhotoExamen,
  type PhotoPivotee,
} from "./recensement-repository.ts";
import { estExaminable } from "./rules.ts";
import { ConfirmationSuppression, examenUrl } from "./views/examen-photos.tsx";
import { communeConservateurUrl } from "./views/examen-recensement.tsx";

type PhotoParams = { photo_id: string };
type Sens = "gauche" | "droite";

export const MESSAGES_PHOTOS_CONSERVATEUR = {
  sens: "Indiquez le sens de rotation de la photo : à gauche ou à droite.",
  fichierManquant: "Le fichier de cette photo est introuvable : elle ne peut pas être pivotée.",
  aucunFichier: "Choisissez au moins une photo à envoyer.",
  envoiInvalide: "L’envoi des photos n’a pas abouti : réessayez, une photo à la fois si le problème continue.",
} as const;

/**
 * The conservateur's actions on the photos of a recensement under examen (RB §5.8): rotate (the stored
 * files), delete (after a confirmation page), add. Every action needs the dossier to be under examen.
 */
export async function photosConservateurRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const files = ctx.files;
  const photoRule = { access: { kind: "conservateur_departement", departement: departementDeLaPhoto(db, "photo_id") } } as const;
  const recensementRule = {
    access: { kind: "conservateur_departement", departement: departementDuRecensement(db, "recensement_id") },
  } as const;

  /** The photo, provided its dossier is under examen (409 otherwise, with the reason). */
  async function chargerPhoto(request: FastifyRequest<{ Params: PhotoParams }>): Promise<PhotoExamen> {
    const id = idParam(request.params.photo_id);
    const photo = id === null ? undefined : await findPhotoExamen(db, id);
    if (!photo) throw new NotFoundError(MESSAGES_EXAMEN_ETAT.photoIntrouvable);
    if (photo.dossier_status === "accepted") throw new ConflictError(MESSAGES_EXAMEN_ETAT.photosDejaEnvoye);
    if (photo.dossier_status !== "submitted") throw new ConflictError(MESSAGES_EXAMEN_ETAT.nonExaminable);
    return photo;
  }

  function retourGalerie(reply: FastifyReply, recensementId: number): FastifyReply {
    return reply.redirect(`${examenUrl(recensementId)}#photos`, 303);
  }

  app.post<{ Params: PhotoParams; Body: Record<string, unknown> }>(
    "/conservateurs/photos/:photo_id/pivoter",
    { config: photoRule },
    async (request, reply) => {
      const photo = await chargerPhoto(request);
      const sens = request.body?.sens;
      if (sens !== "gauche" && sens !== "droite") throw new BadRequestError(MESSAGES_PHOTOS_CONSERVATEUR.sens);
      const pivotee = await pivoterFichiers(files, photo.storage_key, sens);
      try {
        await remplacerPhotoPivotee(db, {
          photoId: photo.id,
          ancienneCle: photo.storage_key,
          pivotee,
          sens,
          actor: actorOf(request.identity),
          ip: request.ip,
        });
      } catch (error) {
        await supprimerFichiers(files, [pivotee.storageKey], request);
        throw error;
      }
      // Once committed: a file left behind by a failure here is an orphan for the clean-up job, never a broken photo.
      await supprimerFichiers(files, [photo.storage_key], request);
      addFlash(request, { type: "success", message: `La photo a été pivotée vers la ${sens}.` });
      return retourGalerie(reply, photo.recensement_id);
    },
  );

  app.post<{ Params: PhotoParams; Body: Record<string, unknown> }>(
    "/conservateurs/photos/:photo_id/supprimer",
    { config: photoRule },
    async (request, reply) => {
      const photo = await chargerPhoto(request);
      if (request.body?.confirmer !== "oui") {
        const titre = objetTitle(photo);
        return sendPage(
          request,
          reply,
          {
            title: `Supprimer une photo — ${titre} — ${photo.commune_nom}`,
            breadcrumbs: [
              { href: "/conservateurs/departements", label: "Mes départements" },
              { href: `/conservateurs/departements/${photo.departement_code}`, label: photo.departement_nom },
              { href: communeConservateurUrl(photo.code_insee), label: photo.commune_nom },
              { href: examenUrl(photo.recensement_id), label: `Examen de ${titre}` },
              { label: "Supprimer une photo" },
            ],
          },
          <ConfirmationSuppression
            photo={{ id: photo.id, vignetteUrl: photoUrl(photo.id, "vignette", photo.sha256), width: photo.width, height: photo.height }}
            objetTitre={titre}
            recensementId={photo.recensement_id}
            csrfToken={reply.generateCsrf()}
          />,
        );
      }
      const { storageKey, recensementId } = await supprimerPhotoExamen(db, {
        photoId: photo.id,
        actor: actorOf(request.identity),
        ip: request.ip,
      });
      await supprimerFichiers(files, [storageKey], request);
      addFlash(request, { type: "success", message: "La photo a été supprimée." });
      return retourGalerie(reply, recensementId);
    },
  );

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
      throwFileSizeLimit: false,
    });

    scope.post<{ Params: { recensement_id: string } }>(
      "/conservateurs/recensements/:recensement_id/photos",
      { config: recensementRule },
      async (request, reply) => {
        const id = idParam(request.params.recensement_id);
        const examen = id === null ? undefined : await findRecensementExamen(db, id);
        if (!examen) throw new NotFoundError(MESSAGES_EXAMEN_ETAT.introuvable);
        if (!estExaminable(examen.dossier_status, examen)) throw new ConflictError(MESSAGES_EXAMEN_ETAT.nonExaminable);
        if (examen.dossier_status !== "submitted") throw new ConflictError(MESSAGES_EXAMEN_ETAT.photosDejaEnvoye);
        try {
          if (situationDuRecensement(examen) !== "recensable") throw new PhotoRefuseeError(MESSAGES_EXAMEN_ETAT.photosNonPermises);
          const place = MAX_PHOTOS_PAR_RECENSEMENT - examen.photos_count;
          if (place <= 0) throw new PhotoRefuseeError(MESSAGES_EXAMEN_ETAT.tropDePhotos(examen.photos_count));
          const envoi = await recevoirPhotos(request, files, place, examen.photos_count);
          let ajoutees = 0;
          if (envoi.recues.length > 0) {
            try {
              ajoutees = await ajouterPhotosExamen(db, {
                recensementId: examen.id,
                photos: envoi.recues,
                actor: actorOf(request.identity),
                ip: request.ip,
              });
            } catch (error) {
              await supprimerFichiers(
                files,
                envoi.recues.map((p) => p.storageKey),
                request,
              );
              throw error;
            }
          }
          if (ajoutees > 0) {
            addFlash(request, {
              type: "success",
              message: ajoutees === 1 ? "La photo a été ajoutée." : `${ajoutees} photos ont été ajoutées.`,
            });
          }
          for (const refus of envoi.refus) addFlash(request, { type: "error", message: messageDeRefus(refus) });
          return retourGalerie(reply, examen.id);
        } catch (error) {
          // Refusals about the photos themselves come back to the examen page; a state that forbids it gets its error page.
          if (error instanceof PhotoRefuseeError || error instanceof BadRequestError) {
            addFlash(request, { type: "error", message: error.message });
            return retourGalerie(reply, examen.id);
          }
          throw error;
        }
      },
    );
  });
}

/**
 * Rotates the photo by a quarter turn: every variant is encoded again from the stored original, under
 * a new key so that no cache keeps showing the old files. Returns the new files' description; on
 * failure nothing is left in the store.
 */
async function pivoterFichiers(files: FileStore, storageKey: string, sens: Sens): Promise<PhotoPivotee> {
  const original = await files.get(variantKey(storageKey, "original"));
  if (!original) throw new ConflictError(MESSAGES_PHOTOS_CONSERVATEUR.fichierManquant);
  const angle = sens === "droite" ? 90 : -90;
  const nouvelleCle = `photos/${crypto.randomUUID()}`;
  try {
    const rotated = await sharp(original, { failOn: "error", limitInputPixels: PHOTO_LIMITS.maxPixels })
      .rotate(angle)
      .jpeg(JPEG_OPTIONS.original)
      .toBuffer({ resolveWithObject: true });
    await files.put(variantKey(nouvelleCle, "original"), rotated.data, "image/jpeg");
    for (const variant of IMAGE_VARIANTS) {
      if (variant === "original") continue;
      const size = VARIANT_SIZES[variant];
      const data = await sharp(original, { failOn: "error", limitInputPixels: PHOTO_LIMITS.maxPixels })
        .rotate(angle)
        .resize({ width: size, height: size, fit: "inside", withoutEnlargement: true })
        .jpeg(JPEG_OPTIONS[variant])
        .toBuffer();
      await files.put(variantKey(nouvelleCle, variant), data, "image/jpeg");
    }
    return {
      storageKey: nouvelleCle,
      width: rotated.info.width,
      height: rotated.info.height,
      sha256: crypto.createHash("sha256").update(rotated.data).digest("hex"),
      byteSize: rotated.data.length,
    };
  } catch (error) {
    await deleteVariants(files, nouvelleCle).catch(() => undefined);
    throw error;
  }
}
