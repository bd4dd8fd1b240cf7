import type { ComponentChildren } from "preact";
import { CsrfField } from "../../comptes/views/components.tsx";
import { VARIANT_SIZES } from "../../platform/images/photo.ts";
import { MAX_PHOTOS_PAR_RECENSEMENT, type PhotoVue } from "../../recensement/photos-repository.ts";

export function examenUrl(recensementId: number): string {
  return `/conservateurs/recensements/${recensementId}/examen`;
}

export function photosExamenUrl(recensementId: number): string {
  return `/conservateurs/recensements/${recensementId}/photos`;
}

export function pivoterPhotoUrl(photoId: number): string {
  return `/conservateurs/photos/${photoId}/pivoter`;
}

export function supprimerPhotoUrl(photoId: number): string {
  return `/conservateurs/photos/${photoId}/supprimer`;
}

/** Thumbnail size, for the img attributes (no layout shift while the grid loads). */
function vignetteSize(photo: Pick<PhotoVue, "width" | "height">): { width: number; height: number } {
  const scale = Math.min(1, VARIANT_SIZES.thumbnail / Math.max(photo.width, photo.height));
  return { width: Math.max(1, Math.round(photo.width * scale)), height: Math.max(1, Math.round(photo.height * scale)) };
}

type GalerieProps = {
  recensementId: number;
  objetTitre: string;
  photos: PhotoVue[];
  csrfToken: string;
  /** Rotate and delete: while the dossier is under examen. */
  modifiable: boolean;
  /** Add: under examen, for an objet the commune found and could recense. */
  ajoutPossible: boolean;
};

/**
 * The recensement's photos (RB §5.8). Without JavaScript each thumbnail links to the large variant and
 * every action is a small form; src/client/examen.ts opens the thumbnails in a viewer (zoom, rotation,
 * previous/next). Rotating here changes the stored files, the viewer only turns the view.
 */
export function GaleriePhotos(props: GalerieProps) {
  const { photos, objetTitre } = props;
  const n = photos.length;
  return (
    <section id="photos" class="fr-mt-4w" aria-labelledby="ex-photos-titre" data-ex-galerie>
      <h3 class="fr-h6 fr-mb-1w" id="ex-photos-titre">
        Photos du recensement
      </h3>
      <p class="fr-text--sm fr-mb-2w">
        {n === 0
          ? "Aucune photo n’a été jointe à ce recensement."
          : `${n} photo${n > 1 ? "s" : ""} : sélectionnez une vignette pour afficher la photo en grand.`}
      </p>
      {n > 0 ? (
        <ul class="ex-galerie">
          {photos.map((photo, index) => {
            const size = vignetteSize(photo);
            const numero = `la photo ${index + 1}`;
            return (
              <li
                class="ex-galerie__photo"
                key={photo.id}
                data-ex-photo
                data-affichage={photo.affichageUrl}
                data-original={photo.originalUrl}
                data-largeur={photo.width}
                data-hauteur={photo.height}
              >
                <a class="ex-galerie__lien" href={photo.affichageUrl} data-ex-photo-lien>
                  <img
                    src={photo.vignetteUrl}
                    alt={`Photo ${index + 1} sur ${n} de ${objetTitre}`}
                    width={size.width}
                    height={size.height}
                    loading="lazy"
                  />
                  <span class="fr-sr-only">, afficher en grand</span>
                </a>
                <ul class="ex-galerie__actions">
                  <li>
                    <a
                      class="fr-btn fr-btn--sm fr-btn--tertiary-no-outline fr-btn--icon-left fr-icon-download-line"
                      href={photo.originalUrl}
                      download={`photo-${photo.id}.jpg`}
                    >
                      Télécharger<span class="fr-sr-only">{` ${numero}`}</span>
                    </a>
                  </li>
                  {props.modifiable ? (
                    <>
                      <li>
                        <PhotoAction action={pivoterPhotoUrl(photo.id)} csrfToken={props.csrfToken} champs={{ sens: "gauche" }}>
                          <button
                            type="submit"
                            class="fr-btn fr-btn--sm fr-btn--tertiary-no-outline fr-btn--icon-left fr-icon-anticlockwise-line"
                          >
                            Pivoter à gauche<span class="fr-sr-only">{` ${numero}`}</span>
                          </button>
                        </PhotoAction>
                      </li>
                      <li>
                        <PhotoAction action={pivoterPhotoUrl(photo.id)} csrfToken={props.csrfToken} champs={{ sens: "droite" }}>
                          <button
                            type="submit"
                            class="fr-btn fr-btn--sm fr-btn--tertiary-no-outline fr-btn--icon-left fr-icon-clockwise-line"
                          >
                            Pivoter à droite<span class="fr-sr-only">{` ${numero}`}</span>
                          </button>
                        </PhotoAction>
                      </li>
                      <li>
                        <PhotoAction action={supprimerPhotoUrl(photo.id)} csrfToken={props.csrfToken} champs={{}}>
                          <button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary-no-outline fr-btn--icon-left fr-icon-delete-line">
                            Supprimer<span class="fr-sr-only">{` ${numero}`}</span>
                          </button>
                        </PhotoAction>
                      </li>
                    </>
                  ) : null}
                </ul>
              </li>
            );
          })}
        </ul>
      ) : null}
      {props.ajoutPossible ? (
        <AjoutPhotos recensementId={props.recensementId} csrfToken={props.csrfToken} restantes={MAX_PHOTOS_PAR_RECENSEMENT - n} />
      ) : null}
    </section>
  );
}

function PhotoAction(props: { action: string; csrfToken: string; champs: Record<string, string>; children: ComponentChildren }) {
  return (
    <form method="post" action={props.action}>
      <CsrfField token={props.csrfToken} />
      {Object.entries(props.champs).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {props.children}
    </form>
  );
}

function AjoutPhotos(props: { recensementId: number; csrfToken: string; restantes: number }) {
  if (props.restantes <= 0) {
    return (
      <p class="fr-text--sm fr-mt-2w">
        Ce recensement compte déjà {MAX_PHOTOS_PAR_RECENSEMENT} photos, le maximum : supprimez-en une pour en ajouter une autre.
      </p>
    );
  }
  // Multipart bodies are read by the handler after the CSRF check: the token goes in the query string.
  const action = `${photosExamenUrl(props.recensementId)}?_csrf=${encodeURIComponent(props.csrfToken)}`;
  return (
    <form class="ex-ajout-photos fr-mt-3w" method="post" enctype="multipart/form-data" action={action}>
      <div class="fr-upload-group">
        <label class="fr-label" for="ex-photos-fichiers">
          Ajouter des photos
          <span class="fr-hint-text" id="ex-photos-fichiers-aide">
            Vous pouvez ajouter des photos récentes liées à ce recensement. Merci de ne pas ajouter de photos d’archives. Formats JPEG, PNG,
            WebP ou HEIC, 20 Mo au plus par photo, {props.restantes} photo{props.restantes > 1 ? "s" : ""} au plus.
          </span>
        </label>
        <input
          class="fr-upload"
          type="file"
          id="ex-photos-fichiers"
          name="photos"
          accept="image/*,.heic,.heif"
          multiple
          aria-describedby="ex-photos-fichiers-aide"
        />
      </div>
      <button type="submit" class="fr-btn fr-btn--secondary fr-btn--sm fr-btn--icon-left fr-icon-upload-2-line fr-mt-2w">
        Envoyer les photos
      </button>
    </form>
  );
}

/** "Êtes-vous sûr de vouloir supprimer cette photo ?" — a page of its own, so that no script is needed. */
export function ConfirmationSuppression(props: {
  photo: { id: number; vignetteUrl: string; width: number; height: number };
  objetTitre: string;
  recensementId: number;
  csrfToken: string;
}) {
  const size = vignetteSize(props.photo);
  return (
    <>
      <h1 class="fr-h3">Supprimer une photo de « {props.objetTitre} »</h1>
      <div class="fr-callout fr-callout--orange-terre-battue">
        <h2 class="fr-callout__title fr-h5">Êtes-vous sûr de vouloir supprimer cette photo ?</h2>
        <p class="fr-callout__text">
          La photo sera retirée du recensement et effacée : ni la commune ni les conservateurs ne pourront plus la voir.
        </p>
        <img
          class="ex-confirmation__img fr-my-2w"
          src={props.photo.vignetteUrl}
          alt={`La photo à supprimer de ${props.objetTitre}`}
          {...size}
        />
        <form method="post" action={supprimerPhotoUrl(props.photo.id)}>
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="confirmer" value="oui" />
          <ul class="fr-btns-group fr-btns-group--inline-md">
            <li>
              <button type="submit" class="fr-btn fr-btn--icon-left fr-icon-delete-line">
                Supprimer la photo
              </button>
            </li>
            <li>
              <a class="fr-btn fr-btn--secondary" href={`${examenUrl(props.recensementId)}#photos`}>
                Annuler
              </a>
            </li>
          </ul>
        </form>
      </div>
    </>
  );
}
