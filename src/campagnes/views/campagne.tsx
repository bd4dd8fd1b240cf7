import { CsrfField } from "../../comptes/views/components.tsx";
import { BadgeStatutGlobal, communeUrl } from "../../departements/views/tableau.tsx";
import { formatJour, nombre } from "../../departements/rules.ts";
import type { CampaignStatus } from "../../platform/db/schema.ts";
import { CAMPAGNE_STATUS_LABELS, CHAMP_DATE, ETAPES, ETAPE_LABELS, etapeDuJour } from "../rules.ts";
import type { Campagne, CompteEtape, DepartementCampagne, DestinataireVue } from "../repository.ts";
import { ResumeErreurs, type ErreursFormulaire } from "./formulaire.tsx";

const BADGES: Record<CampaignStatus, string> = {
  draft: "fr-badge--warning",
  planned: "fr-badge--new",
  ongoing: "fr-badge--info",
  finished: "fr-badge--success",
};

/** "Campagne 01 - Ain 03/2027" */
export function titreCampagne(campagne: Pick<Campagne, "date_lancement">, departement: Pick<DepartementCampagne, "code" | "nom">): string {
  const [annee, mois] = campagne.date_lancement.split("-");
  return `Campagne ${departement.code} - ${departement.nom} ${mois}/${annee}`;
}

export function campagneUrl(id: number): string {
  return `/conservateurs/campagnes/${id}`;
}

export function BadgeCampagne({ status }: { status: CampaignStatus }) {
  return <p class={`fr-badge fr-badge--no-icon ${BADGES[status]}`}>{CAMPAGNE_STATUS_LABELS[status]}</p>;
}

function Confirmation(props: { action: string; csrfToken: string; label: string; secondaire?: boolean }) {
  return (
    <form method="post" action={props.action} class="camp-inline-form">
      <CsrfField token={props.csrfToken} />
      <input type="hidden" name="confirmer" value="oui" />
      <button class={`fr-btn${props.secondaire ? " fr-btn--secondary" : ""}`} type="submit">
        {props.label}
      </button>
    </form>
  );
}

export type ErreursPlanification = ErreursFormulaire & { destinataires?: string };

/** The campaign page (RB §5.15 "Show"). */
export function PageCampagne(props: {
  campagne: Campagne;
  departement: DepartementCampagne;
  destinataires: DestinataireVue[];
  mails: CompteEtape[];
  communesAvecObjets: number;
  aujourdhui: string;
  csrfToken: string;
  erreurs?: ErreursPlanification;
}) {
  const { campagne, departement, destinataires, aujourdhui } = props;
  const url = campagneUrl(campagne.id);
  const brouillon = campagne.status === "draft";
  const lancementFutur = campagne.date_lancement > aujourdhui;
  const etape = campagne.status === "ongoing" || campagne.status === "finished" ? etapeDuJour(campagne, aujourdhui) : null;
  const examensEnCours = destinataires.filter((d) => d.dossier_status === "submitted");
  const demarrees = destinataires.filter((d) => d.commune_status === "started").length;
  const terminees = destinataires.filter((d) => d.commune_status === "completed").length;
  const erreurs = props.erreurs ?? {};
  return (
    <>
      <h1>{titreCampagne(campagne, departement)}</h1>
      <ul class="fr-badges-group fr-mb-2w">
        <li>
          <BadgeCampagne status={campagne.status} />
        </li>
        {etape ? (
          <li>
            <p class="fr-badge fr-badge--no-icon">Étape : {ETAPE_LABELS[etape]}</p>
          </li>
        ) : null}
      </ul>
      {Object.keys(erreurs).length > 0 ? (
        <>
          <ResumeErreurs erreurs={erreurs} prefixe="dates-" />
          {erreurs.destinataires ? (
            <div class="fr-alert fr-alert--error fr-mb-4w" role="alert">
              <p>{erreurs.destinataires}</p>
            </div>
          ) : null}
        </>
      ) : null}
      {brouillon && lancementFutur ? (
        <div class="fr-callout fr-mb-4w">
          <h2 class="fr-callout__title">Cette campagne est en brouillon</h2>
          <p class="fr-callout__text">
            Vérifiez la configuration, les dates et les communes destinataires, puis planifiez la campagne : les mails partiront
            automatiquement à partir du {formatJour(campagne.date_lancement)}.
          </p>
          <Confirmation action={`${url}/planifier`} csrfToken={props.csrfToken} label="Planifier la campagne" />
        </div>
      ) : null}
      {brouillon && !lancementFutur ? (
        <div class="fr-alert fr-alert--warning fr-mb-4w">
          <p>La date de lancement de ce brouillon est passée : modifiez les dates avant de planifier la campagne.</p>
        </div>
      ) : null}
      {campagne.status === "planned" ? (
        <div class="fr-callout fr-mb-4w">
          <h2 class="fr-callout__title">La campagne est planifiée</h2>
          <p class="fr-callout__text">Elle démarrera le {formatJour(campagne.date_lancement)}.</p>
          {lancementFutur ? (
            <Confirmation action={`${url}/brouillon`} csrfToken={props.csrfToken} label="Repasser en brouillon" secondaire />
          ) : null}
        </div>
      ) : null}

      <h2>Dates</h2>
      <div class="fr-table">
        <table id="dates">
          <caption class="fr-sr-only">Dates des envois de la campagne</caption>
          <thead>
            <tr>
              <th scope="col">Étape</th>
              <th scope="col">Date</th>
              <th scope="col">Mails envoyés</th>
              <th scope="col">Mails en échec</th>
              <th scope="col">Mails en attente</th>
            </tr>
          </thead>
          <tbody>
            {ETAPES.map((e) => {
              const compte = props.mails.find((m) => m.etape === e);
              return (
                <tr key={e} id={`dates-${CHAMP_DATE[e]}`}>
                  <th scope="row">{ETAPE_LABELS[e]}</th>
                  <td>{formatJour(campagne[CHAMP_DATE[e]])}</td>
                  <td>{nombre(compte?.envoyes ?? 0)}</td>
                  <td>{nombre(compte?.echoues ?? 0)}</td>
                  <td>{nombre(compte?.enAttente ?? 0)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p class="fr-text--sm">
        L’ouverture des mails n’est pas mesurée : Collectif Objets ne place aucun traceur dans les mails envoyés aux mairies.
      </p>

      <h2>Configuration</h2>
      <dl class="camp-config">
        <dt id="dates-sender_name">Émetteur des mails</dt>
        <dd>{campagne.sender_name ? `${campagne.sender_name} via Collectif Objets` : "Non renseigné"}</dd>
        <dt id="dates-nom_drac">DRAC en charge</dt>
        <dd>{campagne.nom_drac ? `DRAC ${campagne.nom_drac}` : "Non renseignée"}</dd>
        <dt id="dates-signature">Signature</dt>
        <dd class="camp-multiligne">{campagne.signature ?? "Non renseignée"}</dd>
        <dt>Message personnalisé</dt>
        <dd class="camp-multiligne">{campagne.custom_message ?? "Aucun"}</dd>
      </dl>
      <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm">
        {brouillon ? (
          <li>
            <a class="fr-btn fr-btn--secondary" href={`${url}/modifier`}>
              Modifier la configuration et les dates
            </a>
          </li>
        ) : null}
        {destinataires.length > 0 ? (
          <li>
            <a class="fr-btn fr-btn--secondary" href={`${url}/apercu`}>
              Prévisualiser les mails
            </a>
          </li>
        ) : null}
      </ul>

      <h2>Communes destinataires</h2>
      <p>
        La campagne concerne {nombre(destinataires.length)} {destinataires.length > 1 ? "communes" : "commune"} parmi les{" "}
        {nombre(props.communesAvecObjets)} du département abritant des objets protégés.
      </p>
      {campagne.status !== "draft" && campagne.status !== "planned" ? (
        <p>
          Parmi elles, {nombre(demarrees)} {demarrees > 1 ? "ont commencé" : "a commencé"} le recensement et {nombre(terminees)}{" "}
          {terminees > 1 ? "l’ont terminé" : "l’a terminé"}.
        </p>
      ) : null}
      {(brouillon || campagne.status === "planned") && examensEnCours.length > 0 ? (
        <div class="fr-alert fr-alert--warning fr-mb-3w">
          <h3 class="fr-alert__title">Communes en cours d’examen</h3>
          <p>
            {examensEnCours.length > 1
              ? `${examensEnCours.length} communes destinataires ont envoyé un recensement qui n’a pas encore été examiné`
              : "Une commune destinataire a envoyé un recensement qui n’a pas encore été examiné"}{" "}
            : au lancement de la campagne, ces données seront archivées. Terminez leur examen avant le lancement :
          </p>
          <ul>
            {examensEnCours.map((d) => (
              <li key={d.recipient_id}>
                <a href={communeUrl(d.code_insee)}>{d.nom}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {destinataires.length > 0 ? (
        <details class="camp-details fr-mb-3w">
          <summary>Voir la liste des {nombre(destinataires.length)} communes destinataires</summary>
          <ul class="camp-liste">
            {destinataires.map((d) => (
              <li key={d.recipient_id}>
                <a href={communeUrl(d.code_insee)}>
                  {d.nom} ({d.code_insee})
                </a>{" "}
                <BadgeStatutGlobal statut={d.statut_global} />
                {d.opt_out ? <p class="fr-badge fr-badge--sm fr-badge--no-icon">Désinscrite</p> : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {brouillon ? (
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <a class="fr-btn" href={`${url}/destinataires`}>
              {destinataires.length > 0 ? "Modifier les communes destinataires" : "Définir les communes destinataires"}
            </a>
          </li>
        </ul>
      ) : null}

      {brouillon ? (
        <>
          <h2>Supprimer le brouillon</h2>
          <form method="post" action={`${url}/supprimer`}>
            <CsrfField token={props.csrfToken} />
            <div class="fr-checkbox-group fr-mb-2w">
              <input type="checkbox" id="confirmer-suppression" name="confirmer" value="oui" required />
              <label class="fr-label" for="confirmer-suppression">
                Je confirme vouloir supprimer ce brouillon de campagne et sa liste de destinataires
              </label>
            </div>
            <button class="fr-btn fr-btn--tertiary fr-icon-delete-line fr-btn--icon-left" type="submit">
              Supprimer la campagne
            </button>
          </form>
        </>
      ) : null}
    </>
  );
}
