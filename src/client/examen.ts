/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Enhancements of the examen page (src/examen/views/examen-recensement.tsx), which works without them:
 * - a photo viewer over the gallery: zoom, turning the view, previous/next, "Photo i / n", Escape to
 *   close, focus kept inside and given back to the thumbnail;
 * - keyboard shortcuts for the common choices, listed in a help block (`?`), each announced to screen
 *   readers; ignored while typing in a text field, except Ctrl+Entrée which saves and goes on;
 * - the choices not saved yet survive a photo action (which reloads the page), kept in sessionStorage.
 */

type Photo = { affichage: string; original: string; alt: string; lien: HTMLElement };

const ZOOMS = [1, 1.5, 2, 3, 4];
const TOUCHES_ETAT: Record<string, string> = { "1": "bon", "2": "moyen", "3": "mauvais", "4": "peril" };
const TOUCHES_SECURISATION: Record<string, string> = { s: "en_securite", d: "en_danger" };

const annonce = document.querySelector<HTMLElement>("[data-ex-annonce]");

/** Says it to screen readers (the region is emptied first so the same message is read again). */
function annoncer(message: string): void {
  if (!annonce) return;
  annonce.textContent = "";
  window.setTimeout(() => {
    annonce.textContent = message;
  }, 50);
}

function libelle(input: HTMLInputElement): string {
  const label = document.querySelector<HTMLLabelElement>(`label[for="${CSS.escape(input.id)}"]`);
  const clone = label?.cloneNode(true) as HTMLElement | undefined;
  clone?.querySelectorAll(".fr-hint-text").forEach((hint) => hint.remove());
  return clone?.textContent?.trim() ?? input.value;
}

// ——— Photo viewer ———

function boutonOutil(label: string, icone: string, action: () => void): HTMLButtonElement {
  const button = document.createElement("button");
  button.type = "button";
  button.className = `fr-btn fr-btn--tertiary-no-outline fr-btn--sm ${icone}`;
  button.title = label;
  button.textContent = label;
  button.addEventListener("click", action);
  return button;
}

function creerVisionneuse(photos: Photo[]): { ouvrir: (index: number) => void } {
  const dialog = document.createElement("dialog");
  dialog.className = "ex-visionneuse";
  dialog.setAttribute("aria-labelledby", "ex-visionneuse-titre");
  const barre = document.createElement("div");
  barre.className = "ex-visionneuse__barre";
  const titre = document.createElement("h2");
  titre.id = "ex-visionneuse-titre";
  titre.className = "fr-h6 fr-mb-0";
  const outils = document.createElement("div");
  outils.className = "ex-visionneuse__outils";
  const cadre = document.createElement("div");
  cadre.className = "ex-visionneuse__cadre";
  // Zoomed in, the frame scrolls: it takes the focus so that the arrows can move over the photo.
  cadre.tabIndex = 0;
  cadre.setAttribute("role", "group");
  cadre.setAttribute("aria-label", "Photo affichée ; zoomée, elle défile avec les flèches du clavier");
  const scene = document.createElement("div");
  scene.className = "ex-visionneuse__scene";
  const image = document.createElement("img");
  image.className = "ex-visionneuse__img";
  scene.append(image);
  cadre.append(scene);
  const etat = document.createElement("p");
  etat.className = "fr-sr-only";
  etat.setAttribute("aria-live", "polite");

  let courant = 0;
  let zoom = 0;
  let rotation = 0;
  let retour: HTMLElement | null = null;

  const precedente = boutonOutil("Photo précédente", "fr-icon-arrow-left-s-line", () => afficher(courant - 1));
  const suivante = boutonOutil("Photo suivante", "fr-icon-arrow-right-s-line", () => afficher(courant + 1));
  const zoomMoins = boutonOutil("Zoom arrière", "fr-icon-subtract-line", () => zoomer(-1));
  const zoomPlus = boutonOutil("Zoom avant", "fr-icon-add-line", () => zoomer(1));
  const tourner = boutonOutil("Tourner l’affichage d’un quart de tour", "fr-icon-clockwise-line", () => {
    rotation = (rotation + 90) % 360;
    disposer();
    etat.textContent = `Affichage tourné de ${rotation} degrés`;
  });
  const telecharger = document.createElement("a");
  telecharger.className = "fr-btn fr-btn--tertiary-no-outline fr-btn--sm fr-icon-download-line";
  telecharger.textContent = "Télécharger la photo";
  telecharger.title = "Télécharger la photo";
  const fermer = boutonOutil("Fermer", "fr-icon-close-line", () => dialog.close());
  outils.append(zoomMoins, zoomPlus, tourner, precedente, suivante, telecharger, fermer);
  barre.append(titre, outils);
  dialog.append(barre, cadre, etat);
  document.body.append(dialog);

  /** Sizes the image to fit the frame at zoom 1, its box turned with it so that the frame scrolls over all of it. */
  function disposer(): void {
    const largeur = image.naturalWidth || 4;
    const hauteur = image.naturalHeight || 3;
    const couche = rotation % 180 !== 0;
    const [bw, bh] = couche ? [hauteur, largeur] : [largeur, hauteur];
    const ajuste = Math.min(cadre.clientWidth / bw, cadre.clientHeight / bh, 1);
    const echelle = ajuste * (ZOOMS[zoom] ?? 1);
    image.style.width = `${largeur * echelle}px`;
    image.style.height = `${hauteur * echelle}px`;
    image.style.transform = `translate(-50%, -50%) rotate(${rotation}deg)`;
    scene.style.width = `${bw * echelle}px`;
    scene.style.height = `${bh * echelle}px`;
    zoomMoins.disabled = zoom === 0;
    zoomPlus.disabled = zoom === ZOOMS.length - 1;
  }

  function zoomer(pas: number): void {
    const suivant = Math.max(0, Math.min(ZOOMS.length - 1, zoom + pas));
    if (suivant === zoom) return;
    zoom = suivant;
    disposer();
    etat.textContent = `Zoom ${Math.round((ZOOMS[zoom] ?? 1) * 100)} %`;
  }

  function afficher(index: number): void {
    const photo = photos[index];
    if (!photo) return;
    courant = index;
    zoom = 0;
    rotation = 0;
    titre.textContent = `Photo ${index + 1} / ${photos.length}`;
    image.alt = photo.alt;
    image.src = photo.affichage;
    telecharger.href = photo.original;
    telecharger.setAttribute("download", "");
    precedente.disabled = index === 0;
    suivante.disabled = index === photos.length - 1;
    etat.textContent = `Photo ${index + 1} / ${photos.length}`;
    if (image.complete) disposer();
  }

  image.addEventListener("load", disposer);
  window.addEventListener("resize", () => {
    if (dialog.open) disposer();
  });

  dialog.addEventListener("keydown", (event) => {
    if (event.key === "Tab") {
      // Focus stays in the viewer (the page behind is inert, but the browser's own interface is not).
      const focusables = [...dialog.querySelectorAll<HTMLElement>("button:not([disabled]), a[href], [tabindex='0']")];
      const first = focusables[0];
      const last = focusables[focusables.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last?.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first?.focus();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    // On the zoomed photo, the arrows scroll it rather than change photo.
    if (event.target === cadre && zoom > 0 && event.key.startsWith("Arrow")) return;
    const actions: Record<string, () => void> = {
      ArrowLeft: () => afficher(courant - 1),
      ArrowRight: () => afficher(courant + 1),
      "+": () => zoomer(1),
      "=": () => zoomer(1),
      "-": () => zoomer(-1),
      r: () => tourner.click(),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    action();
  });

  dialog.addEventListener("close", () => {
    image.removeAttribute("src");
    retour?.focus();
    retour = null;
  });

  return {
    ouvrir(index: number) {
      retour = photos[index]?.lien ?? (document.activeElement as HTMLElement | null);
      dialog.showModal();
      afficher(index);
      fermer.focus();
    },
  };
}

const galerie = [...document.querySelectorAll<HTMLElement>("[data-ex-photo]")].flatMap((item): Photo[] => {
  const lien = item.querySelector<HTMLAnchorElement>("[data-ex-photo-lien]");
  const vignette = lien?.querySelector("img");
  if (!lien || !item.dataset.affichage || !item.dataset.original) return [];
  return [{ affichage: item.dataset.affichage, original: item.dataset.original, alt: vignette?.alt ?? "", lien }];
});

const visionneuse = galerie.length > 0 && typeof HTMLDialogElement === "function" ? creerVisionneuse(galerie) : null;
if (visionneuse) {
  galerie.forEach((photo, index) => {
    photo.lien.addEventListener("click", (event) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      visionneuse.ouvrir(index);
    });
  });
}

// ——— The examen form: shortcuts and unsaved choices ———

const formulaire = document.querySelector<HTMLFormElement>("[data-ex-examen] form[data-ex-formulaire]");

if (formulaire) {
  const form = formulaire;
  const suivant = document.querySelector<HTMLButtonElement>("[data-ex-suivant]");
  const raccourcis = document.querySelector<HTMLElement>("[data-ex-raccourcis]");
  const aide = document.querySelector<HTMLElement>("[data-ex-aide]");
  const aideBouton = document.querySelector<HTMLButtonElement>("[data-ex-aide-bouton]");
  const commentaire = document.querySelector<HTMLTextAreaElement>("#analyse_notes");

  function basculerAide(): void {
    if (!aide || !aideBouton) return;
    aide.hidden = !aide.hidden;
    aideBouton.setAttribute("aria-expanded", String(!aide.hidden));
    annoncer(aide.hidden ? "Aide des raccourcis clavier masquée" : "Aide des raccourcis clavier affichée");
  }

  if (raccourcis) raccourcis.hidden = false;
  aideBouton?.addEventListener("click", basculerAide);

  function choisir(name: string, value: string, quoi: string): void {
    const input = form.querySelector<HTMLInputElement>(`input[type="radio"][name="${name}"][value="${value}"]`);
    if (!input || input.disabled) return;
    input.checked = true;
    input.dispatchEvent(new Event("change", { bubbles: true }));
    annoncer(`${quoi} : ${libelle(input)}`);
  }

  function saisieDeTexte(target: EventTarget | null): boolean {
    if (!(target instanceof HTMLElement)) return false;
    if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
    return target instanceof HTMLInputElement && !["radio", "checkbox", "button", "submit", "reset"].includes(target.type);
  }

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.isComposing || document.querySelector("dialog[open]")) return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      annoncer("Sauvegarde de l’examen et passage au recensement suivant");
      form.requestSubmit(suivant ?? undefined);
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || saisieDeTexte(event.target)) return;
    const touche = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (touche === "?") {
      event.preventDefault();
      basculerAide();
    } else if (TOUCHES_ETAT[touche]) {
      event.preventDefault();
      choisir("etat_sanitaire", TOUCHES_ETAT[touche], "État de l’objet");
    } else if (TOUCHES_SECURISATION[touche]) {
      event.preventDefault();
      choisir("securisation", TOUCHES_SECURISATION[touche], "Sécurisation");
    } else if (touche === "c" && commentaire) {
      event.preventDefault();
      commentaire.focus();
      annoncer("Commentaire pour la mairie");
    } else if (touche === "p" && visionneuse) {
      event.preventDefault();
      visionneuse.ouvrir(0);
    }
  });

  // Choices not saved yet, kept while the page reloads after a photo action (this tab only, this version only).
  const version = form.querySelector<HTMLInputElement>('input[name="version"]')?.value ?? "";
  const prefixe = `co-examen:${form.action}:`;
  const cle = `${prefixe}${version}`;
  type Brouillon = { radios: Record<string, string>; fiches: string[]; notes: string | null };

  function champs(): (HTMLInputElement | HTMLTextAreaElement)[] {
    return [...form.elements].filter(
      (e): e is HTMLInputElement | HTMLTextAreaElement =>
        (e instanceof HTMLInputElement && (e.type === "radio" || e.type === "checkbox")) || e instanceof HTMLTextAreaElement,
    );
  }

  function lire(): Brouillon {
    const brouillon: Brouillon = { radios: {}, fiches: [], notes: null };
    for (const champ of champs()) {
      if (champ instanceof HTMLTextAreaElement) brouillon.notes = champ.value;
      else if (champ.type === "radio" && champ.checked) brouillon.radios[champ.name] = champ.value;
      else if (champ.type === "checkbox" && champ.checked) brouillon.fiches.push(champ.value);
    }
    return brouillon;
  }

  function ecrire(brouillon: Brouillon): void {
    for (const champ of champs()) {
      if (champ instanceof HTMLTextAreaElement) champ.value = brouillon.notes ?? champ.value;
      else if (champ.type === "radio") champ.checked = brouillon.radios[champ.name] === champ.value;
      else champ.checked = brouillon.fiches.includes(champ.value);
    }
  }

  try {
    for (let i = sessionStorage.length - 1; i >= 0; i--) {
      const autre = sessionStorage.key(i);
      if (autre?.startsWith(prefixe) && autre !== cle) sessionStorage.removeItem(autre);
    }
    const garde = sessionStorage.getItem(cle);
    // A page shown again with errors already holds what was typed.
    if (garde && !document.querySelector("#erreurs")) {
      const initial = JSON.stringify(lire());
      ecrire(JSON.parse(garde) as Brouillon);
      if (JSON.stringify(lire()) !== initial) annoncer("Vos choix non sauvegardés ont été rétablis.");
    }
    const garder = (event: Event) => {
      const cible = event.target as HTMLInputElement | HTMLTextAreaElement | null;
      if (cible?.form === form) sessionStorage.setItem(cle, JSON.stringify(lire()));
    };
    document.addEventListener("change", garder);
    document.addEventListener("input", garder);
    form.addEventListener("submit", () => sessionStorage.removeItem(cle));
  } catch {
    // Storage refused (private browsing, quota): the page simply forgets unsaved choices, as without JavaScript.
  }
}
