import type { ImportKind } from "../../platform/db/schema.ts";
import { MAIL_STATUS_LABELS, type MailStatus } from "../repository-outils.ts";

/** Small pieces shared by the dashboard, mails, jobs and imports pages. */

const DATE_HEURE = new Intl.DateTimeFormat("fr-FR", { dateStyle: "short", timeStyle: "short", timeZone: "Europe/Paris" });
const JOUR = new Intl.DateTimeFormat("fr-FR", { dateStyle: "short", timeZone: "UTC" });

export function dateHeureAdmin(date: Date | string | null): string {
  if (!date) return "—";
  return DATE_HEURE.format(new Date(date));
}

/** A 'YYYY-MM-DD' day as dd/mm/yyyy. */
export function jourAdmin(jour: string): string {
  return JOUR.format(new Date(`${jour}T12:00:00Z`));
}

const MAIL_BADGES: Record<MailStatus, string> = {
  pending: "fr-badge--info",
  sending: "fr-badge--new",
  sent: "fr-badge--success",
  failed: "fr-badge--error",
};

export function BadgeMail({ status, attempts }: { status: MailStatus; attempts: number }) {
  const difficulte = status === "pending" && attempts > 1;
  return (
    <p class={`fr-badge fr-badge--sm fr-badge--no-icon ${difficulte ? "fr-badge--warning" : MAIL_BADGES[status]}`}>
      {difficulte ? `Nouvel essai prévu (${attempts - 1} échec${attempts > 2 ? "s" : ""})` : MAIL_STATUS_LABELS[status]}
    </p>
  );
}

export const IMPORT_KIND_LABELS: Record<ImportKind, string> = {
  palissy: "Objets (Palissy)",
  merimee: "Édifices (Mérimée)",
  annuaire: "Annuaire des mairies",
  memoire: "Photos (Mémoire)",
};

export const IMPORT_STATUS_LABELS = { pending: "En attente", running: "En cours", succeeded: "Réussi", failed: "Échoué" } as const;

export function BadgeImport({ status }: { status: keyof typeof IMPORT_STATUS_LABELS }) {
  const classe = status === "failed" ? "fr-badge--error" : status === "succeeded" ? "fr-badge--success" : "fr-badge--info";
  return <p class={`fr-badge fr-badge--sm fr-badge--no-icon ${classe}`}>{IMPORT_STATUS_LABELS[status]}</p>;
}

/** The error output of a failed job, as pg-boss stores it ({ message, stack } or any JSON). */
export function texteSortie(output: unknown): string {
  if (output === null || output === undefined) return "Aucun message d’erreur enregistré.";
  if (typeof output === "string") return output;
  if (typeof output === "object") {
    const o = output as { message?: unknown; stack?: unknown };
    if (typeof o.stack === "string") return o.stack;
    if (typeof o.message === "string") return o.message;
  }
  return JSON.stringify(output, null, 2);
}
