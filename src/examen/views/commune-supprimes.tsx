import type { Fiche } from "../../fiches/fiches.ts";
import { edificeDisplayName, popUrl } from "../../patrimoine/rules.ts";
import type { RecensementDetaille } from "../commune-repository.ts";
import { dateLongue, RecensementDetailleVue, titreRecensement } from "./commune-detail.tsx";
import { communeConservateurUrl } from "./commune-entete.tsx";

/** Why the synchronisation removed the recensement, with the detail it recorded. */
export function raisonSuppression(r: Pick<RecensementDetaille, "deleted_reason" | "deleted_message">): string {
  const detail = r.deleted_message?.trim();
  switch (r.deleted_reason) {
    case "changement-de-commune":
      return `Le code INSEE de l’objet a changé dans Palissy, à la suite d’un déplacement de l’objet ou d’une fusion de communes${detail ? ` (${detail})` : ""}.`;
    case "objet-devenu-hors-scope":
      return `L’objet a été modifié dans Palissy et n’est plus concerné par Collectif Objets${detail ? ` (${detail})` : ""}.`;
    default:
      return detail ? `${detail}.` : "Raison non précisée.";
  }
}

/** Recensements of the current dossier removed by the Palissy synchronisation (RB §5.13). */
export function RecensementsSupprimes(props: {
  codeInsee: string;
  communeNom: string;
  recensements: RecensementDetaille[];
  fiches: Fiche[];
}) {
  const { recensements } = props;
  return (
    <>
      <h2>
        {recensements.length === 0
          ? "Recensements supprimés"
          : recensements.length === 1
            ? `Recensement supprimé de l’objet ${recensements[0]!.palissy_ref}`
            : `${recensements.length} recensements supprimés`}
      </h2>
      {recensements.length === 0 ? (
        <p>Aucun recensement n’a été supprimé automatiquement de ce dossier.</p>
      ) : (
        <p>
          Ces recensements faisaient partie du dossier de la commune ; ils ont été retirés lors de la mise à jour des données de Palissy.
          Leurs réponses et leurs photos restent consultables ici.
        </p>
      )}
      {recensements.map((r) => {
        const titre = titreRecensement(r);
        return (
          <section key={r.id} class="fr-mb-6w cc-supprime" aria-labelledby={`supprime-${r.id}`}>
            <h3 id={`supprime-${r.id}`}>
              {titre}
              {titre === r.palissy_ref ? "" : ` (${r.palissy_ref})`}
            </h3>
            <p class="fr-mb-1w">Édifice : {edificeDisplayName(r.edifice_initial_nom, props.communeNom)}</p>
            <p class="fr-mb-1w">
              <a href={popUrl(r.palissy_ref)} target="_blank" rel="noopener">
                Voir la notice {r.palissy_ref} sur POP<span class="fr-sr-only"> (nouvelle fenêtre)</span>
              </a>
            </p>
            <p>
              <strong>{r.deleted_at ? `Supprimé le ${dateLongue(r.deleted_at)}` : "Supprimé"}</strong> : {raisonSuppression(r)}
            </p>
            <RecensementDetailleVue
              recensement={r}
              communeNom={props.communeNom}
              fiches={props.fiches}
              titre="Réponses de la commune"
              headingLevel={4}
            />
          </section>
        );
      })}
      <p>
        <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={communeConservateurUrl(props.codeInsee)}>
          Retour aux objets de la commune
        </a>
      </p>
    </>
  );
}
