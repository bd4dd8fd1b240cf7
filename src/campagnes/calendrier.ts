import type { CampaignStatus } from "../platform/db/schema.ts";
import { ETAPES, CHAMP_DATE, ETAPE_LABELS, ajouterJours, type DatesCampagne } from "./rules.ts";

/** `/campaigns.ics` (RFC 5545): one all-day event per step of every planned, ongoing or finished campaign. Pure. */

export type CampagneCalendrier = DatesCampagne & {
  id: number;
  status: CampaignStatus;
  departement_code: string;
  departement_nom: string;
};

/** TEXT value escaping (RFC 5545 §3.3.11). */
export function echapperTexte(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/** Folds a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character. */
export function plierLigne(line: string): string {
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  let limit = 75;
  for (const char of line) {
    const size = Buffer.byteLength(char, "utf8");
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
      limit = 74; // continuation lines start with a space
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

function jourIcs(jour: string): string {
  return jour.replace(/-/g, "");
}

function horodatageIcs(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

export function calendrierCampagnes(
  campagnes: readonly CampagneCalendrier[],
  options: { publicUrl: string; host: string; now: Date },
): string {
  const stamp = horodatageIcs(options.now);
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Collectif Objets//Campagnes//FR", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"];
  lines.push(`X-WR-CALNAME:${echapperTexte("Campagnes Collectif Objets")}`);
  for (const campagne of campagnes) {
    if (campagne.status === "draft") continue;
    const url = `${options.publicUrl}/conservateurs/campagnes/${campagne.id}`;
    for (const etape of ETAPES) {
      const jour = campagne[CHAMP_DATE[etape]];
      lines.push(
        "BEGIN:VEVENT",
        `UID:campagne-${campagne.id}-${etape}@${options.host}`,
        `DTSTAMP:${stamp}`,
        `DTSTART;VALUE=DATE:${jourIcs(jour)}`,
        `DTEND;VALUE=DATE:${jourIcs(ajouterJours(jour, 1))}`,
        `SUMMARY:${echapperTexte(`${ETAPE_LABELS[etape]} - ${campagne.departement_code} ${campagne.departement_nom}`)}`,
        `DESCRIPTION:${echapperTexte(`Campagne de recensement ${campagne.departement_code} - ${campagne.departement_nom} : ${ETAPE_LABELS[etape].toLowerCase()}.`)}`,
        `URL:${url}`,
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
      );
    }
  }
  lines.push("END:VCALENDAR");
  return lines.map(plierLigne).join("\r\n") + "\r\n";
}
