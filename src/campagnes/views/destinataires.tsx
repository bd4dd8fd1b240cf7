import { CsrfField } from "../../comptes/views/components.tsx";
import { badgeStatutGlobal, libelleStatutGlobal, nombre } from "../../departements/rules.ts";
import { STATUT_GLOBAL_LABELS } from "../../dossier/rules.ts";
import { RAISON_EXCLUSION_LABELS, raisonExclusion } from "../destinataires.ts";
import type { Candidat } from "../repository.ts";

export type FiltresDestinataires = { statut: number | null; jamais: boolean; derniere: boolean; tout: "oui" | "non" | null };

export function urlDestinataires(base: string, filtres: FiltresDestinataires): string {
  const params = new URLSearchParams();
  if (filtres.statut !== null) params.set("statut", String(filtres.statut));
  if (filtres.jamais) params.set("jamais", "1");
  if (filtres.derniere) params.set("derniere", "1");
  if (filtres.tout) params.set("tout", filtres.tout);
  const query = params.toString();
  return query ? `${base}?${query}` : base;
}

/** Recipients of a draft (RB §5.15): filters, checkbox list, select all / none without JavaScript. */
export function PageDestinataires(props: {
  titre: string;
  campagneUrl: string;
  dansNom: string;
  candidats: Candidat[];
  affiches: Candidat[];
  cochee: (c: Candidat) => boolean;
  filtres: FiltresDestinataires;
  csrfToken: string;
}) {
  const { filtres, affiches } = props;
  const base = `${props.campagneUrl}/destinataires`;
  const selectionnes = props.candidats.filter((c) => c.destinataire).length;
  return (
    <>
      <h1>{props.titre}</h1>
      <p class="fr-text--lead">
        Liste des {nombre(props.candidats.length)} communes abritant des objets monuments historiques {props.dansNom}. La campagne en compte
        actuellement {nombre(selectionnes)}.
      </p>
      <form method="get" action={base} class="camp-filtres fr-mb-3w">
        <fieldset class="fr-fieldset">
          <legend class="fr-fieldset__legend">Filtrer la liste</legend>
          <div class="fr-fieldset__element">
            <div class="fr-select-group">
              <label class="fr-label" for="filtre-statut">
                Statut global
              </label>
              <select class="fr-select" id="filtre-statut" name="statut">
                <option value="" selected={filtres.statut === null}>
                  Tous les statuts
                </option>
                {([5, 4, 2, 3, 1, 0] as const).map((s) => (
                  <option key={s} value={String(s)} selected={filtres.statut === s}>
                    {STATUT_GLOBAL_LABELS[s]}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div class="fr-fieldset__element">
            <div class="fr-checkbox-group">
              <input type="checkbox" id="filtre-jamais" name="jamais" value="1" checked={filtres.jamais} />
              <label class="fr-label" for="filtre-jamais">
                Jamais contactée par une campagne
              </label>
            </div>
          </div>
          <div class="fr-fieldset__element">
            <div class="fr-checkbox-group">
              <input type="checkbox" id="filtre-derniere" name="derniere" value="1" checked={filtres.derniere} />
              <label class="fr-label" for="filtre-derniere">
                Destinataire de la dernière campagne
              </label>
            </div>
          </div>
          <div class="fr-fieldset__element">
            <button class="fr-btn fr-btn--secondary" type="submit">
              Filtrer
            </button>{" "}
            <a class="fr-link" href={base}>
              Réinitialiser les filtres
            </a>
          </div>
        </fieldset>
      </form>
      <ul class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm">
        <li>
          <a class="fr-btn fr-btn--tertiary" href={urlDestinataires(base, { ...filtres, tout: "oui" })}>
            Tout sélectionner
          </a>
        </li>
        <li>
          <a class="fr-btn fr-btn--tertiary" href={urlDestinataires(base, { ...filtres, tout: "non" })}>
            Tout désélectionner
          </a>
        </li>
      </ul>
      <form method="post" action={base}>
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="affichees" value={affiches.map((c) => c.id).join(",")} />
        <fieldset class="fr-fieldset" aria-describedby="destinataires-aide">
          <legend class="fr-fieldset__legend">
            {affiches.length === props.candidats.length
              ? `Communes (${nombre(affiches.length)})`
              : `Communes affichées par les filtres (${nombre(affiches.length)} sur ${nombre(props.candidats.length)})`}
          </legend>
          <p class="fr-hint-text fr-fieldset__element" id="destinataires-aide">
            Les communes sans adresse email et celles dont le recensement est en cours ne peuvent pas être ajoutées. Les communes cachées
            par les filtres gardent leur sélection.
          </p>
          {affiches.length === 0 ? <p class="fr-fieldset__element">Aucune commune ne correspond à ces filtres.</p> : null}
          <ul class="camp-destinataires fr-fieldset__element">
            {affiches.map((c) => {
              const raison = raisonExclusion(c);
              const id = `destinataire-${c.id}`;
              return (
                <li key={c.id} class="fr-checkbox-group fr-checkbox-group--sm">
                  <input
                    type="checkbox"
                    id={id}
                    name="destinataires"
                    value={String(c.id)}
                    checked={!raison && props.cochee(c)}
                    disabled={raison !== null}
                  />
                  <label class="fr-label" for={id}>
                    <span class="camp-nom">
                      {c.nom} ({c.code_insee})
                    </span>
                    <span class={`fr-badge fr-badge--sm fr-badge--no-icon ${badgeStatutGlobal(c.statut_global)}`}>
                      {libelleStatutGlobal(c.statut_global)}
                    </span>
                    {raison ? (
                      <span class="fr-badge fr-badge--sm fr-badge--no-icon camp-raison">{RAISON_EXCLUSION_LABELS[raison]}</span>
                    ) : null}
                  </label>
                </li>
              );
            })}
          </ul>
        </fieldset>
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <button class="fr-btn" type="submit">
              Enregistrer la sélection
            </button>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href={props.campagneUrl}>
              Retour à la campagne
            </a>
          </li>
        </ul>
      </form>
    </>
  );
}
