import { ecrire, hauteurTexte, nouveauDocument, numeroterPages, terminer } from "../platform/pdf/document.ts";
import type { Graisse } from "../platform/pdf/fonts.ts";
import { GUIDE_INTRODUCTION, GUIDE_TITRE, SECTIONS, URL_GUIDE, sommaire, texteBrut, type Bloc, type Texte } from "./contenus.ts";

const MARGE = 56;
const BLEU = "#000091";
const NOIR = "#161616";
const GRIS = "#666666";
const FOND_ENCADRE = "#F5F5FE";
const TAILLE_TEXTE = 10.5;
const INTERLIGNE = 2;

/**
 * The census guide as an A4 PDF (same content as the page): title, table of contents with page numbers
 * and links, bookmarks, headings, lists, page numbers. `publicUrl` turns the site's paths into links.
 */
export async function genererGuidePdf(publicUrl: string): Promise<Buffer> {
  const doc = nouveauDocument({ titre: GUIDE_TITRE, paysage: false, marges: MARGE });
  const largeur = doc.page.width - 2 * MARGE;
  const absolue = (href: string) => (/^https?:\/\//.test(href) ? href : `${publicUrl.replace(/\/$/, "")}${href}`);

  const pageCourante = () => {
    const range = doc.bufferedPageRange();
    return range.start + range.count - 1;
  };
  const basDePage = () => doc.page.height - MARGE;
  const assurerPlace = (hauteur: number) => {
    if (doc.y + hauteur > basDePage()) doc.addPage();
  };

  /** Writes a Texte at (x, current y) in the given width; links are underlined, in blue, and clickable. */
  const ecrireTexte = (texte: Texte, x: number, width: number, graisse: Graisse = "regular", taille = TAILLE_TEXTE) => {
    const parts = typeof texte === "string" ? [texte] : texte;
    parts.forEach((part, index) => {
      const continued = index < parts.length - 1;
      const lien = typeof part === "string" ? null : absolue(part.href);
      doc.fillColor(lien ? BLEU : NOIR);
      const options = { width, lineGap: INTERLIGNE, continued, underline: lien !== null, link: lien };
      ecrire(
        doc,
        typeof part === "string" ? part : part.texte,
        graisse,
        taille,
        index === 0 ? x : undefined,
        index === 0 ? doc.y : undefined,
        options,
      );
    });
    doc.fillColor(NOIR);
  };

  const hauteur = (texte: Texte, width: number, graisse: Graisse = "regular", taille = TAILLE_TEXTE) =>
    hauteurTexte(doc, texteBrut(texte), graisse, taille, width) + INTERLIGNE;

  const titre = (texte: string, taille: number, id: string | null, espaceAvant: number) => {
    // A heading never ends a page: keep room for it and the first lines that follow.
    assurerPlace(espaceAvant + hauteur(texte, largeur, "bold", taille) + 60);
    if (doc.y > MARGE) doc.y += espaceAvant;
    if (id) doc.addNamedDestination(id, "XYZ", 0, doc.page.height - doc.y + 4, null);
    doc.fillColor(BLEU);
    ecrire(doc, texte, "bold", taille, MARGE, doc.y, { width: largeur, lineGap: INTERLIGNE });
    doc.fillColor(NOIR);
    doc.y += 4;
  };

  const bloc = (b: Bloc) => {
    switch (b.type) {
      case "paragraphe":
        assurerPlace(hauteur(b.texte, largeur));
        ecrireTexte(b.texte, MARGE, largeur);
        doc.y += 6;
        return;
      case "liste": {
        const retrait = 16;
        b.items.forEach((item, index) => {
          assurerPlace(hauteur(item, largeur - retrait));
          const y = doc.y;
          ecrire(doc, b.numerotee ? `${index + 1}.` : "•", "bold", TAILLE_TEXTE, MARGE + 2, y, { width: retrait, lineBreak: false });
          doc.y = y;
          ecrireTexte(item, MARGE + retrait, largeur - retrait);
          doc.y += 3;
        });
        doc.y += 4;
        return;
      }
      case "definitions":
        for (const item of b.items) {
          const retrait = 12;
          assurerPlace(hauteur(item.terme, largeur, "bold") + hauteur(item.definition, largeur - retrait));
          ecrire(doc, item.terme, "bold", TAILLE_TEXTE, MARGE, doc.y, { width: largeur, lineGap: INTERLIGNE });
          ecrireTexte(item.definition, MARGE + retrait, largeur - retrait);
          doc.y += 5;
        }
        doc.y += 3;
        return;
      case "important": {
        const padding = 10;
        const interieur = largeur - 2 * padding - 4;
        const h = hauteur(b.titre, interieur, "bold") + 2 + hauteur(b.texte, interieur) + 2 * padding;
        assurerPlace(h);
        const top = doc.y;
        doc.save().rect(MARGE, top, largeur, h).fill(FOND_ENCADRE).rect(MARGE, top, 4, h).fill(BLEU).restore();
        doc.y = top + padding;
        ecrire(doc, b.titre, "bold", TAILLE_TEXTE, MARGE + 4 + padding, doc.y, { width: interieur, lineGap: INTERLIGNE });
        doc.y += 2;
        ecrireTexte(b.texte, MARGE + 4 + padding, interieur);
        doc.y = top + h + 10;
        return;
      }
    }
  };

  // Page 1: title, introduction, table of contents (page numbers written once the content is laid out).
  doc.fillColor(GRIS);
  ecrire(doc, "Collectif Objets — recensement des objets protégés au titre des monuments historiques", "regular", 9, MARGE, MARGE, {
    width: largeur,
  });
  doc.y += 16;
  doc.fillColor(BLEU);
  ecrire(doc, GUIDE_TITRE, "bold", 24, MARGE, doc.y, { width: largeur, lineGap: INTERLIGNE });
  doc.fillColor(NOIR);
  doc.y += 12;
  for (const texte of GUIDE_INTRODUCTION) {
    ecrireTexte(texte, MARGE, largeur, "regular", 12);
    doc.y += 6;
  }
  ecrireTexte(["Version en ligne : ", { texte: absolue(URL_GUIDE), href: absolue(URL_GUIDE) }], MARGE, largeur);
  doc.y += 20;
  doc.fillColor(BLEU);
  ecrire(doc, "Sommaire", "bold", 16, MARGE, doc.y, { width: largeur });
  doc.fillColor(NOIR);
  doc.y += 8;
  const entrees = sommaire();
  const pageSommaire = pageCourante();
  const ligneSommaire = 18;
  const ySommaire = doc.y;

  // Content, from page 2.
  const pages = new Map<string, number>();
  doc.addPage();
  for (const section of SECTIONS) {
    titre(section.titre, 17, section.id, 18);
    pages.set(section.id, pageCourante());
    const signet = doc.outline.addItem(section.titre);
    section.blocs.forEach(bloc);
    for (const sous of section.sousSections) {
      titre(sous.titre, 13, sous.id, 10);
      pages.set(sous.id, pageCourante());
      signet.addItem(sous.titre);
      sous.blocs.forEach(bloc);
    }
  }

  doc.switchToPage(pageSommaire);
  entrees.forEach((entree, index) => {
    const y = ySommaire + index * ligneSommaire;
    const x = MARGE + (entree.niveau === 2 ? 16 : 0);
    const page = String((pages.get(entree.id) ?? 0) + 1);
    const graisse: Graisse = entree.niveau === 1 ? "bold" : "regular";
    ecrire(doc, entree.titre, graisse, 11, x, y, { width: largeur - 60 - (x - MARGE), lineBreak: false, goTo: entree.id });
    ecrire(doc, page, graisse, 11, MARGE + largeur - 40, y, { width: 40, align: "right", lineBreak: false, goTo: entree.id });
  });

  numeroterPages(doc);
  return terminer(doc);
}
