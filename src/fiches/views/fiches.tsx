import { Summary } from "../../ui/components.tsx";
import { objetTitle } from "../../patrimoine/rules.ts";
import type { Fiche } from "../fiches.ts";
import type { ObjetConcerne } from "../repository.ts";

export function FichesPage(props: { fiches: Fiche[] }) {
  return (
    <>
      <h1>Fiches conseil</h1>
      <p class="fr-text--lead">
        Entretenir, protéger, faire restaurer : des conseils pratiques pour prendre soin des objets protégés de votre commune. Le
        conservateur peut aussi vous les recommander lors de l’examen de votre recensement.
      </p>
      <ul class="fr-grid-row fr-grid-row--gutters co-unstyled-list">
        {props.fiches.map((fiche) => (
          <li class="fr-col-12 fr-col-md-6 fr-col-lg-4" key={fiche.id}>
            <div class="fr-card fr-enlarge-link fr-card--no-arrow">
              <div class="fr-card__body">
                <div class="fr-card__content">
                  <h2 class="fr-card__title">
                    <a href={`/fiches/${fiche.id}`}>{fiche.titre}</a>
                  </h2>
                  <p class="fr-card__desc">{fiche.resume}</p>
                </div>
              </div>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}

export function FichePage(props: { fiche: Fiche; objets: ObjetConcerne[]; others: Fiche[] }) {
  const { fiche } = props;
  return (
    <div class="fr-grid-row fr-grid-row--gutters">
      <div class="fr-col-12 fr-col-lg-8">
        <h1>{fiche.titre}</h1>
        <p class="fr-text--lead">{fiche.resume}</p>
        {props.objets.length > 0 ? (
          <div class="fr-callout fr-icon-information-line fr-mb-4w">
            <h2 class="fr-callout__title fr-h5">
              Objet{props.objets.length > 1 ? "s" : ""} concerné{props.objets.length > 1 ? "s" : ""} par cette fiche
            </h2>
            <div class="fr-callout__text">
              <p>Le conservateur vous recommande cette fiche pour :</p>
              <ul>
                {props.objets.map((objet) => (
                  <li key={objet.palissy_ref}>
                    <a href={`/objets/${objet.palissy_ref}`}>{objetTitle(objet)}</a>
                  </li>
                ))}
              </ul>
            </div>
          </div>
        ) : null}
        <Summary items={fiche.sommaire} />
        {/* Our own markdown, rendered with raw HTML escaped and links restricted (fiches.ts). */}
        <div class="co-markdown" dangerouslySetInnerHTML={{ __html: fiche.html }} />
      </div>
      <div class="fr-col-12 fr-col-lg-4">
        <nav class="co-aside" aria-labelledby="autres-fiches">
          <h2 class="fr-h5" id="autres-fiches">
            Autres fiches conseil
          </h2>
          <ul>
            {props.others.map((other) => (
              <li key={other.id}>
                <a href={`/fiches/${other.id}`}>{other.titre}</a>
              </li>
            ))}
          </ul>
        </nav>
      </div>
    </div>
  );
}
