import { communeCoordinates } from "./annuaire.ts";
import { MERIMEE_COLUMNS, type MerimeeColumn } from "./columns.ts";
import type { CsvWriter } from "./csv-writer.ts";
import { fillerMerimeeRef, type Edifice } from "./edifices.ts";
import type { Commune, Geography } from "./geography.ts";
import { createRandom, deriveSeed, type Random } from "./random.ts";
import { capitalize, description, historique } from "./vocabulary.ts";

/** Records of the real Mérimée export (data.culture.gouv.fr, 2024). */
export const MERIMEE_ROWS_AT_SCALE_1 = 46_690;
const COLUMN_INDEX = new Map<MerimeeColumn, number>(MERIMEE_COLUMNS.map((column, index) => [column, index]));

export type MerimeeCounts = {
  read: number;
  /** Rows without `COG_Insee_lors_de_la_protection`: the édifices sync skips them. */
  sans_code_insee: number;
  /** Rows whose REF is the Mérimée REF of an édifice that in-scope objets point to. */
  edifices_des_objets: number;
};

/**
 * Mérimée notices: every édifice with a REF that a Palissy row points to, plus buildings without protected
 * objets up to the size of the real export. Rows go commune by commune, in code order.
 */
export async function writeMerimee(
  writer: CsvWriter,
  geography: Geography,
  seed: number,
  scale: number,
  edificesByCommune: ReadonlyMap<string, readonly Edifice[]>,
  edificesOfObjets: ReadonlySet<string>,
): Promise<MerimeeCounts> {
  const random = createRandom(deriveSeed(seed, "merimee"));
  let referenced = 0;
  for (const list of edificesByCommune.values()) referenced += list.filter((edifice) => edifice.merimeeRef).length;
  const fillers = new Uint32Array(geography.communes.length);
  const fillerCount = Math.max(0, Math.round(MERIMEE_ROWS_AT_SCALE_1 * scale) - referenced);
  for (let i = 0; i < fillerCount; i++) {
    const index = Math.floor(random.next() * fillers.length);
    fillers[index] = (fillers[index] ?? 0) + 1;
  }

  const counts: MerimeeCounts = { read: 0, sans_code_insee: 0, edifices_des_objets: 0 };
  const fillerSequences = new Map<string, number>();
  for (const [index, commune] of geography.communes.entries()) {
    for (const edifice of edificesByCommune.get(commune.code) ?? []) {
      if (!edifice.merimeeRef) continue;
      await writer.write(notice(geography, seed, commune, edifice.merimeeRef, capitalize(edifice.nom), commune.code, random));
      counts.read += 1;
      if (edificesOfObjets.has(edifice.key)) counts.edifices_des_objets += 1;
    }
    for (let i = 0; i < (fillers[index] ?? 0); i++) {
      const sequence = (fillerSequences.get(commune.departement) ?? 0) + 1;
      fillerSequences.set(commune.departement, sequence);
      const draw = random.next();
      const codes = draw < 0.01 ? "" : draw < 0.02 ? `${commune.code},${neighbour(geography, commune).code}` : commune.code;
      const nom = random.pick(["Maison", "Château", "Croix de chemin", "Lavoir", "Pont", "Manoir", "Hôtel particulier", "Moulin"]);
      await writer.write(
        notice(geography, seed, commune, fillerMerimeeRef(commune.departement, sequence), `${nom} ${sequence}`, codes, random),
      );
      counts.read += 1;
      if (codes === "") counts.sans_code_insee += 1;
    }
  }
  return counts;
}

function notice(
  geography: Geography,
  seed: number,
  commune: Commune,
  reference: string,
  titre: string,
  codes: string,
  random: Random,
): string[] {
  const record = new Array<string>(MERIMEE_COLUMNS.length).fill("");
  const set = (column: MerimeeColumn, value: string): void => {
    record[COLUMN_INDEX.get(column) ?? 0] = value;
  };
  const departement = geography.departements.get(commune.departement);
  const protection = random.chance(0.4) ? "classé MH" : "inscrit MH";
  const point = communeCoordinates(seed, commune);
  set("Reference", reference);
  set("Commune_forme_index", commune.nom);
  set("Commune_forme_editoriale", commune.nom);
  set("Denomination_de_l_edifice", (titre.split(" ")[0] ?? titre).toLowerCase());
  set("Domaine", random.pick(["architecture religieuse", "architecture civile", "architecture domestique"]));
  set(
    "Date_et_typologie_de_la_protection",
    `${random.int(1840, 2020)}/${String(random.int(1, 12)).padStart(2, "0")}/${String(random.int(1, 28)).padStart(2, "0")} : ${protection}`,
  );
  set("Typologie_de_la_protection", protection);
  set("Departement_format_numerique", commune.departement);
  set("COG_Insee_lors_de_la_protection", codes);
  set("Région", departement?.region ?? "");
  set("Département", departement?.nom ?? "");
  set("Statut_juridique_de_l_edifice", "propriété de la commune");
  set("Titre_editorial_de_la_notice", titre);
  set("Historique", `${historique(random, random.chance(0.05))} ${historique(random, false)}`);
  set("Description_de_l_edifice", description(random));
  if (point) set("coordonnees_au_format_WGS84", `${point.latitude.toFixed(4)}, ${point.longitude.toFixed(4)}`);
  return record;
}

function neighbour(geography: Geography, commune: Commune): Commune {
  const list = geography.communesParDepartement.get(commune.departement) ?? [];
  return list[(commune.rang + 1) % list.length] ?? commune;
}
