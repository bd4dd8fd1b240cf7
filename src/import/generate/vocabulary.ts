import type { Random } from "./random.ts";

/** (DENO, CATE, MATR) triples with their weight, close to the mix of the real Palissy objets. */
export const TYPES_OBJET: readonly (readonly [readonly [string, string, string], number])[] = [
  [["tableau", "peinture", "toile : peinture à l'huile"], 22],
  [["statue", "sculpture", "bois : taillé, peint, doré"], 16],
  [["cloche", "fonderie", "bronze : fondu"], 9],
  [["calice;patène", "orfèvrerie", "argent : repoussé, ciselé, doré"], 7],
  [["autel;retable;tabernacle", "menuiserie;sculpture", "bois : taillé, peint, doré;marbre"], 6],
  [["verrière", "vitrail", "verre transparent (coloré) : peint, grisaille sur verre"], 6],
  [["orgue", "facture instrumentale", "bois;étain"], 3],
  [["chasuble;étole;manipule", "textile", "soie : damassé, brodé;fil métallique"], 5],
  [["chaire à prêcher", "menuiserie;sculpture", "chêne : taillé"], 4],
  [["fonts baptismaux", "sculpture", "pierre calcaire : taillé"], 3],
  [["croix de procession", "orfèvrerie", "cuivre : repoussé, doré"], 3],
  [["bas-relief", "sculpture", "pierre : taillé, peint"], 3],
  [["stalle (12)", "menuiserie", "chêne : taillé"], 2],
  [["lustre", "dinanderie", "bronze;cristal"], 2],
  [["bannière de procession", "textile;peinture", "soie : peint, brodé"], 2],
  [["reliquaire", "orfèvrerie", "argent;cuivre : doré"], 2],
  [["confessionnal", "menuiserie", "chêne : taillé, mouluré"], 2],
  [["dalle funéraire", "sculpture", "pierre : gravé"], 2],
  [["horloge", "horlogerie", "fer forgé;laiton"], 1],
];

export const SUJETS = [
  "Vierge à l'Enfant",
  "Crucifixion",
  "Assomption de la Vierge",
  "saint Jean-Baptiste",
  "saint Roch",
  "sainte Barbe",
  "Descente de croix",
  "Adoration des bergers",
  "saint Martin partageant son manteau",
  "Christ en croix",
  "Pietà",
  "saint Sébastien",
  "Éducation de la Vierge",
  "Annonciation",
  "saint Éloi",
  "Mise au tombeau",
  "Donation du Rosaire",
  "saint Nicolas",
  "Pentecôte",
  "Cène",
];

export const EMPLACEMENTS = [
  "choeur",
  "nef",
  "chapelle nord",
  "chapelle sud",
  "bas-côté",
  "sacristie",
  "baie 4",
  "clocher",
  "tribune",
  "transept",
];

export const AUTEURS = [
  "auteur inconnu",
  "Bollée (fondeur)",
  "Cavaillé-Coll Aristide (facteur d'orgues)",
  "Lorin Nicolas (maître verrier)",
  "Dubois Jean (sculpteur)",
  "Valentin (peintre)",
  "atelier des Ateliers réunis",
];

/** Dedication of an édifice (`église Saint-Jean`); kept distinct after slugging so names never collide. */
export const VOCABLES = [
  "Saint-Martin",
  "Notre-Dame",
  "Saint-Pierre",
  "Saint-Jean-Baptiste",
  "Saint-Étienne",
  "Saint-Germain",
  "Saint-Rémi",
  "Saint-Laurent",
  "Saint-Nicolas",
  "Sainte-Madeleine",
  "Saint-Maurice",
  "Saint-Denis",
  "Saint-Hilaire",
  "Saint-Médard",
  "Saint-Sulpice",
  "Saint-Michel",
  "Saint-Barthélemy",
  "Notre-Dame-de-l'Assomption",
  "Notre-Dame-de-la-Nativité",
  "Saint-Symphorien",
  "Saint-Vincent",
  "Sainte-Croix",
  "Saint-Louvent",
  "Saint-Éloi",
  "Sainte-Anne",
  "Saint-Roch",
  "Saint-Georges",
  "Saint-Gervais-et-Saint-Protais",
  "Saint-Léger",
  "Saint-Christophe",
  "Saint-Aignan",
  "Saint-Loup",
  "Notre-Dame-des-Anges",
  "Saint-Firmin",
  "Saint-Quentin",
  "Saint-Brice",
  "Saint-Amand",
  "Sainte-Foy",
  "Saint-Julien",
  "Saint-Sauveur",
];

/** Kinds of édifice: name prefix, weight, and whether it takes a dedication. */
export const TYPES_EDIFICE: readonly (readonly [readonly [string, boolean], number])[] = [
  [["église", true], 70],
  [["chapelle", true], 18],
  [["cathédrale", true], 1],
  [["basilique", true], 1],
  [["prieuré", true], 2],
  [["mairie", false], 3],
  [["musée municipal", false], 2],
  [["hôpital", false], 1],
  [["hôtel de ville", false], 1],
  [["presbytère", false], 1],
];

const INTRODUCTIONS = [
  "Objet mentionné dans l'inventaire dressé en 1906 lors de la séparation des Églises et de l'État",
  "Oeuvre provenant, selon la tradition locale, de l'ancienne abbaye voisine",
  "Don d'une confrérie de la paroisse au 18e siècle",
  "Commande de la fabrique, payée sur les revenus de la dîme",
  "Offert par une famille de notables du bourg",
  "Acquis par la commune lors d'une vente publique",
];
const EVENEMENTS = [
  "restauré en 1957 par l'atelier régional",
  "déposé pendant la Seconde Guerre mondiale puis remis en place en 1946",
  "nettoyé et consolidé en 1988",
  "repeint au 19e siècle, la polychromie d'origine a été dégagée en 2004",
  "signalé en mauvais état lors du récolement de 2001",
  "exposé au musée départemental de 1972 à 1975",
  "volé en 1978 et retrouvé chez un antiquaire en 1981",
];
const DETAILS = [
  'inscription peinte au revers : "fait par moy"',
  "armoiries du donateur ; date partiellement effacée",
  "signature ; cachet de cire",
  "deux anges adorateurs ; guirlandes de fleurs",
  "cadre doré à décor de feuilles d'acanthe ; cartouche",
  "marque de l'orfèvre : poinçon de maître ; poinçon de décharge",
  'dédicace latine "ora pro nobis"',
];
const DESCRIPTIONS = [
  "Le décor est organisé en registres superposés",
  "La composition s'inscrit dans un cadre cintré",
  "L'ensemble repose sur un socle mouluré",
  "Le revers est sommairement travaillé",
  "Les couleurs sont ravivées par des rehauts d'or",
  "Plusieurs éléments ont été remplacés lors d'une restauration ancienne",
  "La facture est soignée et témoigne d'un atelier urbain",
  "Le personnage principal est représenté debout, la tête légèrement inclinée",
];

/**
 * Free text of the size of the real Historique/Description cells. Some cells hold `;` and `"`, and
 * `lineBreak` splits the text in two paragraphs, so the CSV has quoted and multi-line cells.
 */
export function historique(random: Random, lineBreak: boolean): string {
  const parts = [`${random.pick(INTRODUCTIONS)} ; ${random.pick(EVENEMENTS)}.`];
  const sentences = random.int(1, 4);
  for (let i = 0; i < sentences; i++) parts.push(`${capitalize(random.pick(EVENEMENTS))} (${random.pick(DETAILS)}).`);
  return lineBreak ? `${parts[0]}\n${parts.slice(1).join(" ")}` : parts.join(" ");
}

export function description(random: Random): string {
  const parts: string[] = [];
  const sentences = random.int(1, 4);
  for (let i = 0; i < sentences; i++) parts.push(`${random.pick(DESCRIPTIONS)}.`);
  return parts.join(" ");
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
