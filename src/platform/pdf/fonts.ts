import { createRequire } from "node:module";
import path from "node:path";
import type PDFDocument from "pdfkit";

/** The DSFR ships Marianne as WOFF files; pdfkit (fontkit) reads WOFF and embeds a subset. */
const require = createRequire(import.meta.url);
const FONTS_DIR = path.join(path.dirname(require.resolve("@gouvfr/dsfr/package.json")), "dist", "fonts");

export const MARIANNE = {
  regular: path.join(FONTS_DIR, "Marianne-Regular.woff"),
  bold: path.join(FONTS_DIR, "Marianne-Bold.woff"),
  italic: path.join(FONTS_DIR, "Marianne-Regular_Italic.woff"),
  light: path.join(FONTS_DIR, "Marianne-Light.woff"),
} as const;

export type Graisse = keyof typeof MARIANNE;

/** Registers the four Marianne weights under the names `regular`, `bold`, `italic`, `light`. */
export function enregistrerMarianne(doc: PDFKit.PDFDocument): void {
  for (const [name, file] of Object.entries(MARIANNE)) doc.registerFont(name, file);
}

type FontkitFont = { hasGlyphForCodePoint(codePoint: number): boolean };

/** The fontkit font behind the current pdfkit font (not in pdfkit's public types). */
function fontCourante(doc: PDFKit.PDFDocument): FontkitFont | null {
  const font = (doc as unknown as { _font?: { font?: FontkitFont } })._font?.font;
  return font && typeof font.hasGlyphForCodePoint === "function" ? font : null;
}

const REMPLACEMENTS: Record<string, string> = {
  "\u2010": "-",
  "\u2011": "-",
  "\u2012": "-",
  "\u2015": "—",
  "\u201b": "’",
  "\u201f": "”",
  "\u2032": "’",
  "\u2033": "”",
  "\u00a0": " ",
  "\u202f": " ",
  "\u2009": " ",
};

/**
 * The text with every character the current font cannot draw replaced: a known equivalent, else the
 * letter without its accent (NFD base), else "?". Control characters other than line breaks are dropped.
 */
export function texteAffichable(doc: PDFKit.PDFDocument, text: string): string {
  const font = fontCourante(doc);
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === "\n") {
      out += char;
      continue;
    }
    if (code < 0x20 || (code >= 0x7f && code < 0xa0)) continue;
    if (!font || font.hasGlyphForCodePoint(code)) {
      out += char;
      continue;
    }
    const remplacement = REMPLACEMENTS[char];
    if (remplacement !== undefined && [...remplacement].every((c) => font.hasGlyphForCodePoint(c.codePointAt(0) ?? 0))) {
      out += remplacement;
      continue;
    }
    const base = char.normalize("NFD").replace(/\p{M}/gu, "");
    out += base !== "" && base !== char && [...base].every((c) => font.hasGlyphForCodePoint(c.codePointAt(0) ?? 0)) ? base : "?";
  }
  return out;
}

export type PdfDocument = InstanceType<typeof PDFDocument>;
