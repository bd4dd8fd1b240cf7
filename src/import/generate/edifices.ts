import type { Commune } from "./geography.ts";
import { createRandom, deriveSeed, type Random } from "./random.ts";
import { capitalize, TYPES_EDIFICE, VOCABLES } from "./vocabulary.ts";

export type Edifice = {
  /** `${code_insee}#${index}`: one édifice of one commune, whatever the spelling of its name. */
  key: string;
  codeInsee: string;
  nom: string;
  merimeeRef: string | undefined;
  /** Whether `église paroissiale …` is a spelling of this name that keeps its slug. */
  paroissiale: boolean;
};

const MAX_EDIFICES_PER_COMMUNE = 30;
/** Share of édifices with a Mérimée notice (IMPORT-NOTES §11: ~35%). */
const MERIMEE_SHARE = 0.35;

/**
 * The édifices of a commune, a pure function of (seed, commune, number of objets planned there), so that a
 * commune reached by a moved objet gets the same list whichever row asks first.
 */
export function edificesOf(seed: number, commune: Commune, objets: number): Edifice[] {
  const random = createRandom(deriveSeed(seed, "edifices", commune.code));
  const count = Math.min(MAX_EDIFICES_PER_COMMUNE, 1 + random.poisson(0.6 + Math.log2(1 + objets / 25)));
  const names = new Set<string>();
  const edifices: Edifice[] = [];
  for (let attempt = 0; edifices.length < count && attempt < count * 20; attempt++) {
    const [prefix, dedicated] = random.weighted(TYPES_EDIFICE);
    const nom = dedicated ? `${prefix} ${random.pick(VOCABLES)}` : prefix;
    if (names.has(nom)) continue;
    names.add(nom);
    const index = edifices.length;
    edifices.push({
      key: `${commune.code}#${index}`,
      codeInsee: commune.code,
      nom,
      merimeeRef: random.chance(MERIMEE_SHARE) ? merimeeRef(commune, index) : undefined,
      paroissiale: prefix === "église",
    });
  }
  return edifices;
}

/**
 * `PA` + département + 6 digits, unique by construction: the commune's rank in its département and the
 * édifice's index (overseas, the third character of the département takes one digit of the rank).
 */
function merimeeRef(commune: Commune, index: number): string {
  const departement = commune.departement;
  const rank = String(commune.rang).padStart(departement.length === 3 ? 3 : 4, "0");
  return `PA${departement}${rank}${String(index).padStart(2, "0")}`;
}

/** Filler Mérimée notices (buildings with no protected objet) use the 9xxxxx range, never built above. */
export function fillerMerimeeRef(departement: string, sequence: number): string {
  return `PA${departement}9${String(sequence).padStart(departement.length === 3 ? 4 : 5, "0")}`;
}

/**
 * Another spelling of an édifice name that gives the same slug (IMPORT-NOTES §4): capitalised, without
 * accents and hyphens, in capitals, or with "paroissiale".
 */
export function spellingVariant(edifice: Edifice, random: Random): string {
  const variants = [
    capitalize(edifice.nom),
    withoutAccents(edifice.nom).replaceAll("-", " "),
    edifice.nom.toUpperCase(),
    `${edifice.nom}  `,
  ];
  if (edifice.paroissiale) variants.push(edifice.nom.replace(/^église /, "église paroissiale "));
  return random.pick(variants);
}

export function withoutAccents(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}
