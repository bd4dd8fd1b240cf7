import type { Campagne, DestinataireVue } from "../../campagnes/repository.ts";
import type { ComponentChildren } from "preact";
import { CAMPAGNE_STATUS_LABELS, CHAMP_DATE, DATE_LABELS, ETAPE_LABELS, ETAPES, type DatesCampagne } from "../../campagnes/rules.ts";
import { CsrfField } from "../../comptes/views/components.tsx";
import type { CampaignStatus } from "../../platform/db/schema.ts";
import { Pagination } from "../../ui/components.tsx";
import type { CampagneListe, ErreursDates, MailDestinataire, TriCampagnes } from "../repository-suivi.ts";

const parisDateHeure = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", dateStyle: "short", timeStyle: "short" });
const jour = (iso: string) => iso.split("-").reverse().join("/");

const ETAT_MAIL: Record<string, string> = { pending: "En attente d’envoi", sending: "En cours d’envoi", sent: "Envoyé", failed: "Échec" };

export function CampagnesListe(props: {
  status: string;
  departement: string;
  tri: TriCampagnes;
  page: number;
  campagnes: CampagneListe[];
  suivante: boolean;
}) {
  const params = new URLSearchParams([
    ...(props.status ? [["statut", props.status]] : []),
    ...(props.departement ? [["departement", props.departement]] : []),
    ["tri", props.tri],
  ]);
  return (
    <>
      <h1>Campagnes</h1>
      <form method="get" action="/admin/campagnes" class="fr-mb-4w">
        <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
          <div class="fr-col-12 fr-col-md-3">
            <div class="fr-select-group">
              <label class="fr-label" for="campagnes-statut">
                État
              </label>
              <select class="fr-select" id="campagnes-statut" name="statut">
                <option value="">Tous</option>
                {(Object.keys(CAMPAGNE_STATUS_LABELS) as CampaignStatus[]).map((s) => (
                  <option key={s} value={s} selected={props.status === s}>
                    {CAMPAGNE_STATUS_LABELS[s]}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div class="fr-col-12 fr-col-md-3">
            <div class="fr-input-group">
              <label class="fr-label" for="campagnes-departement">
                Département
                <span class="fr-hint-text">Code, par exemple 46</span>
              </label>
              <input class="fr-input" type="text" id="campagnes-departement" name="departement" value={props.departement} maxLength={3} />
            </div>
          </div>
          <div class="fr-col-12 fr-col-md-3">
            <div class="fr-select-group">
              <label class="fr-label" for="campagnes-tri">
                Trier par
              </label>
              <select class="fr-select" id="campagnes-tri" name="tri">
                <option value="lancement" selected={props.tri === "lancement"}>
                  Date de lancement, la plus récente d’abord
                </option>
                <option value="fin" selected={props.tri === "fin"}>
                  Date de clôture, la plus récente d’abord
                </option>
                <option value="departement" selected={props.tri === "departement"}>
                  Département
                </option>
              </select>
            </div>
          </div>
          <div class="fr-col-12 fr-col-md-3">
            <button class="fr-btn fr-mb-3v" type="submit">
              Afficher
            </button>
          </div>
        </div>
      </form>
      {props.campagnes.length === 0 ? (
        <p>Aucune campagne ne correspond à ces filtres.</p>
      ) : (
        <TableDefilante label="Campagnes (tableau défilant)">
          <table>
            <caption>Campagnes</caption>
            <thead>
              <tr>
                <th scope="col">Campagne</th>
                <th scope="col">Département</th>
                <th scope="col">État</th>
                <th scope="col">Lancement</th>
                <th scope="col">Clôture</th>
                <th scope="col">Destinataires</th>
              </tr>
            </thead>
            <tbody>
              {props.campagnes.map((c) => (
                <tr key={c.id}>
                  <td>
                    <a class="fr-link" href={`/admin/campagnes/${c.id}`}>
                      n° {c.id}
                      <span class="fr-sr-only"> du département {c.departement_nom}</span>
                    </a>
                  </td>
                  <td>
                    {c.departement_code} - {c.departement_nom}
                  </td>
                  <td>{CAMPAGNE_STATUS_LABELS[c.status]}</td>
                  <td>{jour(c.date_lancement)}</td>
                  <td>{jour(c.date_fin)}</td>
                  <td>{c.destinataires}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableDefilante>
      )}
      <Pagination base={`/admin/campagnes?${params}&`} page={props.page} hasNext={props.suivante} />
    </>
  );
}

/** A table wider than a phone screen: the scrolling box is focusable and named (axe scrollable-region-focusable). */
function TableDefilante(props: { label: string; children: ComponentChildren }) {
  return (
    <div class="fr-table fr-table--no-caption">
      <div class="fr-table__wrapper">
        <div class="fr-table__container" tabIndex={0} role="region" aria-label={props.label}>
          <div class="fr-table__content">{props.children}</div>
        </div>
      </div>
    </div>
  );
}

export type FormulaireDates = { saisie: DatesCampagne; erreurs: ErreursDates };

function FormulaireDatesCampagne(props: {
  campagne: Campagne;
  aujourdhui: string;
  csrfToken: string;
  formulaire: FormulaireDates | undefined;
}) {
  const { campagne, aujourdhui } = props;
  const erreurs = props.formulaire?.erreurs ?? {};
  const nbErreurs = Object.keys(erreurs).length;
  return (
    <form method="post" action={`/admin/campagnes/${campagne.id}/dates`} class="fr-mb-4w" aria-labelledby="campagne-dates-titre">
      <CsrfField token={props.csrfToken} />
      <h3 id="campagne-dates-titre" class="fr-h5">
        Corriger les dates
      </h3>
      <p class="fr-text--sm">
        Jours ouvrés uniquement, dans l’ordre des étapes, sans chevaucher une autre campagne programmée ou en cours du département.
        {campagne.status === "ongoing"
          ? " Les étapes déjà passées ne peuvent plus changer ; les suivantes doivent rester dans le futur."
          : ""}
      </p>
      {nbErreurs > 0 ? (
        <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-3w" role="alert">
          <p>
            Les dates n’ont pas été modifiées : {nbErreurs} erreur{nbErreurs > 1 ? "s" : ""} à corriger ci-dessous.
          </p>
        </div>
      ) : null}
      <div class="fr-grid-row fr-grid-row--gutters">
        {ETAPES.map((e) => {
          const champ = CHAMP_DATE[e];
          const passee = campagne.status === "ongoing" && campagne[champ] <= aujourdhui;
          const valeur = props.formulaire?.saisie[champ] ?? campagne[champ];
          const erreur = erreurs[champ];
          const id = `campagne-${champ}`;
          return (
            <div class="fr-col-12 fr-col-md-4" key={e}>
              <div class={`fr-input-group${erreur ? " fr-input-group--error" : ""}`}>
                <label class="fr-label" for={id}>
                  {DATE_LABELS[e].replace(/^La d/, "D")}
                  {passee ? <span class="fr-hint-text">Étape passée : ne peut plus changer</span> : null}
                </label>
                <input
                  class={`fr-input${erreur ? " fr-input--error" : ""}`}
                  type="date"
                  id={id}
                  name={champ}
                  value={valeur}
                  readOnly={passee}
                  required
                  {...(erreur ? { "aria-describedby": `${id}-erreur` } : {})}
                />
                {erreur ? (
                  <p class="fr-error-text" id={`${id}-erreur`}>
                    {erreur}
                  </p>
                ) : null}
              </div>
            </div>
          );
        })}
      </div>
      <button class="fr-btn fr-btn--secondary" type="submit">
        Enregistrer les nouvelles dates
      </button>
    </form>
  );
}

export function CampagnePage(props: {
  campagne: Campagne;
  destinataires: DestinataireVue[];
  mails: MailDestinataire[];
  aujourdhui: string;
  csrfToken: string;
  formulaire?: FormulaireDates | undefined;
  succes?: string | undefined;
}) {
  const { campagne } = props;
  const parDestinataire = new Map<number, MailDestinataire[]>();
  for (const m of props.mails) parDestinataire.set(m.recipient_id, [...(parDestinataire.get(m.recipient_id) ?? []), m]);
  return (
    <>
      <h1>
        Campagne n° {campagne.id} — département {campagne.departement_code}
      </h1>
      {props.succes ? (
        <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w" role="status">
          <p>{props.succes}</p>
        </div>
      ) : null}
      <p class="fr-badge">{CAMPAGNE_STATUS_LABELS[campagne.status]}</p>
      <h2 class="fr-mt-4w">Calendrier</h2>
      <ul>
        {ETAPES.map((e) => (
          <li key={e}>
            {ETAPE_LABELS[e]} : {jour(campagne[`date_${e}`])}
          </li>
        ))}
      </ul>
      {campagne.status === "finished" ? (
        <p class="fr-text--sm">Campagne terminée : ses dates ne peuvent plus changer.</p>
      ) : (
        <FormulaireDatesCampagne
          campagne={campagne}
          aujourdhui={props.aujourdhui}
          csrfToken={props.csrfToken}
          formulaire={props.formulaire}
        />
      )}
      <h2 class="fr-mt-4w">Destinataires ({props.destinataires.length})</h2>
      {props.destinataires.length === 0 ? <p>Aucun destinataire.</p> : null}
      {props.destinataires.length > 0 ? (
        <TableDefilante label="Destinataires et mails reçus (tableau défilant)">
          <table>
            <caption>Destinataires et mails reçus</caption>
            <thead>
              <tr>
                <th scope="col">Commune</th>
                <th scope="col">Désinscrite</th>
                <th scope="col">Mails de la campagne</th>
              </tr>
            </thead>
            <tbody>
              {props.destinataires.map((d) => {
                const mails = parDestinataire.get(d.recipient_id) ?? [];
                return (
                  <tr key={d.recipient_id}>
                    <td>
                      {d.nom} ({d.code_insee})<br />
                      <a class="fr-link fr-text--xs" href={`/admin/journal?commune=${d.code_insee}`}>
                        Journal<span class="fr-sr-only"> de {d.nom}</span>
                      </a>
                    </td>
                    <td>{d.opt_out ? "Oui" : "Non"}</td>
                    <td>
                      {mails.length === 0 ? (
                        "Aucun mail"
                      ) : (
                        <ul class="fr-text--sm fr-mb-0">
                          {mails.map((m, i) => (
                            <li key={i}>
                              {ETAPE_LABELS[m.step]} ({m.email_name}) : {m.status ? ETAT_MAIL[m.status] : "non mis en file"}
                              {m.to_address ? ` à ${m.to_address}` : ""}
                              {m.sent_at
                                ? `, le ${parisDateHeure.format(m.sent_at)}`
                                : `, préparé le ${parisDateHeure.format(m.created_at)}`}
                              {m.status === "failed" && m.last_error ? ` — ${m.last_error.slice(0, 140)}` : ""}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableDefilante>
      ) : null}
    </>
  );
}
