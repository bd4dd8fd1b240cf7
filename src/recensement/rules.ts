import type { DossierStatus, EtatSanitaire, Localisation, RecensementStatus, Securisation } from "../platform/db/schema.ts";

// ——— The 7 steps of the questionnaire (RB §4.5) ———

export type Etape = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const ETAPES: readonly Etape[] = [1, 2, 3, 4, 5, 6, 7];
export const DERNIERE_ETAPE: Etape = 7;

export const TITRES_ETAPES: Record<Etape, string> = {
  1: "Localisation",
  2: "Précisions sur la localisation",
  3: "Accessibilité",
  4: "Photos de l’objet",
  5: "État de l’objet",
  6: "Commentaires",
  7: "Récapitulatif",
};

export function parseEtape(value: unknown): Etape | null {
  const n = typeof value === "string" && /^[1-7]$/.test(value) ? Number(value) : typeof value === "number" ? value : NaN;
  return (ETAPES as readonly number[]).includes(n) ? (n as Etape) : null;
}

export const LOCALISATIONS: readonly Localisation[] = [
  "edifice_initial",
  "autre_edifice",
  "deplacement_autre_commune",
  "deplacement_temporaire",
  "absent",
];
export const ETATS_SANITAIRES: readonly EtatSanitaire[] = ["bon", "moyen", "mauvais", "peril"];
export const SECURISATIONS: readonly Securisation[] = ["en_securite", "en_danger"];

export const ETAT_SANITAIRE_LABELS: Record<EtatSanitaire, string> = {
  bon: "Bon état",
  moyen: "État moyen",
  mauvais: "Mauvais état",
  peril: "En péril",
};
export const ETAT_SANITAIRE_REPONSES: Record<EtatSanitaire, string> = {
  bon: "L’objet est en bon état",
  moyen: "L’objet est en état moyen",
  mauvais: "L’objet est en mauvais état",
  peril: "L’objet est en péril",
};
export const SECURISATION_LABELS: Record<Securisation, string> = {
  en_securite: "Difficile à voler",
  en_danger: "Facile à voler",
};
export const SECURISATION_REPONSES: Record<Securisation, string> = {
  en_securite: "L’objet est difficile à voler",
  en_danger: "L’objet est facile à voler",
};

/** What the wizard rules need to know of a recensement. */
export type Reponses = {
  localisation: Localisation | null;
  edifice_nom: string | null;
  autre_commune_code_insee: string | null;
  recensable: boolean | null;
  etat_sanitaire: EtatSanitaire | null;
  securisation: Securisation | null;
  notes: string | null;
  analyse_etat_sanitaire: EtatSanitaire | null;
  analyse_securisation: Securisation | null;
};

/** The localisations where the objet is not in front of the person: nothing to photograph or assess. */
const LOCALISATIONS_NON_RECENSABLES: ReadonlySet<Localisation> = new Set(["absent", "deplacement_temporaire", "deplacement_autre_commune"]);

/**
 * `recensable` implied by a localisation: false when the objet is not there, otherwise unknown until step 3.
 * Recomputed on every change of localisation (fixes RB ⚠, where a stale `true` made completion fail).
 */
export function recensableImplique(localisation: Localisation | null): false | null {
  return localisation && LOCALISATIONS_NON_RECENSABLES.has(localisation) ? false : null;
}

/** Steps the answers make irrelevant; the questionnaire never shows them (RB §4.5, "skipped steps"). */
export function etapesSautees(reponses: Pick<Reponses, "localisation" | "recensable">): ReadonlySet<Etape> {
  const sautees = new Set<Etape>();
  switch (reponses.localisation) {
    case "absent":
    case "deplacement_temporaire":
      [2, 3, 4, 5].forEach((e) => sautees.add(e as Etape));
      break;
    case "deplacement_autre_commune":
      [3, 4, 5].forEach((e) => sautees.add(e as Etape));
      break;
    case "edifice_initial":
      sautees.add(2);
      break;
    case "autre_edifice":
    case null:
      break;
  }
  if (reponses.recensable === false) {
    sautees.add(4);
    sautees.add(5);
  }
  return sautees;
}

/** Where "Passer à l’étape suivante" leads once `etape` is saved with these answers. */
export function etapeSuivante(etape: Etape, reponses: Pick<Reponses, "localisation" | "recensable">): Etape {
  const sautees = etapesSautees(reponses);
  for (let e = etape + 1; e <= DERNIERE_ETAPE; e++) if (!sautees.has(e as Etape)) return e as Etape;
  return DERNIERE_ETAPE;
}

/** "Revenir à l’étape précédente": the previous step that was not skipped (null on step 1). */
export function etapePrecedente(etape: Etape, reponses: Pick<Reponses, "localisation" | "recensable">): Etape | null {
  const sautees = etapesSautees(reponses);
  for (let e = etape - 1; e >= 1; e--) if (!sautees.has(e as Etape)) return e as Etape;
  return null;
}

/**
 * The step to open when none is asked: a completed recensement opens on the summary; a draft resumes
 * at the step the commune reached (stored on each save), so leaving in the middle loses nothing.
 */
export function etapeDeReprise(
  status: RecensementStatus,
  reponses: Pick<Reponses, "localisation" | "recensable">,
  etapeCourante: number,
): Etape {
  if (status === "completed") return DERNIERE_ETAPE;
  const etape = parseEtape(etapeCourante) ?? 1;
  return etapeAccessible(etape, reponses) ? etape : etape === 1 ? 1 : etapeDeReprise(status, reponses, etape - 1);
}

/** An étape can only be opened when the answers do not skip it. */
export function etapeAccessible(etape: Etape, reponses: Pick<Reponses, "localisation" | "recensable">): boolean {
  if (etape > 1 && reponses.localisation === null) return false;
  return !etapesSautees(reponses).has(etape);
}

// ——— Saving each step: pure patches computed from the submitted answers ———

export type ChampErreur = { champ: string; message: string };
export type Patch = Partial<Omit<Reponses, "analyse_etat_sanitaire" | "analyse_securisation">>;
export type ResultatEtape =
  | { ok: true; patch: Patch }
  | { ok: false; erreurs: ChampErreur[] }
  /** The answer needs an explicit confirmation first (absent, not recensable, no photo). */
  | { ok: "confirmation"; confirmation: Confirmation };

export type Confirmation = "absent" | "non_recensable" | "sans_photo";

export const MESSAGES = {
  localisationManquante: "Veuillez préciser où se trouve l’objet",
  localisationInvalide: "La localisation de l’objet n’est pas valide",
  edificeManquant: "Veuillez sélectionner un édifice. S’il n’est pas dans la liste, choisissez « Autre édifice ».",
  edificeAutreSansNom: "Veuillez préciser le nom de l’édifice dans lequel l’objet a été déplacé",
  edificeNomManquant: "Veuillez indiquer le nom de l’édifice dans lequel se trouve l’objet",
  inseeManquant: "Le code INSEE de la commune dans laquelle se trouve maintenant l’objet doit être indiqué",
  inseeInvalide: "Le code INSEE doit être composé de 5 caractères : des chiffres, ou 2A / 2B pour la Corse (par exemple 35238)",
  inseeMemeCommune: "Ce code INSEE est celui de votre commune : choisissez plutôt « dans un autre édifice de la commune » à l’étape 1",
  recensableManquant: "Veuillez indiquer si l’objet est recensable ou non",
  etatManquant: "Veuillez préciser l’état de l’objet",
  etatInvalide: "L’état de l’objet n’est pas valide",
  securisationManquante: "Veuillez préciser la sécurisation de l’objet",
  securisationInvalide: "La sécurisation de l’objet n’est pas valide",
  notesTropLongues: "Votre commentaire est trop long (10 000 caractères au plus)",
  texteTropLong: "Ce texte est trop long (200 caractères au plus)",
} as const;

export const NOTES_MAX = 10_000;
const NOM_MAX = 200;

type Formulaire = Record<string, unknown>;

function texte(form: Formulaire, champ: string): string {
  const value = form[champ];
  return typeof value === "string" ? value.trim() : "";
}

/** Step 1. Changing the answer clears the précisions and recomputes `recensable` (RB ⚠ fixed). */
export function etapeLocalisation(form: Formulaire, actuelles: Reponses): ResultatEtape {
  const valeur = texte(form, "localisation");
  if (!valeur) return { ok: false, erreurs: [{ champ: "localisation", message: MESSAGES.localisationManquante }] };
  if (!(LOCALISATIONS as readonly string[]).includes(valeur)) {
    return { ok: false, erreurs: [{ champ: "localisation", message: MESSAGES.localisationInvalide }] };
  }
  const localisation = valeur as Localisation;
  if (localisation === "absent" && actuelles.localisation !== "absent" && texte(form, "confirme") !== "1") {
    return { ok: "confirmation", confirmation: "absent" };
  }
  if (localisation === actuelles.localisation) return { ok: true, patch: {} };
  const recensable = recensableImplique(localisation);
  return {
    ok: true,
    patch: {
      localisation,
      edifice_nom: null,
      autre_commune_code_insee: null,
      recensable,
      ...(recensable === false ? { etat_sanitaire: null, securisation: null } : {}),
    },
  };
}

export type AutreEdifice = { id: number; nom: string };
export const AUTRE_EDIFICE = "autre";

/** Step 2: which building (another one of the commune, or another commune). */
export function etapePrecisions(
  form: Formulaire,
  actuelles: Reponses,
  autresEdifices: readonly AutreEdifice[],
  communeCodeInsee: string,
): ResultatEtape {
  if (actuelles.localisation === "autre_edifice") {
    const choix = texte(form, "edifice_choix");
    if (!choix) return { ok: false, erreurs: [{ champ: "edifice_choix", message: MESSAGES.edificeManquant }] };
    if (choix === AUTRE_EDIFICE) {
      const nom = texte(form, "edifice_nom");
      if (!nom) return { ok: false, erreurs: [{ champ: "edifice_nom", message: MESSAGES.edificeAutreSansNom }] };
      if (nom.length > NOM_MAX) return { ok: false, erreurs: [{ champ: "edifice_nom", message: MESSAGES.texteTropLong }] };
      return { ok: true, patch: { edifice_nom: nom } };
    }
    const edifice = autresEdifices.find((e) => String(e.id) === choix);
    if (!edifice) return { ok: false, erreurs: [{ champ: "edifice_choix", message: MESSAGES.edificeManquant }] };
    return { ok: true, patch: { edifice_nom: edifice.nom } };
  }
  if (actuelles.localisation === "deplacement_autre_commune") {
    const erreurs: ChampErreur[] = [];
    const insee = texte(form, "autre_commune_code_insee").toUpperCase();
    if (!insee) erreurs.push({ champ: "autre_commune_code_insee", message: MESSAGES.inseeManquant });
    else if (!/^[0-9][0-9AB][0-9]{3}$/.test(insee)) erreurs.push({ champ: "autre_commune_code_insee", message: MESSAGES.inseeInvalide });
    else if (insee === communeCodeInsee) erreurs.push({ champ: "autre_commune_code_insee", message: MESSAGES.inseeMemeCommune });
    const nom = texte(form, "edifice_nom");
    if (!nom) erreurs.push({ champ: "edifice_nom", message: MESSAGES.edificeNomManquant });
    else if (nom.length > NOM_MAX) erreurs.push({ champ: "edifice_nom", message: MESSAGES.texteTropLong });
    if (erreurs.length > 0) return { ok: false, erreurs };
    return { ok: true, patch: { autre_commune_code_insee: insee, edifice_nom: nom } };
  }
  return { ok: true, patch: {} };
}

/** Step 3. "Not recensable" clears the assessment (photos go at completion) and asks for a confirmation first. */
export function etapeAccessibilite(form: Formulaire, actuelles: Reponses): ResultatEtape {
  const valeur = texte(form, "recensable");
  if (valeur !== "oui" && valeur !== "non") {
    return { ok: false, erreurs: [{ champ: "recensable", message: MESSAGES.recensableManquant }] };
  }
  if (valeur === "oui") return { ok: true, patch: { recensable: true } };
  if (actuelles.recensable !== false && texte(form, "confirme") !== "1") return { ok: "confirmation", confirmation: "non_recensable" };
  return { ok: true, patch: { recensable: false, etat_sanitaire: null, securisation: null } };
}

/** Step 4: continuing without any photo needs a confirmation. */
export function etapePhotos(form: Formulaire, photosCount: number): ResultatEtape {
  if (photosCount === 0 && texte(form, "confirme") !== "1") return { ok: "confirmation", confirmation: "sans_photo" };
  return { ok: true, patch: {} };
}

/** Step 5. A value the conservateur overrode cannot be changed by the commune (the radios are disabled). */
export function etapeEtat(form: Formulaire, actuelles: Reponses): ResultatEtape {
  const erreurs: ChampErreur[] = [];
  const patch: Patch = {};
  if (actuelles.analyse_etat_sanitaire === null) {
    const etat = texte(form, "etat_sanitaire");
    if (!etat) erreurs.push({ champ: "etat_sanitaire", message: MESSAGES.etatManquant });
    else if (!(ETATS_SANITAIRES as readonly string[]).includes(etat))
      erreurs.push({ champ: "etat_sanitaire", message: MESSAGES.etatInvalide });
    else patch.etat_sanitaire = etat as EtatSanitaire;
  }
  if (actuelles.analyse_securisation === null) {
    const securisation = texte(form, "securisation");
    if (!securisation) erreurs.push({ champ: "securisation", message: MESSAGES.securisationManquante });
    else if (!(SECURISATIONS as readonly string[]).includes(securisation)) {
      erreurs.push({ champ: "securisation", message: MESSAGES.securisationInvalide });
    } else patch.securisation = securisation as Securisation;
  }
  return erreurs.length > 0 ? { ok: false, erreurs } : { ok: true, patch };
}

/** Step 6: optional comments. */
export function etapeCommentaires(form: Formulaire): ResultatEtape {
  const raw = typeof form.notes === "string" ? form.notes.replace(/\r\n/g, "\n").trim() : "";
  if (raw.length > NOTES_MAX) return { ok: false, erreurs: [{ champ: "notes", message: MESSAGES.notesTropLongues }] };
  return { ok: true, patch: { notes: raw || null } };
}

/** Keeps only the fields whose value changes, so saving an unchanged step writes nothing. */
export function patchEffectif(patch: Patch, actuelles: Reponses): Patch {
  const effectif: Patch = {};
  for (const [key, value] of Object.entries(patch) as [keyof Patch, Patch[keyof Patch]][]) {
    if (actuelles[key] !== value) (effectif as Record<string, unknown>)[key] = value;
  }
  return effectif;
}

// ——— Completion (step 7) ———

export type ErreurCompletion = { etape: Etape; message: string };

/** What must hold for "Valider le recensement de cet objet" (RB §2.2 validations when completed). */
export function erreursDeCompletion(r: Reponses): ErreurCompletion[] {
  const erreurs: ErreurCompletion[] = [];
  if (!r.localisation) return [{ etape: 1, message: MESSAGES.localisationManquante }];
  if (r.localisation === "autre_edifice" && !r.edifice_nom) erreurs.push({ etape: 2, message: MESSAGES.edificeManquant });
  if (r.localisation === "deplacement_autre_commune") {
    if (!r.autre_commune_code_insee) erreurs.push({ etape: 2, message: MESSAGES.inseeManquant });
    if (!r.edifice_nom) erreurs.push({ etape: 2, message: MESSAGES.edificeNomManquant });
  }
  const recensable = recensableImplique(r.localisation) ?? r.recensable;
  if (recensable === null) erreurs.push({ etape: 3, message: MESSAGES.recensableManquant });
  if (recensable === true) {
    if ((r.analyse_etat_sanitaire ?? r.etat_sanitaire) === null) erreurs.push({ etape: 5, message: MESSAGES.etatManquant });
    if ((r.analyse_securisation ?? r.securisation) === null) erreurs.push({ etape: 5, message: MESSAGES.securisationManquante });
  }
  return erreurs;
}

/** At completion, an objet that is not recensable keeps no assessment and no photo (RB §3.3). */
export function nettoyageDeCompletion(r: Reponses): { patch: Patch; supprimerPhotos: boolean } {
  const recensable = recensableImplique(r.localisation) ?? r.recensable;
  if (recensable === false) return { patch: { recensable: false, etat_sanitaire: null, securisation: null }, supprimerPhotos: true };
  return { patch: {}, supprimerPhotos: false };
}

/** Photos can be added only while the answers say the objet is there and recensable (or not yet known). */
export function photosPermises(r: Pick<Reponses, "localisation" | "recensable">): boolean {
  return recensableImplique(r.localisation) !== false && r.recensable !== false;
}

// ——— What the commune may do ———

/**
 * A commune edits its recensements while its dossier is being built. Once sent, the answers are
 * read-only: a change goes through the messagerie (RB let a submitted recensement fall back to
 * draft inside a submitted dossier, which left dossiers half-sent).
 */
export function recensementModifiable(dossierStatus: DossierStatus | null): boolean {
  return dossierStatus === null || dossierStatus === "construction";
}

export const MESSAGE_NON_MODIFIABLE =
  "Votre recensement a été envoyé aux conservateurs : il ne peut plus être modifié ici. Pour signaler un changement, écrivez-leur depuis la messagerie.";

// ——— Labels shown to the commune ———

export type BadgeRecensement = { label: string; severity: "success" | "info" | "new" } | null;

export function badgeRecensement(status: RecensementStatus | null, dossierStatus: DossierStatus | null): BadgeRecensement {
  if (dossierStatus === "accepted") return null;
  if (status === "completed") return { label: "Recensé", severity: "success" };
  if (status === "draft") return { label: "Recensement à compléter", severity: "info" };
  return { label: "Pas encore recensé", severity: "new" };
}

export type ActionObjet = "Afficher" | "Compléter" | "Modifier" | "Recenser";

/** The card button of an objet (RB §4.3). */
export function actionObjet(status: RecensementStatus | null, dossierStatus: DossierStatus | null): ActionObjet {
  if (!recensementModifiable(dossierStatus)) return "Afficher";
  if (status === "draft") return "Compléter";
  if (status === "completed") return "Modifier";
  return "Recenser";
}

export function phraseLocalisation(
  r: Pick<Reponses, "localisation" | "edifice_nom" | "autre_commune_code_insee">,
  edificeInitial: string,
  autreCommuneNom: string | null,
): string {
  switch (r.localisation) {
    case "edifice_initial":
      return `Oui, l’objet se trouve dans l’édifice indiqué initialement : ${edificeInitial}`;
    case "autre_edifice":
      return `Oui, l’objet a été déplacé dans un autre édifice de la commune : ${r.edifice_nom ?? "édifice non précisé"}`;
    case "deplacement_autre_commune":
      return `Oui, l’objet a été déplacé dans l’édifice « ${r.edifice_nom ?? "non précisé"} » ${
        autreCommuneNom
          ? `de la commune ${autreCommuneNom} (${r.autre_commune_code_insee})`
          : `de la commune avec le code INSEE ${r.autre_commune_code_insee ?? "non précisé"}`
      }`;
    case "deplacement_temporaire":
      return "Oui, l’objet a été déplacé temporairement (restauration, exposition…)";
    case "absent":
      return "Non, l’objet est introuvable";
    case null:
      return "Non renseigné";
  }
}
