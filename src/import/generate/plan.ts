import type { Commune, Geography } from "./geography.ts";
import { createRandom, deriveSeed, shuffle } from "./random.ts";

/** Palissy rows at scale 1: the size of the real export. */
const PALISSY_ROWS_AT_SCALE_1 = 300_000;
/** Share of communes that hold at least one protected objet (≈20k of 35k). */
const COMMUNES_WITH_OBJETS_SHARE = 0.57;
const MAX_OBJETS_PER_COMMUNE = 3_000;

/**
 * What each Palissy row is meant to exercise. The out-of-scope kinds fail exactly one scope rule each
 * (IMPORT-NOTES §3); the others are in scope. Rates follow IMPORT-NOTES §11, ≈17% out of scope in all.
 */
export const ROW_KINDS = [
  { kind: "courant", rate: 0, inScope: true },
  { kind: "sans_code_insee", rate: 0.005, inScope: false },
  { kind: "pas_dossier_individuel", rate: 0.083, inScope: false },
  { kind: "manquant_ou_vole", rate: 0.01, inScope: false },
  { kind: "en_cours_de_traitement", rate: 0.002, inScope: false },
  { kind: "propriete_de_l_etat", rate: 0.05, inScope: false },
  { kind: "declasse", rate: 0.02, inScope: false },
  { kind: "dossier_orthographe_acceptee", rate: 0.005, inScope: true },
  { kind: "commune_fusionnee", rate: 0.025, inScope: true },
  { kind: "deplace", rate: 0.012, inScope: true },
  { kind: "plusieurs_codes_insee", rate: 0.003, inScope: true },
  { kind: "edifice_actuel_sans_code_actuel", rate: 0.002, inScope: true },
  { kind: "declasse_puis_reclasse", rate: 0.002, inScope: true },
  { kind: "protection_declassee_sans_date", rate: 0.001, inScope: true },
] as const;

export type RowKind = (typeof ROW_KINDS)[number]["kind"];

export type CommunePlan = { commune: Commune; rows: number };

export type PalissyPlan = {
  total: number;
  /** Communes that hold objets in the plan, by code, with their number of rows. */
  communes: readonly CommunePlan[];
  /** Index into ROW_KINDS for each row, in emission order. */
  kinds: Uint8Array;
};

function palissyRowCount(scale: number): number {
  return Math.max(1, Math.round(PALISSY_ROWS_AT_SCALE_1 * scale));
}

export function planPalissy(geography: Geography, seed: number, scale: number): PalissyPlan {
  const total = palissyRowCount(scale);
  const random = createRandom(deriveSeed(seed, "plan"));
  const wanted = Math.min(total, Math.max(1, Math.round(geography.communes.length * COMMUNES_WITH_OBJETS_SHARE * Math.min(1, scale))));

  // Weighted sampling without replacement (Efraimidis–Spirakis), favouring small old communes only mildly.
  const keyed = geography.communes.map((commune) => ({
    commune,
    key: Math.log(1 - random.next()) / (1 + Math.log10(commune.population + 10)),
  }));
  keyed.sort((a, b) => b.key - a.key || (a.commune.code < b.commune.code ? -1 : 1));
  const chosen = keyed
    .slice(0, wanted)
    .map((entry) => entry.commune)
    .sort((a, b) => (a.code < b.code ? -1 : 1));

  // Heavy-tailed count per commune (LogNormal), boosted for cities so Paris, Lyon, Marseille get hundreds.
  const weights = chosen.map((commune) => {
    const logNormal = Math.exp(1.6 + 1.1 * random.normal());
    const city = Math.max(1, (commune.population / 20_000) ** 0.8);
    return Math.min(MAX_OBJETS_PER_COMMUNE, (1 + Math.floor(logNormal)) * city);
  });
  const weightSum = weights.reduce((sum, w) => sum + w, 0);
  const extra = total - chosen.length;
  let cumulative = 0;
  let given = 0;
  const communes = chosen.map((commune, index) => {
    cumulative += weights[index] ?? 0;
    const upTo = Math.round((cumulative / weightSum) * extra);
    const rows = 1 + upTo - given;
    given = upTo;
    return { commune, rows };
  });

  const kinds = new Uint8Array(total);
  let position = 0;
  ROW_KINDS.forEach((entry, index) => {
    const count = Math.round(total * entry.rate);
    kinds.fill(index, position, Math.min(total, position + count));
    position = Math.min(total, position + count);
  });
  shuffle(kinds, random);
  return { total, communes, kinds };
}
