import { estPrioritaire } from "../dossier/rules.ts";
import type { DossierStatus, EtatSanitaire, Localisation, RecensementStatus } from "../platform/db/schema.ts";

/** What the examen rules need to know of a recensement of the current dossier. */
export type RecensementExamine = {
  status: RecensementStatus;
  localisation: Localisation | null;
  etat_sanitaire: EtatSanitaire | null;
  analyse_etat_sanitaire: EtatSanitaire | null;
  analysed_at: Date | string | null;
};

/** RB §5.6: a completed recensement of a sent dossier can be examined. */
export function estExaminable(dossierStatus: DossierStatus, recensement: Pick<RecensementExamine, "status">): boolean {
  return (dossierStatus === "submitted" || dossierStatus === "accepted") && recensement.status === "completed";
}

/** Completed prioritaire recensements (absent or en péril) not examined yet: they block sending the examen. */
export function prioritairesRestants<T extends RecensementExamine>(recensements: readonly T[]): T[] {
  return recensements.filter((r) => r.status === "completed" && estPrioritaire(r) && !r.analysed_at);
}

export type EnvoiImpossible = "pas_envoye_par_la_commune" | "deja_examine" | "prioritaires_restants";
export type EtatEnvoiExamen = { ok: true } | { ok: false; raison: EnvoiImpossible; restants: number };

/** RB §5.9: the examen can be sent once the commune has sent its dossier and every prioritaire is examined. */
export function etatEnvoiExamen(dossierStatus: DossierStatus, recensements: readonly RecensementExamine[]): EtatEnvoiExamen {
  if (dossierStatus === "accepted") return { ok: false, raison: "deja_examine", restants: 0 };
  if (dossierStatus !== "submitted") return { ok: false, raison: "pas_envoye_par_la_commune", restants: 0 };
  const restants = prioritairesRestants(recensements).length;
  return restants > 0 ? { ok: false, raison: "prioritaires_restants", restants } : { ok: true };
}

export const MESSAGES_ENVOI_IMPOSSIBLE: Record<EnvoiImpossible, string> = {
  pas_envoye_par_la_commune: "La commune n’a pas encore envoyé son recensement : l’examen ne peut pas encore lui être envoyé.",
  deja_examine: "L’examen de ce dossier a déjà été envoyé à la commune.",
  prioritaires_restants: "Examinez d’abord chaque objet signalé en péril ou disparu.",
};

/** The recensements a batch acceptance may close without a look: none is prioritaire (RB §7.4 "objets verts"). */
export function neContientQueDesObjetsVerts(recensements: readonly RecensementExamine[]): boolean {
  return recensements.filter((r) => r.status === "completed").every((r) => !estPrioritaire(r));
}

export type Visite = "souhaitable" | "prioritaire";

export const VISITE_LABELS: Record<Visite, string> = {
  souhaitable: "Déplacement souhaitable",
  prioritaire: "Déplacement prioritaire",
};
