import type { EtatSanitaire, Securisation } from "../platform/db/schema.ts";

/**
 * Pure rules of the analysis tab and of the national figures (issue 10): reading Palissy's free-text
 * fields, week buckets, the récolement coverage and the CSV files.
 */

/** An objet counts as seen when it was recensed or récolé in the last this-many years. */
export const ANNEES_COUVERTURE = 5;
/** Age past which the kept analysis figures are recomputed (in the background, see cachedStale). */
export const ANALYSE_TTL_MS = 5 * 60_000;
export const OBJETS_NON_VUS_PAR_PAGE = 20;
/** Weeks shown in the progress chart and table; earlier events still count in the running totals. */
export const SEMAINES_AFFICHEES = 26;
export const EDIFICES_AFFICHES = 15;
/** Palissy's récolement dates before this year are not plausible for a date du récolement. */
export const PREMIERE_ANNEE_RECOLEMENT = 1900;

// ——— Siècles and catégories ———

/** Every century named in `palissy_scle` ("1er quart 17e siècle;18e siècle" → [17, 18]), sorted, without repeats. */
export function sieclesDe(scle: string | null): number[] {
  if (!scle) return [];
  const siecles = new Set<number>();
  for (const match of scle.matchAll(/(\d{1,2})\s*(?:e|er|ème|eme)\s+si[eè]cle/giu)) {
    const siecle = Number(match[1]);
    if (siecle >= 1 && siecle <= 21) siecles.add(siecle);
  }
  return [...siecles].sort((a, b) => a - b);
}

/**
 * The century an objet is counted under: the earliest one named. An objet made over two centuries is counted
 * once, so the rows of the "par siècle" table add up to the number of objets recensés.
 */
export function siecleRetenu(scle: string | null): number | null {
  return sieclesDe(scle)[0] ?? null;
}

export function libelleSiecle(siecle: number | null): string {
  if (siecle === null) return "Siècle non renseigné";
  return `${siecle}${siecle === 1 ? "er" : "e"} siècle`;
}

/**
 * The catégories of `palissy_cate` ("menuiserie ; Sculpture" → ["menuiserie", "sculpture"]). An objet with
 * several catégories counts in each of them: the "par catégorie" rows may add up to more than the objets.
 */
export function categoriesDe(cate: string | null): string[] {
  if (!cate) return [];
  const categories = cate
    .split(";")
    .map((part) => part.trim().toLocaleLowerCase("fr-FR"))
    .filter((part) => part.length > 0);
  return [...new Set(categories)];
}

export const CATEGORIE_NON_RENSEIGNEE = "catégorie non renseignée";

// ——— Condition and security of the recensed objets ———

/** What the retained recensement says about an objet: its état sanitaire, or why there is none. */
export type ClasseEtat = EtatSanitaire | "non_recensable" | "disparu" | "inconnu";
export const CLASSES_ETAT: readonly ClasseEtat[] = ["bon", "moyen", "mauvais", "peril", "non_recensable", "disparu", "inconnu"];
export const CLASSE_ETAT_LABELS: Record<ClasseEtat, string> = {
  bon: "Bon état",
  moyen: "État moyen",
  mauvais: "Mauvais état",
  peril: "En péril",
  non_recensable: "Non recensable",
  disparu: "Disparu",
  inconnu: "État non renseigné",
};

export type ClasseSecurite = Securisation | "inconnu";
export const CLASSES_SECURITE: readonly ClasseSecurite[] = ["en_securite", "en_danger", "inconnu"];
export const CLASSE_SECURITE_LABELS: Record<ClasseSecurite, string> = {
  en_securite: "En sécurité",
  en_danger: "Facile à voler",
  inconnu: "Non renseigné",
};

export type Repartition = { etats: Record<ClasseEtat, number>; securite: Record<ClasseSecurite, number>; total: number };

export function repartitionVide(): Repartition {
  return {
    etats: { bon: 0, moyen: 0, mauvais: 0, peril: 0, non_recensable: 0, disparu: 0, inconnu: 0 },
    securite: { en_securite: 0, en_danger: 0, inconnu: 0 },
    total: 0,
  };
}

/** One grouped row of the SQL: how many recensed objets have this état and security (security is null for a disparu or non recensable objet). */
export type LigneRepartition = { etat: ClasseEtat; securite: Securisation | null; n: number };

export function ajouterALaRepartition(repartition: Repartition, ligne: LigneRepartition): void {
  repartition.etats[ligne.etat] += ligne.n;
  if (ligne.etat !== "disparu" && ligne.etat !== "non_recensable") repartition.securite[ligne.securite ?? "inconnu"] += ligne.n;
  repartition.total += ligne.n;
}

/**
 * Regroups rows grouped by a raw Palissy value (catégorie or siècle text) under the keys the rule derives
 * from it; sorted by number of objets, largest first, then by key.
 */
export function regrouperRepartitions<R extends LigneRepartition & { valeur: string | null }>(
  lignes: readonly R[],
  cles: (valeur: string | null) => readonly string[],
): { cle: string; repartition: Repartition }[] {
  const parCle = new Map<string, Repartition>();
  for (const ligne of lignes) {
    for (const cle of cles(ligne.valeur)) {
      let repartition = parCle.get(cle);
      if (!repartition) {
        repartition = repartitionVide();
        parCle.set(cle, repartition);
      }
      ajouterALaRepartition(repartition, ligne);
    }
  }
  return [...parCle.entries()]
    .map(([cle, repartition]) => ({ cle, repartition }))
    .sort((a, b) => b.repartition.total - a.repartition.total || a.cle.localeCompare(b.cle, "fr"));
}

export function clesCategorie(cate: string | null): string[] {
  const categories = categoriesDe(cate);
  return categories.length > 0 ? categories : [CATEGORIE_NON_RENSEIGNEE];
}

/** Siècles sort by century (unknown last), not by size: keys are zero-padded numbers, "zz" for unknown. */
export function cleSiecle(scle: string | null): string[] {
  const siecle = siecleRetenu(scle);
  return [siecle === null ? "zz" : String(siecle).padStart(2, "0")];
}

export function siecleDeCle(cle: string): number | null {
  return cle === "zz" ? null : Number(cle);
}

// ——— Récolement coverage ———

/**
 * The latest plausible year in Palissy's date du récolement ("2007/03/15", "récolé en 1998 puis en 2021"): of
 * the first and the last 4-digit numbers standing alone, those from 1900 to the current year, the latest.
 * Typos such as "20022" or "2202" are ignored. The same rule is the SQL function palissy_annee_recolement
 * (migration 0014), which reads only the first and last numbers to stay a single inlinable expression.
 */
export function anneeRecolement(denq: string | null, anneeCourante: number): number | null {
  if (!denq) return null;
  const nombres = [...denq.matchAll(/(?:^|\D)(\d{4})(?!\d)/gu)].map((match) => Number(match[1]));
  const plausibles = [nombres[0], nombres.at(-1)].filter(
    (annee): annee is number => annee !== undefined && annee >= PREMIERE_ANNEE_RECOLEMENT && annee <= anneeCourante,
  );
  return plausibles.length > 0 ? Math.max(...plausibles) : null;
}

/** Seen in the last 5 years: a recensement completed on this platform since `depuis`, or a Palissy récolement year from (current year − 5). */
export function estVuRecemment(objet: { dernier_recensement: Date | null; palissy_denq: string | null }, maintenant: Date): boolean {
  const anneeCourante = anneeDeParis(maintenant);
  const depuis = debutCouverture(maintenant);
  if (objet.dernier_recensement && objet.dernier_recensement >= depuis) return true;
  const annee = anneeRecolement(objet.palissy_denq, anneeCourante);
  return annee !== null && annee >= anneeCourante - ANNEES_COUVERTURE;
}

export function debutCouverture(maintenant: Date): Date {
  const depuis = new Date(maintenant);
  depuis.setUTCFullYear(depuis.getUTCFullYear() - ANNEES_COUVERTURE);
  return depuis;
}

// Formatters are built once: creating an Intl object costs more than formatting hundreds of numbers with it.
const ANNEE_DE_PARIS = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", year: "numeric" });
const JOUR_DE_PARIS = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Paris" });
const NOMBRE = new Intl.NumberFormat("fr-FR");
const POURCENT = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });

export function anneeDeParis(date: Date): number {
  return Number(ANNEE_DE_PARIS.format(date));
}

/** 12345 → "12 345" (French grouping). */
export function formatNombre(valeur: number): string {
  return NOMBRE.format(valeur);
}

/** A share already in percent, to one decimal: 12.345 → "12,3 %". */
export function formatPourcent(valeur: number): string {
  return `${POURCENT.format(valeur)}\u00a0%`;
}

export function pourcentage(part: number, total: number): number | null {
  return total === 0 ? null : (part * 100) / total;
}

export function formatPourcentage(part: number, total: number): string {
  const value = pourcentage(part, total);
  return value === null ? "–" : formatPourcent(value);
}

// ——— Weeks ———

/** Monday of the week of a 'YYYY-MM-DD' date. */
export function lundiDe(jour: string): string {
  const date = new Date(`${jour}T00:00:00Z`);
  const decalage = (date.getUTCDay() + 6) % 7;
  date.setUTCDate(date.getUTCDate() - decalage);
  return date.toISOString().slice(0, 10);
}

export function ajouterJours(jour: string, jours: number): string {
  const date = new Date(`${jour}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + jours);
  return date.toISOString().slice(0, 10);
}

export function jourDeParis(date: Date): string {
  return JOUR_DE_PARIS.format(date);
}

export type EtapeProgression = "contactees" | "commencees" | "envoyees" | "examinees";
export const ETAPES_PROGRESSION: readonly EtapeProgression[] = ["contactees", "commencees", "envoyees", "examinees"];
export const ETAPE_PROGRESSION_LABELS: Record<EtapeProgression, string> = {
  contactees: "Communes contactées",
  commencees: "Recensement commencé",
  envoyees: "Dossier envoyé",
  examinees: "Dossier examiné",
};

export type SemaineProgression = { semaine: string } & Record<EtapeProgression, number>;

/**
 * Running totals week by week: `lignes` hold, per étape and week (its Monday), the communes that reached the
 * étape that week for the first time. Returns the last `semaines` weeks up to the week of `aujourdhui`, each
 * with the communes that had reached each étape by the end of the week (earlier weeks included).
 */
export function cumulerParSemaine(
  lignes: readonly { etape: EtapeProgression; semaine: string; n: number }[],
  aujourdhui: string,
  semaines: number = SEMAINES_AFFICHEES,
): SemaineProgression[] {
  const derniere = lundiDe(aujourdhui);
  const premiere = ajouterJours(derniere, -7 * (semaines - 1));
  const totaux: Record<EtapeProgression, number> = { contactees: 0, commencees: 0, envoyees: 0, examinees: 0 };
  const parSemaine = new Map<string, Record<EtapeProgression, number>>();
  for (const ligne of lignes) {
    const semaine = lundiDe(ligne.semaine);
    if (semaine < premiere) {
      totaux[ligne.etape] += ligne.n;
      continue;
    }
    if (semaine > derniere) continue;
    const compte = parSemaine.get(semaine) ?? { contactees: 0, commencees: 0, envoyees: 0, examinees: 0 };
    compte[ligne.etape] += ligne.n;
    parSemaine.set(semaine, compte);
  }
  const resultat: SemaineProgression[] = [];
  for (let semaine = premiere; semaine <= derniere; semaine = ajouterJours(semaine, 7)) {
    const compte = parSemaine.get(semaine);
    if (compte) for (const etape of ETAPES_PROGRESSION) totaux[etape] += compte[etape];
    resultat.push({ semaine, ...totaux });
  }
  return resultat;
}

export function formatJour(jour: string): string {
  const [annee, mois, j] = jour.split("-");
  return `${j}/${mois}/${annee}`;
}

// ——— Pagination ———

export function lirePage(query: unknown): number {
  const raw = (query as Record<string, unknown> | undefined)?.page;
  const page = typeof raw === "string" && /^\d{1,6}$/.test(raw) ? Number(raw) : 1;
  return Math.max(1, page);
}

// ——— CSV ———

export type CelluleCsv = string | number | null;

function celluleCsv(valeur: CelluleCsv): string {
  if (valeur === null) return "";
  const texte = typeof valeur === "number" ? (Number.isInteger(valeur) ? String(valeur) : valeur.toFixed(1).replace(".", ",")) : valeur;
  return /[";\r\n]/.test(texte) ? `"${texte.replace(/"/g, '""')}"` : texte;
}

/** A CSV file as French spreadsheets open it: UTF-8 with a BOM, `;` separators, CRLF line ends, decimal commas. */
export function formatCsv(entetes: readonly string[], lignes: readonly (readonly CelluleCsv[])[]): string {
  const texte = [entetes, ...lignes].map((ligne) => ligne.map(celluleCsv).join(";")).join("\r\n");
  return `\uFEFF${texte}\r\n`;
}
