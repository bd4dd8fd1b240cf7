import { CsrfField } from "../../comptes/views/components.tsx";
import { objetTitle, pluralize } from "../../patrimoine/rules.ts";
import type { RecensementDuDossier } from "../repository.ts";
import { manquePhotos, NOTES_COMMUNE_MAX, RECENSEUR_MAX, type ChampFinalisation, type SaisieFinalisation } from "../rules.ts";
import { objetUrl, RecensementsTable } from "./components.tsx";

export type CommuneVue = { nom: string; codeInsee: string };
export type ErreursFinalisation = Partial<Record<ChampFinalisation, string>>;

export function finalisationUrl(codeInsee: string): string {
  return `/communes/${codeInsee}/dossier/finalisation`;
}

const LABELS: Record<ChampFinalisation, string> = {
  notes_commune: "Vos commentaires à destination des conservateurs",
  recenseur: "Coordonnées de la personne ayant effectué le recensement",
};

function ErrorSummary(props: { erreurs: ErreursFinalisation }) {
  const champs = (Object.keys(props.erreurs) as ChampFinalisation[]).filter((champ) => props.erreurs[champ]);
  if (champs.length === 0) return null;
  return (
    <div class="fr-alert fr-alert--error fr-mb-4w" role="alert">
      <h2 class="fr-alert__title">
        {champs.length > 1 ? `Le formulaire contient ${champs.length} erreurs` : "Le formulaire contient une erreur"}
      </h2>
      <ul>
        {champs.map((champ) => (
          <li key={champ}>
            <a href={`#${champ}`}>
              {LABELS[champ]} : {props.erreurs[champ]}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** "Finalisation du recensement de <commune>" (RB §4.6). */
export function FinalisationPage(props: {
  commune: CommuneVue;
  recensements: RecensementDuDossier[];
  saisie: SaisieFinalisation;
  erreurs: ErreursFinalisation;
  csrfToken: string;
}) {
  const { commune, saisie, erreurs } = props;
  const sansPhoto = props.recensements.filter(manquePhotos).length;
  const notesError = erreurs.notes_commune;
  const recenseurError = erreurs.recenseur;
  return (
    <>
      <h1>Finalisation du recensement de {commune.nom}</h1>
      <ErrorSummary erreurs={erreurs} />
      <p class="fr-text--lead">Vous avez recensé tous les objets protégés de votre commune, merci !</p>
      <p>
        Avant d’envoyer votre recensement aux conservateurs, vérifiez dans le tableau ci-dessous que chaque objet a bien été recensé :
        localisation, état, sécurisation et photos. Pour corriger un objet, ouvrez sa fiche en cliquant sur son nom. Une fois envoyé, le
        recensement ne pourra plus être modifié.
      </p>
      {sansPhoto > 0 ? (
        <div class="fr-notice fr-notice--info fr-mb-3w">
          <div class="fr-container">
            <div class="fr-notice__body">
              <p class="fr-notice__title">
                {sansPhoto > 1 ? `${sansPhoto} objets recensables n’ont pas de photo.` : "Un objet recensable n’a pas de photo."} Sans
                photo, les conservateurs peuvent difficilement évaluer l’état d’un objet.
              </p>
            </div>
          </div>
        </div>
      ) : null}
      <RecensementsTable
        codeInsee={commune.codeInsee}
        communeNom={commune.nom}
        recensements={props.recensements}
        caption={`Objets recensés (${props.recensements.length})`}
      />
      <form method="post" action={finalisationUrl(commune.codeInsee)} class="fr-mt-4w" novalidate>
        <CsrfField token={props.csrfToken} />
        <div class={`fr-input-group${notesError ? " fr-input-group--error" : ""}`}>
          <label class="fr-label" for="notes_commune">
            {LABELS.notes_commune}
            <span class="fr-hint-text" id="notes_commune-hint">
              Facultatif. Remarques générales sur le recensement ou sur l’état de vos édifices : les conservateurs les liront avec vos
              réponses. {NOTES_COMMUNE_MAX.toLocaleString("fr-FR")} caractères au plus.
            </span>
          </label>
          <textarea
            class={`fr-input${notesError ? " fr-input--error" : ""}`}
            id="notes_commune"
            name="notes_commune"
            rows={6}
            maxLength={NOTES_COMMUNE_MAX}
            aria-invalid={notesError ? "true" : undefined}
            aria-describedby={notesError ? "notes_commune-hint notes_commune-error" : "notes_commune-hint"}
            value={saisie.notes_commune}
          />
          {notesError ? (
            <p class="fr-error-text" id="notes_commune-error">
              {notesError}
            </p>
          ) : null}
        </div>
        <div class={`fr-input-group${recenseurError ? " fr-input-group--error" : ""}`}>
          <label class="fr-label" for="recenseur">
            {LABELS.recenseur}
            <span class="fr-hint-text" id="recenseur-hint">
              Facultatif. Nom, fonction et téléphone ou adresse électronique, par exemple : Marie Dupont, adjointe au maire, 06 12 34 56 78.
            </span>
          </label>
          <input
            class={`fr-input${recenseurError ? " fr-input--error" : ""}`}
            type="text"
            id="recenseur"
            name="recenseur"
            value={saisie.recenseur}
            autocomplete="name"
            maxLength={RECENSEUR_MAX}
            aria-invalid={recenseurError ? "true" : undefined}
            aria-describedby={["recenseur-hint", "recenseur-confidentialite", recenseurError ? "recenseur-error" : null]
              .filter(Boolean)
              .join(" ")}
          />
          {recenseurError ? (
            <p class="fr-error-text" id="recenseur-error">
              {recenseurError}
            </p>
          ) : null}
          <p class="fr-hint-text fr-mt-1w" id="recenseur-confidentialite">
            Ces coordonnées ne sont transmises qu’aux conservateurs, pour qu’ils puissent joindre la personne qui a vu les objets. Voir
            notre <a href="/confidentialite">politique de confidentialité</a>.
          </p>
        </div>
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <button type="submit" class="fr-btn">
              Je valide le recensement des objets de ma commune
            </button>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href={`/communes/${commune.codeInsee}/objets`}>
              Revenir à la liste des objets
            </a>
          </li>
        </ul>
      </form>
    </>
  );
}

/** Asked once when recensable objets have no photo; the typed text travels in hidden fields (works without JavaScript). */
export function ConfirmationSansPhotoPage(props: {
  commune: CommuneVue;
  sansPhoto: RecensementDuDossier[];
  saisie: SaisieFinalisation;
  csrfToken: string;
}) {
  const { commune, sansPhoto } = props;
  return (
    <>
      <h1>Certains objets n’ont pas de photo</h1>
      <div class="fr-alert fr-alert--warning fr-mb-4w">
        <h2 class="fr-alert__title">Voulez-vous quand même envoyer votre recensement ?</h2>
        <p>
          Certains objets n’ont pas de photo : un recensement sans photo sera probablement renvoyé par les conservateurs, qui ne pourront
          pas évaluer l’état de l’objet. Voulez-vous quand même envoyer ?
        </p>
      </div>
      <h2 class="fr-h4">{pluralize(sansPhoto.length, "objet recensable sans photo", "objets recensables sans photo")}</h2>
      <ul>
        {sansPhoto.map((r) => (
          <li key={r.id}>
            <a href={objetUrl(commune.codeInsee, r.objet_id)}>{objetTitle(r)}</a> ({r.palissy_ref})
          </li>
        ))}
      </ul>
      <p>Pour ajouter des photos, ouvrez la fiche de l’objet puis modifiez son recensement.</p>
      <form method="post" action={finalisationUrl(commune.codeInsee)}>
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="notes_commune" value={props.saisie.notes_commune} />
        <input type="hidden" name="recenseur" value={props.saisie.recenseur} />
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <button type="submit" class="fr-btn" name="confirme" value="1">
              Oui, envoyer le recensement sans ces photos
            </button>
          </li>
          <li>
            <button type="submit" class="fr-btn fr-btn--secondary" name="retour" value="1">
              Non, revenir à la finalisation
            </button>
          </li>
        </ul>
      </form>
    </>
  );
}
