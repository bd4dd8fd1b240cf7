import { z } from "zod";
import type { BordereauState, EtatSanitaire, Localisation, Securisation } from "../platform/db/schema.ts";
import { slugify } from "../fiches/fiches.ts";
import { protectionScope } from "../patrimoine/rules.ts";
import { ETAT_SANITAIRE_LABELS } from "../recensement/rules.ts";

/** État de conservation written on a bordereau line: the examen's states plus the two cases without a state. */
export type EtatBordereau = "introuvable" | "non_recensable" | EtatSanitaire;

export const ETATS_BORDEREAU: readonly EtatBordereau[] = ["introuvable", "non_recensable", "bon", "moyen", "mauvais", "peril"];

export const ETAT_BORDEREAU_LABELS: Record<EtatBordereau, string> = {
  introuvable: "Introuvable",
  non_recensable: "Non recensable",
  ...ETAT_SANITAIRE_LABELS,
};

export const NOTES_MAX = 2_000;

/** What the defaults of a line are computed from: the recensement with its examen. */
export type RecensementBordereau = {
  localisation: Localisation | null;
  recensable: boolean | null;
  edifice_nom: string | null;
  etat_sanitaire: EtatSanitaire | null;
  analyse_etat_sanitaire: EtatSanitaire | null;
  securisation: Securisation | null;
  analyse_securisation: Securisation | null;
  /** The commune's comment. */
  notes: string | null;
  /** The conservateur's comment in the examen. */
  analyse_notes: string | null;
};

export type LigneBordereau = {
  etat_sanitaire: EtatBordereau | null;
  notes_commune: string | null;
  notes_conservateur: string | null;
  notes_proprietaire: string | null;
  notes_affectataire: string | null;
};

function joindre(parts: readonly (string | null | undefined)[]): string | null {
  const kept = parts.map((part) => part?.trim() ?? "").filter((part) => part !== "");
  return kept.length === 0 ? null : kept.join("\n");
}

/** RB §5.12: absent → introuvable, not recensable → non recensable, else the conservateur's state, else the commune's. */
export function etatParDefaut(r: RecensementBordereau): EtatBordereau | null {
  if (r.localisation === "absent") return "introuvable";
  if (r.recensable === false) return "non_recensable";
  return r.analyse_etat_sanitaire ?? r.etat_sanitaire;
}

/** The line a bordereau starts from when the conservateur never edited it (RB §5.12). */
export function ligneParDefaut(r: RecensementBordereau): LigneBordereau {
  const deplace =
    r.localisation === "autre_edifice" || r.localisation === "deplacement_autre_commune"
      ? `L’objet a été déplacé : ${r.edifice_nom?.trim() || "édifice non précisé"}.`
      : null;
  const securisation = r.analyse_securisation ?? r.securisation;
  return {
    etat_sanitaire: etatParDefaut(r),
    notes_commune: joindre([deplace, r.notes]),
    notes_conservateur: joindre([securisation === "en_danger" ? "L’objet peut être volé facilement." : null, r.analyse_notes]),
    notes_proprietaire: null,
    notes_affectataire: null,
  };
}

/** A saved line when there is one, else the defaults. */
export function ligneRetenue(r: RecensementBordereau, enregistree: LigneBordereau | undefined): LigneBordereau {
  return enregistree ?? ligneParDefaut(r);
}

/** Only classé or inscrit objets appear on a bordereau. */
export function estProtege(objet: { palissy_prot: string | null }): boolean {
  return protectionScope(objet.palissy_prot) !== null;
}

/** `bordereau-<commune>-<édifice>.pdf`, ASCII only. */
export function nomFichierBordereau(communeNom: string, edificeNom: string): string {
  const commune = slugify(communeNom) || "commune";
  const edifice = slugify(edificeNom) || "edifice";
  return `bordereau-${commune}-${edifice}.pdf`;
}

export const BORDEREAU_STATE_LABELS: Record<BordereauState, string> = {
  a_generer: "À générer",
  en_cours: "En cours de génération",
  genere: "Généré",
  echec: "Échec",
};

export const MESSAGES = {
  avantEnvoi:
    "Les bordereaux de récolement pourront être édités une fois que vous aurez examiné les recensements et envoyé l’examen à la commune.",
  aucunProtege: "Il n’y a aucun objet classé ou inscrit dans cette commune.",
  lignesManquantes: "Le formulaire ne contient aucune ligne de bordereau : rechargez la page et recommencez.",
  ligneInconnue: "Une ligne du formulaire ne correspond à aucun objet protégé de cet édifice : rechargez la page et recommencez.",
  etatInvalide: "Choisissez un état de conservation dans la liste.",
  notesTropLongues: `Les notes ne peuvent pas dépasser ${NOTES_MAX} caractères.`,
  enCours: "Le bordereau est en cours de génération : actualisez la page dans quelques secondes.",
} as const;

const notes = z
  .string()
  .max(NOTES_MAX, MESSAGES.notesTropLongues)
  .optional()
  .transform((value) => {
    const trimmed = value?.replace(/\r\n/g, "\n").trim() ?? "";
    return trimmed === "" ? null : trimmed;
  });

/** One line of the form, fields named `lignes[<recensement_id>][champ]` once parsed by the form body parser. */
export const ligneSchema = z.object({
  etat_sanitaire: z
    .string()
    .optional()
    .transform((value) => (value === undefined || value === "" ? null : value))
    .pipe(z.enum(ETATS_BORDEREAU as [EtatBordereau, ...EtatBordereau[]], { error: MESSAGES.etatInvalide }).nullable()),
  notes_commune: notes,
  notes_conservateur: notes,
  notes_proprietaire: notes,
  notes_affectataire: notes,
});

export type ErreursFormulaire = Map<string, string>;

/**
 * Reads the posted lines: every expected recensement must be there, no other one; returns the lines or
 * French messages keyed by `<recensement_id>.<champ>` (`_form` for the whole form).
 */
export function lireFormulaire(
  body: unknown,
  attendus: readonly number[],
): { ok: true; lignes: Map<number, LigneBordereau> } | { ok: false; erreurs: ErreursFormulaire } {
  const erreurs: ErreursFormulaire = new Map();
  const source = body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  const brut = new Map<number, Record<string, unknown>>();
  for (const [name, value] of Object.entries(source)) {
    const match = /^lignes\[(\d{1,10})\]\[([a-z_]+)\]$/.exec(name);
    if (!match) continue;
    const id = Number(match[1]);
    const champs = brut.get(id) ?? {};
    champs[match[2] as string] = Array.isArray(value) ? value[0] : value;
    brut.set(id, champs);
  }
  if (brut.size === 0) {
    erreurs.set("_form", MESSAGES.lignesManquantes);
    return { ok: false, erreurs };
  }
  const attendusSet = new Set(attendus);
  if ([...brut.keys()].some((id) => !attendusSet.has(id)) || attendus.some((id) => !brut.has(id))) {
    erreurs.set("_form", MESSAGES.ligneInconnue);
    return { ok: false, erreurs };
  }
  const lignes = new Map<number, LigneBordereau>();
  for (const id of attendus) {
    const parsed = ligneSchema.safeParse(brut.get(id));
    if (parsed.success) lignes.set(id, parsed.data);
    else for (const issue of parsed.error.issues) erreurs.set(`${id}.${String(issue.path[0] ?? "_")}`, issue.message);
  }
  return erreurs.size > 0 ? { ok: false, erreurs } : { ok: true, lignes };
}
