import type { CommuneStatus, DossierStatus } from "../platform/db/schema.ts";

/** RB §3.5, §5.15: which communes of a département a campaign may mail, and which are ticked by default. Pure. */

export type CommuneCandidate = {
  id: number;
  /** The commune has at least one user with an email. */
  aUnEmail: boolean;
  status: CommuneStatus;
  /** Status of the commune's current (non-archived) dossier, null when there is none. */
  dossierStatus: Exclude<DossierStatus, "archived"> | null;
};

export type RaisonExclusion = "pas_d_email" | "recensement_en_cours";

export const RAISON_EXCLUSION_LABELS: Record<RaisonExclusion, string> = {
  pas_d_email: "Pas d’email",
  recensement_en_cours: "Recensement en cours",
};

/** Why a commune cannot be a recipient, or null when it can. */
export function raisonExclusion(commune: Pick<CommuneCandidate, "aUnEmail" | "status" | "dossierStatus">): RaisonExclusion | null {
  if (!commune.aUnEmail) return "pas_d_email";
  if (commune.dossierStatus === "construction" || commune.status === "started") return "recensement_en_cours";
  return null;
}

export function estSelectionnable(commune: Pick<CommuneCandidate, "aUnEmail" | "status" | "dossierStatus">): boolean {
  return raisonExclusion(commune) === null;
}

/** Ticked when the campaign has no recipient yet: every selectable commune but those whose dossier awaits its examen. */
export function cocheeParDefaut(commune: Pick<CommuneCandidate, "aUnEmail" | "status" | "dossierStatus">): boolean {
  return estSelectionnable(commune) && commune.dossierStatus !== "submitted";
}

/**
 * The recipients after a save. `affichees` are the communes the form showed (a filtered list shows
 * only some): recipients outside it are kept as they are; inside it, the ticked selectable ones are
 * the recipients. Ids of other départements or unselectable communes are dropped.
 */
export function nouvelleSelection(input: {
  candidats: readonly CommuneCandidate[];
  actuels: ReadonlySet<number>;
  affichees: ReadonlySet<number>;
  cochees: ReadonlySet<number>;
}): { garder: Set<number>; ajouter: number[]; retirer: number[] } {
  const garder = new Set<number>();
  for (const candidat of input.candidats) {
    const actuel = input.actuels.has(candidat.id);
    if (!input.affichees.has(candidat.id)) {
      if (actuel) garder.add(candidat.id);
    } else if (input.cochees.has(candidat.id) && estSelectionnable(candidat)) garder.add(candidat.id);
  }
  const ajouter = [...garder].filter((id) => !input.actuels.has(id));
  const retirer = [...input.actuels].filter((id) => !garder.has(id));
  return { garder, ajouter, retirer };
}

/** Ids read from a form field (one value or several), keeping positive integers only. */
export function lireIds(value: unknown): Set<number> {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const ids = new Set<number>();
  for (const v of values) {
    if (typeof v !== "string") continue;
    for (const part of v.split(",")) {
      if (/^[1-9][0-9]{0,9}$/.test(part.trim()) && Number(part) <= 2_147_483_647) ids.add(Number(part));
    }
  }
  return ids;
}
