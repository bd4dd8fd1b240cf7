import { CsrfField } from "../../comptes/views/components.tsx";
import type { CampaignStep } from "../../platform/db/schema.ts";
import { CHAMP_DATE, ETAPES } from "../rules.ts";
import type { SaisieCampagne } from "../repository.ts";

export type ChampFormulaire = keyof SaisieCampagne;
export type ErreursFormulaire = Partial<Record<ChampFormulaire, string>>;

export const LIBELLES_CHAMPS: Record<ChampFormulaire, string> = {
  sender_name: "Nom de l’émetteur des mails",
  nom_drac: "Nom de la DRAC en charge",
  signature: "Signature des mails",
  custom_message: "Message personnalisé",
  date_lancement: "Date de lancement",
  date_relance1: "Date de la première relance",
  date_relance2: "Date de la deuxième relance",
  date_relance3: "Date de la troisième relance",
  date_fin: "Date de clôture",
};

const ORDRE: ChampFormulaire[] = ["sender_name", "nom_drac", "signature", "custom_message", ...ETAPES.map((e) => CHAMP_DATE[e])];

/** DSFR error summary: one link per field in error, in the order of the form. */
export function ResumeErreurs({ erreurs, prefixe = "campagne-" }: { erreurs: ErreursFormulaire; prefixe?: string }) {
  const champs = ORDRE.filter((champ) => erreurs[champ]);
  if (champs.length === 0) return null;
  return (
    <div class="fr-alert fr-alert--error fr-mb-4w" role="alert">
      <h2 class="fr-alert__title">
        {champs.length > 1 ? `Le formulaire contient ${champs.length} erreurs` : "Le formulaire contient une erreur"}
      </h2>
      <ul>
        {champs.map((champ) => (
          <li key={champ}>
            <a href={`#${prefixe}${champ}`}>
              {LIBELLES_CHAMPS[champ]} : {erreurs[champ]}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Champ(props: {
  champ: ChampFormulaire;
  erreur: string | undefined;
  hint?: string;
  children: (attrs: { id: string; name: string; "aria-describedby"?: string; "aria-invalid"?: "true" }) => preact.JSX.Element;
}) {
  const id = `campagne-${props.champ}`;
  const described = [props.hint ? `${id}-hint` : null, props.erreur ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div class={`fr-input-group${props.erreur ? " fr-input-group--error" : ""}`}>
      <label class="fr-label" for={id}>
        {LIBELLES_CHAMPS[props.champ]}
        {props.hint ? (
          <span class="fr-hint-text" id={`${id}-hint`}>
            {props.hint}
          </span>
        ) : null}
      </label>
      {props.children({
        id,
        name: props.champ,
        ...(described ? { "aria-describedby": described } : {}),
        ...(props.erreur ? { "aria-invalid": "true" as const } : {}),
      })}
      {props.erreur ? (
        <p class="fr-error-text" id={`${id}-error`}>
          {props.erreur}
        </p>
      ) : null}
    </div>
  );
}

const HINTS_DATES: Partial<Record<CampaignStep, string>> = {
  lancement: "Un jour du lundi au vendredi, dans le futur. Les relances sont proposées toutes les deux semaines.",
};

/** Creation and edition of a campaign (RB §5.15): configuration, optional message, the five dates. */
export function FormulaireCampagne(props: {
  action: string;
  csrfToken: string;
  saisie: SaisieCampagne;
  erreurs: ErreursFormulaire;
  bouton: string;
  annuler: string;
}) {
  const { saisie, erreurs } = props;
  const classe = (champ: ChampFormulaire) => `fr-input${erreurs[champ] ? " fr-input--error" : ""}`;
  return (
    <form method="post" action={props.action} novalidate>
      <CsrfField token={props.csrfToken} />
      <fieldset class="fr-fieldset">
        <legend class="fr-fieldset__legend">Configuration des mails</legend>
        <div class="fr-fieldset__element">
          <Champ champ="sender_name" erreur={erreurs.sender_name} hint="Les mails sont envoyés au nom de « <nom> via Collectif Objets ».">
            {(attrs) => <input {...attrs} class={classe("sender_name")} type="text" maxLength={100} value={saisie.sender_name ?? ""} />}
          </Champ>
        </div>
        <div class="fr-fieldset__element">
          <Champ champ="nom_drac" erreur={erreurs.nom_drac} hint="Sans le mot « DRAC », par exemple : Auvergne-Rhône-Alpes.">
            {(attrs) => <input {...attrs} class={classe("nom_drac")} type="text" maxLength={100} value={saisie.nom_drac ?? ""} />}
          </Champ>
        </div>
        <div class="fr-fieldset__element">
          <Champ champ="signature" erreur={erreurs.signature} hint="De 1 à 8 lignes.">
            {(attrs) => (
              <textarea {...attrs} class={classe("signature")} rows={6} maxLength={1000}>
                {saisie.signature ?? ""}
              </textarea>
            )}
          </Champ>
        </div>
        <div class="fr-fieldset__element">
          <Champ
            champ="custom_message"
            erreur={erreurs.custom_message}
            hint="Facultatif. Texte simple de 2 000 caractères au plus, ajouté aux mails de la campagne."
          >
            {(attrs) => (
              <textarea {...attrs} class={classe("custom_message")} rows={5} maxLength={2000}>
                {saisie.custom_message ?? ""}
              </textarea>
            )}
          </Champ>
        </div>
      </fieldset>
      <fieldset class="fr-fieldset">
        <legend class="fr-fieldset__legend">Dates des envois</legend>
        {ETAPES.map((etape) => {
          const champ = CHAMP_DATE[etape];
          const hint = HINTS_DATES[etape];
          return (
            <div class="fr-fieldset__element camp-date" key={etape}>
              <Champ champ={champ} erreur={erreurs[champ]} {...(hint ? { hint } : {})}>
                {(attrs) => <input {...attrs} class={classe(champ)} type="date" value={saisie[champ]} />}
              </Champ>
            </div>
          );
        })}
      </fieldset>
      <ul class="fr-btns-group fr-btns-group--inline-md">
        <li>
          <button class="fr-btn" type="submit">
            {props.bouton}
          </button>
        </li>
        <li>
          <a class="fr-btn fr-btn--secondary" href={props.annuler}>
            Annuler
          </a>
        </li>
      </ul>
    </form>
  );
}
