import type { CampaignStatus, CampaignStep, CommuneStatus } from "../platform/db/schema.ts";

/** RB §3.4–3.5, §7.4: the rules of a campaign, pure. Dates are 'YYYY-MM-DD' days in Europe/Paris. */

export const ETAPES: readonly CampaignStep[] = ["lancement", "relance1", "relance2", "relance3", "fin"];

export const CHAMP_DATE: Record<CampaignStep, `date_${CampaignStep}`> = {
  lancement: "date_lancement",
  relance1: "date_relance1",
  relance2: "date_relance2",
  relance3: "date_relance3",
  fin: "date_fin",
};

export type DatesCampagne = Record<`date_${CampaignStep}`, string>;

export const ETAPE_LABELS: Record<CampaignStep, string> = {
  lancement: "Lancement",
  relance1: "Première relance",
  relance2: "Deuxième relance",
  relance3: "Troisième relance",
  fin: "Clôture",
};

export const DATE_LABELS: Record<CampaignStep, string> = {
  lancement: "La date de lancement",
  relance1: "La date de la première relance",
  relance2: "La date de la deuxième relance",
  relance3: "La date de la troisième relance",
  fin: "La date de clôture",
};

export const CAMPAGNE_STATUS_LABELS: Record<CampaignStatus, string> = {
  draft: "Brouillon",
  planned: "Planifiée",
  ongoing: "En cours",
  finished: "Terminée",
};

/** Days between two consecutive steps when the dates are pre-filled (RB §5.15: J, J+14, J+28, J+42, J+56). */
export const ECART_PAR_DEFAUT_JOURS = 14;

export function ajouterJours(jour: string, jours: number): string {
  const date = new Date(`${jour}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + jours);
  return date.toISOString().slice(0, 10);
}

export function estUnJourOuvre(jour: string): boolean {
  const day = new Date(`${jour}T12:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6;
}

/** J, J+14, J+28, J+42, J+56 from the launch day. */
export function datesParDefaut(lancement: string): DatesCampagne {
  return {
    date_lancement: lancement,
    date_relance1: ajouterJours(lancement, ECART_PAR_DEFAUT_JOURS),
    date_relance2: ajouterJours(lancement, 2 * ECART_PAR_DEFAUT_JOURS),
    date_relance3: ajouterJours(lancement, 3 * ECART_PAR_DEFAUT_JOURS),
    date_fin: ajouterJours(lancement, 4 * ECART_PAR_DEFAUT_JOURS),
  };
}

/** The step of a given day: the last step whose date is on or before it (null before the launch). */
export function etapeDuJour(dates: DatesCampagne, jour: string): CampaignStep | null {
  let courante: CampaignStep | null = null;
  for (const etape of ETAPES) if (dates[CHAMP_DATE[etape]] <= jour) courante = etape;
  return courante;
}

export function etapePrecedente(etape: CampaignStep): CampaignStep | null {
  const index = ETAPES.indexOf(etape);
  return index > 0 ? (ETAPES[index - 1] ?? null) : null;
}

// ——— State machine (RB §3.4) ———

export type CampagneEvent = "plan" | "return_to_draft" | "start" | "finish";

export const CAMPAGNE_TRANSITIONS: Readonly<Record<CampagneEvent, Readonly<Partial<Record<CampaignStatus, CampaignStatus>>>>> = {
  plan: { draft: "planned" },
  return_to_draft: { planned: "draft" },
  start: { planned: "ongoing" },
  finish: { ongoing: "finished" },
};

export function campagneTransition(from: CampaignStatus, event: CampagneEvent): CampaignStatus | null {
  return CAMPAGNE_TRANSITIONS[event][from] ?? null;
}

// ——— Validation (RB §3.4, overlap checked on the dates: RB ⚠ fixed) ———

export type CampagneAValider = DatesCampagne & {
  id?: number;
  sender_name: string | null;
  signature: string | null;
  nom_drac: string | null;
};

export type AutreCampagne = { id: number; status: CampaignStatus; date_lancement: string; date_fin: string };

export type ChampCampagne = `date_${CampaignStep}` | "sender_name" | "signature" | "nom_drac";
export type ErreursCampagne = Partial<Record<ChampCampagne, string>>;

const JOUR = /^\d{4}-\d{2}-\d{2}$/;

function jourValide(jour: string): boolean {
  if (!JOUR.test(jour)) return false;
  return new Date(`${jour}T12:00:00Z`).toISOString().slice(0, 10) === jour;
}

/**
 * Checks a campaign for the status it is to have (`draft` while editing, `planned` when planning).
 * Every date is required and a weekday; dates are strictly increasing (pairs already past are not
 * checked); the launch is strictly in the future; once planned, sender, signature and DRAC are required
 * and no other planned or ongoing campaign of the département may overlap its dates.
 */
export function validerCampagne(
  campagne: CampagneAValider,
  cible: "draft" | "planned",
  aujourdhui: string,
  autres: readonly AutreCampagne[] = [],
): ErreursCampagne {
  const erreurs: ErreursCampagne = {};
  for (const etape of ETAPES) {
    const champ = CHAMP_DATE[etape];
    const jour = campagne[champ];
    if (!jour) erreurs[champ] = `${DATE_LABELS[etape]} est obligatoire.`;
    else if (!jourValide(jour)) erreurs[champ] = `${DATE_LABELS[etape]} n’est pas une date valide.`;
    else if (!estUnJourOuvre(jour)) erreurs[champ] = `${DATE_LABELS[etape]} ne peut pas être un samedi ou un dimanche.`;
  }
  for (let i = 1; i < ETAPES.length; i++) {
    const avant = ETAPES[i - 1]!;
    const apres = ETAPES[i]!;
    const [a, b] = [campagne[CHAMP_DATE[avant]], campagne[CHAMP_DATE[apres]]];
    if (erreurs[CHAMP_DATE[avant]] || erreurs[CHAMP_DATE[apres]]) continue;
    if (b < aujourdhui) continue;
    if (b <= a)
      erreurs[CHAMP_DATE[apres]] ??= `${DATE_LABELS[apres]} doit être postérieure à ${DATE_LABELS[avant].replace(/^La /, "la ")}.`;
  }
  if (!erreurs.date_lancement && campagne.date_lancement <= aujourdhui) {
    erreurs.date_lancement = "La date de lancement doit être dans le futur.";
  }
  if (cible === "planned") {
    if (!campagne.sender_name?.trim()) erreurs.sender_name = "Indiquez le nom de l’émetteur des mails.";
    if (!campagne.signature?.trim()) erreurs.signature = "Indiquez la signature des mails.";
    if (!campagne.nom_drac?.trim()) erreurs.nom_drac = "Indiquez le nom de la DRAC.";
    if (!erreurs.date_lancement && !erreurs.date_fin) {
      const chevauche = autres.find(
        (autre) =>
          autre.id !== campagne.id &&
          (autre.status === "planned" || autre.status === "ongoing") &&
          autre.date_lancement <= campagne.date_fin &&
          campagne.date_lancement <= autre.date_fin,
      );
      if (chevauche) {
        erreurs.date_lancement = `Une autre campagne de ce département a lieu du ${chevauche.date_lancement} au ${chevauche.date_fin} : les dates ne peuvent pas se chevaucher.`;
      }
    }
  }
  return erreurs;
}

// ——— Daily sequence (RB §7.4) ———

export type VarianteMail = "inactive" | "started" | "to_complete";

/** The mail variant from the commune's state when the mail is sent; null: the commune gets nothing. */
export function varianteMail(
  etape: CampaignStep,
  commune: { status: CommuneStatus; objetsCount: number; recensementsCompletes: number },
): VarianteMail | null {
  if (commune.status === "completed") return null;
  if (etape === "lancement" || commune.status === "inactive") return "inactive";
  return commune.recensementsCompletes >= commune.objetsCount ? "to_complete" : "started";
}

export type DecisionEtape = "envoyer" | "sauter" | "ignorer";

/**
 * What the step-up does for one recipient: `ignorer` leaves it where it is (opted out, not at the
 * previous step, commune completed); `sauter` moves it to the step without a mail; `envoyer` mails it.
 * `relance1` is skipped once the commune has started; any step but `fin` is skipped when a recensement
 * changed in the 5 days before the step's date.
 */
export function decisionEtape(input: {
  etape: CampaignStep;
  dateEtape: string;
  etapeActuelle: CampaignStep | null;
  optOut: boolean;
  communeStatus: CommuneStatus;
  derniereModificationRecensement: string | null;
}): DecisionEtape {
  if (input.optOut || input.communeStatus === "completed") return "ignorer";
  if (input.etapeActuelle !== etapePrecedente(input.etape)) return "ignorer";
  if (input.etape === "fin") return "envoyer";
  if (input.etape === "relance1" && input.communeStatus !== "inactive") return "sauter";
  const limite = ajouterJours(input.dateEtape, -5);
  if (input.derniereModificationRecensement && input.derniereModificationRecensement >= limite) return "sauter";
  return "envoyer";
}
