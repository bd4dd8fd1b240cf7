import { STATUT_GLOBAL_LABELS, type StatutGlobal } from "../dossier/rules.ts";
import { objetTitle, pluralize } from "../patrimoine/rules.ts";
import type { CommuneTrouvee, ObjetTrouve } from "./repository.ts";
import { RECHERCHE_MAX } from "./repository.ts";

export const RESULTATS_MAX = 20;

export function communeHref(codeInsee: string): string {
  return `/conservateurs/communes/${codeInsee}`;
}
export function objetHref(palissyRef: string): string {
  return `/objets/${encodeURIComponent(palissyRef)}`;
}
export function communeLabel(c: Pick<CommuneTrouvee, "nom" | "code_insee" | "departement_code" | "departement_nom">): string {
  return `${c.nom} (${c.code_insee}, ${c.departement_code} - ${c.departement_nom})`;
}
export function objetLabel(o: ObjetTrouve): string {
  return `${objetTitle(o)} – ${o.palissy_ref}${o.commune_nom ? ` (${o.commune_nom})` : ""}`;
}

function Formulaire({ q }: { q: string }) {
  return (
    <form method="get" action="/conservateurs/recherche" role="search" class="fr-mb-4w">
      <div class="fr-search-bar fr-search-bar--lg" id="recherche-page">
        <label class="fr-label" for="recherche-page-champ">
          Rechercher une commune ou un objet
        </label>
        <input
          class="fr-input"
          type="search"
          id="recherche-page-champ"
          name="q"
          value={q}
          placeholder="Commune, objet, référence Palissy"
          maxLength={RECHERCHE_MAX}
          autoComplete="off"
        />
        <button class="fr-btn" type="submit" title="Rechercher">
          Rechercher
        </button>
      </div>
    </form>
  );
}

function PlusDeResultats({ count }: { count: number }) {
  if (count < RESULTATS_MAX) return null;
  return <p class="fr-hint-text">Seuls les {RESULTATS_MAX} premiers résultats sont affichés : précisez votre recherche.</p>;
}

/** Results of the header search (communes and objets of the conservateur's départements). */
export function RecherchePage(props: {
  q: string;
  message: string | null;
  resultats: { communes: CommuneTrouvee[]; objets: ObjetTrouve[] } | null;
}) {
  const { resultats } = props;
  return (
    <>
      <h1>Recherche</h1>
      <Formulaire q={props.q} />
      {props.message ? (
        <div class="fr-alert fr-alert--info fr-alert--sm fr-mb-4w">
          <p>{props.message}</p>
        </div>
      ) : null}
      {resultats ? (
        <>
          <p class="fr-sr-only" role="status">
            {pluralize(resultats.communes.length, "commune", "communes")} et {pluralize(resultats.objets.length, "objet", "objets")} trouvés
          </p>
          <section class="fr-mb-6w" aria-labelledby="resultats-communes">
            <h2 id="resultats-communes">Communes ({resultats.communes.length})</h2>
            {resultats.communes.length === 0 ? (
              <p>Aucune commune de vos départements ne correspond à « {props.q} ».</p>
            ) : (
              <ul class="rech-resultats">
                {resultats.communes.map((c) => (
                  <li key={c.code_insee}>
                    <a href={communeHref(c.code_insee)}>
                      {c.nom} ({c.code_insee})
                    </a>
                    <span class="fr-hint-text">
                      {c.departement_code} - {c.departement_nom} · {pluralize(c.objets_count, "objet protégé", "objets protégés")} ·{" "}
                      {STATUT_GLOBAL_LABELS[c.statut_global as StatutGlobal] ?? ""}
                    </span>
                  </li>
                ))}
              </ul>
            )}
            <PlusDeResultats count={resultats.communes.length} />
          </section>
          <section aria-labelledby="resultats-objets">
            <h2 id="resultats-objets">Objets ({resultats.objets.length})</h2>
            {resultats.objets.length === 0 ? (
              <p>Aucun objet de vos départements ne correspond à « {props.q} ».</p>
            ) : (
              <ul class="rech-resultats">
                {resultats.objets.map((o) => (
                  <li key={o.palissy_ref}>
                    <a href={objetHref(o.palissy_ref)}>{objetTitle(o)}</a>
                    <span class="fr-hint-text">
                      {o.palissy_ref}
                      {o.palissy_deno ? ` · ${o.palissy_deno}` : ""}
                      {" · "}
                      <a href={communeHref(o.code_insee)}>
                        {o.commune_nom ?? "Commune"} ({o.code_insee})
                      </a>
                    </span>
                  </li>
                ))}
              </ul>
            )}
            <PlusDeResultats count={resultats.objets.length} />
          </section>
        </>
      ) : null}
    </>
  );
}
