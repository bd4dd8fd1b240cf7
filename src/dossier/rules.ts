import type { CommuneStatus, DossierStatus, EtatSanitaire, Localisation, RecensementStatus } from "../platform/db/schema.ts";

/** Statut global of a commune (RB §3.6): the ordinal is stored in `communes.statut_global` for sorting and filtering. */
export const STATUT_GLOBAL = {
  nonRecense: 0,
  enCoursDeRecensement: 1,
  aExaminer: 2,
  aExaminerEnPriorite: 3,
  enCoursDExamen: 4,
  examine: 5,
} as const;

export type StatutGlobal = (typeof STATUT_GLOBAL)[keyof typeof STATUT_GLOBAL];

export const STATUT_GLOBAL_LABELS: Record<StatutGlobal, string> = {
  0: "Non recensé",
  1: "En cours de recensement",
  2: "À examiner",
  3: "À examiner en priorité",
  4: "En cours d’examen",
  5: "Examiné",
};

/** What the statut global needs to know of the commune's current (non-archived) dossier. */
export type DossierCourant = {
  status: Exclude<DossierStatus, "archived">;
  replied_automatically_at: Date | string | null;
  /** Non-deleted recensements of the dossier with an examen (`analysed_at` set). */
  recensementsAnalyses: number;
};

export function statutGlobal(dossier: DossierCourant | null): StatutGlobal {
  if (!dossier) return STATUT_GLOBAL.nonRecense;
  switch (dossier.status) {
    case "construction":
      return STATUT_GLOBAL.enCoursDeRecensement;
    case "accepted":
      return STATUT_GLOBAL.examine;
    case "submitted":
      if (dossier.replied_automatically_at) return STATUT_GLOBAL.aExaminer;
      return dossier.recensementsAnalyses === 0 ? STATUT_GLOBAL.aExaminerEnPriorite : STATUT_GLOBAL.enCoursDExamen;
  }
}

/** Commune status implied by its current dossier (RB §3.1): started while in construction, completed once sent. */
export function communeStatusForDossier(dossier: Pick<DossierCourant, "status"> | null): CommuneStatus {
  if (!dossier) return "inactive";
  return dossier.status === "construction" ? "started" : "completed";
}

export type RecensementAlerte = {
  status: RecensementStatus;
  localisation: Localisation | null;
  etat_sanitaire: EtatSanitaire | null;
  analyse_etat_sanitaire: EtatSanitaire | null;
};

/** The conservateur's override wins over the commune's answer. */
export function etatSanitaireRetenu(
  recensement: Pick<RecensementAlerte, "etat_sanitaire" | "analyse_etat_sanitaire">,
): EtatSanitaire | null {
  return recensement.analyse_etat_sanitaire ?? recensement.etat_sanitaire;
}

/** `en_peril_count` and `disparus_count` of a commune, over the non-deleted recensements of its current dossier. */
export function compteursAlerte(recensements: readonly RecensementAlerte[]): { en_peril_count: number; disparus_count: number } {
  const actifs = recensements.filter((r) => r.status !== "deleted");
  return {
    en_peril_count: actifs.filter((r) => etatSanitaireRetenu(r) === "peril").length,
    disparus_count: actifs.filter((r) => r.localisation === "absent").length,
  };
}
