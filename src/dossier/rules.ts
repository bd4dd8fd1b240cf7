import type { CommuneStatus, DossierStatus, EtatSanitaire, FicheId, Localisation, RecensementStatus } from "../platform/db/schema.ts";

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

/** `en_peril_count` and `disparus_count` of a commune, over the active (draft or completed) recensements of its current dossier. */
export function compteursAlerte(recensements: readonly RecensementAlerte[]): { en_peril_count: number; disparus_count: number } {
  const actifs = recensements.filter((r) => r.status === "draft" || r.status === "completed");
  return {
    en_peril_count: actifs.filter((r) => etatSanitaireRetenu(r) === "peril").length,
    disparus_count: actifs.filter((r) => r.localisation === "absent").length,
  };
}

// ——— State machines (RB §3.1–3.3): explicit tables of allowed transitions ———

export type CommuneEvent = "start" | "complete" | "return_to_started" | "return_to_inactive";
export type DossierEvent = "submit" | "accept" | "reopen" | "return_to_construction" | "archive";
export type RecensementEvent = "edit" | "complete" | "soft_delete" | "archive";

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
  /** Sending the examen archives the drafts the commune never finished (kept, not deleted: RB ⚠). */
  archive: { draft: "archived" },
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
export function estPrioritaire(
  recensement: Pick<RecensementAlerte, "localisation" | "etat_sanitaire" | "analyse_etat_sanitaire">,
): boolean {
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
  deleted: "Supprimé par la synchronisation",
  archived: "Brouillon archivé",
};

// ——— Sending the dossier (RB §4.6) ———

export const NOTES_COMMUNE_MAX = 10_000;
export const RECENSEUR_MAX = 500;

/** Why the completion page is not available: no dossier under construction, or objets still to recense. */
export type FinalisationImpossible = "sans_dossier" | "deja_envoye" | "incomplet";

export type EtatFinalisation = { ok: true } | { ok: false; raison: FinalisationImpossible };

/**
 * `can_complete?` (RB §3.1): the current dossier is being built and every objet of the commune has a
 * completed recensement in it. A commune whose objets all left the scope has nothing to send.
 */
export function etatFinalisation(input: {
  dossierStatus: DossierStatus | null;
  objetsCount: number;
  objetsRecensesCount: number;
}): EtatFinalisation {
  if (input.dossierStatus === null || input.dossierStatus === "archived") return { ok: false, raison: "sans_dossier" };
  if (input.dossierStatus !== "construction") return { ok: false, raison: "deja_envoye" };
  if (input.objetsCount === 0 || input.objetsRecensesCount < input.objetsCount) return { ok: false, raison: "incomplet" };
  return { ok: true };
}

export const MESSAGES_FINALISATION: Record<FinalisationImpossible, string> = {
  sans_dossier: "Vous n’avez pas encore commencé le recensement des objets de votre commune : recensez d’abord chacun de vos objets.",
  deja_envoye: "Le recensement de votre commune a déjà été envoyé aux conservateurs.",
  incomplet:
    "Il reste des objets à recenser : vous pourrez envoyer votre recensement aux conservateurs une fois tous les objets de la commune recensés.",
};

/** A recensable objet without photo: the commune is asked to confirm before sending (RB §4.6). */
export function manquePhotos(recensement: { recensable: boolean | null; photos_count: number }): boolean {
  return recensement.recensable === true && recensement.photos_count === 0;
}

export type ChampFinalisation = "notes_commune" | "recenseur";
export type SaisieFinalisation = { notes_commune: string; recenseur: string };
export type ResultatSaisieFinalisation =
  | { ok: true; notes_commune: string | null; recenseur: string | null }
  | { ok: false; erreurs: { champ: ChampFinalisation; message: string }[] };

/** Both fields are optional; only their length is checked. Line breaks are normalised, blanks become null. */
export function validerSaisieFinalisation(saisie: SaisieFinalisation): ResultatSaisieFinalisation {
  const notes = saisie.notes_commune.replace(/\r\n/g, "\n").trim();
  const recenseur = saisie.recenseur.replace(/\s+/g, " ").trim();
  const erreurs: { champ: ChampFinalisation; message: string }[] = [];
  if (notes.length > NOTES_COMMUNE_MAX) {
    erreurs.push({
      champ: "notes_commune",
      message: `Votre commentaire est trop long : ${NOTES_COMMUNE_MAX.toLocaleString("fr-FR")} caractères au plus.`,
    });
  }
  if (recenseur.length > RECENSEUR_MAX) {
    erreurs.push({ champ: "recenseur", message: `Ces coordonnées sont trop longues : ${RECENSEUR_MAX} caractères au plus.` });
  }
  if (erreurs.length > 0) return { ok: false, erreurs };
  return { ok: true, notes_commune: notes || null, recenseur: recenseur || null };
}

// ——— The rapport of the examen (RB §5.10.3) ———

/** A value the commune gave and the conservateur may have corrected. */
export type Evaluation<V> = { retenue: V | null; commune: V | null; corrigee: boolean };

export function evaluation<V>(commune: V | null, conservateur: V | null): Evaluation<V> {
  const corrigee = conservateur !== null && conservateur !== commune;
  return { retenue: conservateur ?? commune, commune, corrigee };
}

export type GroupeFiche<T> = { ficheId: FicheId; numero: number; recensements: T[] };

/**
 * "Vue des objets regroupés par fiche conseil": one group per fiche the conservateur attached to at
 * least one objet, numbered from 1 in the order of `ordre` (the fiches' order); unknown ids are ignored.
 */
export function regrouperParFiche<T extends { analyse_fiches: readonly string[] }>(
  recensements: readonly T[],
  ordre: readonly FicheId[],
): GroupeFiche<T>[] {
  const groupes: GroupeFiche<T>[] = [];
  for (const ficheId of ordre) {
    const concernes = recensements.filter((r) => r.analyse_fiches.includes(ficheId));
    if (concernes.length > 0) groupes.push({ ficheId, numero: groupes.length + 1, recensements: concernes });
  }
  return groupes;
}

const COLLATOR = new Intl.Collator("fr-FR", { sensitivity: "base", numeric: true });

/** "Vue détaillée objet par objet": by Palissy édifice name (objets without one last), then REF. */
export function ordreDuRapport<T extends { palissy_edif: string | null; palissy_ref: string }>(recensements: readonly T[]): T[] {
  return [...recensements].sort((a, b) => {
    const ea = a.palissy_edif?.trim() ?? "";
    const eb = b.palissy_edif?.trim() ?? "";
    if (ea === "" || eb === "") return Number(ea === "") - Number(eb === "") || COLLATOR.compare(a.palissy_ref, b.palissy_ref);
    return COLLATOR.compare(ea, eb) || COLLATOR.compare(a.palissy_ref, b.palissy_ref);
  });
}
