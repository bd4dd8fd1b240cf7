import { stringify } from "csv-stringify/sync";
import { celluleSure } from "../examen/views/visites.tsx";
import type { DossierStatus, EtatSanitaire, FicheId, Localisation, Securisation } from "../platform/db/schema.ts";
import { ETAT_SANITAIRE_LABELS, SECURISATION_LABELS } from "../recensement/rules.ts";

/** Rows read per statement by every export (CSV, XLSX, ZIP): a département never sits whole in memory. */
export const TAILLE_LOT = 500;

// ——— Dates (Paris time) ———

const partiesParis = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/Paris",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

function parties(date: Date): Record<"year" | "month" | "day" | "hour" | "minute", string> {
  const p = Object.fromEntries(partiesParis.formatToParts(date).map((part) => [part.type, part.value]));
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour!, minute: p.minute! };
}

/** `27/11/2026` (Paris). */
export function dateFr(date: Date | null): string {
  if (!date) return "";
  const p = parties(date);
  return `${p.day}/${p.month}/${p.year}`;
}

export function anneeParis(date: Date): number {
  return Number(parties(date).year);
}

// ——— CSV ———

/** `;`-separated CSV for spreadsheets (French locales), every text cell guarded against formula injection. */
export function lignesCsvPointVirgule(rows: string[][]): string {
  return stringify(
    rows.map((row) => row.map(celluleSure)),
    { delimiter: ";", record_delimiter: "windows" },
  );
}

/** The UTF-8 byte order mark: spreadsheet software then reads the file as UTF-8. */
export const BOM = "\uFEFF";

// ——— MPP exports (objets déplacés / manquants) ———

export type TypeMpp = "deplaces" | "manquants";
export const TYPES_MPP: readonly TypeMpp[] = ["deplaces", "manquants"];

export const LOCALISATIONS_DEPLACEES: readonly Localisation[] = ["autre_edifice", "deplacement_autre_commune", "deplacement_temporaire"];

/** `Collectif_Objets_deplaces_20261127.csv` (Paris day). */
export function nomFichierMpp(type: TypeMpp, now: Date): string {
  const p = parties(now);
  return `Collectif_Objets_${type}_${p.year}${p.month}${p.day}.csv`;
}

export const COLONNES_DEPLACES = [
  "PM",
  "Département d'origine",
  "Code INSEE d'origine",
  "Commune d'origine",
  "Édifice d'origine",
  "Département de déplacement",
  "WEB",
  "Commune de déplacement",
  "MOSA",
  "Région de déplacement",
  "Date de l'examen",
  "DEPL",
  "Rapport",
] as const;

export const COLONNES_MANQUANTS = [
  "PM",
  "Département d'origine",
  "Code INSEE",
  "Commentaire global de la commune",
  "Commentaire global du conservateur",
  "Commentaire de la commune sur l'objet",
  "Commentaire du conservateur sur l'objet",
  "Date de l'examen",
  "MANQUANT",
  "Observation",
  "Rapport",
] as const;

/** One objet of an accepted dossier, as both MPP exports read it. */
export type LigneMppSource = {
  recensement_id: number;
  palissy_ref: string;
  departement_code: string;
  code_insee: string;
  commune_nom: string;
  edifice_origine: string | null;
  localisation: Localisation | null;
  edifice_nom: string | null;
  autre_commune_code_insee: string | null;
  autre_commune_nom: string | null;
  destination_departement_code: string | null;
  destination_departement_nom: string | null;
  destination_region: string | null;
  accepted_at: Date;
  notes_commune_dossier: string | null;
  notes_conservateur_dossier: string | null;
  notes: string | null;
  analyse_notes: string | null;
};

/** Département of a code INSEE: 2 characters, 3 for overseas (97x). */
export function departementDuCodeInsee(codeInsee: string): string {
  return codeInsee.startsWith("97") ? codeInsee.slice(0, 3) : codeInsee.slice(0, 2);
}

/** Where the objet now is: another commune for `deplacement_autre_commune`, the same commune otherwise. */
function destination(l: LigneMppSource) {
  const autreCommune = l.localisation === "deplacement_autre_commune" && l.autre_commune_code_insee;
  return {
    departement: autreCommune
      ? (l.destination_departement_code ?? departementDuCodeInsee(l.autre_commune_code_insee!))
      : l.departement_code,
    departementNom: autreCommune ? (l.destination_departement_nom ?? "") : (l.destination_departement_nom ?? ""),
    insee: autreCommune ? l.autre_commune_code_insee! : l.code_insee,
    commune: autreCommune ? (l.autre_commune_nom ?? "") : l.commune_nom,
    edifice: (l.edifice_nom ?? "").trim(),
    region: l.destination_region ?? "",
  };
}

export function rapportUrl(publicUrl: string, codeInsee: string): string {
  return `${publicUrl.replace(/\/$/, "")}/conservateurs/communes/${codeInsee}/examen`;
}

export function ligneDeplace(l: LigneMppSource, publicUrl: string): string[] {
  const d = destination(l);
  const annee = anneeParis(l.accepted_at);
  const lieu = [d.region, d.departementNom || d.departement, d.commune, d.edifice].filter((part) => part !== "").join(" ; ");
  return [
    l.palissy_ref,
    l.departement_code,
    l.code_insee,
    l.commune_nom,
    l.edifice_origine ?? "",
    d.departement,
    d.insee,
    d.commune,
    d.edifice,
    d.region,
    dateFr(l.accepted_at),
    `Lieu de déplacement : ${lieu} (Collectif Objets ${annee})`,
    rapportUrl(publicUrl, l.code_insee),
  ];
}

export function ligneManquant(l: LigneMppSource, publicUrl: string): string[] {
  return [
    l.palissy_ref,
    l.departement_code,
    l.code_insee,
    l.notes_commune_dossier ?? "",
    l.notes_conservateur_dossier ?? "",
    l.notes ?? "",
    l.analyse_notes ?? "",
    dateFr(l.accepted_at),
    "Manquant",
    `Œuvre déclarée manquante au moment du recensement Collectif Objets en ${anneeParis(l.accepted_at)}`,
    rapportUrl(publicUrl, l.code_insee),
  ];
}

// ——— Mémoire photo export ———

export const COLONNES_MEMOIRE = [
  "LBASE",
  "REF",
  "REFIMG",
  "NUMP",
  "DATPV",
  "COULEUR",
  "OBS",
  "COM",
  "DOM",
  "EDIF",
  "COPY",
  "TYPDOC",
  "IDPROD",
  "LIEUCOR",
  "LEG",
  "TECHOR",
  "SCLE",
  "INSEE",
] as const;

export const MEMOIRE_OBS = "Photographie fournie lors du recensement réalisé par Collectif Objets";
export const MEMOIRE_COPY = "© Ministère de la Culture (France), Collectif Objets – Tous droits réservés";

/** `01` → `001`, `2A` → `02A`, `971` → `971`. */
export function departementSurTrois(code: string): string {
  return code.padStart(3, "0");
}

/** NUMP: year of the photo's first export + 3-character département + 6-digit number of the photo in its département. */
export function nump(annee: number, departement: string, numero: number): string {
  return `${annee}${departementSurTrois(departement)}${String(numero).padStart(6, "0")}`;
}

export function refMemoire(departement: string, numeroPhoto: string): string {
  return `MHCO${departementSurTrois(departement)}_${numeroPhoto}`;
}

/** Every stored original is a JPEG (see src/platform/images/stored.ts). */
export function refImg(ref: string): string {
  return `${ref}.jpg`;
}

export type LigneMemoireSource = {
  photo_id: number;
  palissy_ref: string;
  titre: string;
  palissy_cate: string | null;
  palissy_scle: string | null;
  commune_nom: string;
  code_insee: string;
  edifice: string | null;
  departement_code: string;
  numero: number;
  annee: number;
  photo_created_at: Date;
};

export function ligneMemoire(l: LigneMemoireSource): string[] {
  const numero = nump(l.annee, l.departement_code, l.numero);
  const ref = refMemoire(l.departement_code, numero);
  return [
    l.palissy_ref,
    ref,
    refImg(ref),
    numero,
    String(anneeParis(l.photo_created_at)),
    "Oui",
    MEMOIRE_OBS,
    l.commune_nom,
    "objet",
    l.edifice ?? "",
    MEMOIRE_COPY,
    "Image numérique native",
    "MHCO008",
    "Collectif Objets",
    l.titre,
    l.palissy_cate ?? "",
    l.palissy_scle ?? "",
    l.code_insee,
  ];
}

/** `export_memoire_01_2026_11_27-16h05` (Paris time of the export's creation), without extension. */
export function nomFichierMemoire(departement: string, createdAt: Date): string {
  const p = parties(createdAt);
  return `export_memoire_${departement}_${p.year}_${p.month}_${p.day}-${p.hour}h${p.minute}`;
}

/** Mémoire CSV: comma-separated, every field quoted, UTF-8 (a file for the MPP's import, not for a spreadsheet). */
export function lignesCsvMemoire(rows: string[][]): string {
  return stringify(rows, { quoted: true, record_delimiter: "windows" });
}

// ——— XLSX of the recensements ———

export const LOCALISATION_LABELS: Record<Localisation, string> = {
  edifice_initial: "Dans l’édifice d’origine",
  autre_edifice: "Déplacé dans un autre édifice de la commune",
  deplacement_autre_commune: "Déplacé dans une autre commune",
  deplacement_temporaire: "Déplacé temporairement",
  absent: "Introuvable",
};

export const FICHE_LABELS: Record<FicheId, string> = {
  depot_plainte: "Dépôt de plainte",
  securisation: "Sécurisation",
  restauration: "Restauration",
  entretien_edifices: "Entretien des édifices",
  entretien_objets: "Entretien des objets",
};

export const DOSSIER_STATUS_LABELS: Record<DossierStatus, string> = {
  construction: "Recensement en cours",
  submitted: "Non examiné",
  accepted: "Examiné",
  archived: "Archivé",
};

export function etatLabel(value: EtatSanitaire | null): string {
  return value ? ETAT_SANITAIRE_LABELS[value] : "";
}
export function securisationLabel(value: Securisation | null): string {
  return value ? SECURISATION_LABELS[value] : "";
}
