import PDFDocument from "pdfkit";
import { enregistrerMarianne, texteAffichable, type Graisse } from "./fonts.ts";

/** A4 landscape in points. */
export const A4_PAYSAGE = { width: 841.89, height: 595.28 } as const;

export type OptionsDocument = { titre: string; auteur?: string; marges?: number; paysage?: boolean };

/**
 * A pdfkit document in A4 with Marianne registered and pages buffered (so that "n/total" can be written
 * once the page count is known). Nothing is read from the network.
 */
export function nouveauDocument(options: OptionsDocument): PDFKit.PDFDocument {
  const marge = options.marges ?? 36;
  const doc = new PDFDocument({
    size: "A4",
    layout: options.paysage === false ? "portrait" : "landscape",
    margins: { top: marge, bottom: marge, left: marge, right: marge },
    bufferPages: true,
    autoFirstPage: true,
    info: { Title: options.titre, Author: options.auteur ?? "Collectif Objets", Creator: "Collectif Objets" },
    lang: "fr-FR",
  });
  enregistrerMarianne(doc);
  doc.font("regular");
  return doc;
}

/** Writes text in the given weight and size, with the characters missing from Marianne replaced. */
export function ecrire(
  doc: PDFKit.PDFDocument,
  text: string,
  graisse: Graisse,
  taille: number,
  x: number | undefined,
  y: number | undefined,
  options: PDFKit.Mixins.TextOptions = {},
): PDFKit.PDFDocument {
  doc.font(graisse).fontSize(taille);
  const propre = texteAffichable(doc, text);
  return x === undefined ? doc.text(propre, options) : doc.text(propre, x, y, options);
}

/** Height the text would take in the given weight, size and width. */
export function hauteurTexte(doc: PDFKit.PDFDocument, text: string, graisse: Graisse, taille: number, largeur: number): number {
  doc.font(graisse).fontSize(taille);
  return doc.heightOfString(texteAffichable(doc, text), { width: largeur });
}

/** "n/total" in the bottom right corner of every page (call once, after the last page). */
export function numeroterPages(doc: PDFKit.PDFDocument, taille = 8): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const basOriginal = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const largeur = 80;
    doc
      .font("regular")
      .fontSize(taille)
      .fillColor("#000000")
      .text(`${i + 1 - range.start}/${range.count}`, doc.page.width - doc.page.margins.right - largeur, doc.page.height - 24, {
        width: largeur,
        align: "right",
        lineBreak: false,
      });
    doc.page.margins.bottom = basOriginal;
  }
}

/** The whole document as a Buffer (the document is ended here). */
export function terminer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.end();
  });
}
