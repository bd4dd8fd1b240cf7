import { Callout } from "../../ui/components.tsx";
import type { CommunePublique, ObjetCarte } from "../repository.ts";
import { type EdificeGroup, objetTitle, pluralize } from "../rules.ts";
import { ObjetCard } from "./objet-card.tsx";

/** The édifice index only helps when the list is long enough to scroll through. */
export const EDIFICE_INDEX_MIN = 4;

export function communeTitle(commune: CommunePublique, count: number): string {
  if (count === 0) return `Aucun objet protégé à ${commune.nom}`;
  if (count === 1) return `L’objet protégé de ${commune.nom}`;
  return `Les ${count.toLocaleString("fr-FR")} objets protégés de ${commune.nom}`;
}

export function CommunePage(props: { commune: CommunePublique; groups: EdificeGroup<ObjetCarte>[]; count: number }) {
  const { commune, groups, count } = props;
  return (
    <>
      <h1>{communeTitle(commune, count)}</h1>
      <p class="fr-text--lead">
        {commune.nom} ({commune.departement_nom}, code INSEE {commune.code_insee})
        {count > 0 ? ` — ${pluralize(groups.length, "édifice", "édifices")}` : ""}
      </p>
      {count === 0 ? <p>Aucun objet mobilier protégé au titre des monuments historiques n’est enregistré dans cette commune.</p> : null}
      <EdificeIndex groups={groups} />
      {groups.map((group) => (
        <section class="fr-mb-6w" key={group.key} aria-labelledby={group.anchor}>
          <EdificeHeading group={group} />
          <ul class="fr-grid-row fr-grid-row--gutters co-unstyled-list">
            {group.objets.map((objet) => (
              <li class="fr-col-12 fr-col-sm-6 fr-col-md-4 fr-col-lg-3" key={objet.id}>
                <ObjetCard href={`/objets/${objet.palissy_ref}`} title={objetTitle(objet)} details={[group.nom]} photo={objet.photo} />
              </li>
            ))}
          </ul>
        </section>
      ))}
      <PourquoiCetteListe count={count} />
      <p class="fr-mt-4w">
        <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href="/comment-ca-marche#faq">
          Questions fréquentes sur le recensement
        </a>
      </p>
    </>
  );
}

/**
 * Links to each édifice, once the list is long enough to scroll through (DSFR "sommaire"). A list
 * spread over several pages links each édifice on the page where it starts (`hrefOf`).
 */
export function EdificeIndex<T>(props: { groups: EdificeGroup<T>[]; hrefOf?: (group: EdificeGroup<T>) => string }) {
  if (props.groups.length < EDIFICE_INDEX_MIN) return null;
  const hrefOf = props.hrefOf ?? ((group: EdificeGroup<T>) => `#${group.anchor}`);
  return (
    <div class="fr-grid-row">
      <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <nav class="fr-summary fr-mb-4w" role="navigation" aria-labelledby="edifices-titre">
          <h2 class="fr-summary__title" id="edifices-titre">
            Édifices
          </h2>
          <ol>
            {props.groups.map((group) => (
              <li key={group.key}>
                <a class="fr-summary__link" href={hrefOf(group)}>
                  {group.nom} ({pluralize(group.objets.length, "objet", "objets")})
                </a>
              </li>
            ))}
          </ol>
        </nav>
      </div>
    </div>
  );
}

/** "<Nom> · N objets", the target of the index anchors; "(suite)" when the édifice began on the previous page. */
export function EdificeHeading<T>(props: { group: EdificeGroup<T>; suite?: boolean }) {
  const { group } = props;
  return (
    <h2 id={group.anchor} class="fr-h3">
      {group.nom}
      {props.suite ? " (suite)" : ""}{" "}
      <span class="fr-text--md fr-text--regular">· {pluralize(group.objets.length, "objet", "objets")}</span>
    </h2>
  );
}

/** Only objets protected as monuments historiques and owned by the commune are listed (RB §4.3). */
export function PourquoiCetteListe(props: { count: number }) {
  const { count } = props;
  return (
    <Callout
      title={`Pourquoi cette liste ne contient-elle ${count > 1 ? `que ${count.toLocaleString("fr-FR")} objets` : count === 1 ? "qu’un objet" : "aucun objet"} ?`}
      icon="fr-icon-information-line"
    >
      <p>
        Collectif Objets ne recense que les objets mobiliers <strong>protégés au titre des monuments historiques</strong> (classés ou
        inscrits) et propriété de la commune, tels qu’ils figurent dans la base Palissy du ministère de la Culture. Les objets appartenant à
        l’État, les objets signalés comme volés ou manquants et les éléments décrits à l’intérieur d’un ensemble n’y apparaissent pas.
      </p>
      <p>
        Un objet vous semble manquer ou mal placé ? Signalez-le lors du recensement ou écrivez à votre conservateur des antiquités et objets
        d’art (CAOA).
      </p>
    </Callout>
  );
}
