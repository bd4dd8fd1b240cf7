import { CsrfField } from "../../comptes/views/components.tsx";

export function reouvertureUrl(codeInsee: string): string {
  return `/conservateurs/communes/${codeInsee}/reouverture`;
}

export const MESSAGE_DOSSIER_ROUVERT =
  "Le dossier a été rouvert : vous pouvez modifier votre examen. N’oubliez pas de l’envoyer de nouveau à la commune et de mettre à jour le ou les bordereaux de récolement.";

/**
 * "Rouvrir le dossier" (RB §5.5): the consequences are written next to the button, which sends the
 * explicit `confirmer=oui` (works without JavaScript, no modal needed). For the commune page too.
 */
export function ReouvertureForm(props: { codeInsee: string; csrfToken: string }) {
  return (
    <form method="post" action={reouvertureUrl(props.codeInsee)} class="env-reouverture fr-mb-4w">
      <CsrfField token={props.csrfToken} />
      <p class="fr-mb-2w">
        La réouverture du dossier vous permet de modifier votre examen. En attendant, la commune ne voit plus l’examen en ligne : elle
        retrouvera l’examen corrigé quand vous le lui enverrez de nouveau. Pensez aussi à mettre à jour le ou les bordereaux de récolement.
      </p>
      <button type="submit" class="fr-btn fr-btn--secondary fr-btn--icon-left fr-icon-edit-line" name="confirmer" value="oui">
        Rouvrir le dossier
      </button>
    </form>
  );
}
