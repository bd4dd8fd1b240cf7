import type { Writable } from "node:stream";
import ExcelJS from "exceljs";
import type { Kysely } from "kysely";
import type { DB } from "../platform/db/schema.ts";
import { lotRecensements, type CurseurXlsx, type LigneRecensementXlsx } from "./repository.ts";
import { dateFr, DOSSIER_STATUS_LABELS, etatLabel, FICHE_LABELS, LOCALISATION_LABELS, securisationLabel, TAILLE_LOT } from "./rules.ts";
import { objetTitle } from "../patrimoine/rules.ts";
import type { FicheId } from "../platform/db/schema.ts";

/** Columns of the recensements XLSX: header, width (characters) and the cell of a row. */
const COLONNES: { entete: string; largeur: number; valeur: (l: LigneRecensementXlsx, base: string) => string | number }[] = [
  { entete: "Référence Palissy", largeur: 14, valeur: (l) => l.palissy_ref },
  { entete: "Titre", largeur: 40, valeur: (l) => objetTitle(l) },
  { entete: "Dénomination", largeur: 24, valeur: (l) => l.palissy_deno ?? "" },
  { entete: "Catégorie", largeur: 18, valeur: (l) => l.palissy_cate ?? "" },
  { entete: "Siècle", largeur: 18, valeur: (l) => l.palissy_scle ?? "" },
  { entete: "Protection", largeur: 22, valeur: (l) => l.palissy_prot ?? "" },
  { entete: "Commune", largeur: 24, valeur: (l) => l.commune_nom },
  { entete: "Code INSEE", largeur: 10, valeur: (l) => l.code_insee },
  { entete: "Édifice", largeur: 30, valeur: (l) => l.edifice ?? "" },
  { entete: "Statut du recensement", largeur: 14, valeur: (l) => (l.status === "completed" ? "Complet" : "Brouillon") },
  { entete: "Localisation", largeur: 30, valeur: (l) => (l.localisation ? LOCALISATION_LABELS[l.localisation] : "") },
  { entete: "Nouvel édifice", largeur: 24, valeur: (l) => l.edifice_nom ?? "" },
  { entete: "Code INSEE de la commune de déplacement", largeur: 12, valeur: (l) => l.autre_commune_code_insee ?? "" },
  { entete: "Recensable", largeur: 11, valeur: (l) => (l.recensable === null ? "" : l.recensable ? "Oui" : "Non") },
  { entete: "État sanitaire (commune)", largeur: 16, valeur: (l) => etatLabel(l.etat_sanitaire) },
  { entete: "Sécurisation (commune)", largeur: 16, valeur: (l) => securisationLabel(l.securisation) },
  { entete: "Commentaire de la commune", largeur: 40, valeur: (l) => l.notes ?? "" },
  { entete: "Photos", largeur: 8, valeur: (l) => l.photos_count },
  { entete: "État sanitaire (conservateur)", largeur: 16, valeur: (l) => etatLabel(l.analyse_etat_sanitaire) },
  { entete: "Sécurisation (conservateur)", largeur: 16, valeur: (l) => securisationLabel(l.analyse_securisation) },
  { entete: "Commentaire du conservateur", largeur: 40, valeur: (l) => l.analyse_notes ?? "" },
  {
    entete: "Fiches conseil",
    largeur: 30,
    valeur: (l) => l.analyse_fiches.map((f) => FICHE_LABELS[f as FicheId] ?? f).join(", "),
  },
  { entete: "Examiné le", largeur: 12, valeur: (l) => dateFr(l.analysed_at) },
  { entete: "Statut du dossier", largeur: 18, valeur: (l) => DOSSIER_STATUS_LABELS[l.dossier_status] },
  { entete: "Dossier envoyé le", largeur: 12, valeur: (l) => dateFr(l.submitted_at) },
  { entete: "Examen envoyé le", largeur: 12, valeur: (l) => dateFr(l.accepted_at) },
  { entete: "Commentaire global du conservateur", largeur: 40, valeur: (l) => l.notes_conservateur_dossier ?? "" },
  { entete: "Lien vers l’objet", largeur: 40, valeur: (l, base) => `${base}/objets/${encodeURIComponent(l.palissy_ref)}` },
  { entete: "Lien vers la commune", largeur: 40, valeur: (l, base) => `${base}/conservateurs/communes/${l.code_insee}` },
];

export const COLONNES_XLSX = COLONNES.map((c) => c.entete);

export function nomFichierXlsx(code: string, now: Date): string {
  return `Collectif_Objets_recensements_${code}_${dateFr(now).split("/").reverse().join("")}.xlsx`;
}

/**
 * Writes the département's active recensements (draft and completed, of current and archived dossiers) as
 * an XLSX to `out`, with exceljs's streaming writer: rows are read in keyset batches of `lot` and each row is
 * committed (serialised, its objects released) as soon as it is added. Note: exceljs keeps a worksheet's
 * serialised XML in a paused buffer until the sheet is committed, so the bytes reach `out` at the end; what
 * stays in memory is that XML (a few hundred bytes per row, ~2 MB for a 5,000-objet département), never the
 * database rows nor the row objects. Returns the number of rows and batches read.
 */
export async function ecrireRecensementsXlsx(
  db: Kysely<DB>,
  code: string,
  out: Writable,
  options: { publicUrl: string; lot?: number },
): Promise<{ lignes: number; lots: number }> {
  const taille = options.lot ?? TAILLE_LOT;
  const base = options.publicUrl.replace(/\/$/, "");
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = "Collectif Objets";
  const sheet = workbook.addWorksheet(`Recensements ${code}`, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = COLONNES.map((c, i) => ({ key: String(i), width: c.largeur }));
  const entete = sheet.addRow(COLONNES_XLSX);
  entete.font = { bold: true };
  entete.commit();
  let apres: CurseurXlsx | null = null;
  let lignes = 0;
  let lots = 0;
  for (;;) {
    const lot = await lotRecensements(db, code, apres, taille);
    lots++;
    for (const ligne of lot) sheet.addRow(COLONNES.map((c) => c.valeur(ligne, base))).commit();
    lignes += lot.length;
    if (lot.length < taille) break;
    const dernier = lot[lot.length - 1]!;
    apres = { communeNom: dernier.commune_nom, id: dernier.recensement_id };
  }
  sheet.commit();
  await workbook.commit();
  return { lignes, lots };
}
