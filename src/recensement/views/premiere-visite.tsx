import { pluralize } from "../../patrimoine/rules.ts";

export type EtapeRecensement = { titre: string; texte: string; pictogramme: string };

/** The three steps, with a DSFR pictogram each (files under /dsfr/artwork/pictograms/). */
export const ETAPES_RECENSEMENT: readonly EtapeRecensement[] = [
  {
    titre: "Allez voir vos objets",
    texte:
      "Munissez-vous d’un téléphone ou d’un appareil photo et rendez-vous là où chaque objet est conservé : église, chapelle, mairie, presbytère…",
    pictogramme: "map/map-pin",
  },
  {
    titre: "Recensez chaque objet",
    texte:
      "Pour chaque objet, cliquez sur « Recenser » puis répondez à quelques questions : est-il à sa place, dans quel état, est-il facile à voler ? Ajoutez quelques photos. Comptez une dizaine de minutes par objet.",
    pictogramme: "digital/smartphone",
  },
  {
    titre: "Envoyez votre recensement",
    texte:
      "Quand tous les objets sont recensés, envoyez votre recensement au conservateur des antiquités et objets d’art : il l’examinera et vous transmettra ses observations et ses conseils.",
    pictogramme: "digital/mail-send",
  },
];

/** A decorative DSFR pictogram (the three layers follow the light or dark theme). */
export function Pictogramme(props: { nom: string }) {
  const href = `/dsfr/artwork/pictograms/${props.nom}.svg`;
  return (
    <svg aria-hidden="true" focusable="false" class="fr-artwork" viewBox="0 0 80 80" width="80px" height="80px">
      <use class="fr-artwork-decorative" href={`${href}#artwork-decorative`} />
      <use class="fr-artwork-minor" href={`${href}#artwork-minor`} />
      <use class="fr-artwork-major" href={`${href}#artwork-major`} />
    </svg>
  );
}

export function boutonRecenser(count: number, communeNom: string): string {
  return count === 1 ? `Recenser l’objet de ${communeNom}` : `Recenser les objets de ${communeNom}`;
}

export function PremiereVisitePage(props: { communeNom: string; codeInsee: string; count: number }) {
  const { communeNom, codeInsee, count } = props;
  return (
    <>
      <h1>Recensez vos objets en 3 étapes</h1>
      <p class="fr-text--lead">
        Bienvenue sur Collectif Objets !{" "}
        {count > 0
          ? `${communeNom} compte ${pluralize(count, "objet protégé", "objets protégés")} au titre des monuments historiques. Voici comment ${count > 1 ? "les" : "le"} recenser.`
          : `Voici comment se passe le recensement des objets protégés de ${communeNom}.`}
      </p>
      <ol class="fr-grid-row fr-grid-row--gutters co-steps fr-mb-4w">
        {ETAPES_RECENSEMENT.map((etape, index) => (
          <li class="fr-col-12 fr-col-md-4" key={etape.titre}>
            <div class="co-premiere-visite-etape">
              <Pictogramme nom={etape.pictogramme} />
              <h2 class="fr-h5 fr-mt-2w">
                <span class="co-premiere-visite-numero">Étape {index + 1} :</span> {etape.titre}
              </h2>
              <p class="fr-mb-0">{etape.texte}</p>
            </div>
          </li>
        ))}
      </ol>
      <p>
        Vous pouvez vous arrêter à tout moment : vos réponses sont enregistrées à chaque étape et vous reprendrez là où vous en étiez. Le
        détail du questionnaire et les réponses aux questions fréquentes sont sur la page{" "}
        <a href="/comment-ca-marche">Comment ça marche ?</a>.
      </p>
      <div class="co-sticky-action">
        <a class="fr-btn fr-btn--lg fr-icon-arrow-right-line fr-btn--icon-right" href={`/communes/${codeInsee}/objets`}>
          {boutonRecenser(count, communeNom)}
        </a>
      </div>
    </>
  );
}
