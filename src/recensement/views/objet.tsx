import { objetTitle } from "../../patrimoine/rules.ts";
import {
  AUCUNE_PHOTO_MEMOIRE,
  type MemoirePhoto,
  ObjetDetails,
  badgeProtectionObjet,
  memoirePhotos,
} from "../../patrimoine/views/objet.tsx";
import type { DossierStatus } from "../../platform/db/schema.ts";
import type { ObjetDeCommune } from "../objets-repository.ts";
import { MESSAGE_NON_MODIFIABLE, actionObjet, badgeRecensement } from "../rules.ts";
import { BoutonAction, objetHref } from "./objets-list.tsx";

function Paragraphes(props: { texte: string }) {
  return (
    <>
      {props.texte
        .split(/\r?\n\s*\r?\n/)
        .map((paragraphe) => paragraphe.trim())
        .filter((paragraphe) => paragraphe !== "")
        .map((paragraphe, index) => (
          <p class="co-texte-conservateur" key={index}>
            {paragraphe}
          </p>
        ))}
    </>
  );
}

export function photoMemoireHref(codeInsee: string, objetId: number, n: number): string {
  return `${objetHref(codeInsee, objetId)}/photos-memoire/${n}#photo`;
}

/** The commune's page of one objet: status, conservateur comment, action, Palissy data and photos (RB §4.4). */
export function ObjetCommunePage(props: {
  objet: ObjetDeCommune;
  codeInsee: string;
  dossierStatus: DossierStatus | null;
  csrfToken: string;
}) {
  const { objet, codeInsee, dossierStatus } = props;
  const titre = objetTitle(objet);
  const recensement = objet.recensement;
  const action = actionObjet(recensement?.status ?? null, dossierStatus);
  const commentaire = dossierStatus === "accepted" ? recensement?.analyse_notes?.trim() : undefined;
  const photos = memoirePhotos(objet.palissy_photos, titre);
  const photosRecensement = recensement?.photos ?? [];
  const badge = badgeRecensement(recensement?.status ?? null, dossierStatus);
  const protection = badgeProtectionObjet(objet);
  return (
    <>
      <h1>{titre}</h1>
      {badge || protection ? (
        <ul class="fr-badges-group fr-mb-3w">
          {badge ? (
            <li>
              <p class={`fr-badge fr-badge--sm fr-badge--${badge.severity}`}>{badge.label}</p>
            </li>
          ) : null}
          {protection ? (
            <li>
              <p class={`fr-badge fr-badge--sm ${protection.class}`}>{protection.label}</p>
            </li>
          ) : null}
        </ul>
      ) : null}
      {commentaire ? (
        <div class="fr-callout fr-icon-chat-3-line fr-mb-4w">
          <h2 class="fr-callout__title">Commentaire du conservateur</h2>
          <div class="fr-callout__text">
            <Paragraphes texte={commentaire} />
          </div>
        </div>
      ) : null}
      {action !== "Afficher" ? (
        <div class="fr-mb-4w">
          <BoutonAction action={action} codeInsee={codeInsee} objetId={objet.id} titre={titre} csrfToken={props.csrfToken} />
        </div>
      ) : dossierStatus === "submitted" ? (
        <p class="fr-mb-4w co-muted">{MESSAGE_NON_MODIFIABLE}</p>
      ) : null}
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-7">
          <ObjetDetails objet={objet} communeHref={`/communes/${codeInsee}/objets`} />
        </div>
        <div class="fr-col-12 fr-col-md-5">
          {photosRecensement.length > 0 ? (
            <section aria-labelledby="photos-recensement" class="fr-mb-4w">
              <h2 class="fr-h4" id="photos-recensement">
                Vos photos
              </h2>
              <ul class="fr-grid-row fr-grid-row--gutters co-unstyled-list">
                {photosRecensement.map((photo, index) => (
                  <li class="fr-col-6" key={photo.id}>
                    <img
                      class="fr-responsive-img co-vignette"
                      src={`/photos/${photo.id}/vignette`}
                      alt={`Votre photo ${index + 1} sur ${photosRecensement.length} de l’objet`}
                      loading="lazy"
                    />
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <section aria-labelledby="photos-memoire">
            <h2 class="fr-h4" id="photos-memoire">
              Photos de la médiathèque du patrimoine
            </h2>
            {photos.length === 0 ? (
              <p>{AUCUNE_PHOTO_MEMOIRE}</p>
            ) : (
              <ul class="fr-grid-row fr-grid-row--gutters co-unstyled-list">
                {photos.map((photo, index) => (
                  <li class="fr-col-6" key={`${photo.src}-${index}`}>
                    <figure class="fr-content-media fr-my-0">
                      <a href={photoMemoireHref(codeInsee, objet.id, index + 1)} class="co-photo-lien fr-raw-link">
                        <img
                          class="fr-responsive-img fr-ratio-4x3 co-vignette"
                          src={photo.src}
                          alt={`${photo.alt} (afficher en grand)`}
                          loading="lazy"
                        />
                      </a>
                      <figcaption class="fr-content-media__caption">{photo.caption}</figcaption>
                    </figure>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>
    </>
  );
}

/** One Mémoire photo, as large as the screen allows, with previous / next / close links (works without JavaScript). */
export function PhotoMemoirePage(props: { titre: string; codeInsee: string; objetId: number; photos: MemoirePhoto[]; n: number }) {
  const { titre, codeInsee, objetId, photos, n } = props;
  const photo = photos[n - 1];
  if (!photo) return null;
  const total = photos.length;
  return (
    <>
      <div id="photo" class="co-plein-ecran">
        <h1 class="fr-h4 fr-mb-1w">{titre}</h1>
        <p class="fr-mb-1w">
          Photo {n} sur {total}
        </p>
        <figure class="fr-content-media fr-my-0">
          <img class="co-plein-ecran__image" src={photo.src} alt={photo.alt} />
          <figcaption class="fr-content-media__caption">{photo.caption}</figcaption>
        </figure>
        <nav aria-label="Parcourir les photos" class="fr-mt-2w">
          <ul class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--icon-left">
            {n > 1 ? (
              <li>
                <a class="fr-btn fr-btn--secondary fr-icon-arrow-left-line" href={photoMemoireHref(codeInsee, objetId, n - 1)}>
                  Photo précédente
                </a>
              </li>
            ) : null}
            {n < total ? (
              <li>
                <a class="fr-btn fr-btn--secondary fr-icon-arrow-right-line" href={photoMemoireHref(codeInsee, objetId, n + 1)}>
                  Photo suivante
                </a>
              </li>
            ) : null}
            <li>
              <a class="fr-btn fr-btn--tertiary fr-icon-close-line" href={`${objetHref(codeInsee, objetId)}#photos-memoire`}>
                Fermer
              </a>
            </li>
          </ul>
        </nav>
        <p class="fr-mt-1w">
          <a href={photo.src} target="_blank" rel="noopener" title="Ouvrir la photo en taille réelle - nouvelle fenêtre">
            Ouvrir la photo en taille réelle
          </a>
        </p>
      </div>
    </>
  );
}
