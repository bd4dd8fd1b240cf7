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

// ——— State machines (RB §3.1–3.3): explicit tables of allowed transitions ———

export type CommuneEvent = "start" | "complete" | "return_to_started" | "return_to_inactive";
export type DossierEvent = "submit" | "accept" | "reopen" | "return_to_construction" | "archive";
export type RecensementEvent = "edit" | "complete" | "soft_delete";

type TransitionTable<S extends string, E extends string> = Readonly<Record<E, Readonly<Partial<Record<S, S>>>>>;

export const COMMUNE_TRANSITIONS: TransitionTable<CommuneStatus, CommuneEvent> = {
  start: { inactive: "started" },
  complete: { started: "completed" },
  return_to_started: { completed: "started" },
  return_to_inactive: { completed: "inactive", started: "inactive" },
};

export const DOSSIER_TRANSITIONS: TransitionTable<DossierStatus, DossierEvent> = {
  submit: { construction: "submitted" },
  accept: { submitted: "accepted" },
  reopen: { accepted: "submitted" },
  return_to_construction: { submitted: "construction" },
  archive: { construction: "archived", submitted: "archived", accepted: "archived" },
};

/** `edit`: any change through the questionnaire puts a completed recensement back to draft until step 7 is validated again. */
export const RECENSEMENT_TRANSITIONS: TransitionTable<RecensementStatus, RecensementEvent> = {
  edit: { draft: "draft", completed: "draft" },
  complete: { draft: "completed", completed: "completed" },
  soft_delete: { completed: "deleted", draft: "deleted" },
};

export class TransitionError extends Error {
  constructor(
    readonly machine: string,
    readonly from: string,
    readonly event: string,
  ) {
    super(`${machine}: « ${event} » n’est pas permis depuis l’état « ${from} »`);
  }
}

function transitionIn<S extends string, E extends string>(machine: string, table: TransitionTable<S, E>, from: S, event: E): S {
  const to = table[event][from];
  if (to === undefined) throw new TransitionError(machine, from, event);
  return to;
}

export function communeTransition(from: CommuneStatus, event: CommuneEvent): CommuneStatus {
  return transitionIn("commune", COMMUNE_TRANSITIONS, from, event);
}

export function dossierTransition(from: DossierStatus, event: DossierEvent): DossierStatus {
  return transitionIn("dossier", DOSSIER_TRANSITIONS, from, event);
}

export function recensementTransition(from: RecensementStatus, event: RecensementEvent): RecensementStatus {
  return transitionIn("recensement", RECENSEMENT_TRANSITIONS, from, event);
}

export function canTransition<S extends string, E extends string>(table: TransitionTable<S, E>, from: S, event: E): boolean {
  return table[event][from] !== undefined;
}

/** RB §3.2: the examen can be sent once every prioritaire recensement (absent or en péril) has been examined. */
export function estPrioritaire(recensement: Pick<RecensementAlerte, "localisation" | "etat_sanitaire" | "analyse_etat_sanitaire">): boolean {
  return recensement.localisation === "absent" || etatSanitaireRetenu(recensement) === "peril";
}

export const DOSSIER_STATUS_LABELS: Record<DossierStatus, string> = {
  construction: "Recensement en cours",
  submitted: "Non examiné",
  accepted: "Examiné",
  archived: "Archivé",
};

export const COMMUNE_STATUS_LABELS: Record<CommuneStatus, string> = {
  inactive: "Commune inactive",
  started: "Recensement démarré",
  completed: "Recensement terminé",
};

export const RECENSEMENT_STATUS_LABELS: Record<RecensementStatus, string> = {
  draft: "Brouillon",
  completed: "Complet et validé",
  deleted: "Archivé",
};
