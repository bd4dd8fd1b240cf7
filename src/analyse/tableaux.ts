import type { Couverture, Etats, ObjetNonVu, Progression, RepartitionEdifice } from "./repository.ts";
import {
  CATEGORIE_NON_RENSEIGNEE,
  CLASSES_ETAT,
  CLASSES_SECURITE,
  CLASSE_ETAT_LABELS,
  CLASSE_SECURITE_LABELS,
  ETAPES_PROGRESSION,
  ETAPE_PROGRESSION_LABELS,
  formatCsv,
  formatJour,
  formatNombre,
  formatPourcent,
  jourDeParis,
  libelleSiecle,
  pourcentage,
  siecleDeCle,
  type CelluleCsv,
  type Repartition,
} from "./rules.ts";

/**
 * Every table of the analysis as data: the page renders it under its chart and the CSV download writes the
 * same rows, so both always show the same figures.
 */

export type Cellule = string | number | { pourcent: number | null } | null;
export type Tableau = { entetes: string[]; lignes: Cellule[][] };

const pourcent = (part: number, total: number): Cellule => ({ pourcent: pourcentage(part, total) });

const COLONNES_REPARTITION = [
  "Objets recensés",
  ...CLASSES_ETAT.map((classe) => CLASSE_ETAT_LABELS[classe]),
  ...CLASSES_SECURITE.map((classe) => `Sécurité : ${CLASSE_SECURITE_LABELS[classe].toLocaleLowerCase("fr-FR")}`),
];

const cellulesRepartition = (repartition: Repartition): Cellule[] => [
  repartition.total,
  ...CLASSES_ETAT.map((classe) => repartition.etats[classe]),
  ...CLASSES_SECURITE.map((classe) => repartition.securite[classe]),
];

export function tableauEtats(etats: Etats): Tableau {
  const { ensemble } = etats;
  return {
    entetes: ["État sanitaire retenu", "Objets recensés", "Part (%)"],
    lignes: CLASSES_ETAT.map((classe) => [
      CLASSE_ETAT_LABELS[classe],
      ensemble.etats[classe],
      pourcent(ensemble.etats[classe], ensemble.total),
    ]),
  };
}

export function tableauSecurite(etats: Etats): Tableau {
  const { securite } = etats.ensemble;
  const total = CLASSES_SECURITE.reduce((somme, classe) => somme + securite[classe], 0);
  return {
    entetes: ["Sécurité", "Objets recensés présents", "Part (%)"],
    lignes: CLASSES_SECURITE.map((classe) => [CLASSE_SECURITE_LABELS[classe], securite[classe], pourcent(securite[classe], total)]),
  };
}

export function tableauCategories(etats: Etats): Tableau {
  return {
    entetes: ["Catégorie", ...COLONNES_REPARTITION],
    lignes: etats.parCategorie.map(({ cle, repartition }) => [
      cle === CATEGORIE_NON_RENSEIGNEE ? "Catégorie non renseignée" : cle,
      ...cellulesRepartition(repartition),
    ]),
  };
}

export function tableauSiecles(etats: Etats): Tableau {
  return {
    entetes: ["Siècle", ...COLONNES_REPARTITION],
    lignes: etats.parSiecle.map(({ cle, repartition }) => [libelleSiecle(siecleDeCle(cle)), ...cellulesRepartition(repartition)]),
  };
}

export function tableauEdifices(edifices: readonly RepartitionEdifice[]): Tableau {
  return {
    entetes: ["Édifice", "Commune", ...COLONNES_REPARTITION],
    lignes: edifices.map((edifice) => [
      edifice.edifice,
      `${edifice.commune} (${edifice.code_insee})`,
      ...cellulesRepartition(edifice.repartition),
    ]),
  };
}

export function tableauProgression(progression: Progression): Tableau {
  return {
    entetes: ["Semaine du", ...ETAPES_PROGRESSION.map((etape) => `${ETAPE_PROGRESSION_LABELS[etape]} (total)`)],
    lignes: progression.semaines.map((semaine) => [formatJour(semaine.semaine), ...ETAPES_PROGRESSION.map((etape) => semaine[etape])]),
  };
}

export function tableauCampagnes(progression: Progression, avecDepartement: boolean): Tableau {
  const STATUTS: Record<string, string> = { ongoing: "En cours", finished: "Terminée", planned: "Planifiée", draft: "Brouillon" };
  return {
    entetes: [
      ...(avecDepartement ? ["Département"] : []),
      "Campagne",
      "Statut",
      "Communes contactées",
      "Recensement commencé",
      "Dossier envoyé",
      "Dossier examiné",
      "Part des dossiers envoyés (%)",
    ],
    lignes: progression.campagnes.map((campagne) => [
      ...(avecDepartement ? [campagne.departement_code] : []),
      `Du ${formatJour(campagne.date_lancement)} au ${formatJour(campagne.date_fin)}`,
      STATUTS[campagne.status] ?? campagne.status,
      campagne.contactees,
      campagne.commencees,
      campagne.envoyees,
      campagne.examinees,
      pourcent(campagne.envoyees, campagne.contactees),
    ]),
  };
}

export function tableauCouverture(lignes: readonly Couverture[], total: Couverture, noms: ReadonlyMap<string, string>): Tableau {
  const ligne = (couverture: Couverture, libelle: string): Cellule[] => [
    libelle,
    couverture.objets,
    couverture.vus,
    pourcent(couverture.vus, couverture.objets),
    couverture.vusPlateforme,
    couverture.vusPalissy,
  ];
  return {
    entetes: [
      "Département",
      "Objets protégés",
      "Vus depuis 5 ans",
      "Couverture (%)",
      "Recensés sur Collectif Objets",
      "Récolés selon Palissy",
    ],
    lignes: [
      ...lignes.map((couverture) => ligne(couverture, `${couverture.code} – ${noms.get(couverture.code) ?? couverture.code}`)),
      ...(lignes.length > 1 ? [ligne(total, "France entière")] : []),
    ],
  };
}

export function tableauObjetsNonVus(objets: readonly ObjetNonVu[]): Tableau {
  return {
    entetes: [
      "Référence Palissy",
      "Objet",
      "Commune",
      "Édifice",
      "Dernier recensement sur Collectif Objets",
      "Année du dernier récolement Palissy",
    ],
    lignes: objets.map((objet) => [
      objet.palissy_ref,
      objet.titre,
      `${objet.commune} (${objet.code_insee})`,
      objet.edifice,
      objet.dernier_recensement ? formatJour(jourDeParis(new Date(objet.dernier_recensement))) : "Jamais",
      objet.annee_palissy === null ? "Inconnue" : String(objet.annee_palissy),
    ]),
  };
}

function celluleCsv(cellule: Cellule): CelluleCsv {
  if (cellule !== null && typeof cellule === "object") return cellule.pourcent;
  return cellule;
}

export function csvDuTableau(tableau: Tableau): string {
  return formatCsv(
    tableau.entetes,
    tableau.lignes.map((ligne) => ligne.map(celluleCsv)),
  );
}

export function texteCellule(cellule: Cellule): string {
  if (cellule === null) return "–";
  if (typeof cellule === "number") return formatNombre(cellule);
  if (typeof cellule === "object") return cellule.pourcent === null ? "–" : formatPourcent(cellule.pourcent);
  return cellule;
}
