/// <reference lib="dom" />
/**
 * Autocomplete of the conservateur's header search (src/ui/layout.tsx, form `#recherche-entete`): the
 * ARIA 1.2 combobox pattern with a listbox popup. Typing asks the suggestions endpoint (debounced);
 * arrow keys move through the suggestions, Enter opens the highlighted one (or submits the form to the
 * results page when none is highlighted), Escape closes the list. Without JavaScript the form still
 * submits to the results page.
 */
type Suggestion = { label: string; href: string };
type Suggestions = { communes: Suggestion[]; objets: Suggestion[] };

const DEBOUNCE_MS = 200;
const MIN_LENGTH = 2;

const form = document.getElementById("recherche-entete");
const input = document.getElementById("recherche-entete-champ");
if (form instanceof HTMLFormElement && input instanceof HTMLInputElement && form.dataset.suggestions) {
  combobox(form, input, form.dataset.suggestions);
}

function combobox(form: HTMLFormElement, input: HTMLInputElement, endpoint: string): void {
  const listboxId = "recherche-entete-suggestions";
  form.classList.add("rech-combobox");

  const listbox = document.createElement("div");
  listbox.id = listboxId;
  listbox.className = "rech-suggestions";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", "Suggestions");
  listbox.hidden = true;

  const vide = document.createElement("p");
  vide.className = "rech-suggestions rech-suggestions__vide";
  vide.setAttribute("aria-hidden", "true");
  vide.hidden = true;

  // Announces the number of suggestions (screen readers do not read the list until one moves into it).
  const statut = document.createElement("p");
  statut.className = "fr-sr-only";
  statut.setAttribute("role", "status");
  statut.setAttribute("aria-live", "polite");

  input.after(listbox, vide, statut);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listboxId);

  let options: HTMLElement[] = [];
  let active = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | undefined;

  function ouvrir(): void {
    if (options.length === 0) return;
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function fermer(): void {
    listbox.hidden = true;
    vide.hidden = true;
    input.setAttribute("aria-expanded", "false");
    activer(-1);
  }

  function activer(index: number): void {
    active = index;
    options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
    const option = options[index];
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function aller(option: HTMLElement | undefined): void {
    const href = option?.dataset.href;
    if (href) window.location.assign(href);
  }

  function afficher(data: Suggestions, q: string): void {
    listbox.replaceChildren();
    options = [];
    active = -1;
    const groupes: [string, Suggestion[]][] = [
      ["Communes", data.communes],
      ["Objets", data.objets],
    ];
    groupes.forEach(([titre, suggestions], g) => {
      if (suggestions.length === 0) return;
      const groupe = document.createElement("div");
      groupe.setAttribute("role", "group");
      const titreId = `${listboxId}-groupe-${g}`;
      groupe.setAttribute("aria-labelledby", titreId);
      const entete = document.createElement("div");
      entete.id = titreId;
      entete.className = "rech-suggestions__groupe";
      entete.setAttribute("role", "presentation");
      entete.textContent = titre;
      groupe.append(entete);
      for (const suggestion of suggestions) {
        const option = document.createElement("div");
        option.id = `${listboxId}-${options.length}`;
        option.className = "rech-suggestions__option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.href = suggestion.href;
        option.textContent = suggestion.label;
        option.addEventListener("click", () => aller(option));
        groupe.append(option);
        options.push(option);
      }
      listbox.append(groupe);
    });
    const total = options.length;
    statut.textContent = total === 0 ? "Aucun résultat" : total === 1 ? "1 résultat" : `${total} résultats`;
    if (total === 0) {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      vide.textContent = `Aucune commune ni aucun objet pour « ${q} »`;
      vide.hidden = false;
    } else {
      vide.hidden = true;
      ouvrir();
    }
  }

  async function chercher(q: string): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    try {
      const response = await fetch(`${endpoint}?q=${encodeURIComponent(q)}`, {
        headers: { accept: "application/json" },
        credentials: "same-origin",
        signal: current.signal,
      });
      if (!response.ok) return fermer();
      const data = (await response.json()) as Suggestions;
      // A slower answer to an older query must not replace the current one.
      if (current !== controller || input.value.trim() !== q) return;
      afficher(data, q);
    } catch (error) {
      if (!(error instanceof DOMException && error.name === "AbortError")) fermer();
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < MIN_LENGTH) {
      controller?.abort();
      options = [];
      listbox.replaceChildren();
      statut.textContent = "";
      fermer();
      return;
    }
    timer = setTimeout(() => void chercher(q), DEBOUNCE_MS);
  });

  input.addEventListener("keydown", (event) => {
    const ouvert = !listbox.hidden;
    switch (event.key) {
      case "ArrowDown":
        if (options.length === 0) return;
        event.preventDefault();
        if (!ouvert) ouvrir();
        activer(ouvert ? (active + 1) % options.length : 0);
        break;
      case "ArrowUp":
        if (options.length === 0) return;
        event.preventDefault();
        if (!ouvert) ouvrir();
        activer(!ouvert || active <= 0 ? options.length - 1 : active - 1);
        break;
      case "Enter":
        // Without a highlighted suggestion, Enter submits the form to the results page.
        if (ouvert && active >= 0) {
          event.preventDefault();
          aller(options[active]);
        }
        break;
      case "Escape":
        if (ouvert || !vide.hidden) {
          event.preventDefault();
          event.stopPropagation();
          fermer();
        }
        break;
      case "Tab":
        fermer();
        break;
    }
  });

  // A click on a suggestion must not blur the field first (which would close the list under the pointer).
  listbox.addEventListener("mousedown", (event) => event.preventDefault());
  input.addEventListener("blur", () => fermer());
  input.addEventListener("focus", () => {
    if (options.length > 0 && input.value.trim().length >= MIN_LENGTH) ouvrir();
  });
}
