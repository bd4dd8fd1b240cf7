import type { ComponentChildren } from "preact";
import { CsrfField } from "../../comptes/views/components.tsx";
import { ValeurEvaluee, dateLongue, etatEvalue, securisationEvaluee } from "../../dossier/views/components.tsx";
import type { EtatSanitaire, FicheId, Securisation } from "../../platform/db/schema.ts";
import { capitalizeFirst, edificeDisplayName, objetTitle, safeImageUrl } from "../../patrimoine/rules.ts";
import type { PhotoVue } from "../../recensement/photos-repository.ts";
import {
  ETATS_SANITAIRES,
  ETAT_SANITAIRE_LABELS,
  SECURISATIONS,
  SECURISATION_LABELS,
  phraseLocalisation,
} from "../../recensement/rules.ts";
import { ANALYSE_NOTES_MAX, situationDuRecensement, type ChampExamen, type ErreurExamen } from "../analyse.ts";
import type { RecensementExamen } from "../recensement-repository.ts";
import { GaleriePhotos, examenUrl } from "./examen-photos.tsx";

/** What the conservateur typed, shown back when the form has errors. */
export type SaisieAffichee = { etat_sanitaire: string; securisation: string; fiches: string[]; analyse_notes: string };

export type ExamenPageProps = {
  examen: RecensementExamen;
  photos: PhotoVue[];
  csrfToken: string;
  erreurs: ErreurExamen[];
  saisie: SaisieAffichee | null;
  /** The recensement changed since the page was loaded: the form is shown again with a warning. */
  conflit: boolean;
};

export function communeConservateurUrl(codeInsee: string): string {
  return `/conservateurs/communes/${codeInsee}`;
}

const FICHE_LIBELLES: Record<FicheId, string> = {
  depot_plainte: "Informer la commune sur le dépôt de plainte",
  entretien_objets: "Informer la commune sur les mesures d’entretien préventives",
  restauration: "Informer la commune sur les étapes préalables à la restauration",
  entretien_edifices: "Informer la commune sur les mesures d’entretien des édifices et de prévention d’attaques de nuisibles",
  securisation: "Informer la commune sur les mesures de sécurisation des objets",
};

const FORM_ID = "ex-formulaire";

/** Examen of one recensement (RB §5.7): the commune's answers, the conservateur's evaluation, the photos. */
export function ExamenRecensementPage(props: ExamenPageProps) {
  const { examen, erreurs } = props;
  const titre = objetTitle(examen);
  const modifiable = examen.dossier_status === "submitted";
  const situation = situationDuRecensement(examen);
  return (
    <div class="ex-page" data-ex-examen={modifiable ? "" : undefined}>
      <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={communeConservateurUrl(examen.code_insee)}>
        Retour à la liste des recensements
      </a>
      <h1 class="fr-h2 fr-mt-2w">Examen du recensement – {titre}</h1>
      <ObjetResume examen={examen} titre={titre} />
      {modifiable ? <Raccourcis etat={situation === "recensable"} /> : null}
      <p class="fr-sr-only" aria-live="polite" data-ex-annonce></p>
      {!modifiable ? (
        <div class="fr-alert fr-alert--info fr-mb-3w">
          <h2 class="fr-alert__title">L’examen de ce dossier a été envoyé à la commune</h2>
          <p>
            Il n’est plus modifiable. Rouvrez le dossier depuis{" "}
            <a href={communeConservateurUrl(examen.code_insee)}>la page de la commune</a> pour modifier l’examen.
          </p>
        </div>
      ) : null}
      {props.conflit ? (
        <div class="fr-alert fr-alert--warning fr-mb-3w" role="alert">
          <h2 class="fr-alert__title">Ce recensement vient d’être modifié par ailleurs</h2>
          <p>
            Un autre examen a été sauvegardé depuis l’ouverture de cette page. Vos choix sont affichés ci-dessous : vérifiez-les puis
            sauvegardez de nouveau.
          </p>
        </div>
      ) : null}
      <ErrorSummary erreurs={erreurs} />
      <form id={FORM_ID} method="post" action={examenUrl(examen.id)} novalidate data-ex-formulaire>
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="version" value={String(examen.version)} />
        {modifiable ? (
          <BlocRecensement {...props} />
        ) : (
          <fieldset class="ex-fieldset-nu" disabled>
            <legend class="fr-sr-only">Examen envoyé, non modifiable</legend>
            <BlocRecensement {...props} />
          </fieldset>
        )}
      </form>
      <GaleriePhotos
        recensementId={examen.id}
        objetTitre={titre}
        photos={props.photos}
        csrfToken={props.csrfToken}
        modifiable={modifiable}
        ajoutPossible={modifiable && situation === "recensable"}
      />
      <Commentaires {...props} modifiable={modifiable} />
    </div>
  );
}

function ObjetResume(props: { examen: RecensementExamen; titre: string }) {
  const { examen } = props;
  const photo = safeImageUrl(examen.palissy_photo?.url);
  const details: [string, string][] = [
    ["Référence Palissy", examen.palissy_ref],
    ["Édifice", edificeDisplayName(examen.edifice_initial_nom, examen.commune_nom)],
    ["Emplacement", examen.palissy_empl?.trim() ? capitalizeFirst(examen.palissy_empl.trim()) : "Non renseigné"],
    ["Catégorie", examen.palissy_cate?.trim() ? capitalizeFirst(examen.palissy_cate.trim()) : "Non renseignée"],
    ["Époque", examen.palissy_scle?.trim() ? examen.palissy_scle.trim() : "Non renseignée"],
  ];
  return (
    <div class="ex-objet fr-mb-4w">
      {photo ? <img class="ex-objet__img" src={photo} alt="" width={160} height={120} /> : null}
      <div class="ex-objet__texte">
        <dl class="ex-objet__details">
          {details.map(([terme, valeur]) => (
            <div key={terme}>
              <dt>{terme}</dt>
              <dd>{valeur}</dd>
            </div>
          ))}
        </dl>
        <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href={`/objets/${encodeURIComponent(examen.palissy_ref)}`}>
          Voir la fiche objet<span class="fr-sr-only">{` ${props.titre}`}</span>
        </a>
      </div>
    </div>
  );
}

function ErrorSummary(props: { erreurs: ErreurExamen[] }) {
  if (props.erreurs.length === 0) return null;
  return (
    <div class="fr-alert fr-alert--error fr-mb-3w" role="alert" tabIndex={-1} id="erreurs">
      <h2 class="fr-alert__title">{props.erreurs.length > 1 ? "Des informations sont à corriger" : "Une information est à corriger"}</h2>
      <ul>
        {props.erreurs.map((erreur) => (
          <li key={erreur.champ}>
            <a href={`#${erreur.champ}`}>{erreur.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function erreurDe(erreurs: ErreurExamen[], champ: ChampExamen): string | undefined {
  return erreurs.find((e) => e.champ === champ)?.message;
}

function BlocRecensement(props: ExamenPageProps) {
  const { examen, saisie, erreurs } = props;
  const situation = situationDuRecensement(examen);
  const fichesCochees = new Set(saisie ? saisie.fiches : examen.analyse_fiches);
  const fichesErreur = erreurDe(erreurs, "fiches");
  return (
    <section class="ex-bloc" aria-labelledby="ex-recensement-titre">
      <h2 class="fr-h4" id="ex-recensement-titre">
        Recensement
      </h2>
      <h3 class="fr-h6 fr-mb-1w">L’objet a-t-il été trouvé par la commune ?</h3>
      <p class="fr-mb-1v">
        {phraseLocalisation(examen, edificeDisplayName(examen.edifice_initial_nom, examen.commune_nom), examen.autre_commune_nom)}
      </p>
      <p class="fr-hint-text fr-mb-3w">Si cette réponse vous semble erronée, demandez à la commune de la corriger depuis la messagerie.</p>

      {situation === "absent" ? (
        <FichesFieldset
          legende="Fiche conseil pour un objet introuvable"
          fiches={["depot_plainte"]}
          cochees={fichesCochees}
          erreur={fichesErreur}
          lien={{ href: "/fiches/depot_plainte", label: "Voir le contenu de la fiche sur le dépôt de plainte" }}
        />
      ) : null}

      {situation === "non_recensable" && examen.localisation !== "absent" ? (
        <p class="fr-badge fr-badge--warning fr-mb-3w">Recensement impossible</p>
      ) : null}

      {situation === "recensable" ? (
        <>
          <EvaluationFieldset
            name="etat_sanitaire"
            legende="État de l’objet"
            valeurs={ETATS_SANITAIRES}
            labels={ETAT_SANITAIRE_LABELS}
            commune={examen.etat_sanitaire}
            evaluation={<ValeurEvaluee evaluation={etatEvalue(examen)} labels={ETAT_SANITAIRE_LABELS} />}
            corrigee={examen.analyse_etat_sanitaire !== null}
            choisie={saisie?.etat_sanitaire || (examen.analyse_etat_sanitaire ?? examen.etat_sanitaire)}
            erreur={erreurDe(erreurs, "etat_sanitaire")}
          />
          <FichesFieldset
            legende="Fiches conseil sur l’état de l’objet"
            fiches={["entretien_objets", "restauration", "entretien_edifices"]}
            cochees={fichesCochees}
            erreur={fichesErreur}
            lien={{ href: "/fiches", label: "Voir le contenu de ces fiches conseils" }}
          />
          <EvaluationFieldset
            name="securisation"
            legende="Sécurisation de l’objet"
            valeurs={SECURISATIONS}
            labels={SECURISATION_LABELS}
            commune={examen.securisation}
            evaluation={<ValeurEvaluee evaluation={securisationEvaluee(examen)} labels={SECURISATION_LABELS} />}
            corrigee={examen.analyse_securisation !== null}
            choisie={saisie?.securisation || (examen.analyse_securisation ?? examen.securisation)}
            erreur={erreurDe(erreurs, "securisation")}
          />
          <FichesFieldset
            legende="Fiche conseil sur la sécurisation"
            fiches={["securisation"]}
            cochees={fichesCochees}
            erreur={null}
            lien={{ href: "/fiches/securisation", label: "Voir le contenu de la fiche sur la sécurisation" }}
          />
        </>
      ) : null}

      <h3 class="fr-h6 fr-mb-1w">Commentaire de la commune</h3>
      {examen.notes ? (
        <blockquote class="ex-citation">{examen.notes}</blockquote>
      ) : (
        <p class="co-muted">Aucun commentaire laissé par la commune pour cet objet</p>
      )}
    </section>
  );
}

/** Radios to confirm or correct the commune's answer; choosing the commune's value keeps it as it is. */
function EvaluationFieldset<V extends EtatSanitaire | Securisation>(props: {
  name: "etat_sanitaire" | "securisation";
  legende: string;
  valeurs: readonly V[];
  labels: Record<V, string>;
  commune: V | null;
  evaluation: ComponentChildren;
  corrigee: boolean;
  choisie: string | null;
  erreur: string | undefined;
}) {
  const messagesId = `${props.name}-messages`;
  const hintId = `${props.name}-hint`;
  return (
    <fieldset
      class={`fr-fieldset${props.erreur ? " fr-fieldset--error" : ""}`}
      id={`${props.name}-fieldset`}
      aria-labelledby={`${props.name}-legend ${hintId} ${messagesId}`}
      role={props.erreur ? "group" : undefined}
      data-ex-choix={props.name}
    >
      <legend class="fr-fieldset__legend" id={`${props.name}-legend`}>
        {props.legende}
      </legend>
      <p class="fr-fieldset__element fr-text--sm fr-mb-1w" id={hintId}>
        {props.corrigee ? (
          <>Évaluation retenue : {props.evaluation}. </>
        ) : (
          <>Réponse de la commune : {props.commune ? props.labels[props.commune] : "non renseignée"}. </>
        )}
        Confirmez-la ou corrigez-la.
      </p>
      {props.valeurs.map((valeur, index) => {
        const id = index === 0 ? props.name : `${props.name}-${valeur}`;
        return (
          <div class="fr-fieldset__element fr-fieldset__element--inline" key={valeur}>
            <div class="fr-radio-group">
              <input type="radio" id={id} name={props.name} value={valeur} checked={props.choisie === valeur} />
              <label class="fr-label" for={id}>
                {props.labels[valeur]}
                {valeur === props.commune ? <span class="fr-hint-text">Réponse de la commune</span> : null}
              </label>
            </div>
          </div>
        );
      })}
      <div class="fr-messages-group" id={messagesId} aria-live="assertive">
        {props.erreur ? <p class="fr-message fr-message--error">{props.erreur}</p> : null}
      </div>
    </fieldset>
  );
}

function FichesFieldset(props: {
  legende: string;
  fiches: FicheId[];
  cochees: ReadonlySet<string>;
  erreur: string | null | undefined;
  lien: { href: string; label: string };
}) {
  const first = props.fiches[0];
  return (
    <fieldset class={`fr-fieldset${props.erreur ? " fr-fieldset--error" : ""}`} aria-labelledby={`fiches-${first}-legend`}>
      <legend class="fr-fieldset__legend fr-text--regular fr-sr-only" id={`fiches-${first}-legend`}>
        {props.legende}
      </legend>
      {props.fiches.map((fiche) => {
        // The error summary links to "#fiches": the first checkbox of the first group carries that id.
        const id = props.erreur && fiche === first ? "fiches" : `fiche-${fiche}`;
        return (
          <div class="fr-fieldset__element" key={fiche}>
            <div class="fr-checkbox-group">
              <input type="checkbox" id={id} name="fiches" value={fiche} checked={props.cochees.has(fiche)} data-ex-fiche={fiche} />
              <label class="fr-label" for={id}>
                {FICHE_LIBELLES[fiche]}
              </label>
            </div>
          </div>
        );
      })}
      <div class="fr-fieldset__element">
        <a
          class="fr-link fr-link--sm"
          href={props.lien.href}
          target="_blank"
          rel="noopener"
          title={`${props.lien.label} – nouvelle fenêtre`}
        >
          {props.lien.label}
        </a>
      </div>
      {props.erreur ? (
        <div class="fr-messages-group" aria-live="assertive">
          <p class="fr-message fr-message--error">{props.erreur}</p>
        </div>
      ) : null}
    </fieldset>
  );
}

function Commentaires(props: ExamenPageProps & { modifiable: boolean }) {
  const { examen, saisie, erreurs } = props;
  const erreur = erreurDe(erreurs, "analyse_notes");
  const described = ["analyse_notes-hint", erreur ? "analyse_notes-error" : null].filter(Boolean).join(" ");
  return (
    <section class="ex-bloc fr-mt-4w" aria-labelledby="ex-commentaires-titre">
      <h2 class="fr-h4" id="ex-commentaires-titre">
        Commentaires pour la mairie
      </h2>
      <div class={`fr-input-group${erreur ? " fr-input-group--error" : ""}`}>
        <label class="fr-label" for="analyse_notes">
          Votre commentaire sur cet objet (facultatif)
          <span class="fr-hint-text" id="analyse_notes-hint">
            Il figurera dans le rapport d’examen envoyé à la commune. {ANALYSE_NOTES_MAX.toLocaleString("fr-FR")} caractères au plus.
          </span>
        </label>
        <textarea
          class={`fr-input${erreur ? " fr-input--error" : ""}`}
          id="analyse_notes"
          name="analyse_notes"
          form={FORM_ID}
          rows={6}
          maxLength={ANALYSE_NOTES_MAX}
          disabled={!props.modifiable}
          aria-describedby={described}
        >
          {saisie ? saisie.analyse_notes : (examen.analyse_notes ?? "")}
        </textarea>
        {erreur ? (
          <p class="fr-error-text" id="analyse_notes-error">
            {erreur}
          </p>
        ) : null}
      </div>
      {props.modifiable ? (
        <>
          <p class="fr-text--sm">
            Rien n’est envoyé à la mairie à cette étape : vos évaluations, fiches et commentaires lui seront transmis quand vous enverrez
            l’examen complet de la commune.
          </p>
          <ul class="fr-btns-group fr-btns-group--inline-md">
            <li>
              <button class="fr-btn" type="submit" form={FORM_ID} name="enregistrer" value="suivant" data-ex-suivant>
                Sauvegarder et passer au suivant
              </button>
            </li>
            <li>
              <button class="fr-btn fr-btn--secondary" type="submit" form={FORM_ID} name="enregistrer" value="sauvegarder">
                Sauvegarder
              </button>
            </li>
          </ul>
          {examen.analysed_at ? (
            <p class="fr-text--xs co-muted">Examen sauvegardé pour la dernière fois le {dateLongue(examen.analysed_at)}.</p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

/** The shortcuts only work with JavaScript: the block stays hidden until src/client/examen.ts shows it. */
function Raccourcis(props: { etat: boolean }) {
  const lignes: [string[], string][] = [
    ...(props.etat
      ? ([
          [["1", "2", "3", "4"], "État : bon, moyen, mauvais, en péril"],
          [["S"], "Sécurisation : difficile à voler"],
          [["D"], "Sécurisation : facile à voler"],
        ] as [string[], string][])
      : []),
    [["C"], "Aller au commentaire pour la mairie"],
    [["P"], "Afficher les photos en grand"],
    [["Ctrl", "Entrée"], "Sauvegarder et passer au suivant (aussi depuis le commentaire)"],
    [["?"], "Afficher ou masquer cette aide"],
  ];
  return (
    <div class="ex-raccourcis fr-mb-3w" hidden data-ex-raccourcis>
      <button
        type="button"
        class="fr-btn fr-btn--tertiary fr-btn--sm fr-btn--icon-left fr-icon-keyboard-line"
        aria-expanded="false"
        aria-controls="ex-raccourcis-aide"
        data-ex-aide-bouton
      >
        Raccourcis clavier
      </button>
      <div id="ex-raccourcis-aide" class="ex-raccourcis__aide" hidden data-ex-aide>
        <p class="fr-text--sm fr-mb-1w">Hors du champ de commentaire, ces touches agissent directement :</p>
        <dl class="ex-raccourcis__liste">
          {lignes.map(([touches, action]) => (
            <div key={action}>
              <dt>
                {touches.map((touche, i) => (
                  <span key={touche}>
                    {i > 0 ? (touche === "Entrée" ? " + " : " ") : null}
                    <kbd>{touche}</kbd>
                  </span>
                ))}
              </dt>
              <dd>{action}</dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  );
}
