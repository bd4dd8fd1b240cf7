/** Rules of the messagerie threads: who is shown how, what a message may hold. */

export const TEXTE_MAX = 10_000;
/** Messages shown at once; older ones are read page by page. */
export const MESSAGES_PAR_PAGE = 50;
/** Threads per page of the conservateur's inbox. */
export const FILS_PAR_PAGE = 20;

export type AuteurType = "commune" | "conservateur" | "admin";
export type Lecteur = { type: AuteurType; id: number };

export const ROLES: Record<AuteurType, string> = { commune: "Commune", conservateur: "Conservateur", admin: "Support" };

export const MESSAGES_MESSAGERIE = {
  texteManquant: "Écrivez votre message avant de l’envoyer.",
  texteTropLong: `Votre message est trop long : ${TEXTE_MAX.toLocaleString("fr-FR")} caractères au plus. Coupez-le en plusieurs messages ou joignez un document.`,
  piecesRefusees: "Votre message n’a pas été envoyé : retirez ou remplacez les pièces jointes refusées, puis envoyez-le à nouveau.",
  envoye: "Votre message a été envoyé.",
} as const;

/** "Vous" for the reader's own messages (a commune sees all its users' messages as its own), else "Nom (Rôle)". */
export function libelleAuteur(auteur: { type: AuteurType; id: number; nom: string }, lecteur: Lecteur): string {
  const soi = auteur.type === lecteur.type && (auteur.type === "commune" || auteur.id === lecteur.id);
  return soi ? "Vous" : `${auteur.nom} (${ROLES[auteur.type]})`;
}

/** Checks the text of a new message; the error to show, or null. */
export function erreurTexte(texte: string): string | null {
  if (texte.trim() === "") return MESSAGES_MESSAGERIE.texteManquant;
  if ([...texte].length > TEXTE_MAX) return MESSAGES_MESSAGERIE.texteTropLong;
  return null;
}

/** Line endings of a textarea normalised, trailing spaces of the whole message dropped. */
export function normaliserTexte(texte: string): string {
  return texte.replace(/\r\n?/g, "\n").trimEnd();
}

/** "12,3 Ko", "1,2 Mo". */
export function tailleLisible(octets: number): string {
  if (octets < 1024) return `${octets} octets`;
  if (octets < 1024 * 1024) return `${(octets / 1024).toLocaleString("fr-FR", { maximumFractionDigits: 0 })} Ko`;
  return `${(octets / 1024 / 1024).toLocaleString("fr-FR", { maximumFractionDigits: 1 })} Mo`;
}

/**
 * `Content-Disposition` of a download: an ASCII fallback without quotes nor control characters, and the
 * real name in RFC 5987 form.
 */
export function contentDisposition(type: "inline" | "attachment", filename: string): string {
  const ascii =
    filename
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .replace(/[^A-Za-z0-9._ -]/g, "_")
      .trim() || "piece-jointe";
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

const dateHeure = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/** "3 mars 2026 à 14:05" (Paris time). */
export function dateMessage(date: Date): string {
  return dateHeure.format(date);
}

/** First words of a message for a list: one line, at most `max` characters. */
export function extrait(texte: string, max = 140): string {
  const ligne = texte.replace(/\s+/g, " ").trim();
  if ([...ligne].length <= max) return ligne;
  return `${[...ligne]
    .slice(0, max - 1)
    .join("")
    .trimEnd()}…`;
}
