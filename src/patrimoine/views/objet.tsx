import type { PalissyPhoto } from "../../platform/db/schema.ts";
import type { ObjetPublic } from "../repository.ts";
import {
  capitalizeFirst,
  deplacementParagraph,
  edificeDisplayName,
  formatPalissyDate,
  objetTitle,
  popUrl,
  protection,
  protectionScope,
  safeImageUrl,
  splitPalissyList,
} from "../rules.ts";

function listOrNull(value: string | null): string | null {
  const parts = splitPalissyList(value);
  return parts.length > 0 ? capitalizeFirst(parts.join(", ")) : null;
}

export type BadgeProtection = { label: string; class: string };

function badgeProtection(prot: string | null): BadgeProtection | null {
  const scope = protectionScope(prot);
  if (!scope) return null;
  return scope === "classé"
    ? { label: "Classé monument historique", class: "fr-badge--purple-glycine" }
    : { label: "Inscrit monument historique", class: "fr-badge--blue-ecume" };
}

/** PROT, or else the last DPRO event, decides the badge. */
export function badgeProtectionObjet(objet: Pick<ObjetPublic, "palissy_prot" | "palissy_dpro">): BadgeProtection | null {
  return badgeProtection(objet.palissy_prot || protection(objet)?.label || null);
}

function ProtectionBadgeGroup(props: { badge: BadgeProtection | null }) {
  if (!props.badge) return null;
  return (
    <ul class="fr-badges-group fr-mb-3w">
      <li>
        <p class={`fr-badge fr-badge--sm ${props.badge.class}`}>{props.badge.label}</p>
      </li>
    </ul>
  );
}

export function ObjetProtectionBadge(props: { objet: Pick<ObjetPublic, "palissy_prot" | "palissy_dpro"> }) {
  return <ProtectionBadgeGroup badge={badgeProtectionObjet(props.objet)} />;
}

export type MemoirePhoto = { src: string; alt: string; caption: string };

/**
 * The Mémoire photos that may be shown (safe URLs only), numbered in that order: the gallery and the
 * full-screen view of the commune interface both count on it.
 */
export function memoirePhotos(photos: PalissyPhoto[], title: string): MemoirePhoto[] {
  return photos
    .flatMap((photo) => {
      const src = safeImageUrl(photo.url);
      return src ? [{ photo, src }] : [];
    })
    .map(({ photo, src }, index) => ({
      src,
      alt: photo.name ? `${title} : ${photo.name}` : `${title}, photo ${index + 1}`,
      caption: [photo.name, photo.credit].filter(Boolean).join(" — ") || `Photo ${index + 1}`,
    }));
}

/**
 * Where the objet is and what Palissy says of it (emplacement, déplacement, description, POP link),
 * shared by the public page and the commune's objet page.
 */
export function ObjetDetails(props: { objet: ObjetPublic; communeHref?: string }) {
  const { objet } = props;
  const communeNom = objet.commune_nom ?? objet.palissy_com;
  const edificeNom = edificeDisplayName(objet.edifice_id !== null ? objet.edifice_nom : objet.lieu_actuel_edifice_nom, communeNom);
  const prot = protection(objet);
  const deplacement = deplacementParagraph(objet);
  const communeHref = props.communeHref ?? `/communes/${objet.lieu_actuel_code_insee}`;
  const attributes: { label: string; value: string | null }[] = [
    { label: "Dénomination", value: listOrNull(objet.palissy_deno) },
    { label: "Catégorie", value: listOrNull(objet.palissy_cate) },
    { label: "Époque", value: listOrNull(objet.palissy_scle) },
    { label: "Protection", value: prot ? prot.label : null },
    { label: "Date de protection", value: prot?.date ?? null },
    { label: "Dernier récolement", value: objet.palissy_denq ? formatPalissyDate(objet.palissy_denq) : null },
  ];
  return (
    <>
      <h2 class="fr-h4">Emplacement</h2>
      <p>
        {objet.commune_nom ? <a href={communeHref}>{objet.commune_nom}</a> : communeNom}
        {communeNom ? " — " : ""}
        {edificeNom}
        {objet.palissy_empl ? (
          <>
            <br />
            {capitalizeFirst(objet.palissy_empl.trim())}
          </>
        ) : null}
      </p>
      {deplacement ? (
        <>
          <h2 class="fr-h4">{deplacement.title}</h2>
          <p>{deplacement.text}</p>
        </>
      ) : null}
      <h2 class="fr-h4">Description</h2>
      <dl class="co-attributes">
        {attributes
          .filter((attribute) => attribute.value)
          .map((attribute) => (
            <div key={attribute.label}>
              <dt>{attribute.label}</dt>
              <dd>{attribute.value}</dd>
            </div>
          ))}
        <div>
          <dt>Référence POP</dt>
          <dd>
            {objet.palissy_ref} —{" "}
            <a
              href={popUrl(objet.palissy_ref)}
              target="_blank"
              rel="noopener"
              title={`Voir la notice ${objet.palissy_ref} sur POP - nouvelle fenêtre`}
            >
              Voir la notice sur POP
            </a>
          </dd>
        </div>
      </dl>
    </>
  );
}

export const AUCUNE_PHOTO_MEMOIRE = "La médiathèque du patrimoine (Mémoire) ne contient pas encore de photo de cet objet.";

export function ObjetPage(props: { objet: ObjetPublic }) {
  const { objet } = props;
  const title = objetTitle(objet);
  const photos = memoirePhotos(objet.palissy_photos, title);
  return (
    <>
      <h1>{title}</h1>
      <ObjetProtectionBadge objet={objet} />
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-7">
          <ObjetDetails objet={objet} />
        </div>
        <div class="fr-col-12 fr-col-md-5">
          <h2 class="fr-h4">Photos</h2>
          {photos.length === 0 ? (
            <p>{AUCUNE_PHOTO_MEMOIRE}</p>
          ) : (
            <ul class="co-unstyled-list">
              {photos.map((photo, index) => (
                <li key={`${photo.src}-${index}`}>
                  <figure class="fr-content-media fr-mt-0 fr-mb-4w">
                    <img class="fr-responsive-img" src={photo.src} alt={photo.alt} loading={index === 0 ? undefined : "lazy"} />
                    <figcaption class="fr-content-media__caption">{photo.caption}</figcaption>
                  </figure>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </>
  );
}
