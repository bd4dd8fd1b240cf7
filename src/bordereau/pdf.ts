import sharp from "sharp";
import { variantKey } from "../platform/images/stored.ts";
import { ecrire, hauteurTexte, numeroterPages, nouveauDocument, terminer } from "../platform/pdf/document.ts";
import type { FileStore } from "../platform/storage/file-store.ts";
import type { LigneEdifice } from "./repository.ts";
import { ETAT_BORDEREAU_LABELS } from "./rules.ts";

/** What a bordereau prints (RB §5.12). */
export type DonneesBordereau = {
  departement: { code: string; nom: string; region: string };
  commune: { nom: string; code_insee: string };
  edifice: { nom: string; adresse?: string | null };
  lignes: readonly LigneEdifice[];
};

const NOIR = "#000000";
const GRIS = "#555555";
const TRAIT = "#888888";
const BLEU = "#000091";

const MARGE = 36;
const TAILLE = 8;
const PADDING = 4;
const PHOTO = 72;
const COLONNES = [
  { titre: "Référence Palissy", largeur: 70 },
  { titre: "Objet", largeur: 165 },
  { titre: "Date de protection", largeur: 78 },
  { titre: "État de conservation", largeur: 78 },
  { titre: "Observations", largeur: 287 },
  { titre: "Photographie", largeur: 91 },
] as const;
const LARGEUR_TABLE = COLONNES.reduce((sum, c) => sum + c.largeur, 0);
/** Two lines of 8 pt titles ("Date de / protection") and the padding. */
const HAUTEUR_EN_TETE_TABLE = 30;

/** Side of the photos once resized for the PDF (pixels): sharp, then pdfkit fits them in PHOTO points. */
const PHOTO_PIXELS = 240;

/** Mémoire photos are fetched when the PDF is generated; after a network failure the next ones are not tried. */
type AccesReseau = { coupe: boolean };
const DELAI_PHOTO_MEMOIRE_MS = 5_000;
const TAILLE_MAX_PHOTO_MEMOIRE = 15 * 1024 * 1024;

/** The bytes of a Mémoire photo (its address comes from the national export), or null; never throws. */
async function telechargerPhotoMemoire(url: string, reseau: AccesReseau): Promise<Buffer | null> {
  if (reseau.coupe || !/^https?:\/\//i.test(url)) return null;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(DELAI_PHOTO_MEMOIRE_MS) });
    // A missing photo is not a network failure: the next ones are still tried.
    if (!response.ok || !response.body) return null;
    if (Number(response.headers.get("content-length") ?? 0) > TAILLE_MAX_PHOTO_MEMOIRE) return null;
    const lecteur = response.body.getReader();
    const morceaux: Uint8Array[] = [];
    let taille = 0;
    for (;;) {
      const { done, value } = await lecteur.read();
      if (done) break;
      taille += value.length;
      if (taille > TAILLE_MAX_PHOTO_MEMOIRE) {
        await lecteur.cancel();
        return null;
      }
      morceaux.push(value);
    }
    return Buffer.concat(morceaux);
  } catch {
    reseau.coupe = true;
    return null;
  }
}

/**
 * The photo of a line, resized before it is embedded: the first recensement photo from the file store
 * (display variant), else the objet's Mémoire photo fetched from its server; null when there is none or it
 * cannot be read (the cell then says "Pas de photo").
 */
async function photoPourPdf(files: FileStore, ligne: LigneEdifice, reseau: AccesReseau): Promise<Buffer | null> {
  try {
    const data = ligne.photo
      ? ((await files.get(variantKey(ligne.photo.storage_key, "display"))) ??
        (await files.get(variantKey(ligne.photo.storage_key, "thumbnail"))))
      : ligne.photoMemoire
        ? await telechargerPhotoMemoire(ligne.photoMemoire, reseau)
        : null;
    if (!data) return null;
    return await sharp(data, { failOn: "none" })
      .rotate()
      .resize(PHOTO_PIXELS, PHOTO_PIXELS, { fit: "inside", withoutEnlargement: true })
      .jpeg({ quality: 72, mozjpeg: false })
      .toBuffer();
  } catch {
    return null;
  }
}

function observations(ligne: LigneEdifice): [string, string][] {
  return [
    ["Commune", ligne.ligne.notes_commune ?? ""],
    ["Conservateur", ligne.ligne.notes_conservateur ?? ""],
    ["Propriétaire", ligne.ligne.notes_proprietaire ?? ""],
    ["Affectataire", ligne.ligne.notes_affectataire ?? ""],
  ];
}

function objetTexte(ligne: LigneEdifice): string {
  return [ligne.titre, ligne.epoque, ligne.categorie].filter((part): part is string => !!part && part.trim() !== "").join("\n");
}

function etatTexte(ligne: LigneEdifice): string {
  return ligne.ligne.etat_sanitaire ? ETAT_BORDEREAU_LABELS[ligne.ligne.etat_sanitaire] : "Non renseigné";
}

function enTete(doc: PDFKit.PDFDocument, donnees: DonneesBordereau): void {
  const haut = MARGE;
  // Ministry block, drawn (no image is fetched): a tricolour rule, the ministry's name and the motto.
  doc.save();
  doc.rect(MARGE, haut, 14, 3).fill(BLEU);
  doc.rect(MARGE + 14, haut, 14, 3).fill("#ffffff");
  doc.rect(MARGE + 28, haut, 14, 3).fill("#e1000f");
  doc.restore();
  ecrire(doc, "MINISTÈRE\nDE LA CULTURE", "bold", 10, MARGE, haut + 8, { width: 140, lineGap: 0 });
  ecrire(doc, "Liberté\nÉgalité\nFraternité", "italic", 7, MARGE, haut + 36, { width: 140 });
  // Monuments historiques mark, drawn as a framed monogram.
  const droite = doc.page.width - MARGE;
  doc
    .save()
    .lineWidth(1.5)
    .strokeColor(NOIR)
    .roundedRect(droite - 46, haut, 46, 40, 4)
    .stroke()
    .restore();
  ecrire(doc, "MH", "bold", 18, droite - 46, haut + 10, { width: 46, align: "center" });
  ecrire(doc, "Monuments historiques", "regular", 7, droite - 110, haut + 44, { width: 110, align: "right" });

  const largeurCentre = 420;
  const xCentre = (doc.page.width - largeurCentre) / 2;
  ecrire(
    doc,
    `Direction régionale des affaires culturelles${donnees.departement.region ? ` — ${donnees.departement.region}` : ""}`,
    "regular",
    9,
    xCentre,
    haut,
    {
      width: largeurCentre,
      align: "center",
    },
  );
  ecrire(doc, "CONSERVATION DES ANTIQUITÉS ET OBJETS D’ART", "bold", 9, xCentre, haut + 14, { width: largeurCentre, align: "center" });
  doc
    .save()
    .lineWidth(0.8)
    .strokeColor(NOIR)
    .moveTo(xCentre + 60, haut + 32)
    .lineTo(xCentre + largeurCentre - 60, haut + 32)
    .stroke()
    .restore();
  ecrire(doc, "BORDEREAU DE RÉCOLEMENT DES OBJETS MOBILIERS", "bold", 13, xCentre - 40, haut + 40, {
    width: largeurCentre + 80,
    align: "center",
  });

  let y = haut + 72;
  const lignes: [string, string][] = [
    ["Département : ", `${donnees.departement.code} - ${donnees.departement.nom}`],
    ["Commune de : ", `${donnees.commune.nom} (${donnees.commune.code_insee})`],
    ["Édifice : ", donnees.edifice.adresse ? `${donnees.edifice.nom}, ${donnees.edifice.adresse}` : donnees.edifice.nom],
  ];
  for (const [label, valeur] of lignes) {
    ecrire(doc, label, "bold", 10, MARGE, y, { continued: true, width: LARGEUR_TABLE });
    ecrire(doc, valeur, "regular", 10, undefined, undefined, { width: LARGEUR_TABLE });
    y = doc.y + 2;
  }
  doc.y = y + 8;
}

function enTeteTable(doc: PDFKit.PDFDocument): void {
  const y = doc.y;
  const hauteur = HAUTEUR_EN_TETE_TABLE;
  let x = MARGE;
  doc.save().rect(MARGE, y, LARGEUR_TABLE, hauteur).fill("#e8e8f5").restore();
  doc.fillColor(NOIR);
  for (const colonne of COLONNES) {
    ecrire(doc, colonne.titre, "bold", TAILLE, x + PADDING, y + PADDING + 1, { width: colonne.largeur - 2 * PADDING });
    x += colonne.largeur;
  }
  cadre(doc, y, hauteur);
  doc.y = y + hauteur;
}

function cadre(doc: PDFKit.PDFDocument, y: number, hauteur: number): void {
  doc.save().lineWidth(0.5).strokeColor(TRAIT);
  doc.rect(MARGE, y, LARGEUR_TABLE, hauteur).stroke();
  let x = MARGE;
  for (const colonne of COLONNES.slice(0, -1)) {
    x += colonne.largeur;
    doc
      .moveTo(x, y)
      .lineTo(x, y + hauteur)
      .stroke();
  }
  doc.restore();
}

function largeurTexte(index: number): number {
  return (COLONNES[index]?.largeur ?? 0) - 2 * PADDING;
}

function hauteurLigne(doc: PDFKit.PDFDocument, ligne: LigneEdifice): number {
  const obs = observations(ligne).reduce(
    (sum, [label, valeur]) => sum + hauteurTexte(doc, `${label} : ${valeur || "—"}`, "bold", TAILLE, largeurTexte(4)) + 1,
    0,
  );
  return (
    Math.max(
      hauteurTexte(doc, ligne.palissy_ref, "bold", TAILLE, largeurTexte(0)),
      hauteurTexte(doc, objetTexte(ligne), "bold", TAILLE, largeurTexte(1)),
      hauteurTexte(doc, ligne.date_protection ?? "", "regular", TAILLE, largeurTexte(2)),
      hauteurTexte(doc, etatTexte(ligne), "regular", TAILLE, largeurTexte(3)),
      obs,
      PHOTO,
    ) +
    2 * PADDING
  );
}

/** The value, cut with an ellipsis when "label value" would be taller than `hauteur` (measured in bold: an upper bound). */
function ajuster(doc: PDFKit.PDFDocument, label: string, valeur: string, largeur: number, hauteur: number): string {
  const tient = (texte: string): boolean => hauteurTexte(doc, `${label}${texte}`, "bold", TAILLE, largeur) <= hauteur;
  if (tient(valeur)) return valeur;
  let bas = 0;
  let haut = valeur.length;
  while (bas < haut) {
    const milieu = Math.ceil((bas + haut) / 2);
    if (tient(`${valeur.slice(0, milieu)}…`)) bas = milieu;
    else haut = milieu - 1;
  }
  return `${valeur.slice(0, bas).trimEnd()}…`;
}

function ligneTable(doc: PDFKit.PDFDocument, ligne: LigneEdifice, photo: Buffer | null, hauteur: number): void {
  const y = doc.y;
  const max = hauteur - 2 * PADDING;
  let x = MARGE;
  const cellule = (index: number): { x: number; w: number } => {
    const res = { x: x + PADDING, w: largeurTexte(index) };
    x += COLONNES[index]?.largeur ?? 0;
    return res;
  };
  const ref = cellule(0);
  ecrire(doc, ligne.palissy_ref, "bold", TAILLE, ref.x, y + PADDING, { width: ref.w, height: max, ellipsis: true });
  const objet = cellule(1);
  ecrire(doc, ligne.titre, "bold", TAILLE, objet.x, y + PADDING, { width: objet.w, height: max, ellipsis: true });
  const suite = [ligne.epoque, ligne.categorie].filter((part): part is string => !!part && part.trim() !== "").join("\n");
  if (suite) {
    doc.fillColor(GRIS);
    ecrire(doc, suite, "regular", TAILLE, objet.x, doc.y, {
      width: objet.w,
      height: Math.max(0, y + hauteur - PADDING - doc.y),
      ellipsis: true,
    });
    doc.fillColor(NOIR);
  }
  const date = cellule(2);
  ecrire(doc, ligne.date_protection ?? "", "regular", TAILLE, date.x, y + PADDING, { width: date.w, height: max, ellipsis: true });
  const etat = cellule(3);
  ecrire(doc, etatTexte(ligne), "regular", TAILLE, etat.x, y + PADDING, { width: etat.w, height: max, ellipsis: true });
  const obs = cellule(4);
  let yObs = y + PADDING;
  const notes = observations(ligne);
  for (const [index, [label, valeur]] of notes.entries()) {
    // Keep one line for each of the following labels, so that a long note never hides the others.
    const reste = y + hauteur - PADDING - yObs - (notes.length - index - 1) * (TAILLE * 1.25 + 1);
    if (reste < TAILLE) break;
    const texte = ajuster(doc, `${label} : `, valeur || "—", obs.w, reste);
    ecrire(doc, `${label} : `, "bold", TAILLE, obs.x, yObs, { width: obs.w, continued: true });
    ecrire(doc, texte, "regular", TAILLE, undefined, undefined, { width: obs.w });
    yObs = doc.y + 1;
  }
  const cellPhoto = cellule(5);
  if (photo) {
    try {
      doc.image(photo, cellPhoto.x + (cellPhoto.w - PHOTO) / 2, y + PADDING, { fit: [PHOTO, PHOTO], align: "center", valign: "center" });
    } catch {
      ecrire(doc, "Pas de photo", "italic", TAILLE, cellPhoto.x, y + PADDING, { width: cellPhoto.w, align: "center" });
    }
  } else {
    doc.fillColor(GRIS);
    ecrire(doc, "Pas de photo", "italic", TAILLE, cellPhoto.x, y + PADDING + PHOTO / 2 - TAILLE, { width: cellPhoto.w, align: "center" });
    doc.fillColor(NOIR);
  }
  cadre(doc, y, hauteur);
  doc.x = MARGE;
  doc.y = y + hauteur;
}

function pageParticipants(doc: PDFKit.PDFDocument, donnees: DonneesBordereau): void {
  doc.addPage();
  const largeur = doc.page.width - 2 * MARGE;
  ecrire(doc, "Participants au récolement :", "bold", 12, MARGE, MARGE, { width: largeur });
  doc.moveDown(0.8);
  ecrire(
    doc,
    `Les soussignés certifient que les objets mobiliers figurant sur le présent bordereau sont présents dans l’édifice « ${donnees.edifice.nom} », commune de ${donnees.commune.nom} (${donnees.commune.code_insee}), à la date du récolement, le …………………………, sauf mention contraire portée dans la colonne « État de conservation ».`,
    "regular",
    10,
    MARGE,
    doc.y,
    { width: largeur, lineGap: 2 },
  );
  doc.moveDown(1);
  ecrire(doc, "Fait à …………………………………………, le ……………………………", "regular", 10, MARGE, doc.y, { width: largeur });
  doc.moveDown(2);
  const yBlocs = doc.y;
  const colonnes = ["Le propriétaire ou son représentant", "L’affectataire¹", "Le conservateur des antiquités et objets d’art"];
  const largeurBloc = (largeur - 2 * 20) / 3;
  colonnes.forEach((titre, i) => {
    const x = MARGE + i * (largeurBloc + 20);
    ecrire(doc, titre, "bold", 10, x, yBlocs, { width: largeurBloc });
    ecrire(doc, "(nom et prénom en toutes lettres, signature)", "italic", 8, x, doc.y + 2, { width: largeurBloc });
    doc
      .save()
      .lineWidth(0.5)
      .strokeColor(TRAIT)
      .rect(x, yBlocs + 36, largeurBloc, 110)
      .stroke()
      .restore();
  });
  doc.y = yBlocs + 166;
  ecrire(doc, "Diffusion du bordereau :", "bold", 10, MARGE, doc.y, { width: largeur });
  doc.moveDown(0.3);
  ecrire(
    doc,
    [
      "• chacun des signataires ;",
      "• la préfecture du département (conservation des antiquités et objets d’art) ;",
      "• la direction régionale des affaires culturelles (conservation régionale des monuments historiques) ;",
      "• la direction générale des patrimoines et de l’architecture (bureau de la conservation des monuments historiques mobiliers) et la Médiathèque du patrimoine et de la photographie.",
    ].join("\n"),
    "regular",
    9,
    MARGE,
    doc.y,
    { width: largeur, lineGap: 2 },
  );
  doc.moveDown(1.5);
  ecrire(
    doc,
    "¹ Pour les édifices et les objets affectés à l’exercice public du culte en application de la loi du 9 décembre 1905 concernant la séparation des Églises et de l’État.",
    "italic",
    8,
    MARGE,
    doc.y,
    { width: largeur },
  );
}

function pageReferences(doc: PDFKit.PDFDocument): void {
  doc.addPage();
  const largeur = doc.page.width - 2 * MARGE;
  ecrire(doc, "Références : Code du patrimoine", "bold", 12, MARGE, MARGE, { width: largeur });
  doc.moveDown(0.8);
  const articles: [string, string][] = [
    [
      "Article L. 622-8",
      "Le récolement des objets mobiliers classés au titre des monuments historiques a lieu au moins tous les cinq ans ; les propriétaires, affectataires et dépositaires sont tenus de présenter les objets à toute réquisition des agents chargés de ce récolement.",
    ],
    [
      "Article R. 622-9",
      "La liste des objets mobiliers classés indique, pour chacun, sa nature, sa situation, son propriétaire et, le cas échéant, son affectataire.",
    ],
    [
      "Article R. 622-24",
      "Les objets classés sont présentés sur place aux agents chargés du contrôle scientifique et technique et du récolement, selon les modalités convenues avec le propriétaire ou l’affectataire.",
    ],
    [
      "Article R. 622-25",
      "Le conservateur des antiquités et objets d’art procède, au moins tous les cinq ans, au récolement des objets classés ou inscrits situés dans le département et en adresse le résultat au préfet de région.",
    ],
    ["Article R. 622-38", "La liste des objets mobiliers inscrits est établie par région et tenue à jour par le préfet de région."],
  ];
  for (const [article, texte] of articles) {
    ecrire(doc, article, "bold", 10, MARGE, doc.y, { width: largeur });
    ecrire(doc, texte, "regular", 10, MARGE, doc.y + 2, { width: largeur, lineGap: 2 });
    doc.moveDown(0.8);
  }
  ecrire(
    doc,
    "Ces résumés sont donnés pour information ; seul fait foi le texte du Code du patrimoine publié sur Légifrance.",
    "italic",
    8,
    MARGE,
    doc.y + 6,
    { width: largeur },
  );
}

/**
 * The bordereau of one édifice as a PDF (A4 landscape, Marianne): header, one table row per objet with
 * the table header repeated on each page and no row split across pages, the participants' page, the
 * legal references and "n/total" page numbers. Photos are read and resized one at a time.
 */
export async function rendreBordereau(files: FileStore, donnees: DonneesBordereau): Promise<Buffer> {
  const doc = nouveauDocument({ titre: `Bordereau de récolement — ${donnees.commune.nom} — ${donnees.edifice.nom}` });
  enTete(doc, donnees);
  enTeteTable(doc);
  const bas = doc.page.height - MARGE - 12;
  const hauteurMax = bas - MARGE - HAUTEUR_EN_TETE_TABLE;
  if (donnees.lignes.length === 0) {
    ecrire(doc, "Aucun objet protégé recensé dans cet édifice.", "italic", TAILLE, MARGE + PADDING, doc.y + PADDING, {
      width: LARGEUR_TABLE,
    });
  }
  // The next row's photo is read and resized while the current row is laid out: two photos in memory at most.
  const lignes = donnees.lignes;
  const reseau: AccesReseau = { coupe: false };
  let suivante = lignes[0] ? photoPourPdf(files, lignes[0], reseau) : null;
  for (const [i, ligne] of lignes.entries()) {
    const photo = await suivante;
    const apres = lignes[i + 1];
    suivante = apres ? photoPourPdf(files, apres, reseau) : null;
    const hauteur = Math.min(hauteurLigne(doc, ligne), hauteurMax);
    if (doc.y + hauteur > bas) {
      doc.addPage();
      doc.y = MARGE;
      enTeteTable(doc);
    }
    ligneTable(doc, ligne, photo ?? null, hauteur);
  }
  pageParticipants(doc, donnees);
  pageReferences(doc);
  numeroterPages(doc);
  return terminer(doc);
}
