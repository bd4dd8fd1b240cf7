import { CsrfField } from "../../comptes/views/components.tsx";
import type { BordereauState } from "../../platform/db/schema.ts";
import { parametreEdifice, type EdificeBordereau, type EdificeCle, type LigneEdifice } from "../repository.ts";
import {
  BORDEREAU_STATE_LABELS,
  ETATS_BORDEREAU,
  ETAT_BORDEREAU_LABELS,
  MESSAGES,
  NOTES_MAX,
  type ErreursFormulaire,
  type LigneBordereau,
} from "../rules.ts";

const dateHeure = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", dateStyle: "short", timeStyle: "short" });

const BADGES: Record<BordereauState, string> = {
  a_generer: "fr-badge--info",
  en_cours: "fr-badge--new",
  genere: "fr-badge--success",
  echec: "fr-badge--error",
};

export type SaisieRefusee = {
  cle: EdificeCle;
  erreurs: ErreursFormulaire;
  lignes: Map<number, Partial<Record<keyof LigneBordereau, string>>>;
};

export type BordereauxProps = {
  codeInsee: string;
  accepte: boolean;
  edifices: EdificeBordereau[];
  csrfToken: string | null;
  /** The édifice whose accordion opens (just posted, or asked by `?edifice=`). */
  ouvert?: EdificeCle | undefined;
  saisie?: SaisieRefusee | undefined;
};

export function urlOnglet(codeInsee: string): string {
  return `/conservateurs/communes/${codeInsee}/bordereaux`;
}

export function urlEdifice(codeInsee: string, cle: EdificeCle): string {
  return `${urlOnglet(codeInsee)}/${parametreEdifice(cle)}`;
}

function etatDe(edifice: EdificeBordereau): BordereauState {
  return edifice.bordereau?.state ?? "a_generer";
}

function pluriel(n: number, singulier: string, plurielForme: string): string {
  return `${n} ${n > 1 ? plurielForme : singulier}`;
}

export function BordereauxOnglet(props: BordereauxProps) {
  if (!props.accepte) {
    return (
      <div class="fr-callout fr-mt-4w">
        <p class="fr-callout__text">{MESSAGES.avantEnvoi}</p>
      </div>
    );
  }
  const enCours = props.edifices.some((edifice) => etatDe(edifice) === "en_cours");
  return (
    <div class="fr-mt-4w">
      <h2 class="fr-h4">Bordereaux de récolement</h2>
      <p>
        Un bordereau est établi pour chaque édifice qui abrite des objets classés ou inscrits. Ses champs sont préremplis à partir de
        l’examen envoyé à la commune : vérifiez-les, complétez-les si besoin, puis générez le PDF à imprimer et à faire signer lors du
        récolement. Si un objet n’est pas rattaché au bon édifice, signalez-le à l’équipe de Collectif Objets.
      </p>
      {enCours ? (
        <div class="fr-alert fr-alert--info fr-mb-3w" role="status">
          <p>
            {MESSAGES.enCours}{" "}
            <a href={`${urlOnglet(props.codeInsee)}${props.ouvert !== undefined ? `?edifice=${parametreEdifice(props.ouvert)}` : ""}`}>
              Actualiser la page
            </a>
          </p>
        </div>
      ) : null}
      {props.edifices.length === 0 ? (
        <p>{MESSAGES.aucunProtege}</p>
      ) : (
        <div class="fr-accordions-group">
          {props.edifices.map((edifice) => (
            <AccordeonEdifice
              key={parametreEdifice(edifice.cle)}
              codeInsee={props.codeInsee}
              edifice={edifice}
              csrfToken={props.csrfToken}
              ouvert={props.ouvert !== undefined && props.ouvert === edifice.cle}
              saisie={props.saisie && props.saisie.cle === edifice.cle ? props.saisie : undefined}
            />
          ))}
        </div>
      )}
    </div>
  );
}

function AccordeonEdifice(props: {
  codeInsee: string;
  edifice: EdificeBordereau;
  csrfToken: string | null;
  ouvert: boolean;
  saisie: SaisieRefusee | undefined;
}) {
  const { edifice } = props;
  const id = `bordereau-${parametreEdifice(edifice.cle)}`;
  const etat = etatDe(edifice);
  const bordereau = edifice.bordereau;
  const ouvert = props.ouvert || props.saisie !== undefined;
  return (
    <section class="fr-accordion" id={`edifice-${parametreEdifice(edifice.cle)}`}>
      <h3 class="fr-accordion__title">
        <button type="button" class="fr-accordion__btn" aria-expanded={ouvert ? "true" : "false"} aria-controls={id}>
          {edifice.nom} · {pluriel(edifice.lignes.length, "objet protégé", "objets protégés")}
          <span class={`fr-badge fr-badge--sm fr-ml-2w ${BADGES[etat]}`}>{BORDEREAU_STATE_LABELS[etat]}</span>
        </button>
      </h3>
      <div class={`fr-collapse${ouvert ? " fr-collapse--expanded" : ""}`} id={id}>
        {bordereau?.state === "genere" && bordereau.byte_size !== null ? (
          <p>
            <a class="fr-link fr-icon-download-line fr-link--icon-left" href={`${urlEdifice(props.codeInsee, edifice.cle)}/pdf`} download>
              Télécharger le bordereau (PDF de {Math.max(1, Math.round(bordereau.byte_size / 1024))} Ko)
            </a>
            {bordereau.generated_at ? <span class="fr-hint-text">Généré le {dateHeure.format(bordereau.generated_at)}</span> : null}
          </p>
        ) : null}
        {bordereau?.state === "en_cours" ? (
          <div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w">
            <p>
              Bordereau en cours de génération.{" "}
              <a href={`${urlOnglet(props.codeInsee)}?edifice=${parametreEdifice(edifice.cle)}#edifice-${parametreEdifice(edifice.cle)}`}>
                Actualiser la page
              </a>
            </p>
          </div>
        ) : null}
        {bordereau?.state === "echec" ? (
          <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-3w">
            <p>La génération du bordereau a échoué. Vous pouvez la relancer ci-dessous.</p>
          </div>
        ) : null}
        {props.csrfToken ? (
          <FormulaireBordereau codeInsee={props.codeInsee} edifice={edifice} csrfToken={props.csrfToken} saisie={props.saisie} />
        ) : (
          <p class="fr-text--sm">Lecture seule : le bordereau ne peut pas être modifié.</p>
        )}
      </div>
    </section>
  );
}

function FormulaireBordereau(props: {
  codeInsee: string;
  edifice: EdificeBordereau;
  csrfToken: string;
  saisie: SaisieRefusee | undefined;
}) {
  const erreurGlobale = props.saisie?.erreurs.get("_form");
  return (
    <form method="post" action={urlEdifice(props.codeInsee, props.edifice.cle)} novalidate>
      <CsrfField token={props.csrfToken} />
      {props.saisie ? (
        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
          <p>{erreurGlobale ?? "Le formulaire contient des erreurs : corrigez les champs signalés."}</p>
        </div>
      ) : null}
      {props.edifice.lignes.map((ligne) => (
        <LigneFormulaire key={ligne.recensement_id} ligne={ligne} saisie={props.saisie} />
      ))}
      <button type="submit" class="fr-btn">
        Enregistrer et générer le bordereau
      </button>
    </form>
  );
}

const NOTES: { champ: "notes_commune" | "notes_conservateur" | "notes_affectataire" | "notes_proprietaire"; label: string }[] = [
  { champ: "notes_commune", label: "Notes commune" },
  { champ: "notes_conservateur", label: "Notes conservateur" },
  { champ: "notes_affectataire", label: "Notes affectataire" },
  { champ: "notes_proprietaire", label: "Notes propriétaire" },
];

function LigneFormulaire(props: { ligne: LigneEdifice; saisie: SaisieRefusee | undefined }) {
  const { ligne } = props;
  const rid = ligne.recensement_id;
  const postee = props.saisie?.lignes.get(rid);
  const valeur = (champ: keyof LigneBordereau): string => postee?.[champ] ?? ligne.ligne[champ] ?? "";
  const erreur = (champ: string): string | undefined => props.saisie?.erreurs.get(`${rid}.${champ}`);
  const legendId = `ligne-${rid}-legende`;
  const etatId = `ligne-${rid}-etat`;
  const erreurEtat = erreur("etat_sanitaire");
  return (
    <fieldset class="fr-fieldset fr-mb-3w" aria-labelledby={legendId}>
      <legend class="fr-fieldset__legend fr-h6" id={legendId}>
        {ligne.palissy_ref} — {ligne.titre}
      </legend>
      <div class="fr-fieldset__element">
        <div class="fr-grid-row fr-grid-row--gutters">
          <div class="fr-col-12 fr-col-md-3">
            {ligne.photo ? (
              <img src={ligne.photo.vignetteUrl} alt={`Photo de recensement : ${ligne.titre}`} class="fr-responsive-img" loading="lazy" />
            ) : (
              <p class="fr-text--sm fr-mb-0">Pas de photo de recensement</p>
            )}
          </div>
          <div class="fr-col-12 fr-col-md-9">
            <p class="fr-text--sm fr-mb-2w">
              Catégorie : {ligne.categorie ?? "non renseignée"}
              <br />
              Époque : {ligne.epoque ?? "non renseignée"}
              {ligne.date_protection ? (
                <>
                  <br />
                  Date de protection : {ligne.date_protection}
                </>
              ) : null}
            </p>
            <div class={`fr-select-group${erreurEtat ? " fr-select-group--error" : ""}`}>
              <label class="fr-label" for={etatId}>
                État de conservation
              </label>
              <select
                class={`fr-select${erreurEtat ? " fr-select--error" : ""}`}
                id={etatId}
                name={`lignes[${rid}][etat_sanitaire]`}
                aria-describedby={erreurEtat ? `${etatId}-erreur` : undefined}
              >
                <option value="" selected={valeur("etat_sanitaire") === ""}>
                  Non renseigné
                </option>
                {ETATS_BORDEREAU.map((etat) => (
                  <option key={etat} value={etat} selected={valeur("etat_sanitaire") === etat}>
                    {ETAT_BORDEREAU_LABELS[etat]}
                  </option>
                ))}
              </select>
              {erreurEtat ? (
                <p class="fr-error-text" id={`${etatId}-erreur`}>
                  {erreurEtat}
                </p>
              ) : null}
            </div>
            {NOTES.map(({ champ, label }) => {
              const fieldId = `ligne-${rid}-${champ}`;
              const message = erreur(champ);
              return (
                <div key={champ} class={`fr-input-group${message ? " fr-input-group--error" : ""}`}>
                  <label class="fr-label" for={fieldId}>
                    {label}
                  </label>
                  <textarea
                    class={`fr-input${message ? " fr-input--error" : ""}`}
                    id={fieldId}
                    name={`lignes[${rid}][${champ}]`}
                    rows={2}
                    maxLength={NOTES_MAX}
                    aria-describedby={message ? `${fieldId}-erreur` : undefined}
                  >
                    {valeur(champ)}
                  </textarea>
                  {message ? (
                    <p class="fr-error-text" id={`${fieldId}-erreur`}>
                      {message}
                    </p>
                  ) : null}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </fieldset>
  );
}
