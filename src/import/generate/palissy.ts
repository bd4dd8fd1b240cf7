import { PALISSY_COLUMNS, type PalissyColumn } from "./columns.ts";
import { edificesOf, fillerMerimeeRef, spellingVariant, type Edifice } from "./edifices.ts";
import type { Commune, Geography } from "./geography.ts";
import { ROW_KINDS, type PalissyPlan, type RowKind } from "./plan.ts";
import { createRandom, deriveSeed, type Random } from "./random.ts";
import { AUTEURS, capitalize, description, EMPLACEMENTS, historique, SUJETS, TYPES_OBJET } from "./vocabulary.ts";

const POP_MERIMEE_URL = "https://www.pop.culture.gouv.fr/notice/merimee/";
const COLUMN_INDEX = new Map<PalissyColumn, number>(PALISSY_COLUMNS.map((column, index) => [column, index]));

/** What one generated row is meant to become once imported. */
export type PalissyRow = {
  record: string[];
  reference: string;
  kind: RowKind;
  inScope: boolean;
  /** For in-scope rows: the commune and the édifice the objet must be attached to. */
  lieuActuel: { codeInsee: string; edifice: Edifice } | undefined;
  multiLine: boolean;
};

/**
 * Builds the rows of the plan in order. Communes reached by a moved objet or by a former code get their
 * édifices on demand; `edificesByCommune` then lists every édifice any row refers to (for the Mérimée file).
 */
export function createPalissyRows(geography: Geography, plan: PalissyPlan, seed: number) {
  const random = createRandom(deriveSeed(seed, "palissy"));
  const plannedRows = new Map(plan.communes.map((entry) => [entry.commune.code, entry.rows]));
  const edificesByCommune = new Map<string, Edifice[]>();
  const edifices = (commune: Commune): Edifice[] => {
    let list = edificesByCommune.get(commune.code);
    if (!list) {
      list = edificesOf(seed, commune, plannedRows.get(commune.code) ?? 0);
      edificesByCommune.set(commune.code, list);
    }
    return list;
  };
  const plannedByDepartement = new Map<string, Commune[]>();
  for (const { commune } of plan.communes) {
    const list = plannedByDepartement.get(commune.departement) ?? [];
    list.push(commune);
    plannedByDepartement.set(commune.departement, list);
  }
  const formerCodesByDepartement = new Map<string, [string, Commune][]>();
  const formerCodes: [string, Commune][] = [];
  for (const commune of geography.communes) {
    for (const code of commune.anciensCodes) {
      formerCodes.push([code, commune]);
      const list = formerCodesByDepartement.get(commune.departement) ?? [];
      list.push([code, commune]);
      formerCodesByDepartement.set(commune.departement, list);
    }
  }
  const sequences = new Map<string, number>();

  const otherCommune = (home: Commune): Commune => {
    const planned = plannedByDepartement.get(home.departement) ?? [];
    const pool = planned.length > 1 && random.chance(0.7) ? planned : (geography.communesParDepartement.get(home.departement) ?? []);
    for (let attempt = 0; attempt < 10; attempt++) {
      const candidate = random.pick(pool);
      if (candidate.code !== home.code) return candidate;
    }
    return home;
  };

  const pickEdifice = (commune: Commune): Edifice => {
    const list = edifices(commune);
    const first = list[0];
    if (!first) throw new Error(`aucun édifice pour ${commune.code}`);
    return list.length === 1 || random.chance(0.75) ? first : random.pick(list.slice(1));
  };

  const edificeName = (edifice: Edifice): string => (random.chance(0.05) ? spellingVariant(edifice, random) : edifice.nom);

  function build(home: Commune, kindIndex: number): PalissyRow {
    const { kind, inScope } = ROW_KINDS[kindIndex] ?? ROW_KINDS[0];
    const record = new Array<string>(PALISSY_COLUMNS.length).fill("");
    const set = (column: PalissyColumn, value: string): void => {
      record[COLUMN_INDEX.get(column) ?? 0] = value;
    };

    const sequence = (sequences.get(home.departement) ?? 0) + 1;
    sequences.set(home.departement, sequence);
    const reference = `PM${home.departement}${String(sequence).padStart(home.departement.length === 3 ? 5 : 6, "0")}`;

    // Where the objet was protected (COG_Insee) and where it is now.
    let protectionCode = home.code;
    let lieu = home;
    let web = random.chance(0.03) ? home.code : "";
    if (kind === "commune_fusionnee") {
      const pool = formerCodesByDepartement.get(home.departement) ?? formerCodes;
      const [formerCode, current] = random.pick(pool.length > 0 ? pool : formerCodes);
      protectionCode = formerCode;
      lieu = current;
      web = current.code;
    }
    const protectionCommune = kind === "commune_fusionnee" ? lieu : home;
    const edifice = pickEdifice(protectionCommune);
    let lieuEdifice = edifice;
    let cogInsee = protectionCode;
    if (kind === "sans_code_insee") {
      cogInsee = "";
      web = "";
    } else if (kind === "plusieurs_codes_insee") {
      cogInsee = `${home.code},${otherCommune(home).code}`;
    } else if (kind === "deplace") {
      lieu = otherCommune(home);
      web = lieu.code;
      lieuEdifice = pickEdifice(lieu);
      const nom = edificeName(lieuEdifice);
      set("Edifice_actuel", lieuEdifice.merimeeRef ? `${nom} ; ${lieuEdifice.merimeeRef}` : nom);
      set("Lieu_de_deplacement_de_l_objet", `déplacé en ${random.int(1950, 2022)} : ${lieuEdifice.nom}, ${lieu.nom}`);
    } else if (kind === "edifice_actuel_sans_code_actuel") {
      web = "";
      set(
        "Edifice_actuel",
        random.chance(0.5)
          ? "mosa-imgCHAM : Images de Champagne-Ardenne"
          : `chapelle du château ; ${fillerMerimeeRef(home.departement, 0)}`,
      );
    }

    const [deno, cate, matr] = random.weighted(TYPES_OBJET);
    const firstDeno = deno.split(";")[0] ?? deno;
    const sujet = random.pick(SUJETS);
    const multiLine = random.chance(0.05);

    set("Reference", reference);
    set("Denomination", deno);
    set("Categorie_technique", cate);
    set("Materiaux", matr);
    if (random.chance(0.4)) set("Auteur_de_l_oeuvre_ou_createur_de_l_objet", random.pick(AUTEURS));
    set("Commune_forme_index", indexForm(protectionCommune.nom));
    set("Commune_forme_editoriale", protectionCommune.nom);
    set("Copyright", "© Monuments historiques");
    if (random.chance(0.3)) set("Annee_de_creation", String(random.int(1200, 1900)));
    if (random.chance(0.6)) set("Date_du_recolement", random.chance(0.002) ? "20022" : String(random.int(1990, 2023)));
    set("Description", description(random));
    set("Historique", historique(random, multiLine));
    set("Dimensions", `h = ${random.int(20, 400)} ; la = ${random.int(10, 300)}`);
    set("Date_de_la_derniere_mise_a_jour", isoDate(random, 2015, 2024));
    set("Date_de_creation_de_la_notice", isoDate(random, 1990, 2014));
    const departement = geography.departements.get(home.departement);
    set("Departement_format_numerique", home.departement);
    set("Region", departement?.region ?? "");
    set("Departement_en_lettres", departement?.nom ?? "");
    set("Nom_de_l_edifice", edificeName(edifice));
    if (random.chance(0.6)) set("Emplacement_de_l_oeuvre_dans_l_edifice", random.pick(EMPLACEMENTS));
    set("COG_Insee", cogInsee);
    set("Code_INSEE_commune_actuelle", web);
    set("Siecle_de_creation", siecle(random));
    set("Reference_a_une_notice_Merimee_MH", merimeeReference(edifice, random));

    const { dpro, prot } = protection(kind, random);
    set("Date_et_typologie_de_la_protection", dpro);
    set("Typologie_de_la_protection", prot);
    set("Statut_juridique_du_proprietaire", proprietaire(kind, random));
    set("Statut_juridique_de_l_objet", kind === "manquant_ou_vole" ? random.pick(["volé", "manquant"]) : "");
    set("Typologie_du_dossier", dossier(kind, random));
    set("Titre_editorial", titre(kind, firstDeno, sujet, random));

    return {
      record,
      reference,
      kind,
      inScope,
      lieuActuel: inScope ? { codeInsee: lieu.code, edifice: lieuEdifice } : undefined,
      multiLine,
    };
  }

  return { build, edificesByCommune };
}

function merimeeReference(edifice: Edifice, random: Random): string {
  if (edifice.merimeeRef) return random.chance(0.92) ? `${POP_MERIMEE_URL}${edifice.merimeeRef}` : "";
  return random.chance(0.03) ? `${POP_MERIMEE_URL}IA${edifice.codeInsee.slice(0, 2)}00${random.int(1000, 9999)}` : "";
}

function protection(kind: RowKind, random: Random): { dpro: string; prot: string } {
  const date = (from: number, to: number): string => `${random.int(from, to)}/${pad2(random.int(1, 12))}/${pad2(random.int(1, 28))}`;
  switch (kind) {
    case "declasse":
      return random.chance(0.7)
        ? {
            dpro: `${date(1900, 1930)} : classé au titre objet ; ${date(1931, 2000)} : déclassé au titre objet`,
            prot: random.chance(0.5) ? "déclassé au titre objet" : "",
          }
        : { dpro: `${date(1950, 2010)} : déclassé`, prot: "" };
    case "declasse_puis_reclasse":
      return { dpro: `${date(1931, 1960)} : déclassé ; ${date(1900, 1930)} : classé au titre objet`, prot: "classé au titre objet" };
    case "protection_declassee_sans_date":
      return { dpro: "", prot: "déclassé au titre objet" };
    default: {
      const last = random.chance(0.65) ? "classé au titre objet" : "inscrit au titre objet";
      const dpro = random.chance(0.03)
        ? `${date(1900, 1960)} : inscrit au titre objet ; ${date(1961, 2020)} : ${last}`
        : `${date(1900, 2020)} : ${last}`;
      return { dpro, prot: random.chance(0.1) ? "" : last };
    }
  }
}

function proprietaire(kind: RowKind, random: Random): string {
  if (kind === "propriete_de_l_etat") {
    return random.weighted([
      ["propriété de l'Etat", 60],
      ["propriété de l'Etat (?)", 15],
      ["propriété de la commune;propriété de l'Etat", 25],
    ] as const);
  }
  return random.weighted([
    ["propriété de la commune", 85],
    ["propriété publique", 8],
    ["propriété d'un établissement public", 4],
    ["propriété de la commune;propriété d'une association diocésaine", 3],
  ] as const);
}

function dossier(kind: RowKind, random: Random): string {
  if (kind === "pas_dossier_individuel")
    return random.weighted([
      ["sous-dossier", 84],
      ["", 8],
      ["dossier collectif", 8],
    ] as const);
  if (kind === "dossier_orthographe_acceptee") return random.pick(["individuel", "dossier indiviuel", "dossier avec sous-dossiers"]);
  return random.chance(0.88) ? "dossier individuel" : "dossier avec sous-dossier";
}

function titre(kind: RowKind, deno: string, sujet: string, random: Random): string {
  if (kind === "en_cours_de_traitement") return "Traitement en cours";
  if (random.chance(0.08)) return "";
  const base =
    deno === "tableau" || deno === "statue" || deno === "bas-relief" || deno === "verrière"
      ? `${capitalize(deno)} : ${sujet}`
      : capitalize(deno);
  return random.chance(0.01) ? `${base} ` : base;
}

function siecle(random: Random): string {
  const century = random.int(12, 19);
  const single = random.chance(0.3) ? `${random.pick(["1er", "2e", "3e", "4e"])} quart ${century}e siècle` : `${century}e siècle`;
  return random.chance(0.15) ? `${single};${century + 1}e siècle` : single;
}

/** "Le Havre" → "Havre (Le)": the index form of commune names in Palissy. */
function indexForm(nom: string): string {
  const match = /^(L'|Le |La |Les )(.*)$/.exec(nom);
  return match ? `${match[2]} (${match[1]?.trim()})` : nom;
}

function isoDate(random: Random, from: number, to: number): string {
  return `${random.int(from, to)}-${pad2(random.int(1, 12))}-${pad2(random.int(1, 28))}`;
}

function pad2(value: number): string {
  return String(value).padStart(2, "0");
}
