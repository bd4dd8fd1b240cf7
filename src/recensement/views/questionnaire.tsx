import type { ComponentChildren } from "preact";
import { CsrfField, InputGroup } from "../../comptes/views/components.tsx";
import type { EtatSanitaire, Securisation } from "../../platform/db/schema.ts";
import { capitalizeFirst, edificeDisplayName, objetTitle, safeImageUrl } from "../../patrimoine/rules.ts";
import { ANCRES } from "../../guide/contenus.ts";
import { AideEtat, ConseilsUrgence, LienGuide, resumeEtat } from "../../guide/aides.tsx";
import type { ObjetQuestionnaire } from "../repository.ts";
import {
  AUTRE_EDIFICE,
  DERNIERE_ETAPE,
  ETAT_SANITAIRE_LABELS,
  ETAT_SANITAIRE_REPONSES,
  SECURISATION_LABELS,
  SECURISATION_REPONSES,
  TITRES_ETAPES,
  phraseLocalisation,
  type AutreEdifice,
  type ChampErreur,
  type Confirmation,
  type Etape,
  type Reponses,
} from "../rules.ts";

export type QuestionnaireContext = {
  codeInsee: string;
  communeNom: string;
  objet: ObjetQuestionnaire;
  etape: Etape;
  etapeSuivante: Etape | null;
  etapePrecedente: Etape | null;
  reponses: Reponses;
  /** Values typed in the form, shown back when it has errors. */
  saisie: Record<string, string>;
  erreurs: ChampErreur[];
  csrfToken: string;
  /** Completed recensement: any change puts it back to draft. */
  dejaValide: boolean;
};

export function questionnaireUrl(codeInsee: string, objetId: number, etape?: Etape): string {
  const base = `/communes/${codeInsee}/objets/${objetId}/recensement`;
  return etape ? `${base}/etapes/${etape}` : base;
}

export function edificeInitialNom(objet: ObjetQuestionnaire, communeNom: string): string {
  return edificeDisplayName(objet.edifice_id !== null ? objet.edifice_nom : objet.lieu_actuel_edifice_nom, communeNom);
}

/** Objet summary, DSFR stepper and the notices shared by every step. */
export function QuestionnaireFrame(props: QuestionnaireContext & { children: ComponentChildren }) {
  const { objet, etape } = props;
  const titre = objetTitle(objet);
  const photo = safeImageUrl(objet.memoire_photo_url);
  return (
    <>
      <div class="co-objet-resume fr-mb-4w">
        {photo ? <img class="co-objet-resume__img" src={photo} alt="" /> : null}
        <div>
          <p class="fr-text--sm fr-mb-0">Recensement de l’objet</p>
          <h1 class="fr-h3 fr-mb-1v">{titre}</h1>
          <p class="fr-text--sm fr-mb-1v">
            {edificeInitialNom(objet, props.communeNom)}
            {objet.palissy_empl ? ` — ${capitalizeFirst(objet.palissy_empl.trim())}` : ""} · Référence {objet.palissy_ref}
          </p>
          <a
            class="fr-link fr-link--sm fr-icon-arrow-left-line fr-link--icon-left"
            href={`/communes/${props.codeInsee}/objets/${objet.id}`}
          >
            Revenir à la fiche de l’objet
          </a>
        </div>
      </div>
      <div class="fr-stepper">
        <h2 class="fr-stepper__title">
          {TITRES_ETAPES[etape]}
          <span class="fr-stepper__state">
            Étape {etape} sur {DERNIERE_ETAPE}
          </span>
        </h2>
        <div class="fr-stepper__steps" data-fr-current-step={etape} data-fr-steps={DERNIERE_ETAPE} />
        {props.etapeSuivante && props.etapeSuivante !== etape ? (
          <p class="fr-stepper__details">
            <span class="fr-text--bold">Étape suivante :</span> {TITRES_ETAPES[props.etapeSuivante]}
          </p>
        ) : null}
      </div>
      {props.dejaValide && etape !== DERNIERE_ETAPE ? (
        <div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w">
          <p>
            Ce recensement est déjà validé. Si vous changez une réponse, il repassera en brouillon : pensez à le valider de nouveau à la
            dernière étape.
          </p>
        </div>
      ) : null}
      <ErrorSummary erreurs={props.erreurs} />
      {props.children}
    </>
  );
}

function ErrorSummary(props: { erreurs: ChampErreur[] }) {
  if (props.erreurs.length === 0) return null;
  return (
    <div class="fr-alert fr-alert--error fr-mb-3w" role="alert" tabIndex={-1} id="erreurs">
      <h2 class="fr-alert__title">{props.erreurs.length > 1 ? "Des réponses sont à corriger" : "Une réponse est à corriger"}</h2>
      <ul>
        {props.erreurs.map((erreur) => (
          <li key={erreur.champ + erreur.message}>
            <a href={`#${erreur.champ}`}>{erreur.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function erreurDe(erreurs: ChampErreur[], champ: string): string | undefined {
  return erreurs.find((e) => e.champ === champ)?.message;
}

/** Form of one step: CSRF, the fields, then "Passer à l’étape suivante" and "Revenir à l’étape précédente". */
export function StepForm(props: { ctx: QuestionnaireContext; children: ComponentChildren; submitLabel?: string }) {
  const { ctx } = props;
  return (
    <form method="post" action={questionnaireUrl(ctx.codeInsee, ctx.objet.id, ctx.etape)} novalidate>
      <CsrfField token={ctx.csrfToken} />
      {props.children}
      <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left fr-mt-4w">
        <li>
          <button class="fr-btn" type="submit">
            {props.submitLabel ?? "Passer à l’étape suivante"}
          </button>
        </li>
        {ctx.etapePrecedente ? (
          <li>
            <a
              class="fr-btn fr-btn--secondary fr-icon-arrow-left-line"
              href={questionnaireUrl(ctx.codeInsee, ctx.objet.id, ctx.etapePrecedente)}
            >
              Revenir à l’étape précédente
            </a>
          </li>
        ) : null}
      </ul>
    </form>
  );
}

type RadioOption = { value: string; label: string; hint?: string };

/** DSFR radio fieldset; the error is linked to the group and the first radio carries the field id for the summary link. */
export function RadioFieldset(props: {
  name: string;
  legend: string;
  hint?: ComponentChildren;
  options: RadioOption[];
  checked: string | null;
  error?: string | undefined;
  disabled?: boolean;
  disabledMessage?: string;
}) {
  const messagesId = `${props.name}-messages`;
  return (
    <fieldset
      class={`fr-fieldset${props.error ? " fr-fieldset--error" : ""}`}
      id={`${props.name}-fieldset`}
      aria-labelledby={`${props.name}-legend ${messagesId}`}
      role={props.error ? "group" : undefined}
      disabled={props.disabled}
    >
      <legend class="fr-fieldset__legend fr-text--regular" id={`${props.name}-legend`}>
        <span class="fr-text--lg fr-text--bold">{props.legend}</span>
        {props.hint ? <span class="fr-hint-text">{props.hint}</span> : null}
      </legend>
      {props.options.map((option, index) => {
        const id = index === 0 ? props.name : `${props.name}-${option.value}`;
        return (
          <div class="fr-fieldset__element" key={option.value}>
            <div class="fr-radio-group">
              <input type="radio" id={id} name={props.name} value={option.value} checked={props.checked === option.value} />
              <label class="fr-label" for={id}>
                {option.label}
                {option.hint ? <span class="fr-hint-text">{option.hint}</span> : null}
              </label>
            </div>
          </div>
        );
      })}
      <div class="fr-messages-group" id={messagesId} aria-live="assertive">
        {props.error ? <p class="fr-message fr-message--error">{props.error}</p> : null}
        {props.disabled && props.disabledMessage ? <p class="fr-message fr-message--info">{props.disabledMessage}</p> : null}
      </div>
    </fieldset>
  );
}

// ——— Step 1 ———

export function EtapeLocalisation(props: { ctx: QuestionnaireContext }) {
  const { ctx } = props;
  const checked = ctx.saisie.localisation ?? ctx.reponses.localisation;
  return (
    <StepForm ctx={ctx}>
      <RadioFieldset
        name="localisation"
        legend="Avez-vous trouvé l’objet ?"
        hint="Pour répondre, rendez-vous sur place : c’est en voyant l’objet que vous pourrez le recenser."
        checked={checked}
        error={erreurDe(ctx.erreurs, "localisation")}
        options={[
          {
            value: "edifice_initial",
            label: `Oui, l’objet se trouve dans l’édifice indiqué initialement : ${edificeInitialNom(ctx.objet, ctx.communeNom)}`,
          },
          { value: "autre_edifice", label: `Oui, mais l’objet se trouve dans un autre édifice de ${ctx.communeNom}` },
          { value: "deplacement_autre_commune", label: "Oui, mais l’objet se trouve dans une autre commune" },
          { value: "deplacement_temporaire", label: "Oui, mais l’objet a été déplacé temporairement (restauration, exposition…)" },
          { value: "absent", label: "Non, je ne sais pas où est l’objet" },
        ]}
      />
    </StepForm>
  );
}

// ——— Step 2 ———

export function EtapePrecisions(props: { ctx: QuestionnaireContext; autresEdifices: AutreEdifice[] }) {
  const { ctx } = props;
  if (ctx.reponses.localisation === "deplacement_autre_commune") {
    return (
      <StepForm ctx={ctx}>
        <InputGroup
          id="autre_commune_code_insee"
          name="autre_commune_code_insee"
          label="Quel est le code INSEE de la commune dans laquelle se trouve l’objet ?"
          hint="5 caractères, par exemple 35238. Vous le trouverez sur le site de l’INSEE ou auprès de la mairie de cette commune."
          value={ctx.saisie.autre_commune_code_insee ?? ctx.reponses.autre_commune_code_insee ?? ""}
          error={erreurDe(ctx.erreurs, "autre_commune_code_insee")}
          maxLength={5}
          autocomplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          inputClass="co-input--short"
        />
        <InputGroup
          id="edifice_nom"
          name="edifice_nom"
          label="Dans quel édifice se trouve l’objet ?"
          hint="Par exemple : église Saint-Martin, mairie, musée…"
          value={ctx.saisie.edifice_nom ?? ctx.reponses.edifice_nom ?? ""}
          error={erreurDe(ctx.erreurs, "edifice_nom")}
          maxLength={200}
        />
      </StepForm>
    );
  }
  const connu = props.autresEdifices.find((e) => e.nom === ctx.reponses.edifice_nom);
  const choix = ctx.saisie.edifice_choix ?? (connu ? String(connu.id) : ctx.reponses.edifice_nom ? AUTRE_EDIFICE : "");
  const choixError = erreurDe(ctx.erreurs, "edifice_choix");
  return (
    <StepForm ctx={ctx}>
      <div class={`fr-select-group${choixError ? " fr-select-group--error" : ""}`}>
        <label class="fr-label" for="edifice_choix">
          Dans quel édifice se trouve l’objet ?
          <span class="fr-hint-text">S’il n’est pas dans la liste, choisissez « Autre édifice » et indiquez son nom ci-dessous.</span>
        </label>
        <select
          class={`fr-select${choixError ? " fr-select--error" : ""}`}
          id="edifice_choix"
          name="edifice_choix"
          aria-describedby={choixError ? "edifice_choix-error" : undefined}
        >
          <option value="" selected={choix === ""} disabled hidden>
            Sélectionnez un édifice
          </option>
          {props.autresEdifices.map((edifice) => (
            <option key={edifice.id} value={String(edifice.id)} selected={choix === String(edifice.id)}>
              {edificeDisplayName(edifice.nom, ctx.communeNom)}
            </option>
          ))}
          <option value={AUTRE_EDIFICE} selected={choix === AUTRE_EDIFICE}>
            Autre édifice
          </option>
        </select>
        {choixError ? (
          <p class="fr-error-text" id="edifice_choix-error">
            {choixError}
          </p>
        ) : null}
      </div>
      <InputGroup
        id="edifice_nom"
        name="edifice_nom"
        label="Si vous avez choisi « Autre édifice » : indiquez le nom de l’édifice"
        hint="Par exemple : mairie, chapelle Sainte-Marie, presbytère. Si vous ne le connaissez pas, écrivez « Édifice non connu »."
        value={ctx.saisie.edifice_nom ?? (connu ? "" : (ctx.reponses.edifice_nom ?? ""))}
        error={erreurDe(ctx.erreurs, "edifice_nom")}
        maxLength={200}
      />
    </StepForm>
  );
}

// ——— Step 3 ———

export function EtapeAccessibilite(props: { ctx: QuestionnaireContext }) {
  const { ctx } = props;
  const current = ctx.reponses.recensable === null ? null : ctx.reponses.recensable ? "oui" : "non";
  return (
    <StepForm ctx={ctx}>
      <RadioFieldset
        name="recensable"
        legend="L’objet est-il recensable ?"
        hint="Un objet n’est pas recensable quand on ne peut pas l’approcher pour le voir et le photographier : trop haut ou difficile d’accès (dans un clocher par exemple), ou dans une propriété privée."
        checked={ctx.saisie.recensable ?? current}
        error={erreurDe(ctx.erreurs, "recensable")}
        options={[
          { value: "oui", label: "L’objet est recensable" },
          { value: "non", label: "L’objet n’est pas recensable" },
        ]}
      />
      <p class="fr-text--sm">
        Ne prenez pas de risque pour voir un objet : <LienGuide ancre={ANCRES.preparer}>préparer la visite</LienGuide>, dans le guide de
        recensement.
      </p>
    </StepForm>
  );
}

// ——— Step 4: the photos block comes from the photos area; this is the continue form ———

export function EtapePhotosSuite(props: { ctx: QuestionnaireContext }) {
  return (
    <StepForm ctx={props.ctx}>
      <p class="fr-text--sm fr-mt-2w">Quand vos photos sont envoyées, passez à l’étape suivante.</p>
    </StepForm>
  );
}

// ——— Step 5 ———

const SURCHARGE = "Cette évaluation a été modifiée par le conservateur : vous ne pouvez pas la changer.";

export function EtapeEtat(props: { ctx: QuestionnaireContext }) {
  const { ctx } = props;
  const r = ctx.reponses;
  return (
    <StepForm ctx={ctx}>
      <RadioFieldset
        name="etat_sanitaire"
        legend="Quel est l’état actuel de l’objet ?"
        hint="Regardez l’objet lui-même (fissures, parties manquantes, moisissures, insectes, écaillage…) et son environnement (humidité, infiltrations, chauffage)."
        checked={r.analyse_etat_sanitaire ?? ctx.saisie.etat_sanitaire ?? r.etat_sanitaire}
        error={erreurDe(ctx.erreurs, "etat_sanitaire")}
        disabled={r.analyse_etat_sanitaire !== null}
        disabledMessage={SURCHARGE}
        options={(Object.keys(ETAT_SANITAIRE_REPONSES) as EtatSanitaire[]).map((value) => ({
          value,
          label: ETAT_SANITAIRE_REPONSES[value],
          hint: resumeEtat(value),
        }))}
      />
      <AideEtat objet={ctx.objet} />
      <RadioFieldset
        name="securisation"
        legend="L’objet est-il en sécurité ?"
        hint="Un objet est facile à voler s’il est petit, léger, posé ou accroché sans fixation solide, dans un lieu ouvert sans surveillance."
        checked={r.analyse_securisation ?? ctx.saisie.securisation ?? r.securisation}
        error={erreurDe(ctx.erreurs, "securisation")}
        disabled={r.analyse_securisation !== null}
        disabledMessage={SURCHARGE}
        options={(Object.keys(SECURISATION_REPONSES) as Securisation[]).map((value) => ({ value, label: SECURISATION_REPONSES[value] }))}
      />
      <p class="fr-text--sm">
        Pour vous aider : <LienGuide ancre={ANCRES.etatSanitaire}>juger l’état de l’objet</LienGuide> et{" "}
        <LienGuide ancre={ANCRES.securite}>juger sa sécurité</LienGuide>, dans le guide de recensement.
      </p>
    </StepForm>
  );
}

// ——— Step 6 ———

/** The état that stands (the conservateur's if overridden), or null when the objet could not be assessed. */
function etatRetenu(r: Reponses): EtatSanitaire | null {
  const evalue =
    r.localisation !== "absent" &&
    r.localisation !== "deplacement_temporaire" &&
    r.localisation !== "deplacement_autre_commune" &&
    r.recensable !== false;
  return evalue ? (r.analyse_etat_sanitaire ?? r.etat_sanitaire) : null;
}

export function EtapeCommentaires(props: { ctx: QuestionnaireContext }) {
  const { ctx } = props;
  const error = erreurDe(ctx.erreurs, "notes");
  return (
    <StepForm ctx={ctx}>
      <ConseilsUrgence localisation={ctx.reponses.localisation} etatSanitaire={etatRetenu(ctx.reponses)} />
      <div class={`fr-input-group${error ? " fr-input-group--error" : ""}`}>
        <label class="fr-label" for="notes">
          Avez-vous des commentaires ? (facultatif)
          <span class="fr-hint-text" id="notes-hint">
            Par exemple sur l’emplacement, l’état, la sécurité ou des dégâts que vous avez remarqués.
          </span>
        </label>
        <textarea
          class={`fr-input${error ? " fr-input--error" : ""}`}
          id="notes"
          name="notes"
          rows={6}
          maxLength={10000}
          aria-describedby={error ? "notes-hint notes-error" : "notes-hint"}
        >
          {ctx.saisie.notes ?? ctx.reponses.notes ?? ""}
        </textarea>
        {error ? (
          <p class="fr-error-text" id="notes-error">
            {error}
          </p>
        ) : null}
      </div>
    </StepForm>
  );
}

// ——— Step 7 ———

export type RecapPhoto = { id: number; vignetteUrl: string; affichageUrl: string };

export function EtapeRecapitulatif(props: {
  ctx: QuestionnaireContext;
  photos: RecapPhoto[];
  autreCommuneNom: string | null;
  analyseNotes: string | null;
  erreursCompletion: { etape: Etape; message: string }[];
}) {
  const { ctx } = props;
  const r = ctx.reponses;
  const lien = (etape: Etape, quoi: string) => (
    <a
      class="fr-btn fr-btn--sm fr-btn--tertiary fr-icon-edit-line fr-btn--icon-left"
      href={questionnaireUrl(ctx.codeInsee, ctx.objet.id, etape)}
    >
      Modifier<span class="fr-sr-only"> {quoi}</span>
    </a>
  );
  const nonRecensableParLieu =
    r.localisation === "absent" || r.localisation === "deplacement_temporaire" || r.localisation === "deplacement_autre_commune";
  const recensable = nonRecensableParLieu ? false : r.recensable;
  return (
    <>
      {props.erreursCompletion.length > 0 ? (
        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
          <h2 class="fr-alert__title">Le recensement n’est pas encore complet</h2>
          <ul>
            {props.erreursCompletion.map((erreur) => (
              <li key={erreur.message}>
                <a href={questionnaireUrl(ctx.codeInsee, ctx.objet.id, erreur.etape)}>
                  {erreur.message} (étape {erreur.etape} : {TITRES_ETAPES[erreur.etape]})
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <ConseilsUrgence localisation={r.localisation} etatSanitaire={etatRetenu(r)} />
      {props.analyseNotes ? (
        <div class="fr-callout fr-mb-3w">
          <h2 class="fr-callout__title fr-h6">Commentaire du conservateur</h2>
          <p class="fr-callout__text co-pre-line">{props.analyseNotes}</p>
        </div>
      ) : null}
      <dl class="co-recap">
        <div>
          <dt>Avez-vous trouvé l’objet ?</dt>
          <dd>
            {phraseLocalisation(r, edificeInitialNom(ctx.objet, ctx.communeNom), props.autreCommuneNom)} {lien(1, "la localisation")}
          </dd>
        </div>
        {!nonRecensableParLieu ? (
          <div>
            <dt>L’objet est-il recensable ?</dt>
            <dd>
              {recensable === null ? "Non renseigné" : recensable ? "Oui, l’objet est recensable" : "Non, l’objet n’est pas recensable"}{" "}
              {lien(3, "l’accessibilité")}
            </dd>
          </div>
        ) : null}
        {recensable !== false ? (
          <>
            <div>
              <dt>Photos</dt>
              <dd>
                {props.photos.length === 0 ? (
                  <p class="fr-badge fr-badge--warning fr-badge--sm">Photos manquantes</p>
                ) : (
                  <ul class="co-photo-strip">
                    {props.photos.map((photo, index) => (
                      <li key={photo.id}>
                        <a href={photo.affichageUrl}>
                          <img src={photo.vignetteUrl} alt={`Photo ${index + 1} de l’objet, taille réelle`} width={96} height={96} />
                        </a>
                      </li>
                    ))}
                  </ul>
                )}{" "}
                {lien(4, "les photos")}
              </dd>
            </div>
            <div>
              <dt>État de l’objet</dt>
              <dd>
                <ValeurSurchargee
                  commune={r.etat_sanitaire ? ETAT_SANITAIRE_LABELS[r.etat_sanitaire] : null}
                  conservateur={r.analyse_etat_sanitaire ? ETAT_SANITAIRE_LABELS[r.analyse_etat_sanitaire] : null}
                />{" "}
                {r.analyse_etat_sanitaire === null ? lien(5, "l’état") : null}
              </dd>
            </div>
            <div>
              <dt>Sécurisation</dt>
              <dd>
                <ValeurSurchargee
                  commune={r.securisation ? SECURISATION_LABELS[r.securisation] : null}
                  conservateur={r.analyse_securisation ? SECURISATION_LABELS[r.analyse_securisation] : null}
                />{" "}
                {r.analyse_securisation === null ? lien(5, "la sécurisation") : null}
              </dd>
            </div>
          </>
        ) : null}
        <div>
          <dt>Vos commentaires</dt>
          <dd>
            <span class="co-pre-line">{r.notes ?? "Aucun commentaire"}</span> {lien(6, "les commentaires")}
          </dd>
        </div>
      </dl>
      <StepForm ctx={ctx} submitLabel="Valider le recensement de cet objet">
        <p class="fr-text--sm fr-mt-3w fr-mb-0">
          Vous pourrez modifier le recensement même après l’avoir validé, tant que vous n’avez pas envoyé votre dossier.
        </p>
      </StepForm>
    </>
  );
}

export function ValeurSurchargee(props: { commune: string | null; conservateur: string | null }) {
  if (!props.conservateur) return <>{props.commune ?? "Non renseigné"}</>;
  return (
    <>
      {props.commune ? (
        <>
          <del>
            <span class="fr-sr-only">Votre réponse : </span>
            {props.commune}
          </del>{" "}
        </>
      ) : null}
      <ins>
        <span class="fr-sr-only">Évaluation du conservateur : </span>
        {props.conservateur}
      </ins>
    </>
  );
}

// ——— The three confirmations (work without JS: a page with a form re-posting the answer) ———

const CONFIRMATIONS: Record<Confirmation, { titre: string; texte: string; champs: Record<string, string> }> = {
  absent: {
    titre: "Je confirme ne pas trouver l’objet",
    texte:
      "Vous allez passer directement à l’étape des commentaires : indiquez-y tout ce qui peut aider à retrouver l’objet (dernière fois qu’il a été vu, travaux, prêt…). Pensez aussi à prévenir les conservateurs depuis la messagerie.",
    champs: { localisation: "absent" },
  },
  non_recensable: {
    titre: "Je confirme que l’objet n’est pas recensable",
    texte:
      "Vous allez passer directement à l’étape des commentaires : expliquez-y pourquoi l’objet ne peut pas être vu ou photographié. Les conservateurs pourront organiser une visite.",
    champs: { recensable: "non" },
  },
  sans_photo: {
    titre: "Êtes-vous sûr de ne pas pouvoir prendre de photos ?",
    texte:
      "Sans photo, les conservateurs ne pourront pas juger de l’état de l’objet et vous demanderont probablement de compléter le recensement.",
    champs: {},
  },
};

export function ConfirmationBox(props: { ctx: QuestionnaireContext; confirmation: Confirmation }) {
  const { ctx } = props;
  const confirmation = CONFIRMATIONS[props.confirmation];
  return (
    <section class="fr-callout fr-callout--orange-terre-battue" aria-labelledby="confirmation-titre">
      <h2 class="fr-callout__title" id="confirmation-titre">
        {confirmation.titre}
      </h2>
      <p class="fr-callout__text">{confirmation.texte}</p>
      {props.confirmation === "absent" ? (
        <p class="fr-text--sm fr-mt-1w">
          Avant de confirmer, vérifiez qu’il n’a pas été déplacé et demandez autour de vous :{" "}
          <LienGuide ancre={ANCRES.objetDisparu}>si l’objet est introuvable</LienGuide>, dans le guide de recensement.
        </p>
      ) : null}
      <form method="post" action={questionnaireUrl(ctx.codeInsee, ctx.objet.id, ctx.etape)} class="fr-mt-2w">
        <CsrfField token={ctx.csrfToken} />
        {Object.entries(confirmation.champs).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name="confirme" value="1" />
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <button class="fr-btn" type="submit" autofocus>
              Confirmer et continuer
            </button>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href={questionnaireUrl(ctx.codeInsee, ctx.objet.id, ctx.etape)}>
              Annuler
            </a>
          </li>
        </ul>
      </form>
    </section>
  );
}
