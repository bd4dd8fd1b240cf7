import sanitizeHtml from "sanitize-html";
import { BALISES_SANS_TEXTE } from "./sanitize.ts";

/**
 * Splits a reply received by mail into what the person wrote, the quoted history of the conversation and the
 * signature, so that the thread shows the reply and keeps the rest folded. The plain text part is preferred for
 * the text; the HTML part, cut before its quote, gives the formatted body (sanitised later by sanitize.ts).
 * Everything from the first mark of a quote onwards is history: the attribution line of the client, `>` lines,
 * the separators and header blocks of Outlook and webmails. Interleaved replies (answers between `>` lines) are
 * kept whole, since the answers mean nothing without the quoted questions.
 */
export type ReponseExtraite = {
  /** The reply, without history nor signature (may be empty). */
  texte: string;
  /** The HTML of the reply cut before its quote, not sanitised; null when there is no HTML part or it could not be cut safely. */
  html: string | null;
  historique: string | null;
  signature: string | null;
};

export type PartiesMail = { text?: string | null | undefined; html?: string | null | undefined };

export function extraireReponse(parties: PartiesMail): ReponseExtraite {
  const html = parties.html?.trim() ? parties.html : null;
  if (parties.text?.trim() || !html) return { ...decouperTexte(parties.text ?? ""), html: html ? couperHtml(html) : null };
  // An HTML-only mail: its own marks tell where the history starts.
  const coupe = positionCoupe(html);
  const reponse = decouperTexte(texteDepuisHtml(html.slice(0, coupe)));
  const suite = texteDepuisHtml(html.slice(coupe));
  return {
    texte: reponse.texte,
    historique: [reponse.historique, suite].filter(Boolean).join("\n\n") || null,
    signature: reponse.signature,
    html: couperHtml(html),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Plain text

const QUOTE = /^\s*>/;
const ECRIT = /(?:a\s+écrit|wrote|schrieb|ha\s+scritto|escribió)\s*:\s*$/i;
const ATTRIBUTION = /^\s*(?:Le|On|El|Am|Il)\s.*(?:a\s+écrit|wrote|schrieb|ha\s+scritto|escribió)\s*:\s*$/i;
const DEBUT_ATTRIBUTION = /^\s*(?:Le|On|El|Am|Il)\s.*\d/i;
const SEPARATEUR =
  /^\s*-{2,}\s*(?:Message\s+d['’]origine|Original\s+Message|Mail\s+original|Message\s+transf[ée]r[ée]|Forwarded\s+message|Courriel\s+original)\s*-{2,}\s*$/i;
const TRAIT = /^\s*_{10,}\s*$/;
const ENTETE_DE = /^\s*\*?(?:De|From)\s*\*?\s*:\s*\S/i;
const ENTETE_SUIVANT = /^\s*\*?(?:Envoyé|Envoye|Sent|Date|À|A|To|Cc|Objet|Subject)\s*\*?\s*:/i;
const TIRETS_SIGNATURE = /^--\s?$/;
const SIGNATURE_MOBILE =
  /^\s*(?:Envoyé|Envoye|Sent|Get|Obtenir|Télécharge[rz])\s.{0,60}\b(?:iPhone|iPad|mobile|appareil|Galaxy|Samsung|Android|iOS|Outlook|smartphone|BlackBerry|Huawei|Xiaomi|tablette|Yahoo\s+Mail|Orange)\b.{0,40}$/i;

function estEnteteOutlook(lignes: readonly string[], i: number): boolean {
  if (!ENTETE_DE.test(lignes[i]!)) return false;
  let suivants = 0;
  for (let j = i + 1; j < Math.min(lignes.length, i + 6); j++) if (ENTETE_SUIVANT.test(lignes[j]!)) suivants++;
  return suivants >= 2;
}

/** Index of the first line of the history, or -1. */
function debutHistorique(lignes: readonly string[]): number {
  for (let i = 0; i < lignes.length; i++) {
    const ligne = lignes[i]!;
    if (QUOTE.test(ligne) || ATTRIBUTION.test(ligne) || SEPARATEUR.test(ligne) || estEnteteOutlook(lignes, i)) return i;
    const suivante = lignes[i + 1];
    // An attribution wrapped on two lines ("Le lun. 3 nov. 2025 à 10:12, Jean Dupont <\njean@x.fr> a écrit :").
    if (suivante !== undefined && DEBUT_ATTRIBUTION.test(ligne) && ECRIT.test(suivante) && (ligne + suivante).length < 300) return i;
    if (TRAIT.test(ligne)) {
      const prochaine = lignes.slice(i + 1).findIndex((l) => l.trim() !== "");
      if (prochaine >= 0 && estEnteteOutlook(lignes, i + 1 + prochaine)) return i;
    }
  }
  return -1;
}

/**
 * Answers written between quoted lines: the history starts with `>` lines (after the attribution, if any) and
 * an unquoted line follows them. Separators and header blocks (an older history, Outlook style) end the scan.
 */
function estEntrelace(lignes: readonly string[], debut: number): boolean {
  let i = debut;
  while (i < lignes.length && !QUOTE.test(lignes[i]!) && i - debut < 3) {
    if (SEPARATEUR.test(lignes[i]!) || estEnteteOutlook(lignes, i)) return false;
    i++;
  }
  if (i >= lignes.length || !QUOTE.test(lignes[i]!)) return false;
  for (; i < lignes.length; i++) {
    const ligne = lignes[i]!;
    if (ligne.trim() === "" || QUOTE.test(ligne)) continue;
    if (SEPARATEUR.test(ligne) || TRAIT.test(ligne) || estEnteteOutlook(lignes, i)) return false;
    // A signature or the attribution of a nested quote after the quote is not an answer.
    if (!TIRETS_SIGNATURE.test(ligne) && !SIGNATURE_MOBILE.test(ligne) && !ATTRIBUTION.test(ligne)) return true;
  }
  return false;
}

function debutSignature(lignes: readonly string[]): number {
  const tirets = lignes.findIndex((l) => TIRETS_SIGNATURE.test(l));
  if (tirets >= 0) return tirets;
  const nonVides = lignes.map((l, i) => [l, i] as const).filter(([l]) => l.trim() !== "");
  for (const [ligne, i] of nonVides.slice(-3)) if (SIGNATURE_MOBILE.test(ligne)) return i;
  return -1;
}

function joindre(lignes: readonly string[]): string | null {
  const texte = lignes
    .join("\n")
    .replace(/^\s*\n/, "")
    .trimEnd();
  return texte.trim() ? texte : null;
}

export function decouperTexte(texte: string): { texte: string; historique: string | null; signature: string | null } {
  const lignes = texte
    .replace(/\r\n?/g, "\n")
    .replace(/^\uFEFF/, "")
    .split("\n");
  let fin = debutHistorique(lignes);
  if (fin >= 0 && estEntrelace(lignes, fin)) fin = -1;
  const reponse = fin >= 0 ? lignes.slice(0, fin) : lignes;
  const historique = fin >= 0 ? joindre(lignes.slice(fin)) : null;
  const signature = debutSignature(reponse);
  return {
    texte: joindre(signature >= 0 ? reponse.slice(0, signature) : reponse) ?? "",
    historique,
    signature: signature >= 0 ? joindre(reponse.slice(signature)) : null,
  };
}

// ---------------------------------------------------------------------------------------------------------
// HTML

/** Where the quoted history (or the signature) of each client starts in its HTML. */
const MARQUES_HTML: readonly RegExp[] = [
  /<div\b[^>]*\bclass\s*=\s*["']?[^"'>]*\bgmail_quote\b/i,
  /<div\b[^>]*\bclass\s*=\s*["']?[^"'>]*\b(?:gmail_signature|moz-signature|moz-cite-prefix|moz-forward-container|yahoo_quoted)\b/i,
  /<blockquote\b[^>]*\btype\s*=\s*["']?cite\b/i,
  /<div\b[^>]*\bid\s*=\s*["']?(?:appendonsend|divRplyFwdMsg|Signature)\b/i,
  /<hr\b[^>]*>\s*(?:<\/?(?:br|p|span|font|div)\b[^>]*>\s*)*<div\b[^>]*\bid\s*=\s*["']?divRplyFwdMsg\b/i,
  /<hr\b[^>]*\bid\s*=\s*["']?zwchr\b/i,
  // Outlook desktop: the header block of the quoted mail sits in a div with a top border.
  /<div\b[^>]*\bstyle\s*=\s*["'][^"']*border-top:\s*solid[^"']*["'][^>]*>(?=(?:\s*<[^>]+>)*\s*(?:De|From)\s*(?:&nbsp;|\s)*:)/i,
  /-{2,}\s*(?:Message\s+d(?:['’]|&#39;|&#x27;|&rsquo;)origine|Original\s+Message|Mail\s+original|Forwarded\s+message|Message\s+transf[ée]r[ée])\s*-{2,}/i,
  /<div\b[^>]*>\s*(?:Envoyé|Sent|Get|Obtenir)\s+(?:de|depuis|from|for|pour)\s[^<]{0,40}\b(?:iPhone|iPad|mobile|appareil|Galaxy|Samsung|Android|iOS|Outlook|smartphone)\b[^<]{0,30}<\/div>/i,
  /(?:<br\s*\/?>|<div\b[^>]*>|<p\b[^>]*>)\s*--(?:\s|&nbsp;)?(?:<br\s*\/?>|<\/div>|<\/p>)/i,
];

/** The attribution line ("Le … a écrit :") just before the quote, with its wrapping block. */
const ATTRIBUTION_HTML =
  /(?:<(?:div|p)\b[^>]*>\s*)?(?:<(?:span|font)\b[^>]*>\s*)*\b(?:Le|On)\s(?:(?!<\/?(?:div|p|blockquote)\b)[\s\S]){0,600}?(?:a\s+écrit|wrote)\s*(?:&nbsp;|\s)*:(?:\s|<\/?(?:br|span|font)\b[^>]*>)*(?:<\/(?:div|p)>)?(?:\s|<br\s*\/?>)*$/i;

/**
 * The HTML of the reply without its quoted history (and the signature blocks the clients mark); null when the
 * text left still holds a quote, so that the thread shows the plain text rather than the whole conversation.
 */
export function couperHtml(html: string): string | null {
  const tete = html.slice(0, positionCoupe(html));
  const texte = texteDepuisHtml(tete);
  if (!texte.trim()) return null;
  const reste = decouperTexte(texte);
  return reste.historique === null ? tete : null;
}

/** Where the history (or a marked signature) starts in an HTML body, attribution line included; its length when none. */
function positionCoupe(html: string): number {
  let coupe = html.length;
  for (const marque of MARQUES_HTML) {
    const trouve = marque.exec(html);
    if (trouve && trouve.index < coupe) coupe = trouve.index;
  }
  const attribution = ATTRIBUTION_HTML.exec(html.slice(0, coupe).trimEnd());
  return attribution ? attribution.index : coupe;
}

const BLOCS_FERMANTS = /<\/(?:p|div|li|tr|h[1-6]|blockquote|pre|table|ul|ol)\s*>/gi;

/** A readable plain text of an HTML body (line breaks at blocks and `<br>`), for HTML-only mails. */
export function texteDepuisHtml(html: string): string {
  const balise = html.replace(/<br\b[^>]*>/gi, "\n").replace(BLOCS_FERMANTS, (b) => `${b}\n`);
  const texte = sanitizeHtml(balise, {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: BALISES_SANS_TEXTE,
  });
  return texte
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\u00a0/g, " ")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
