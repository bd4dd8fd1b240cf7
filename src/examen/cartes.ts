import { estPrioritaire, etatSanitaireRetenu, manquePhotos } from "../dossier/rules.ts";
import type { DossierStatus, EtatSanitaire, Localisation, RecensementActifStatus } from "../platform/db/schema.ts";
import { estExaminable } from "./rules.ts";

/** The objet cards of the conservateur's commune page (RB §5.6): their order, badges and link. */

/** The active recensement of an objet in the commune's current dossier. */
export type RecensementCarte = {
  id: number;
  status: RecensementActifStatus;
  localisation: Localisation | null;
  etat_sanitaire: EtatSanitaire | null;
  analyse_etat_sanitaire: EtatSanitaire | null;
  analysed_at: Date | null;
  recensable: boolean | null;
  photos_count: number;
};

export type CarteObjet = { palissy_ref: string; recensement: RecensementCarte | null };

/** 0 en péril (override included), 1 disparu, 2 anything else, not recensed included. */
export function rangAlerte(recensement: RecensementCarte | null): 0 | 1 | 2 {
  if (!recensement) return 2;
  if (etatSanitaireRetenu(recensement) === "peril") return 0;
  if (recensement.localisation === "absent") return 1;
  return 2;
}

/**
 * Order of the cards within an édifice once the commune has a dossier: en péril, then disparus, then
 * the others; in each, the objets not examined yet before the examined ones, these by date of examen
 * (oldest first). The sort is stable: equal cards keep the order they came in (by title).
 * Without a dossier there is nothing to examine and the incoming order is kept.
 */
export function ordreDesCartes<T extends CarteObjet>(objets: readonly T[], dossierExiste: boolean): T[] {
  if (!dossierExiste) return [...objets];
  const cle = (objet: T): [number, number, number] => {
    const r = objet.recensement;
    const examineLe = r?.analysed_at ? r.analysed_at.getTime() : null;
    return [rangAlerte(r), examineLe === null ? 0 : 1, examineLe ?? 0];
  };
  const cles = new Map(objets.map((objet) => [objet, cle(objet)]));
  return [...objets].sort((a, b) => {
    const ka = cles.get(a)!;
    const kb = cles.get(b)!;
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2];
  });
}

export type SeveriteBadge = "success" | "warning" | "info" | "error";
export type BadgeCarte = { label: string; severite: SeveriteBadge };

export type PresentationCarte = {
  /** Where the examen stands, only for a recensement the conservateur can examine. */
  examen: BadgeCarte | null;
  /** "PÉRIL", "DISPARU", "Photos manquantes". */
  alertes: BadgeCarte[];
  /** "Pas encore recensé" while the commune has not completed this objet's recensement. */
  tag: string | null;
  href: string;
};

export const BADGE_EXAMINE: BadgeCarte = { label: "Examiné", severite: "success" };
export const BADGE_PRIORITAIRE: BadgeCarte = { label: "À examiner en priorité", severite: "warning" };
export const BADGE_A_EXAMINER: BadgeCarte = { label: "À examiner", severite: "info" };
export const BADGE_PERIL: BadgeCarte = { label: "PÉRIL", severite: "error" };
export const BADGE_DISPARU: BadgeCarte = { label: "DISPARU", severite: "error" };
export const BADGE_PHOTOS_MANQUANTES: BadgeCarte = { label: "Photos manquantes", severite: "warning" };
export const TAG_PAS_RECENSE = "Pas encore recensé";

export function examenRecensementUrl(recensementId: number): string {
  return `/conservateurs/recensements/${recensementId}/examen`;
}

export function objetPublicUrl(palissyRef: string): string {
  return `/objets/${encodeURIComponent(palissyRef)}`;
}

/** Badges, tag and link of one card: the examen form when the recensement can be examined, else the public objet page. */
export function presentationCarte(dossierStatus: DossierStatus | null, objet: CarteObjet): PresentationCarte {
  const r = objet.recensement;
  const examinable = r !== null && dossierStatus !== null && estExaminable(dossierStatus, r) ? r : null;
  const alertes: BadgeCarte[] = [];
  if (r) {
    if (etatSanitaireRetenu(r) === "peril") alertes.push(BADGE_PERIL);
    if (r.localisation === "absent") alertes.push(BADGE_DISPARU);
    // A draft may still get its photos: only a completed recensement lacks them.
    if (r.status === "completed" && manquePhotos(r)) alertes.push(BADGE_PHOTOS_MANQUANTES);
  }
  return {
    examen: !examinable ? null : examinable.analysed_at ? BADGE_EXAMINE : estPrioritaire(examinable) ? BADGE_PRIORITAIRE : BADGE_A_EXAMINER,
    alertes,
    tag: r?.status === "completed" ? null : TAG_PAS_RECENSE,
    href: examinable ? examenRecensementUrl(examinable.id) : objetPublicUrl(objet.palissy_ref),
  };
}
