import { CsrfField } from "../../comptes/views/components.tsx";
import { ConseilsPhotos } from "../../guide/aides.tsx";
import { VARIANT_SIZES } from "../../platform/images/photo.ts";
import { MAX_PHOTOS_PAR_RECENSEMENT, type PhotoVue } from "../photos-repository.ts";

export function photosActionUrl(codeInsee: string, objetId: number): string {
  return `/communes/${codeInsee}/objets/${objetId}/recensement/photos`;
}

export function supprimerPhotoUrl(codeInsee: string, objetId: number, photoId: number): string {
  return `${photosActionUrl(codeInsee, objetId)}/${photoId}/supprimer`;
}

/** Thumbnail size, for the img attributes (no layout shift while the grid loads). */
function vignetteSize(photo: Pick<PhotoVue, "width" | "height">): { width: number; height: number } {
  const scale = Math.min(1, VARIANT_SIZES.thumbnail / Math.max(photo.width, photo.height));
  return { width: Math.max(1, Math.round(photo.width * scale)), height: Math.max(1, Math.round(photo.height * scale)) };
}

type PhotosRecensementProps = {
  codeInsee: string;
  objetId: number;
  objetTitre: string;
  photos: PhotoVue[];
  csrfToken: string;
  modifiable: boolean;
};

/**
 * Step 4 "Photos de l’objet": the recensement's photos, each with its own delete form, and the upload
 * form. Without JavaScript the form posts the chosen files; src/client/photos.ts shrinks them in the
 * browser, sends them one by one with a progress bar and adds each thumbnail to the list.
 */
export function PhotosRecensement(props: PhotosRecensementProps) {
  const { codeInsee, objetId, objetTitre, photos, csrfToken, modifiable } = props;
  const complet = photos.length >= MAX_PHOTOS_PAR_RECENSEMENT;
  return (
    <section class="fr-mb-4w" aria-labelledby="photos-recensement-titre" data-photos-recensement>
      <h2 class="fr-h5" id="photos-recensement-titre">
        Vos photos de l’objet
      </h2>
      <p class="fr-text--sm" data-photos-compte>
        {photos.length === 0
          ? "Aucune photo pour l’instant."
          : `${photos.length} photo${photos.length > 1 ? "s" : ""} sur ${MAX_PHOTOS_PAR_RECENSEMENT} au plus.`}
      </p>
      <ul class="fr-grid-row fr-grid-row--gutters fr-raw-list fr-mb-2w" data-photos-liste>
        {photos.map((photo, index) => (
          <PhotoItem key={photo.id} photo={photo} n={index + 1} {...{ codeInsee, objetId, objetTitre, csrfToken, modifiable }} />
        ))}
      </ul>
      {modifiable ? (
        <template data-photo-modele>
          <PhotoItem
            photo={{ id: 0, recensementId: 0, vignetteUrl: "", affichageUrl: "", originalUrl: "", width: 4, height: 3, position: 0 }}
            n={0}
            {...{ codeInsee, objetId, objetTitre, csrfToken, modifiable }}
          />
        </template>
      ) : null}
      {modifiable && complet ? (
        <div class="fr-alert fr-alert--info fr-alert--sm fr-mb-2w">
          <p>Vous avez ajouté {MAX_PHOTOS_PAR_RECENSEMENT} photos, le maximum pour un objet. Supprimez-en une pour en ajouter une autre.</p>
        </div>
      ) : null}
      {modifiable ? <ConseilsPhotos /> : null}
      {modifiable && !complet ? <UploadForm codeInsee={codeInsee} objetId={objetId} csrfToken={csrfToken} /> : null}
    </section>
  );
}

function PhotoItem(props: {
  photo: PhotoVue;
  n: number;
  codeInsee: string;
  objetId: number;
  objetTitre: string;
  csrfToken: string;
  modifiable: boolean;
}) {
  const { photo, n, objetTitre } = props;
  const size = vignetteSize(photo);
  return (
    <li class="fr-col-6 fr-col-sm-4 fr-col-md-3" data-photo-id={photo.id || undefined}>
      <a href={photo.affichageUrl} data-photo-lien>
        <img
          class="fr-responsive-img"
          src={photo.vignetteUrl}
          alt={`Photo ${n} de ${objetTitre}`}
          width={size.width}
          height={size.height}
          loading="lazy"
          data-photo-vignette
        />
        <span class="fr-sr-only">, afficher en grand</span>
      </a>
      {props.modifiable ? (
        <form method="post" action={supprimerPhotoUrl(props.codeInsee, props.objetId, photo.id)} class="fr-mt-1w" data-photo-supprimer>
          <CsrfField token={props.csrfToken} />
          <button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary fr-btn--icon-left fr-icon-delete-line">
            Supprimer<span class="fr-sr-only" data-photo-numero>{` la photo ${n}`}</span>
          </button>
        </form>
      ) : null}
    </li>
  );
}

function UploadForm(props: { codeInsee: string; objetId: number; csrfToken: string }) {
  // Multipart bodies are read by the handler after the CSRF check: the token goes in the query string.
  const action = `${photosActionUrl(props.codeInsee, props.objetId)}?_csrf=${encodeURIComponent(props.csrfToken)}`;
  return (
    <form method="post" enctype="multipart/form-data" action={action} data-photos-envoi>
      <div class="fr-upload-group" data-photos-groupe>
        <label class="fr-label" for="photos-fichiers">
          Ajouter des photos
          <span class="fr-hint-text" id="photos-fichiers-aide">
            Formats JPEG, PNG, WebP ou HEIC. 20 Mo au plus par photo. Prenez une vue de face, une vue de côté et des détails.
          </span>
        </label>
        <input
          class="fr-upload"
          type="file"
          id="photos-fichiers"
          name="photos"
          accept="image/*,.heic,.heif"
          multiple
          aria-describedby="photos-fichiers-aide photos-messages"
        />
        <div class="fr-messages-group" id="photos-messages" aria-live="polite" data-photos-messages></div>
      </div>
      <div class="fr-mt-2w" hidden data-photos-progression>
        <progress class="fr-col-12" max={100} value={0} aria-labelledby="photos-progression-texte" />
        <p class="fr-text--sm fr-mb-0" id="photos-progression-texte" aria-live="polite" data-photos-progression-texte></p>
      </div>
      <button type="submit" class="fr-btn fr-btn--secondary fr-btn--icon-left fr-icon-upload-2-line fr-mt-2w" data-photos-bouton>
        Envoyer les photos
      </button>
    </form>
  );
}
