/** Formatting helpers of the campaign mails and the unsubscribe pages (pure). */

const jourLong = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
});

/** 'YYYY-MM-DD' (a day in Europe/Paris) → "lundi 4 mars 2024". Noon UTC is the same day in Paris. */
export function jourAvecSemaine(jour: string): string {
  return jourLong.format(new Date(`${jour}T12:00:00Z`));
}

/** Whole days from `depuis` to `jusqua` ('YYYY-MM-DD'). */
export function joursEntre(depuis: string, jusqua: string): number {
  return Math.round((Date.parse(`${jusqua}T12:00:00Z`) - Date.parse(`${depuis}T12:00:00Z`)) / 86_400_000);
}

/** "1 objet protégé", "12 objets protégés". */
export function objetsProteges(n: number): string {
  return n === 1 ? "1 objet protégé" : `${n} objets protégés`;
}

/** The bare address of a From value (`Name <a@b>` or `a@b`). */
export function adresseDe(from: string): string {
  return (/<([^>]+)>/.exec(from)?.[1] ?? from).trim();
}

/** A quoted display name for a header: no line breaks, quotes and backslashes escaped. */
export function nomAffiche(nom: string): string {
  const propre = nom
    .replace(/[\r\n\t]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return `"${propre.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** Non-empty lines of a multi-line text typed by a conservateur (message, signature). */
export function lignes(texte: string | null | undefined): string[] {
  return (texte ?? "")
    .split(/\r?\n/)
    .map((ligne) => ligne.trimEnd())
    .filter((ligne) => ligne.trim() !== "");
}

/** "de Baud", "d’Auray", "d’Eguisheim": the elision before a vowel (not before h, often aspirated in names). */
export function de(nom: string): string {
  return /^[aeiouyàâäéèêëîïôöùûü]/i.test(nom) ? `d’${nom}` : `de ${nom}`;
}
