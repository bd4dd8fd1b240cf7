/// <reference lib="dom" />
/**
 * "Imprimer" on the examen (src/dossier/views/examen.tsx): the button is in the page but hidden, since it
 * can only work with JavaScript; without it the page tells to use the browser's own print command.
 */
for (const button of document.querySelectorAll<HTMLButtonElement>("button[data-co-imprimer]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
for (const aide of document.querySelectorAll<HTMLElement>("[data-co-imprimer-aide]")) aide.hidden = true;
