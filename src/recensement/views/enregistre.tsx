import { CsrfField } from "../../comptes/views/components.tsx";
import { objetTitle, pluralize } from "../../patrimoine/rules.ts";
import type { ObjetQuestionnaire, ObjetRestant } from "../repository.ts";
import { edificeInitialNom } from "./questionnaire.tsx";

/** "Recensement enregistré" (RB §4.5, after validation): what is left to do, same édifice first. */
export function RecensementEnregistrePage(props: {
  codeInsee: string;
  communeNom: string;
  objet: ObjetQuestionnaire;
  restants: ObjetRestant[];
  csrfToken: string;
}) {
  const { objet, restants, codeInsee } = props;
  const memeEdifice = objet.edifice_id === null ? [] : restants.filter((r) => r.edifice_id === objet.edifice_id);
  const proposes = (memeEdifice.length > 0 ? memeEdifice : restants).slice(0, 12);
  return (
    <>
      <div class="fr-alert fr-alert--success fr-mb-4w">
        <h1 class="fr-alert__title">Votre recensement a bien été enregistré</h1>
        <p>
          « {objetTitle(objet)} » est recensé. Vous pourrez revenir sur la fiche de cet objet pour modifier votre recensement tant que vous
          n’avez pas envoyé votre dossier.
        </p>
      </div>
      {restants.length === 0 ? (
        <>
          <h2>Vous avez recensé tous les objets de {props.communeNom} !</h2>
          <p>Il ne reste plus qu’à vérifier vos réponses et à envoyer votre recensement aux conservateurs.</p>
          <ul class="fr-btns-group fr-btns-group--inline-md">
            <li>
              <a class="fr-btn" href={`/communes/${codeInsee}/dossier/finalisation`}>
                Finaliser le recensement
              </a>
            </li>
            <li>
              <a class="fr-btn fr-btn--secondary" href={`/communes/${codeInsee}/objets`}>
                Revenir à la liste des objets
              </a>
            </li>
          </ul>
        </>
      ) : (
        <>
          <p>
            Il reste {pluralize(restants.length, "objet", "objets")} à recenser.{" "}
            <a href={`/communes/${codeInsee}/objets`}>Revenir à la liste des objets de {props.communeNom}</a>
          </p>
          <h2 class="fr-h4">
            {memeEdifice.length > 0
              ? `Ces objets sont encore à recenser dans l’édifice ${edificeInitialNom(objet, props.communeNom)} :`
              : "Ces objets sont encore à recenser :"}
          </h2>
          <ul class="co-unstyled-list">
            {proposes.map((restant) => (
              <li key={restant.id} class="co-restant">
                <a href={`/communes/${codeInsee}/objets/${restant.id}`}>{objetTitle(restant)}</a>
                <form method="post" action={`/communes/${codeInsee}/objets/${restant.id}/recensement`}>
                  <CsrfField token={props.csrfToken} />
                  <button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit">
                    Recenser<span class="fr-sr-only"> {objetTitle(restant)}</span>
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
