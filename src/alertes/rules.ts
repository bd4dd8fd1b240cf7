import type { AlerteKind, AlerteSource, EtatSanitaire, Localisation } from "../platform/db/schema.ts";

/** What a recensement says that may raise an alert. */
export type ReponsesAlerte = {
  localisation: Localisation | null;
  etat_sanitaire: EtatSanitaire | null;
  analyse_etat_sanitaire: EtatSanitaire | null;
};

/**
 * Alerts raised by a commune completing a recensement: the objet was not found (the questionnaire's
 * "absent") or the commune judged it en péril.
 */
export function alertesDeLaCommune(r: ReponsesAlerte): AlerteKind[] {
  const kinds: AlerteKind[] = [];
  if (r.localisation === "absent") kinds.push("disparu");
  else if (r.etat_sanitaire === "peril") kinds.push("peril");
  return kinds;
}

/** Alerts raised by a conservateur's examen: an override of the état sanitaire to « en péril ». */
export function alertesDuConservateur(r: ReponsesAlerte): AlerteKind[] {
  return r.analyse_etat_sanitaire === "peril" ? ["peril"] : [];
}

export function alertesLevees(source: AlerteSource, r: ReponsesAlerte): AlerteKind[] {
  return source === "commune" ? alertesDeLaCommune(r) : alertesDuConservateur(r);
}

export const ALERTE_KIND_LABELS: Record<AlerteKind, string> = {
  disparu: "Disparu",
  peril: "En péril",
};

/** What was reported, in one sentence, for the list and the mail. */
export function ceQuiAEteSignale(kind: AlerteKind, source: AlerteSource): string {
  if (source === "conservateur")
    return kind === "peril" ? "Jugé en péril par un conservateur lors de l’examen" : "Déclaré disparu par un conservateur";
  return kind === "peril" ? "La commune signale l’objet en péril" : "La commune n’a pas trouvé l’objet (disparu)";
}

// ——— Handling an alert: one explicit transition ———

export type AlerteEtat = "ouverte" | "traitee";
export type AlerteEvent = "traiter";
export const ALERTE_TRANSITIONS: Record<AlerteEvent, Partial<Record<AlerteEtat, AlerteEtat>>> = {
  traiter: { ouverte: "traitee" },
};

export function etatAlerte(alerte: { traitee_at: Date | null }): AlerteEtat {
  return alerte.traitee_at ? "traitee" : "ouverte";
}

export function peutTraiter(alerte: { traitee_at: Date | null }): boolean {
  return ALERTE_TRANSITIONS.traiter[etatAlerte(alerte)] !== undefined;
}

export const MESSAGES_ALERTES = {
  confirmationManquante: "Confirmez que l’alerte a été traitée en cochant la case prévue, puis validez.",
  dejaTraitee: "Cette alerte a déjà été marquée comme traitée.",
} as const;

// ——— The list's page and view, read from the query string ———

export const ALERTES_PAR_PAGE = 20;
export type VueAlertes = "ouvertes" | "traitees";
const MAX_PAGE = 10_000;

export function lireListeAlertes(query: unknown): { vue: VueAlertes; page: number } {
  const q = (query && typeof query === "object" ? query : {}) as Record<string, unknown>;
  const vue: VueAlertes = q.vue === "traitees" ? "traitees" : "ouvertes";
  const brute = typeof q.page === "string" && /^[1-9][0-9]{0,4}$/.test(q.page) ? Number(q.page) : 1;
  return { vue, page: Math.min(brute, MAX_PAGE) };
}

/** The Paris calendar day of an instant, 'YYYY-MM-DD': the alert mails' unit (one per commune and day). */
export function jourParis(instant: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
}
