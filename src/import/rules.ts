/** Pure import rules (IMPORT-NOTES §3–§6, RB §7.6): no I/O, unit-tested one by one. */
import { departementCodeOf } from "../patrimoine/departements-reference.ts";

/** Stable keys of the Palissy scope rules, in the order the reference checks them. */
export const PALISSY_SCOPE_RULES = {
  sans_code_insee: "la notice n’a pas de code INSEE",
  pas_dossier_individuel: "la notice ne correspond pas à un dossier individuel",
  manquant_ou_vole: "l’objet est manquant ou volé",
  en_cours_de_traitement: "la notice est en cours de traitement",
  propriete_de_l_etat: "l’objet est propriété de l’État",
  declasse: "l’objet est déclassé",
} as const;

export type PalissyScopeReason = keyof typeof PALISSY_SCOPE_RULES;

/** The Palissy values the rules look at (cells already trimmed). */
export type PalissyScopeFields = {
  cog_insee: string;
  typologie_du_dossier: string;
  statut_juridique_de_l_objet: string;
  titre_editorial: string;
  statut_juridique_du_proprietaire: string;
  date_et_typologie_de_la_protection: string;
};

const DOSSIERS_INDIVIDUELS = new Set([
  "dossier individuel",
  "dossier avec sous-dossier",
  "individuel",
  "dossier indiviuel",
  "dossier avec sous-dossiers",
]);
const STATUTS_MANQUANT = new Set(["manquant", "volé"]);
// Exact elements, ASCII apostrophe and no accent, as the reference compares them.
const PROPRIETAIRES_ETAT = new Set(["propriété de l'Etat", "propriété de l'Etat (?)"]);

/** Every failed scope rule, in rule order; empty means the row is in scope. */
export function palissyScopeReasons(row: PalissyScopeFields): PalissyScopeReason[] {
  const reasons: PalissyScopeReason[] = [];
  if (row.cog_insee.trim() === "") reasons.push("sans_code_insee");
  if (!DOSSIERS_INDIVIDUELS.has(row.typologie_du_dossier)) reasons.push("pas_dossier_individuel");
  if (STATUTS_MANQUANT.has(row.statut_juridique_de_l_objet)) reasons.push("manquant_ou_vole");
  if (row.titre_editorial === "Traitement en cours") reasons.push("en_cours_de_traitement");
  if (row.statut_juridique_du_proprietaire.split(";").some((statut) => PROPRIETAIRES_ETAT.has(statut))) {
    reasons.push("propriete_de_l_etat");
  }
  // Only the most recent event counts, and the reference takes the last one as the most recent.
  const lastProtection = row.date_et_typologie_de_la_protection.split(";").at(-1) ?? "";
  if (lastProtection.includes("déclassé")) reasons.push("declasse");
  return reasons;
}

/** The messages stored in `recensements.deleted_message` when an objet leaves the scope. */
export function scopeMessage(reasons: readonly PalissyScopeReason[]): string {
  return reasons.map((reason) => PALISSY_SCOPE_RULES[reason]).join(", ");
}

const MERIMEE_REF = /PA[A-B0-9]{2}\d{6}/;

/** First Mérimée REF in a cell (a POP URL or a bare REF); Inventaire `IA…` refs are ignored. */
export function extractMerimeeRef(value: string): string | null {
  return MERIMEE_REF.exec(value)?.[0] ?? null;
}

/** First code of a `code1,code2` cell, or "" when blank. */
export function firstCodeInsee(value: string): string {
  return (value.split(",")[0] ?? "").trim();
}

const CODE_INSEE = /^[0-9][0-9AB][0-9]{3}$/;

export function isValidCodeInsee(code: string): boolean {
  return CODE_INSEE.test(code);
}

/** Département of a commune: null unless the code has 5 characters; 3 characters overseas (97…). */
export function departementFromCodeInsee(code: string): string | null {
  if (code.length !== 5) return null;
  return departementCodeOf(code);
}

export type LieuActuelFields = {
  cog_insee: string;
  nom_de_l_edifice: string;
  reference_a_une_notice_merimee_mh: string;
  code_insee_commune_actuelle: string;
  lieu_de_deplacement_de_l_objet: string;
  edifice_actuel: string;
};

export type LieuActuel = {
  /** Which case of the table applied: unchanged, commune code changed, or moved to another commune. */
  cas: "origine" | "changement_de_code" | "deplacement";
  code_insee: string | null;
  departement_code: string | null;
  edifice_nom: string | null;
  edifice_ref: string | null;
};

function presence(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

/** Current location of an objet from INSEE, WEB, DEPL and MOSA (IMPORT-NOTES §4 table). */
export function lieuActuel(row: LieuActuelFields): LieuActuel {
  const web = presence(firstCodeInsee(row.code_insee_commune_actuelle));
  const deplacement = presence(row.lieu_de_deplacement_de_l_objet);
  const origine = { edifice_nom: presence(row.nom_de_l_edifice), edifice_ref: extractMerimeeRef(row.reference_a_une_notice_merimee_mh) };
  let cas: LieuActuel["cas"];
  let code: string | null;
  let edifice: { edifice_nom: string | null; edifice_ref: string | null };
  if (web === null) {
    cas = "origine";
    code = presence(firstCodeInsee(row.cog_insee));
    edifice = origine;
  } else if (deplacement === null) {
    cas = "changement_de_code";
    code = web;
    edifice = origine;
  } else {
    cas = "deplacement";
    code = web;
    const [nom = "", ref = ""] = row.edifice_actuel.split(";").map((part) => part.trim());
    edifice = { edifice_nom: presence(nom), edifice_ref: extractMerimeeRef(ref) };
  }
  return { cas, code_insee: code, departement_code: code === null ? null : departementFromCodeInsee(code), ...edifice };
}

const LIGATURES: Record<string, string> = { œ: "oe", Œ: "OE", æ: "ae", Æ: "AE", ß: "ss", ø: "o", Ø: "O", đ: "d", ł: "l", Ł: "L" };
const SLUG_FILLERS = ["le", "la", "l", "de", "d", "du", "paroissiale", "et"];

/** Rails `parameterize`: ASCII transliteration, runs of other characters become one `-`, lower case. */
export function parameterize(value: string): string {
  return value
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[œŒæÆßøØđłŁ]/g, (c) => LIGATURES[c] ?? c)
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-|-$/g, "");
}

/**
 * `Edifice.slug_for`: spelling variants of the same building share a slug within a commune.
 * Each filler word is removed once per pass, in this order, without overlapping matches (Ruby gsub).
 */
export function edificeSlug(nom: string | null): string {
  let slug = parameterize(nom ?? "");
  for (const filler of SLUG_FILLERS) slug = slug.replaceAll(`-${filler}-`, "-");
  return slug;
}

// --- Annuaire (IMPORT-NOTES §6) ---

export const ANNUAIRE_SCOPE_RULES = {
  sans_code_insee: "code INSEE absent",
  code_insee_invalide: "code INSEE invalide ou département inconnu",
  pas_une_mairie: "le premier pivot n’est pas une mairie",
  pas_une_mairie_principale: "pas une mairie principale",
  plusieurs_mairies_principales: "plusieurs mairies principales pour ce code INSEE",
  sans_objet: "aucun objet en base pour ce code INSEE",
} as const;

export type AnnuaireScopeReason = keyof typeof ANNUAIRE_SCOPE_RULES;

const MAIRIES_SECONDAIRES = [/Mairi(e|é) (déléguée|annexe)/i, / - (annexe|antenne) /i, /bureau annexe/i];

export function isMairiePrincipale(nom: string): boolean {
  return !MAIRIES_SECONDAIRES.some((pattern) => pattern.test(nom));
}

/** `[{"type_service_local": "mairie", …}]`: only the first pivot counts (Saint-Barthélemy lists `cg` first). */
export function firstPivotIsMairie(pivot: unknown): boolean {
  return Array.isArray(pivot) && (pivot[0] as { type_service_local?: unknown } | undefined)?.type_service_local === "mairie";
}

/** Row-level annuaire scope (the per-code and per-objet rules need the whole file and the database). */
export function annuaireRowScope(row: { code_insee_commune: string; nom: string; pivot: unknown }): AnnuaireScopeReason | null {
  if (row.code_insee_commune.trim() === "") return "sans_code_insee";
  if (!firstPivotIsMairie(row.pivot)) return "pas_une_mairie";
  if (!isMairiePrincipale(row.nom)) return "pas_une_mairie_principale";
  return null;
}

/** "Mairie - Campan" → "Campan". */
export function communeNomFromMairie(nom: string): string {
  return nom.replace(/^Mairie - ?/, "").trim();
}

/** First `valeur` of the telephone JSON; blank and the placeholder "f" mean no phone. */
export function phoneFromTelephone(telephone: unknown): string | null {
  if (!Array.isArray(telephone)) return null;
  const valeur = (telephone[0] as { valeur?: unknown } | undefined)?.valeur;
  if (typeof valeur !== "string") return null;
  const trimmed = valeur.trim();
  return trimmed === "" || trimmed === "f" ? null : trimmed;
}

/** First address of a `;`-joined cell. */
export function firstEmail(adresseCourriel: string): string | null {
  const first = (adresseCourriel.split(";")[0] ?? "").trim();
  return first === "" ? null : first;
}

/** First address of the `adresse` JSON with usable coordinates. */
export function coordinatesFromAdresse(adresse: unknown): { latitude: number; longitude: number } | null {
  if (!Array.isArray(adresse)) return null;
  for (const entry of adresse as { latitude?: unknown; longitude?: unknown }[]) {
    const latitude = toNumber(entry?.latitude);
    const longitude = toNumber(entry?.longitude);
    if (latitude === null || longitude === null) continue;
    if (Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180) return { latitude, longitude };
  }
  return null;
}

function toNumber(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value !== "string" || value.trim() === "") return null;
  const parsed = Number(value.trim().replace(",", "."));
  return Number.isFinite(parsed) ? parsed : null;
}

/** JSON kept as text in a CSV cell; blank or broken JSON gives null. */
export function parseJsonCell(value: string): unknown {
  if (value.trim() === "") return null;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}

// --- Mémoire (IMPORT-NOTES §7) ---

export const DEFAULT_MEMOIRE_PHOTOS_BASE_URL = "https://popcorn-prd-perf-assets.s3.gra.io.cloud.ovh.net";

/** Full photo URL: one slash between base and relative path (the reference doubled it). */
export function memoirePhotoUrl(baseUrl: string, relative: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/${relative.trim().replace(/^\/+/, "")}`;
}
