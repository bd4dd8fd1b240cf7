import { etatSanitaireRetenu } from "../dossier/rules.ts";
import { FICHE_IDS } from "../fiches/fiches.ts";
import type { EtatSanitaire, FicheId, Localisation, RecensementStatus, Securisation } from "../platform/db/schema.ts";
import { ETATS_SANITAIRES, SECURISATIONS } from "../recensement/rules.ts";
import { prioritairesRestants } from "./rules.ts";

/** What the conservateur may judge of a recensement, from the commune's answers (RB §5.7). */
export type Situation = "absent" | "recensable" | "non_recensable";

export function situationDuRecensement(r: { localisation: Localisation | null; recensable: boolean | null }): Situation {
  if (r.localisation === "absent") return "absent";
  return r.recensable === true ? "recensable" : "non_recensable";
}

/**
 * The fiches conseil that make sense for the situation: the complaint only for a missing objet, the
 * care, restoration, building and security fiches only for an objet the commune could see.
 */
const FICHES_PAR_SITUATION: Record<Situation, readonly FicheId[]> = {
  absent: ["depot_plainte"],
  recensable: ["entretien_objets", "restauration", "entretien_edifices", "securisation"],
  non_recensable: [],
};

export function fichesPermises(situation: Situation): readonly FicheId[] {
  return FICHES_PAR_SITUATION[situation];
}

export const ANALYSE_NOTES_MAX = 10_000;

export const MESSAGES_EXAMEN = {
  fiches: "La ou les fiches choisies ne sont pas valides",
  etat: "Choisissez l’état de l’objet parmi les quatre proposés.",
  securisation: "Indiquez si l’objet est facile ou difficile à voler.",
  notes: `Votre commentaire pour la mairie est trop long : ${ANALYSE_NOTES_MAX.toLocaleString("fr-FR")} caractères au plus.`,
} as const;

/** The form as posted: every value is what the browser sent, untrusted. */
export type SaisieExamen = {
  etat_sanitaire?: unknown;
  securisation?: unknown;
  fiches?: unknown;
  analyse_notes?: unknown;
};

/** The commune's answers the examen is checked against. */
export type RecensementCommune = {
  localisation: Localisation | null;
  recensable: boolean | null;
  etat_sanitaire: EtatSanitaire | null;
  securisation: Securisation | null;
};

export type ValeursExamen = {
  analyse_etat_sanitaire: EtatSanitaire | null;
  analyse_securisation: Securisation | null;
  analyse_fiches: FicheId[];
  analyse_notes: string | null;
};

export type ChampExamen = "etat_sanitaire" | "securisation" | "fiches" | "analyse_notes";
export type ErreurExamen = { champ: ChampExamen; message: string };
export type ResultatExamen = { ok: true; valeurs: ValeursExamen } | { ok: false; erreurs: ErreurExamen[] };

function texte(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && typeof value[0] === "string") return value[0];
  return "";
}

function liste(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

/**
 * The conservateur's evaluation of one value: the choice is required when the commune gave none; a
 * choice equal to the commune's answer is no correction at all (null), so the rapport never shows a
 * "correction" that changes nothing.
 */
function surcharge<V extends string>(
  choix: string,
  valeurs: readonly V[],
  commune: V | null,
): { ok: true; valeur: V | null } | { ok: false } {
  if (choix === "") return commune === null ? { ok: false } : { ok: true, valeur: null };
  if (!(valeurs as readonly string[]).includes(choix)) return { ok: false };
  return { ok: true, valeur: choix === commune ? null : (choix as V) };
}

/**
 * Checks the examen form of one recensement (RB §5.7). Overrides only exist for an objet the commune
 * could assess; fiches must be among the five and allowed for the situation (blank entries and
 * repeats are dropped, the order is the fiches' own); the comment is trimmed, blank becomes null.
 */
export function validerSaisieExamen(saisie: SaisieExamen, recensement: RecensementCommune): ResultatExamen {
  const situation = situationDuRecensement(recensement);
  const erreurs: ErreurExamen[] = [];
  let analyseEtat: EtatSanitaire | null = null;
  let analyseSecurisation: Securisation | null = null;
  if (situation === "recensable") {
    const etat = surcharge(texte(saisie.etat_sanitaire).trim(), ETATS_SANITAIRES, recensement.etat_sanitaire);
    if (etat.ok) analyseEtat = etat.valeur;
    else erreurs.push({ champ: "etat_sanitaire", message: MESSAGES_EXAMEN.etat });
    const securisation = surcharge(texte(saisie.securisation).trim(), SECURISATIONS, recensement.securisation);
    if (securisation.ok) analyseSecurisation = securisation.valeur;
    else erreurs.push({ champ: "securisation", message: MESSAGES_EXAMEN.securisation });
  }

  const choisies = new Set(
    liste(saisie.fiches)
      .map((f) => f.trim())
      .filter((f) => f !== ""),
  );
  const permises = fichesPermises(situation);
  if ([...choisies].some((f) => !(permises as readonly string[]).includes(f))) {
    erreurs.push({ champ: "fiches", message: MESSAGES_EXAMEN.fiches });
  }
  const fiches = FICHE_IDS.filter((id) => choisies.has(id));

  const notes = texte(saisie.analyse_notes).replace(/\r\n?/g, "\n").trim();
  if (notes.length > ANALYSE_NOTES_MAX) erreurs.push({ champ: "analyse_notes", message: MESSAGES_EXAMEN.notes });

  if (erreurs.length > 0) return { ok: false, erreurs };
  return {
    ok: true,
    valeurs: {
      analyse_etat_sanitaire: analyseEtat,
      analyse_securisation: analyseSecurisation,
      analyse_fiches: fiches,
      analyse_notes: notes || null,
    },
  };
}

/** The examen fields whose value changed, before and after, for the audit trail. */
export function changementsExamen(
  avant: Omit<ValeursExamen, "analyse_fiches"> & { analyse_fiches: readonly string[] },
  apres: ValeursExamen,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const champs = ["analyse_etat_sanitaire", "analyse_securisation", "analyse_notes"] as const;
  for (const champ of champs) {
    if (avant[champ] !== apres[champ]) {
      before[champ] = avant[champ];
      after[champ] = apres[champ];
    }
  }
  if (avant.analyse_fiches.join(",") !== apres.analyse_fiches.join(",")) {
    before.analyse_fiches = [...avant.analyse_fiches];
    after.analyse_fiches = apres.analyse_fiches;
  }
  return { before, after };
}

// ——— Order of the examen: "Sauvegarder et passer au suivant" ———

export type RecensementAOrdonner = {
  id: number;
  status: RecensementStatus;
  localisation: Localisation | null;
  etat_sanitaire: EtatSanitaire | null;
  analyse_etat_sanitaire: EtatSanitaire | null;
  analysed_at: Date | string | null;
  /** Name of the édifice the objets are grouped under on the commune page. */
  edifice: string;
  titre: string;
};

const COLLATOR = new Intl.Collator("fr-FR", { sensitivity: "base", numeric: true });

/** 0 en péril, 1 disparu, 2 the others: the order of the commune page. */
export function rangDePriorite(r: Pick<RecensementAOrdonner, "localisation" | "etat_sanitaire" | "analyse_etat_sanitaire">): number {
  if (etatSanitaireRetenu(r) === "peril") return 0;
  return r.localisation === "absent" ? 1 : 2;
}

export function ordreExamen<T extends RecensementAOrdonner>(recensements: readonly T[]): T[] {
  return [...recensements].sort(
    (a, b) =>
      rangDePriorite(a) - rangDePriorite(b) || COLLATOR.compare(a.edifice, b.edifice) || COLLATOR.compare(a.titre, b.titre) || a.id - b.id,
  );
}

/** The next recensement to examine after `courantId`: completed, not examined yet, prioritaires first. */
export function recensementSuivant<T extends RecensementAOrdonner>(recensements: readonly T[], courantId: number): T | undefined {
  return ordreExamen(recensements.filter((r) => r.id !== courantId && r.status === "completed" && !r.analysed_at))[0];
}

/** The prioritaires left, in the examen order (RB §5.7 "examen sauvegardé" screen). */
export function prioritairesAExaminer<T extends RecensementAOrdonner>(recensements: readonly T[]): T[] {
  return ordreExamen(prioritairesRestants(recensements));
}
