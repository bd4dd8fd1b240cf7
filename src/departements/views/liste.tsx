import type { DepartementSummary } from "../repository.ts";
import { phraseObjetsProteges } from "../rules.ts";

/** RB §5.2: one line per département of the conservateur, or how to ask for one. */
export function ListeDepartements(props: { departements: DepartementSummary[]; contact: string }) {
  return (
    <>
      <h1>Mes départements</h1>
      {props.departements.length === 0 ? (
        <>
          <p>Vous n’avez accès à aucun département pour l’instant.</p>
          <p>
            <a class="fr-link" href={`mailto:${props.contact}?subject=${encodeURIComponent("Accès à un département")}`}>
              Contactez-nous pour accéder à d’autres départements
            </a>
          </p>
        </>
      ) : (
        <>
          <ul class="tdb-departements fr-mb-4w">
            {props.departements.map((d) => (
              <li key={d.code}>
                <a class="fr-link fr-text--lg" href={`/conservateurs/departements/${d.code}`}>
                  {d.code} - {d.nom}
                </a>
                <p class="fr-mb-0">{phraseObjetsProteges(d.objets, d.communes)}</p>
              </li>
            ))}
          </ul>
          <p>
            <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href="/conservateurs/departements/activite">
              Activité des communes de mes départements
            </a>
          </p>
          <p class="fr-text--sm">
            Un département manque ?{" "}
            <a href={`mailto:${props.contact}?subject=${encodeURIComponent("Accès à un département")}`}>
              Contactez-nous pour accéder à d’autres départements
            </a>
            .
          </p>
        </>
      )}
    </>
  );
}
