import type { Analyse, ObjetNonVu } from "./repository.ts";
import {
  tableauCampagnes,
  tableauCategories,
  tableauCouverture,
  tableauEdifices,
  tableauEtats,
  tableauObjetsNonVus,
  tableauProgression,
  tableauSecurite,
  tableauSiecles,
  type Tableau,
} from "./tableaux.ts";

/** The CSV downloads, one fixed URL per name (…/analyse/<nom>.csv and /stats/<nom>.csv). */
export const FICHIERS_CSV = ["etats", "securite", "categories", "siecles", "edifices", "progression", "campagnes", "couverture"] as const;
export type FichierCsv = (typeof FICHIERS_CSV)[number];

/**
 * The table a CSV file holds. "couverture" is, for a département, every objet with when it was last seen
 * (`objetsNonVus`); for the country, the coverage of each département.
 */
export function tableauDuFichier(
  nom: FichierCsv,
  analyse: Analyse,
  options: { national: boolean; nomsDepartements: ReadonlyMap<string, string>; objetsNonVus?: readonly ObjetNonVu[] },
): Tableau {
  switch (nom) {
    case "etats":
      return tableauEtats(analyse.etats);
    case "securite":
      return tableauSecurite(analyse.etats);
    case "categories":
      return tableauCategories(analyse.etats);
    case "siecles":
      return tableauSiecles(analyse.etats);
    case "edifices":
      return tableauEdifices(analyse.etats.parEdifice);
    case "progression":
      return tableauProgression(analyse.progression);
    case "campagnes":
      return tableauCampagnes(analyse.progression, options.national);
    case "couverture":
      return options.objetsNonVus && !options.national
        ? tableauObjetsNonVus(options.objetsNonVus)
        : tableauCouverture(analyse.couvertures, analyse.couverture, options.nomsDepartements);
  }
}

export function nomDeFichier(prefixe: string, nom: FichierCsv): string {
  return `${prefixe}-${nom}.csv`;
}
