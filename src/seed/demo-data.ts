/**
 * The made-up demo dataset (SPEC §2): real communes (names, INSEE codes, approximate mairie coordinates),
 * invented édifices refs, Palissy-like objets and the scenario of each commune's dossier. Pure data, so that
 * browser tests can import the names and references they visit.
 */

export const DEMO_PASSWORD = "collectif-objets-demo";
export const DEMO_ADMIN_EMAIL = "admin@demo.test";
export const DEMO_CONSERVATEUR_EMAIL = "conservateur@demo.test";

export function demoCommuneEmail(codeInsee: string): string {
  return `mairie-${codeInsee}@demo.test`;
}

export type DemoEdifice = { nom: string; merimeeRef: string | null };

/** A signature objet written out in full; the other objets of the commune come from the catalogue below. */
export type DemoObjetPhare = {
  ref: string;
  tico: string;
  deno: string;
  cate: string;
  scle: string;
  empl: string;
  prot: "classé" | "inscrit";
  dpro: string;
};

/**
 * What happened to the commune's dossier(s): `construction` (recensement en cours), `soumis` (sent, not
 * examined), `examen_partiel` (sent, partly examined), `reponse_auto` (sent, automatic "objets verts" reply),
 * `examine` (examen sent), `archive` (examined during an earlier campaign, archived when the current one started).
 */
export type DemoScenario = "construction" | "soumis" | "examen_partiel" | "reponse_auto" | "examine" | "archive";

/**
 * One answer pattern per objet, applied in order and cycled: `vert` (in place, good, hard to steal), `moyen`,
 * `mauvais` (bad, easy to steal), `peril`, `autre_edifice`, `autre_commune`, `temporaire`, `absent`,
 * `non_recensable` (in place but out of reach).
 */
export type DemoProfil =
  "vert" | "moyen" | "mauvais" | "peril" | "autre_edifice" | "autre_commune" | "temporaire" | "absent" | "non_recensable";

export type DemoDossier = {
  scenario: DemoScenario;
  profils: DemoProfil[];
  /** Construction only: how many objets have a completed recensement, then how many a draft. */
  completes?: number;
  brouillons?: number;
  visit?: "souhaitable" | "prioritaire";
  /** An older, archived dossier before the current one. */
  ancienDossierArchive?: boolean;
};

export type DemoCommune = {
  code: string;
  nom: string;
  latitude: number;
  longitude: number;
  objets: number;
  edifices: DemoEdifice[];
  phares?: DemoObjetPhare[];
  dossier?: DemoDossier;
  /** Recipient of the current campaign who asked to be contacted later. */
  optOut?: boolean;
  /** The last objet comes from another commune: moved there (`deplace`), or its commune merged into this one. */
  dernierObjetVenuDe?: { code: string; nom: string; deplace: boolean };
};

export type DemoCampagne = "en_cours" | "terminee" | null;

export type DemoDepartement = { code: string; telephone: string; nomDrac: string; campagne: DemoCampagne; communes: DemoCommune[] };

const e = (nom: string, merimeeRef: string | null = null): DemoEdifice => ({ nom, merimeeRef });

export const DEMO_DEPARTEMENTS: DemoDepartement[] = [
  {
    code: "56",
    telephone: "02 97",
    nomDrac: "Bretagne",
    campagne: "en_cours",
    communes: [
      {
        code: "56260",
        nom: "Vannes",
        latitude: 47.6582,
        longitude: -2.7608,
        objets: 9,
        edifices: [e("cathédrale Saint-Pierre", "PA00561001"), e("église Saint-Patern", "PA00561002")],
        dossier: { scenario: "construction", profils: ["vert", "moyen", "vert"], completes: 3, brouillons: 0 },
      },
      {
        code: "56121",
        nom: "Lorient",
        latitude: 47.7483,
        longitude: -3.3666,
        objets: 4,
        edifices: [e("église Saint-Louis", "PA00561003")],
      },
      {
        code: "56007",
        nom: "Auray",
        latitude: 47.6679,
        longitude: -2.9827,
        objets: 5,
        edifices: [e("église Saint-Gildas", "PA00561004"), e("chapelle du Saint-Esprit")],
        dossier: { scenario: "archive", profils: ["vert", "moyen", "mauvais", "vert", "peril"] },
      },
      {
        code: "56034",
        nom: "Carnac",
        latitude: 47.5842,
        longitude: -3.0783,
        objets: 6,
        edifices: [e("église Saint-Cornély", "PA00561005"), e("chapelle Saint-Michel")],
      },
      {
        code: "56091",
        nom: "Josselin",
        latitude: 47.9535,
        longitude: -2.5478,
        objets: 7,
        edifices: [e("basilique Notre-Dame-du-Roncier", "PA00561006"), e("chapelle Sainte-Croix")],
        phares: [
          {
            ref: "PM56000601",
            tico: "Notre-Dame-du-Roncier",
            deno: "statue",
            cate: "sculpture",
            scle: "15e siècle",
            empl: "chœur",
            prot: "classé",
            dpro: "1908/06/12 : classé au titre objet",
          },
          {
            ref: "PM56000602",
            tico: "Tombeau d’Olivier de Clisson et de Marguerite de Rohan",
            deno: "tombeau ; gisant",
            cate: "sculpture",
            scle: "15e siècle",
            empl: "chapelle sud",
            prot: "classé",
            dpro: "1898/12/30 : classé au titre objet",
          },
        ],
        dossier: { scenario: "construction", profils: ["vert", "mauvais", "moyen", "vert"], completes: 3, brouillons: 2 },
      },
      {
        code: "56196",
        nom: "Rochefort-en-Terre",
        latitude: 47.6993,
        longitude: -2.3363,
        objets: 5,
        edifices: [e("église Notre-Dame-de-la-Tronchaye", "PA00561007")],
      },
      {
        code: "56178",
        nom: "Pontivy",
        latitude: 48.0683,
        longitude: -2.9628,
        objets: 4,
        edifices: [e("église Notre-Dame-de-Joie", "PA00561008")],
      },
      {
        code: "56165",
        nom: "Ploërmel",
        latitude: 47.9317,
        longitude: -2.3975,
        objets: 5,
        edifices: [e("église Saint-Armel", "PA00561009")],
      },
      {
        code: "56083",
        nom: "Hennebont",
        latitude: 47.805,
        longitude: -3.277,
        objets: 6,
        edifices: [e("basilique Notre-Dame-de-Paradis", "PA00561010"), e("mairie")],
        dossier: { scenario: "examen_partiel", profils: ["peril", "autre_edifice", "vert", "mauvais", "moyen", "non_recensable"] },
      },
      {
        code: "56116",
        nom: "Locmariaquer",
        latitude: 47.5693,
        longitude: -2.9453,
        objets: 3,
        edifices: [e("église Notre-Dame-de-Kerdro", "PA00561011")],
        dossier: { scenario: "soumis", profils: ["autre_commune", "moyen", "vert"] },
      },
      {
        code: "56263",
        nom: "Sainte-Anne-d'Auray",
        latitude: 47.7003,
        longitude: -2.955,
        objets: 8,
        edifices: [e("basilique Sainte-Anne", "PA00561012"), e("chapelle de la Scala Sancta")],
        dernierObjetVenuDe: { code: "56007", nom: "Auray", deplace: true },
        dossier: { scenario: "soumis", profils: ["vert", "peril", "moyen", "mauvais", "vert", "vert", "absent", "moyen"] },
      },
      {
        code: "56073",
        nom: "Guémené-sur-Scorff",
        latitude: 48.0672,
        longitude: -3.2033,
        objets: 3,
        edifices: [e("église Notre-Dame-de-la-Fosse")],
      },
      {
        code: "56057",
        nom: "Le Faouët",
        latitude: 48.0325,
        longitude: -3.4897,
        objets: 5,
        edifices: [e("chapelle Sainte-Barbe", "PA00561013"), e("chapelle Saint-Fiacre", "PA00561014")],
        optOut: true,
      },
      {
        code: "56124",
        nom: "Malestroit",
        latitude: 47.8092,
        longitude: -2.3842,
        objets: 3,
        edifices: [e("église Saint-Gilles", "PA00561015")],
      },
      { code: "56195", nom: "La Roche-Bernard", latitude: 47.5192, longitude: -2.3003, objets: 2, edifices: [e("chapelle Notre-Dame")] },
      {
        code: "56184",
        nom: "Questembert",
        latitude: 47.6608,
        longitude: -2.4522,
        objets: 4,
        edifices: [e("église Saint-Pierre", "PA00561016"), e("chapelle Saint-Michel")],
      },
    ],
  },
  {
    code: "68",
    telephone: "03 89",
    nomDrac: "Grand Est",
    campagne: "terminee",
    communes: [
      {
        code: "68066",
        nom: "Colmar",
        latitude: 48.0794,
        longitude: 7.3585,
        objets: 10,
        edifices: [e("collégiale Saint-Martin", "PA00681001"), e("église des Dominicains", "PA00681002")],
        phares: [
          {
            ref: "PM68000101",
            tico: "La Vierge au buisson de roses",
            deno: "tableau",
            cate: "peinture",
            scle: "4e quart 15e siècle",
            empl: "chœur",
            prot: "classé",
            dpro: "1902/03/21 : classé au titre objet",
          },
        ],
        dossier: {
          scenario: "examine",
          profils: ["vert", "peril", "temporaire", "mauvais", "vert", "absent", "moyen", "vert", "autre_edifice", "moyen"],
          visit: "prioritaire",
          ancienDossierArchive: true,
        },
      },
      {
        code: "68224",
        nom: "Mulhouse",
        latitude: 47.7508,
        longitude: 7.3359,
        objets: 6,
        edifices: [e("temple Saint-Étienne", "PA00681003"), e("église Saint-Étienne", "PA00681004")],
      },
      {
        code: "68112",
        nom: "Guebwiller",
        latitude: 47.9097,
        longitude: 7.2108,
        objets: 6,
        edifices: [e("église Notre-Dame", "PA00681005"), e("église Saint-Léger", "PA00681006")],
        dossier: { scenario: "examen_partiel", profils: ["absent", "peril", "vert", "moyen", "mauvais", "vert"] },
      },
      {
        code: "68162",
        nom: "Kaysersberg Vignoble",
        latitude: 48.1389,
        longitude: 7.2636,
        objets: 5,
        edifices: [e("église de la Sainte-Croix", "PA00681007"), e("église Saint-Guillaume de Sigolsheim")],
        dernierObjetVenuDe: { code: "68310", nom: "Sigolsheim", deplace: false },
        dossier: { scenario: "construction", profils: ["moyen", "vert"], completes: 1, brouillons: 1 },
      },
      {
        code: "68277",
        nom: "Riquewihr",
        latitude: 48.1667,
        longitude: 7.2972,
        objets: 4,
        edifices: [e("église Notre-Dame-de-l'Assomption", "PA00681008")],
        dossier: { scenario: "reponse_auto", profils: ["vert"] },
      },
      {
        code: "68334",
        nom: "Thann",
        latitude: 47.8075,
        longitude: 7.1031,
        objets: 7,
        edifices: [e("collégiale Saint-Thiébaut", "PA00681009")],
        dossier: {
          scenario: "examine",
          profils: ["vert", "moyen", "mauvais", "vert", "non_recensable", "vert", "moyen"],
          visit: "souhaitable",
        },
      },
      {
        code: "68269",
        nom: "Ribeauvillé",
        latitude: 48.195,
        longitude: 7.3192,
        objets: 4,
        edifices: [e("église Saint-Grégoire", "PA00681010")],
      },
      {
        code: "68078",
        nom: "Eguisheim",
        latitude: 48.0428,
        longitude: 7.3061,
        objets: 4,
        edifices: [e("église Saints-Pierre-et-Paul", "PA00681011")],
        dossier: { scenario: "soumis", profils: ["moyen", "vert", "mauvais", "vert"] },
      },
      { code: "68226", nom: "Munster", latitude: 48.0408, longitude: 7.1342, objets: 3, edifices: [e("église Saint-Léger")] },
      { code: "68004", nom: "Altkirch", latitude: 47.6239, longitude: 7.2397, objets: 3, edifices: [e("église Notre-Dame", "PA00681012")] },
      {
        code: "68253",
        nom: "Ottmarsheim",
        latitude: 47.7872,
        longitude: 7.5069,
        objets: 3,
        edifices: [e("église abbatiale Saints-Pierre-et-Paul", "PA00681013")],
      },
      {
        code: "68287",
        nom: "Rouffach",
        latitude: 47.9578,
        longitude: 7.3,
        objets: 5,
        edifices: [e("église Notre-Dame-de-l'Assomption", "PA00681014")],
      },
      {
        code: "68229",
        nom: "Murbach",
        latitude: 47.9228,
        longitude: 7.1597,
        objets: 2,
        edifices: [e("église abbatiale Saint-Léger", "PA00681015")],
      },
      {
        code: "68177",
        nom: "Lautenbach",
        latitude: 47.9403,
        longitude: 7.1494,
        objets: 4,
        edifices: [e("collégiale Saint-Michel", "PA00681016")],
      },
      {
        code: "68231",
        nom: "Neuf-Brisach",
        latitude: 48.0178,
        longitude: 7.5281,
        objets: 2,
        edifices: [e("église Saint-Louis", "PA00681017")],
      },
      { code: "68338", nom: "Turckheim", latitude: 48.0867, longitude: 7.2781, objets: 3, edifices: [e("église Sainte-Anne")] },
    ],
  },
  {
    code: "46",
    telephone: "05 65",
    nomDrac: "Occitanie",
    campagne: null,
    communes: [
      {
        code: "46042",
        nom: "Cahors",
        latitude: 44.4475,
        longitude: 1.4414,
        objets: 8,
        edifices: [e("cathédrale Saint-Étienne", "PA00461001"), e("église Saint-Barthélemy", "PA00461002")],
        dossier: { scenario: "examine", profils: ["vert", "moyen", "vert", "mauvais", "peril", "vert", "moyen", "vert"] },
      },
      {
        code: "46102",
        nom: "Figeac",
        latitude: 44.6086,
        longitude: 2.0317,
        objets: 6,
        edifices: [e("église Saint-Sauveur", "PA00461003"), e("église Notre-Dame-du-Puy", "PA00461004")],
      },
      {
        code: "46240",
        nom: "Rocamadour",
        latitude: 44.7994,
        longitude: 1.6181,
        objets: 7,
        edifices: [e("chapelle Notre-Dame", "PA00461005"), e("basilique Saint-Sauveur", "PA00461006")],
        phares: [
          {
            ref: "PM46000301",
            tico: "Vierge noire de Rocamadour",
            deno: "statue",
            cate: "sculpture",
            scle: "12e siècle",
            empl: "chapelle Notre-Dame, autel",
            prot: "classé",
            dpro: "1907/11/14 : classé au titre objet",
          },
        ],
        dossier: { scenario: "construction", profils: ["vert", "temporaire", "moyen"], completes: 2, brouillons: 2 },
      },
      {
        code: "46256",
        nom: "Saint-Cirq-Lapopie",
        latitude: 44.465,
        longitude: 1.6717,
        objets: 3,
        edifices: [e("église Saint-Cirq-et-Sainte-Julitte", "PA00461007")],
      },
      {
        code: "46309",
        nom: "Souillac",
        latitude: 44.8969,
        longitude: 1.4769,
        objets: 4,
        edifices: [e("église abbatiale Sainte-Marie", "PA00461008")],
      },
      {
        code: "46127",
        nom: "Gourdon",
        latitude: 44.7372,
        longitude: 1.3831,
        objets: 4,
        edifices: [e("église Saint-Pierre", "PA00461009")],
      },
      { code: "46185", nom: "Martel", latitude: 44.9369, longitude: 1.6086, objets: 3, edifices: [e("église Saint-Maur", "PA00461010")] },
      {
        code: "46058",
        nom: "Carennac",
        latitude: 44.9111,
        longitude: 1.7364,
        objets: 3,
        edifices: [e("église Saint-Pierre", "PA00461011")],
      },
      { code: "46009", nom: "Assier", latitude: 44.6744, longitude: 1.8783, objets: 2, edifices: [e("église Saint-Pierre", "PA00461012")] },
      {
        code: "46183",
        nom: "Marcilhac-sur-Célé",
        latitude: 44.5525,
        longitude: 1.7786,
        objets: 3,
        edifices: [e("église abbatiale Saint-Pierre", "PA00461013")],
      },
      { code: "46182", nom: "Luzech", latitude: 44.4797, longitude: 1.2853, objets: 2, edifices: [e("chapelle Notre-Dame-de-l'Île")] },
      { code: "46055", nom: "Capdenac", latitude: 44.5772, longitude: 2.0764, objets: 2, edifices: [e("église Saint-Jean-Baptiste")] },
      {
        code: "46143",
        nom: "Lacapelle-Marival",
        latitude: 44.7275,
        longitude: 1.9267,
        objets: 3,
        edifices: [e("église Notre-Dame", "PA00461014")],
      },
      { code: "46011", nom: "Autoire", latitude: 44.85, longitude: 1.8264, objets: 2, edifices: [e("église Saint-Pierre")] },
      {
        code: "46251",
        nom: "Saint-Céré",
        latitude: 44.8581,
        longitude: 1.8942,
        objets: 3,
        edifices: [e("église Sainte-Spérie", "PA00461015")],
      },
    ],
  },
];

export type DemoObjetModele = { deno: string; cate: string; tico: string; scles: string[]; empls: string[]; doss?: string };

/** Kinds of objets found in parish churches, with their usual Palissy dénomination, catégorie and period. */
export const DEMO_OBJET_MODELES: DemoObjetModele[] = [
  {
    deno: "statue",
    cate: "sculpture",
    tico: "Vierge à l’Enfant",
    scles: ["14e siècle", "15e siècle", "16e siècle"],
    empls: ["chœur", "nef, mur nord"],
  },
  {
    deno: "tableau",
    cate: "peinture",
    tico: "Adoration des bergers",
    scles: ["17e siècle", "18e siècle"],
    empls: ["bas-côté sud", "chapelle de la Vierge"],
  },
  {
    deno: "calice ; patène",
    cate: "orfèvrerie",
    tico: "Calice et patène",
    scles: ["2e quart 18e siècle", "19e siècle"],
    empls: ["sacristie"],
  },
  {
    deno: "retable",
    cate: "menuiserie ; sculpture",
    tico: "Retable du maître-autel",
    scles: ["17e siècle", "4e quart 17e siècle"],
    empls: ["chœur"],
    doss: "dossier avec sous-dossier",
  },
  { deno: "chaire à prêcher", cate: "menuiserie", tico: "Chaire à prêcher", scles: ["18e siècle"], empls: ["nef"] },
  { deno: "cloche", cate: "fonderie", tico: "Cloche", scles: ["16e siècle", "18e siècle"], empls: ["clocher"] },
  {
    deno: "orgue de tribune",
    cate: "facture d’orgue",
    tico: "Orgue de tribune : buffet d’orgue",
    scles: ["18e siècle"],
    empls: ["tribune"],
    doss: "dossier avec sous-dossier",
  },
  { deno: "bannière de procession", cate: "broderie", tico: "Bannière de procession", scles: ["19e siècle"], empls: ["sacristie"] },
  { deno: "ostensoir", cate: "orfèvrerie", tico: "Ostensoir", scles: ["19e siècle"], empls: ["sacristie", "trésor"] },
  { deno: "fonts baptismaux", cate: "sculpture", tico: "Fonts baptismaux", scles: ["16e siècle"], empls: ["baptistère"] },
  { deno: "verrière", cate: "vitrail", tico: "Verrière : la Crucifixion", scles: ["16e siècle"], empls: ["baie 0"] },
  { deno: "confessionnal", cate: "menuiserie", tico: "Confessionnal", scles: ["18e siècle"], empls: ["bas-côté nord"] },
  { deno: "lutrin", cate: "menuiserie ; sculpture", tico: "Lutrin", scles: ["18e siècle"], empls: ["chœur"] },
  { deno: "dalle funéraire", cate: "sculpture", tico: "Dalle funéraire d’un chevalier", scles: ["14e siècle"], empls: ["nef, sol"] },
  { deno: "bas-relief", cate: "sculpture", tico: "Bas-relief : la Mise au tombeau", scles: ["16e siècle"], empls: ["chapelle nord"] },
  { deno: "croix de procession", cate: "orfèvrerie", tico: "Croix de procession", scles: ["17e siècle"], empls: ["sacristie"] },
  { deno: "reliquaire", cate: "orfèvrerie", tico: "Reliquaire-monstrance", scles: ["15e siècle"], empls: ["trésor"] },
  { deno: "chasuble ; étole", cate: "broderie", tico: "Chasuble et étole", scles: ["18e siècle"], empls: ["sacristie"] },
  { deno: "ex-voto", cate: "sculpture ; peinture", tico: "Ex-voto : maquette de navire", scles: ["19e siècle"], empls: ["nef, voûte"] },
  { deno: "statue", cate: "sculpture", tico: "Saint Roch", scles: ["16e siècle", "17e siècle"], empls: ["nef, pilier sud"] },
  { deno: "stalle", cate: "menuiserie", tico: "Stalles", scles: ["15e siècle"], empls: ["chœur"] },
  { deno: "tabernacle", cate: "menuiserie ; dorure", tico: "Tabernacle", scles: ["17e siècle"], empls: ["maître-autel"] },
  { deno: "statue", cate: "sculpture", tico: "Christ en croix", scles: ["17e siècle"], empls: ["arc triomphal"] },
  { deno: "tableau", cate: "peinture", tico: "Martyre de saint Sébastien", scles: ["17e siècle"], empls: ["chapelle sud"] },
  { deno: "groupe sculpté", cate: "sculpture", tico: "Sainte Anne et la Vierge", scles: ["16e siècle"], empls: ["chapelle nord"] },
  { deno: "groupe sculpté", cate: "sculpture", tico: "Pietà", scles: ["15e siècle", "16e siècle"], empls: ["bas-côté nord"] },
  { deno: "maître-autel", cate: "marbrerie", tico: "Maître-autel", scles: ["18e siècle"], empls: ["chœur"] },
  { deno: "lustre", cate: "verrerie ; bronze", tico: "Lustre", scles: ["19e siècle"], empls: ["nef"] },
  { deno: "horloge", cate: "horlogerie", tico: "Horloge monumentale", scles: ["18e siècle"], empls: ["clocher"] },
  { deno: "tableau", cate: "peinture", tico: "Assomption de la Vierge", scles: ["18e siècle"], empls: ["chœur"] },
];

/** A commune with objets and photos whose public pages the browser tests visit. */
export const DEMO_COMMUNE_PUBLIQUE = { code_insee: "56091", nom: "Josselin" } as const;
export const DEMO_OBJET_PUBLIC = { palissy_ref: "PM56000601", titre: "Notre-Dame-du-Roncier" } as const;

/** Commune personas printed at start-up: one to start a recensement, one half-way, one reading its examen. */
export const DEMO_COMMUNES_PERSONAS = [
  { code_insee: "56034", situation: "pas encore de recensement, destinataire de la campagne en cours" },
  { code_insee: "56091", situation: "recensement en cours (brouillons et objets recensés)" },
  { code_insee: "68066", situation: "dossier examiné par le conservateur, fiches conseil à lire" },
] as const;
