/** Display rules of the Palissy/Mérimée data (RB §2.2), pure and shared by every interface. */

const EDIFICE_NON_RENSEIGNE = "édifice non renseigné";
export const CARD_TITLE_MAX_LENGTH = 45;

export function capitalizeFirst(text: string): string {
  return text.charAt(0).toLocaleUpperCase("fr-FR") + text.slice(1);
}

function presence(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** Palissy multi-valued cells join their values with ";" and no space. */
export function splitPalissyList(value: string | null | undefined): string[] {
  return (value ?? "")
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

/**
 * Name shown for an édifice: "édifice non renseigné" when empty, capital first letter, and a bare
 * "église" (too vague on its own) becomes "Une église de <commune>".
 */
export function edificeDisplayName(nom: string | null | undefined, communeNom: string | null | undefined): string {
  const name = presence(nom);
  if (!name) return capitalizeFirst(EDIFICE_NON_RENSEIGNE);
  if (name.toLocaleLowerCase("fr-FR") === "église" && presence(communeNom)) return `Une église de ${communeNom?.trim()}`;
  return capitalizeFirst(name);
}

export type ObjetTitleFields = {
  palissy_ref: string;
  palissy_tico: string | null;
  palissy_deno: string | null;
  palissy_cate: string | null;
  palissy_scle: string | null;
};

/** Editorial title when present; otherwise the first dénomination (or catégorie, or REF) followed by the century. */
export function objetTitle(objet: ObjetTitleFields): string {
  const tico = presence(objet.palissy_tico);
  if (tico) return capitalizeFirst(tico);
  const base = splitPalissyList(objet.palissy_deno)[0] ?? splitPalissyList(objet.palissy_cate)[0] ?? objet.palissy_ref;
  const siecles = splitPalissyList(objet.palissy_scle).join(", ");
  return capitalizeFirst(siecles ? `${base}, ${siecles}` : base);
}

/** Cuts at a word boundary when one is close enough, and ends with an ellipsis. */
export function truncate(text: string, maxLength: number = CARD_TITLE_MAX_LENGTH): string {
  const chars = Array.from(text);
  if (chars.length <= maxLength) return text;
  const head = chars.slice(0, maxLength - 1).join("");
  const lastSpace = head.lastIndexOf(" ");
  const cut = lastSpace >= maxLength * 0.6 ? head.slice(0, lastSpace) : head;
  return `${cut.replace(/[\s,;:.(–—-]+$/u, "")}…`;
}

export type ProtectionFields = { palissy_prot: string | null; palissy_dpro: string | null };
export type Protection = { label: string; date: string | null };

const MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];

/** Palissy dates are "YYYY/MM/DD", "YYYY/MM" or "YYYY"; anything else is shown as written. */
export function formatPalissyDate(value: string): string {
  const match = /^(\d{4})(?:[/-](\d{2})(?:[/-](\d{2}))?)?$/.exec(value.trim());
  if (!match) return value.trim();
  const [, year, month, day] = match;
  const monthName = month ? MOIS[Number(month) - 1] : undefined;
  if (!monthName) return year ?? value;
  if (!day || Number(day) === 0) return `${monthName} ${year}`;
  return `${Number(day) === 1 ? "1er" : String(Number(day))} ${monthName} ${year}`;
}

/**
 * Protection type from PROT, else from the last dated event of DPRO ("2002/12/19 : inscrit au titre objet ;
 * …": only the last event counts, RB §7.6); the date is that event's.
 */
export function protection(objet: ProtectionFields): Protection | null {
  const events = (objet.palissy_dpro ?? "")
    .split(" ; ")
    .map((event) => event.trim())
    .filter((event) => event !== "");
  const last = events.at(-1);
  let eventLabel: string | null = null;
  let date: string | null = null;
  if (last) {
    const separator = last.indexOf(" : ");
    if (separator >= 0) {
      date = formatPalissyDate(last.slice(0, separator));
      eventLabel = presence(last.slice(separator + 3));
    } else {
      eventLabel = last;
    }
  }
  const label = presence(objet.palissy_prot) ?? eventLabel;
  if (!label) return null;
  return { label: capitalizeFirst(label), date };
}

/** RB §2.2 scopes by string matching on PROT: "classé" wins over "inscrit"; declassified values are neither. */
export function protectionScope(prot: string | null | undefined): "classé" | "inscrit" | null {
  const value = (prot ?? "").toLocaleLowerCase("fr-FR");
  if (
    !value ||
    value.includes("déclassé") ||
    value.includes("désinscrit") ||
    value.includes("non protégé") ||
    value.includes("sans protection")
  )
    return null;
  if (value.includes("classé")) return "classé";
  if (value.includes("inscr")) return "inscrit";
  return null;
}

export type LieuFields = {
  palissy_com: string | null;
  palissy_insee: string | null;
  palissy_edif: string | null;
  palissy_depl: string | null;
  palissy_web: string | null;
  palissy_mosa: string | null;
};

export type DeplacementParagraph = { title: "Déplacement" | "Changement de code INSEE"; text: string };

/**
 * WEB and DEPL set: the objet was moved to another commune; only WEB set: the commune changed its INSEE
 * code (merger) and the objet did not move (RB §2.2).
 */
export function deplacementParagraph(objet: LieuFields): DeplacementParagraph | null {
  const web = presence(objet.palissy_web);
  if (!web) return null;
  const edificeOrigine = presence(objet.palissy_edif);
  const origine = [edificeOrigine ? capitalizeFirst(edificeOrigine) : null, presence(objet.palissy_com)].filter(Boolean).join(", ");
  const depl = presence(objet.palissy_depl);
  if (depl) {
    const [edificeActuel] = splitPalissyList(objet.palissy_mosa);
    const destination = [edificeActuel ? capitalizeFirst(edificeActuel) : null, depl].filter(Boolean).join(", ");
    return {
      title: "Déplacement",
      text: `Cet objet a été déplacé.${origine ? ` Lieu d’origine\u00a0: ${origine}.` : ""} Lieu actuel\u00a0: ${destination} (code INSEE ${web}).`,
    };
  }
  const ancien = presence(objet.palissy_insee);
  const changement = ancien && ancien !== web ? `${ancien} est devenu ${web}` : `il est désormais ${web}`;
  return {
    title: "Changement de code INSEE",
    text: `Le code INSEE de la commune d’origine${origine ? ` (${origine})` : ""} a changé\u00a0: ${changement}, par exemple à la suite d’une fusion de communes. L’objet n’a pas été déplacé.`,
  };
}

export function popUrl(palissyRef: string): string {
  return `https://pop.culture.gouv.fr/notice/palissy/${encodeURIComponent(palissyRef)}`;
}

/** "1 objet protégé", "3 objets protégés". */
export function pluralize(count: number, singular: string, plural: string): string {
  return `${count.toLocaleString("fr-FR")}\u00a0${count > 1 ? plural : singular}`;
}

export type Groupable = { edifice_id: number | null; edifice_nom: string | null; lieu_actuel_edifice_nom: string | null };
export type EdificeGroup<T> = { key: string; anchor: string; nom: string; objets: T[] };

/**
 * Groups a commune's objets by édifice (by id; objets with no édifice row by their Palissy building name),
 * biggest groups first, "non renseigné" last, objets by title.
 */
export function groupByEdifice<T extends Groupable & ObjetTitleFields>(objets: T[], communeNom: string): EdificeGroup<T>[] {
  const groups = new Map<string, EdificeGroup<T>>();
  for (const objet of objets) {
    const rawName = objet.edifice_id !== null ? objet.edifice_nom : objet.lieu_actuel_edifice_nom;
    // Every nameless building shows as "Édifice non renseigné": one group, not several identical headings.
    const name = presence(rawName);
    const key = !name ? "sans-nom" : objet.edifice_id !== null ? `e${objet.edifice_id}` : `n:${name.toLocaleLowerCase("fr-FR")}`;
    let group = groups.get(key);
    if (!group) {
      group = { key, anchor: "", nom: edificeDisplayName(rawName, communeNom), objets: [] };
      groups.set(key, group);
    }
    group.objets.push(objet);
  }
  const collator = new Intl.Collator("fr-FR", { sensitivity: "base", numeric: true });
  const unnamed = capitalizeFirst(EDIFICE_NON_RENSEIGNE);
  const sorted = [...groups.values()].sort(
    (a, b) => Number(a.nom === unnamed) - Number(b.nom === unnamed) || b.objets.length - a.objets.length || collator.compare(a.nom, b.nom),
  );
  // Each title computed once, not twice per comparison: a big city sorts about a thousand objets.
  const titles = new Map(objets.map((objet) => [objet, objetTitle(objet)]));
  const titleOf = (objet: T) => titles.get(objet) ?? "";
  return sorted.map((group, index) => ({
    ...group,
    anchor: `edifice-${index + 1}`,
    objets: group.objets.sort((a, b) => collator.compare(titleOf(a), titleOf(b))),
  }));
}

/** Mémoire photos are hot-linked: only absolute https URLs (or our own paths) may reach an <img>. */
export function safeImageUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  return /^https:\/\/[^\s"'<>]+$/.test(url) || /^\/[^/\s]/.test(url) ? url : null;
}
