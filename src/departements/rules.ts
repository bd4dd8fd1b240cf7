import { STATUT_GLOBAL, STATUT_GLOBAL_LABELS, type StatutGlobal } from "../dossier/rules.ts";
import type { CampaignStatus } from "../platform/db/schema.ts";

/**
 * Rules of the département dashboard (RB §5.2–5.4): what the query string of the communes table may ask
 * for (anything else falls back to the defaults, never an error), the activity period, and the texts
 * derived from the figures.
 */

export const COMMUNES_PAR_PAGE = 15;

// ——— Statut global filter ———

/** "a-examiner" (the default) = dossiers sent and not yet fully examined; "tous" = no filter. */
export type FiltreStatut = "a-examiner" | "tous" | `${StatutGlobal}`;

export const FILTRE_STATUT_DEFAUT: FiltreStatut = "a-examiner";

/** Options of the select, in the order of RB §3.6 (most advanced first), after the two groupings. */
export const FILTRES_STATUT: readonly { value: FiltreStatut; label: string; statuts: readonly StatutGlobal[] | null }[] = [
  {
    value: "a-examiner",
    label: "Dossiers à examiner",
    statuts: [STATUT_GLOBAL.aExaminer, STATUT_GLOBAL.aExaminerEnPriorite, STATUT_GLOBAL.enCoursDExamen],
  },
  { value: "tous", label: "Tous les statuts", statuts: null },
  ...([5, 4, 2, 3, 1, 0] as const).map((statut) => ({
    value: `${statut}` as const,
    label: STATUT_GLOBAL_LABELS[statut],
    statuts: [statut],
  })),
];

export function estFiltreStatut(value: unknown): value is FiltreStatut {
  return typeof value === "string" && FILTRES_STATUT.some((f) => f.value === value);
}

/** Statuts global the filter keeps, or null for all. */
export function statutsDuFiltre(filtre: FiltreStatut): readonly StatutGlobal[] | null {
  return FILTRES_STATUT.find((f) => f.value === filtre)?.statuts ?? null;
}

/** DSFR badge modifier of a statut global (RB §3.6 colours: green, orange, blue; grey when nothing was sent). */
export const BADGE_STATUT_GLOBAL: Record<StatutGlobal, string> = {
  0: "",
  1: "fr-badge--new",
  2: "fr-badge--info",
  3: "fr-badge--warning",
  4: "fr-badge--info",
  5: "fr-badge--success",
};

export function libelleStatutGlobal(statut: number): string {
  return STATUT_GLOBAL_LABELS[statut as StatutGlobal] ?? STATUT_GLOBAL_LABELS[0];
}

export function badgeStatutGlobal(statut: number): string {
  return BADGE_STATUT_GLOBAL[statut as StatutGlobal] ?? "";
}

// ——— Sorting ———

export type ColonneTri = "commune" | "objets" | "peril" | "disparus" | "examen" | "activite";
export type Sens = "asc" | "desc";

export const COLONNES_TRI: readonly ColonneTri[] = ["commune", "objets", "peril", "disparus", "examen", "activite"];

/** Direction a column gets on its first click: names A→Z, counts and dates biggest or latest first. */
export const SENS_PREMIER_CLIC: Record<ColonneTri, Sens> = {
  commune: "asc",
  objets: "desc",
  peril: "desc",
  disparus: "desc",
  examen: "asc",
  activite: "desc",
};

/** Stored columns the table sorts on; `activite` is computed by the query. */
export type CleTri = "nom" | "objets_count" | "en_peril_count" | "disparus_count" | "statut_global" | "activite";

/**
 * ORDER BY of a sort: the column, then (for péril and disparus) the other alert count in the same
 * direction, then the name A→Z and the code INSEE so that pages never overlap. The default (péril desc)
 * is RB's order: péril desc, disparus desc, name.
 */
export function ordreSql(tri: ColonneTri, sens: Sens): { cle: CleTri; sens: Sens }[] {
  const premiers: { cle: CleTri; sens: Sens }[] =
    tri === "commune"
      ? [{ cle: "nom", sens }]
      : tri === "objets"
        ? [{ cle: "objets_count", sens }]
        : tri === "peril"
          ? [
              { cle: "en_peril_count", sens },
              { cle: "disparus_count", sens },
            ]
          : tri === "disparus"
            ? [
                { cle: "disparus_count", sens },
                { cle: "en_peril_count", sens },
              ]
            : tri === "examen"
              ? [{ cle: "statut_global", sens }]
              : [{ cle: "activite", sens }];
  return tri === "commune" ? premiers : [...premiers, { cle: "nom", sens: "asc" }];
}

// ——— Query string of the communes table ———

export type FiltresTableau = {
  statut: FiltreStatut;
  /** Whether the statut came from the URL (to remember it) rather than from the session or the default. */
  statutExplicite: boolean;
  q: string;
  tri: ColonneTri;
  sens: Sens;
  /** Whether the sort was asked for (the default sort leaves the URL clean). */
  triExplicite: boolean;
  page: number;
};

const Q_MAX = 100;
const PAGE_MAX = 10_000;

function texte(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/**
 * Reads the table's query string; a missing or malformed parameter takes its default (a hand-edited URL
 * shows the table rather than an error). Without `statut` in the URL, the one remembered in the session applies.
 */
export function lireFiltresTableau(query: unknown, memorise: string | undefined): FiltresTableau {
  const params = (query && typeof query === "object" ? query : {}) as Record<string, unknown>;
  const statutUrl = texte(params.statut);
  const statutExplicite = estFiltreStatut(statutUrl);
  const statut: FiltreStatut = statutExplicite ? statutUrl : estFiltreStatut(memorise) ? memorise : FILTRE_STATUT_DEFAUT;
  const q = (texte(params.q) ?? "").trim().slice(0, Q_MAX);
  const triUrl = texte(params.tri);
  const triExplicite = COLONNES_TRI.includes(triUrl as ColonneTri);
  const tri: ColonneTri = triExplicite ? (triUrl as ColonneTri) : "peril";
  const sensUrl = texte(params.ordre);
  const sens: Sens = sensUrl === "asc" || sensUrl === "desc" ? sensUrl : SENS_PREMIER_CLIC[tri];
  const pageUrl = texte(params.page);
  const page = pageUrl && /^[1-9][0-9]{0,4}$/.test(pageUrl) ? Math.min(Number(pageUrl), PAGE_MAX) : 1;
  return { statut, statutExplicite, q, tri, sens, triExplicite, page };
}

/** The words of a commune name search: letters and digits only, so "saint-anne" looks for "saint" and "anne". */
export function motsRecherche(q: string): string[] {
  return (q.match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
}

/** URL of the table with these filters (defaults left out). */
export function urlTableau(code: string, filtres: Pick<FiltresTableau, "statut" | "q" | "tri" | "sens" | "page" | "triExplicite">): string {
  const params = new URLSearchParams();
  params.set("statut", filtres.statut);
  if (filtres.q) params.set("q", filtres.q);
  if (filtres.triExplicite) {
    params.set("tri", filtres.tri);
    params.set("ordre", filtres.sens);
  }
  if (filtres.page > 1) params.set("page", String(filtres.page));
  return `/conservateurs/departements/${code}?${params.toString()}`;
}

/** Where a column header leads: this column in the other direction when it is the current sort, else its first direction. */
export function triSuivant(courant: Pick<FiltresTableau, "tri" | "sens">, colonne: ColonneTri): Sens {
  if (courant.tri === colonne) return courant.sens === "asc" ? "desc" : "asc";
  return SENS_PREMIER_CLIC[colonne];
}

export function nombreDePages(total: number): number {
  return Math.max(1, Math.ceil(total / COMMUNES_PAR_PAGE));
}

/** Page numbers shown in the pagination: the first, the last and two around the current one; null = an ellipsis. */
export function pagesAffichees(page: number, pages: number): (number | null)[] {
  const shown = new Set([1, pages, page - 2, page - 1, page, page + 1, page + 2].filter((n) => n >= 1 && n <= pages));
  const sorted = [...shown].sort((a, b) => a - b);
  const result: (number | null)[] = [];
  for (const n of sorted) {
    const previous = result.at(-1);
    if (typeof previous === "number" && n > previous + 1) result.push(null);
    result.push(n);
  }
  return result;
}

// ——— Activity period ———

export type Periode = { du: string; au: string };
export type LecturePeriode =
  { ok: true; periode: Periode } | { ok: false; saisie: { du: string; au: string }; erreurs: { du?: string; au?: string } };

const parisDay = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" });

/** Today's date in Paris, as YYYY-MM-DD. */
export function aujourdhuiParis(now: Date = new Date()): string {
  return parisDay.format(now);
}

function ajouterJours(isoDate: string, jours: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + jours);
  return date.toISOString().slice(0, 10);
}

/** Default period (RB §5.3): from the Monday of last week to today, in Paris. */
export function periodeParDefaut(now: Date = new Date()): Periode {
  const au = aujourdhuiParis(now);
  const jour = new Date(`${au}T00:00:00Z`).getUTCDay();
  const depuisLundi = (jour + 6) % 7;
  return { du: ajouterJours(au, -depuisLundi - 7), au };
}

/** A date typed as YYYY-MM-DD (date input) or DD/MM/YYYY (text input without date picker), if it exists. */
export function lireDate(value: string): string | null {
  const trimmed = value.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  const fr = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(trimmed);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : fr ? [fr[3], fr[2], fr[1]] : [];
  if (!year || !month || !day) return null;
  const y = Number(year);
  if (y < 2000 || y > 2100) return null;
  const date = new Date(Date.UTC(y, Number(month) - 1, Number(day)));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) return null;
  return date.toISOString().slice(0, 10);
}

/** Reads `du` and `au`: both absent → the default period; a wrong or inverted date → French messages for the form. */
export function lirePeriode(query: unknown, now: Date = new Date()): LecturePeriode {
  const params = (query && typeof query === "object" ? query : {}) as Record<string, unknown>;
  const defaut = periodeParDefaut(now);
  const brut = { du: params.du, au: params.au };
  if (brut.du === undefined && brut.au === undefined) return { ok: true, periode: defaut };
  const saisie = {
    du: typeof brut.du === "string" ? brut.du.slice(0, 20) : brut.du === undefined ? defaut.du : "",
    au: typeof brut.au === "string" ? brut.au.slice(0, 20) : brut.au === undefined ? defaut.au : "",
  };
  const lire = (valeur: unknown, texte: string, parDefaut: string) =>
    valeur !== undefined && typeof valeur !== "string" ? null : texte.trim() === "" ? parDefaut : lireDate(texte);
  const du = lire(brut.du, saisie.du, defaut.du);
  const au = lire(brut.au, saisie.au, defaut.au);
  const erreurs: { du?: string; au?: string } = {};
  if (du === null) erreurs.du = "La date de début n’est pas une date valide : saisissez-la au format jj/mm/aaaa.";
  if (au === null) erreurs.au = "La date de fin n’est pas une date valide : saisissez-la au format jj/mm/aaaa.";
  if (du !== null && au !== null && du > au) erreurs.au = "La date de fin doit être le même jour que la date de début ou après.";
  if (du === null || au === null || erreurs.au) return { ok: false, saisie, erreurs };
  return { ok: true, periode: { du, au } };
}

const dateLongue = new Intl.DateTimeFormat("fr-FR", { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" });

/** "3 mars 2025" for a YYYY-MM-DD date. */
export function formatJour(isoDate: string): string {
  return dateLongue.format(new Date(`${isoDate}T00:00:00Z`));
}

// ——— Texts ———

export type CampagneEnCours = { status: Exclude<CampaignStatus, "finished">; date_lancement: string } | null;

/** The campaign line of the dashboard (RB §5.3); campaign pages come later, so no link yet. */
export function phraseCampagne(campagne: CampagneEnCours): string {
  if (!campagne) return "Aucune campagne n’est en cours dans ce département.";
  switch (campagne.status) {
    case "ongoing":
      return "Une campagne est en cours dans ce département.";
    case "planned":
      return `Une campagne est planifiée pour commencer le ${formatJour(campagne.date_lancement)}.`;
    case "draft":
      return "Une campagne est en brouillon pour ce département.";
  }
}

/** Whole percentage, 0 when there is nothing to divide by. */
export function pourcentage(partie: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.round((partie / total) * 100));
}

const nombres = new Intl.NumberFormat("fr-FR");

export function nombre(n: number): string {
  return nombres.format(n);
}

/** "1 objet protégé dans 1 commune", "12 objets protégés dans 3 communes". */
export function phraseObjetsProteges(objets: number, communes: number): string {
  const o = objets > 1 ? `${nombre(objets)} objets protégés` : `${objets} objet protégé`;
  const c = communes > 1 ? `${nombre(communes)} communes` : `${communes} commune`;
  return `${o} dans ${c}`;
}
