import { changements, libelleAction, libelleActeur } from "../../examen/historique.ts";
import type { ActorType } from "../../platform/db/schema.ts";
import { Table } from "../../ui/components.tsx";
import type { EvenementJournal } from "../repository-suivi.ts";

export const TYPES_ACTEUR: { value: ActorType; label: string }[] = [
  { value: "commune", label: "Commune" },
  { value: "conservateur", label: "Conservateur" },
  { value: "admin", label: "Administrateur" },
  { value: "system", label: "Collectif Objets (automatique)" },
  { value: "anonymous", label: "Personne non connectée" },
];

export type FormulaireJournal = {
  acteur: string;
  acteur_id: string;
  personne: string;
  commune: string;
  action: string;
  du: string;
  au: string;
};

const parisDateHeure = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** Where a subject of the log can be opened in the back office. */
function lienSujet(type: string, id: string): string | null {
  if (type === "dossier") return `/admin/dossiers/${encodeURIComponent(id)}`;
  if (type === "campaign" || type === "campagne") return `/admin/campagnes/${encodeURIComponent(id)}`;
  return null;
}

function Resume({ e }: { e: EvenementJournal }) {
  const liste = changements(e.before, e.after);
  if (liste.length === 0) return null;
  return (
    <ul class="fr-text--sm fr-mb-0">
      {liste.map((c) => (
        <li key={c.cle}>
          {c.libelle} :{" "}
          {c.avant !== null && c.apres !== null ? (
            <>
              {c.avant} <span aria-hidden="true">→</span>
              <span class="fr-sr-only"> devient </span> {c.apres}
            </>
          ) : (
            (c.apres ?? c.avant)
          )}
        </li>
      ))}
    </ul>
  );
}

export function JournalPage(props: {
  form: FormulaireJournal;
  actions: { value: string; label: string }[];
  evenements: EvenementJournal[];
  suivanteHref: string | null;
  premiereHref: string | null;
  communeInconnue: boolean;
}) {
  const { form } = props;
  return (
    <>
      <h1>Journal des actions</h1>
      <p>Chaque modification faite dans Collectif Objets, la plus récente d’abord (heure de Paris).</p>
      <form method="get" action="/admin/journal" class="fr-mb-4w">
        <fieldset class="fr-fieldset">
          <legend class="fr-fieldset__legend">Filtrer le journal</legend>
          <div class="fr-fieldset__element fr-col-12 fr-col-md-6">
            <div class="fr-input-group">
              <label class="fr-label" for="journal-personne">
                Personne
                <span class="fr-hint-text">Une partie de l’adresse e-mail (commune, conservateur ou administrateur)</span>
              </label>
              <input class="fr-input" type="search" id="journal-personne" name="personne" value={form.personne} maxLength={100} />
            </div>
          </div>
          <div class="fr-fieldset__element fr-col-12 fr-col-md-6">
            <div class="fr-input-group">
              <label class="fr-label" for="journal-commune">
                Commune concernée
                <span class="fr-hint-text">Code INSEE, par exemple 46185</span>
              </label>
              <input
                class="fr-input"
                type="text"
                id="journal-commune"
                name="commune"
                value={form.commune}
                maxLength={5}
                inputMode="text"
                autoComplete="off"
              />
            </div>
          </div>
          <div class="fr-fieldset__element fr-col-12 fr-col-md-6">
            <div class="fr-select-group">
              <label class="fr-label" for="journal-acteur">
                Type de compte
              </label>
              <select class="fr-select" id="journal-acteur" name="acteur">
                <option value="">Tous</option>
                {TYPES_ACTEUR.map((t) => (
                  <option key={t.value} value={t.value} selected={form.acteur === t.value}>
                    {t.label}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div class="fr-fieldset__element fr-col-12 fr-col-md-6">
            <div class="fr-input-group">
              <label class="fr-label" for="journal-acteur-id">
                Numéro du compte
                <span class="fr-hint-text">Avec le type de compte ; figure dans chaque ligne du journal</span>
              </label>
              <input
                class="fr-input"
                type="text"
                inputMode="numeric"
                id="journal-acteur-id"
                name="acteur_id"
                value={form.acteur_id}
                maxLength={10}
              />
            </div>
          </div>
          <div class="fr-fieldset__element fr-col-12">
            <div class="fr-select-group">
              <label class="fr-label" for="journal-action">
                Action
              </label>
              <select class="fr-select" id="journal-action" name="action">
                <option value="">Toutes</option>
                {props.actions.map((a) => (
                  <option key={a.value} value={a.value} selected={form.action === a.value}>
                    {a.label}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div class="fr-fieldset__element fr-col-12 fr-col-md-6">
            <div class="fr-input-group">
              <label class="fr-label" for="journal-du">
                Du
                <span class="fr-hint-text">Inclus, format jj/mm/aaaa</span>
              </label>
              <input class="fr-input" type="date" id="journal-du" name="du" value={form.du} />
            </div>
          </div>
          <div class="fr-fieldset__element fr-col-12 fr-col-md-6">
            <div class="fr-input-group">
              <label class="fr-label" for="journal-au">
                Au
                <span class="fr-hint-text">Inclus, format jj/mm/aaaa</span>
              </label>
              <input class="fr-input" type="date" id="journal-au" name="au" value={form.au} />
            </div>
          </div>
          <div class="fr-fieldset__element">
            <ul class="fr-btns-group fr-btns-group--inline-md">
              <li>
                <button class="fr-btn" type="submit">
                  Filtrer
                </button>
              </li>
              <li>
                <a class="fr-btn fr-btn--secondary" href="/admin/journal">
                  Effacer les filtres
                </a>
              </li>
            </ul>
          </div>
        </fieldset>
      </form>
      {props.communeInconnue ? (
        <div class="fr-alert fr-alert--warning fr-mb-3w">
          <p>Aucune commune n’a le code INSEE « {form.commune} ».</p>
        </div>
      ) : null}
      {props.evenements.length === 0 ? (
        <p>Aucune action ne correspond à ces filtres.</p>
      ) : (
        <Table noCaption>
          <table>
            <caption>Actions enregistrées</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Qui</th>
                <th scope="col">Action</th>
                <th scope="col">Sur</th>
                <th scope="col">Commune</th>
                <th scope="col">Modifications</th>
                <th scope="col">Adresse IP</th>
              </tr>
            </thead>
            <tbody>
              {props.evenements.map((e) => {
                const sujetHref = e.subject_type && e.subject_id ? lienSujet(e.subject_type, e.subject_id) : null;
                return (
                  <tr key={e.id}>
                    <td>
                      <time dateTime={e.occurred_at.toISOString()}>{parisDateHeure.format(e.occurred_at).replace(",", "")}</time>
                    </td>
                    <td>
                      {libelleActeur(e)}
                      {e.actor_id !== null ? (
                        <>
                          <br />
                          <a class="fr-link fr-text--xs" href={`/admin/journal?acteur=${e.actor_type}&acteur_id=${e.actor_id}`}>
                            {e.actor_email && e.actor_email !== e.actor_nom ? `${e.actor_email}, ` : ""}compte n° {e.actor_id}
                            <span class="fr-sr-only"> : toutes ses actions</span>
                          </a>
                        </>
                      ) : null}
                    </td>
                    <td>
                      {libelleAction(e.action)}
                      {libelleAction(e.action) !== e.action ? (
                        <>
                          <br />
                          <code class="fr-text--xs">{e.action}</code>
                        </>
                      ) : null}
                    </td>
                    <td>
                      {e.subject_type ? (
                        sujetHref ? (
                          <a class="fr-link fr-text--sm" href={sujetHref}>
                            {e.subject_type} n° {e.subject_id}
                          </a>
                        ) : (
                          `${e.subject_type} n° ${e.subject_id}`
                        )
                      ) : (
                        "—"
                      )}
                    </td>
                    <td>
                      {e.commune_code_insee ? (
                        <a class="fr-link fr-text--sm" href={`/admin/journal?commune=${e.commune_code_insee}`}>
                          {e.commune_nom} ({e.commune_code_insee})<span class="fr-sr-only"> : toutes les actions sur cette commune</span>
                        </a>
                      ) : (
                        "—"
                      )}
                    </td>
                    <td>
                      <Resume e={e} />
                    </td>
                    <td>{e.ip ?? "—"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Table>
      )}
      {props.premiereHref || props.suivanteHref ? (
        <nav role="navigation" class="fr-pagination" aria-label="Pagination du journal">
          <ul class="fr-pagination__list">
            {props.premiereHref ? (
              <li>
                <a class="fr-pagination__link fr-pagination__link--first fr-pagination__link--lg-label" href={props.premiereHref}>
                  Actions les plus récentes
                </a>
              </li>
            ) : null}
            {props.suivanteHref ? (
              <li>
                <a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" href={props.suivanteHref}>
                  Actions plus anciennes
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </>
  );
}
