import fs from "node:fs";
import path from "node:path";
import { departementCodeOf } from "../../patrimoine/departements-reference.ts";
import { PALISSY_SCOPE_RULES, type PalissyScopeReason } from "../rules.ts";
import { writeAnnuaire, type AnnuaireCounts } from "./annuaire.ts";
import { ANNUAIRE_COLUMNS, MEMOIRE_COLUMNS, MERIMEE_COLUMNS, PALISSY_COLUMNS } from "./columns.ts";
import { openCsvWriter, type CsvWriter } from "./csv-writer.ts";
import { loadGeography } from "./geography.ts";
import { writeMerimee, type MerimeeCounts } from "./merimee.ts";
import { createPalissyRows, type PalissyRow } from "./palissy.ts";
import { planPalissy, ROW_KINDS, type RowKind } from "./plan.ts";
import { createRandom, deriveSeed, type Random } from "./random.ts";
import { SUJETS } from "./vocabulary.ts";

/** Bump when the same seed and scale stop giving the same files (benchmarks reuse data by manifest). */
export const GENERATOR_VERSION = 1;

export const FILES = {
  palissy: "palissy.csv",
  merimee: "merimee.csv",
  annuaire: "annuaire.csv",
  memoire: "palissy_to_memoire.csv",
  expected: "expected-counts.json",
} as const;

/** The importer's out-of-scope keys (one per scope rule); each generated out-of-scope row fails exactly one. */
export const OUT_OF_SCOPE_REASONS = Object.keys(PALISSY_SCOPE_RULES) as PalissyScopeReason[];

export type ExpectedCounts = {
  generator: { version: number; seed: number; scale: number };
  files: Record<keyof Omit<typeof FILES, "expected">, { rows: number; bytes: number }>;
  palissy: {
    /** Data rows (header excluded), as `read` of the importer. */
    read: number;
    in_scope: number;
    out_of_scope: Record<PalissyScopeReason, number>;
    /** Rows per generated case (in-scope edge cases included), to check that each case is present. */
    rows_by_case: Record<RowKind, number>;
    /** Rows with a line break inside a quoted cell. */
    multi_line_rows: number;
    /** In-scope objets per `lieu_actuel_departement_code`. */
    objets_by_departement: Record<string, number>;
    /** Distinct `lieu_actuel_code_insee` of the in-scope objets. */
    communes_with_objets: number;
    /** Édifices the import creates: one per (commune actuelle, édifice), whatever the spelling of its name. */
    edifices: number;
    /** The largest commune and département, for the benchmarks of their pages. */
    largest_commune: { code_insee: string; objets: number };
    largest_departement: { code: string; objets: number };
  };
  annuaire: AnnuaireCounts;
  merimee: MerimeeCounts;
  memoire: {
    read: number;
    /** Photo rows whose REF_PALISSY is an in-scope objet (the others must be ignored). */
    rows_for_objets: number;
    objets_with_photos: number;
  };
};

export type GenerateOptions = { out: string; seed: number; scale: number };

export async function generateNational(options: GenerateOptions): Promise<ExpectedCounts> {
  const { out, seed, scale } = options;
  fs.mkdirSync(out, { recursive: true });
  const geography = loadGeography();
  const plan = planPalissy(geography, seed, scale);
  const rows = createPalissyRows(geography, plan, seed);

  const palissyWriter = openCsvWriter(path.join(out, FILES.palissy), PALISSY_COLUMNS, ";");
  const memoireWriter = openCsvWriter(path.join(out, FILES.memoire), MEMOIRE_COLUMNS, ",");
  const writePhotos = createPhotoWriter(memoireWriter, createRandom(deriveSeed(seed, "memoire")));
  const outOfScope = Object.fromEntries(OUT_OF_SCOPE_REASONS.map((reason) => [reason, 0])) as Record<PalissyScopeReason, number>;
  const rowsByCase = Object.fromEntries(ROW_KINDS.map((entry) => [entry.kind, 0])) as Record<RowKind, number>;
  const objetsByDepartement = new Map<string, number>();
  const objetsByCommune = new Map<string, number>();
  const edificesOfObjets = new Set<string>();
  const memoire = { read: 0, rows_for_objets: 0, objets_with_photos: 0 };
  let inScope = 0;
  let multiLineRows = 0;
  let index = 0;
  for (const { commune, rows: count } of plan.communes) {
    for (let i = 0; i < count; i++) {
      const row = rows.build(commune, plan.kinds[index] ?? 0);
      index += 1;
      await palissyWriter.write(row.record);
      rowsByCase[row.kind] += 1;
      if (row.multiLine) multiLineRows += 1;
      if (row.lieuActuel) {
        inScope += 1;
        const departement = departementCodeOf(row.lieuActuel.codeInsee);
        objetsByDepartement.set(departement, (objetsByDepartement.get(departement) ?? 0) + 1);
        objetsByCommune.set(row.lieuActuel.codeInsee, (objetsByCommune.get(row.lieuActuel.codeInsee) ?? 0) + 1);
        edificesOfObjets.add(row.lieuActuel.edifice.key);
      } else {
        outOfScope[row.kind as PalissyScopeReason] += 1;
      }
      const written = await writePhotos(row);
      memoire.read += written;
      if (row.inScope && written > 0) {
        memoire.rows_for_objets += written;
        memoire.objets_with_photos += 1;
      }
    }
  }
  const palissyFile = await palissyWriter.close();
  const memoireFile = await memoireWriter.close();

  const merimeeWriter = openCsvWriter(path.join(out, FILES.merimee), MERIMEE_COLUMNS, ";");
  const merimee = await writeMerimee(merimeeWriter, geography, seed, scale, rows.edificesByCommune, edificesOfObjets);
  const merimeeFile = await merimeeWriter.close();

  const annuaireWriter = openCsvWriter(path.join(out, FILES.annuaire), ANNUAIRE_COLUMNS, ";");
  const annuaire = await writeAnnuaire(annuaireWriter, geography, seed, new Set(objetsByCommune.keys()));
  const annuaireFile = await annuaireWriter.close();

  const expected: ExpectedCounts = {
    generator: { version: GENERATOR_VERSION, seed, scale },
    files: { palissy: palissyFile, merimee: merimeeFile, annuaire: annuaireFile, memoire: memoireFile },
    palissy: {
      read: plan.total,
      in_scope: inScope,
      out_of_scope: outOfScope,
      rows_by_case: rowsByCase,
      multi_line_rows: multiLineRows,
      objets_by_departement: Object.fromEntries([...objetsByDepartement].sort(([a], [b]) => (a < b ? -1 : 1))),
      communes_with_objets: objetsByCommune.size,
      edifices: edificesOfObjets.size,
      largest_commune: largest(objetsByCommune, "code_insee"),
      largest_departement: largest(objetsByDepartement, "code"),
    },
    annuaire,
    merimee,
    memoire,
  };
  fs.writeFileSync(path.join(out, FILES.expected), `${JSON.stringify(expected, null, 2)}\n`);
  return expected;
}

const PHOTO_NAMES = ["Vue d'ensemble", "Vue de face", "Détail", "Revers", "Vue de trois quarts, côté droit"];
const PHOTO_CREDITS = [
  "© Ministère de la Culture (France), Médiathèque du patrimoine et de la photographie, diffusion RMN-GP",
  "© Inventaire général, ADAGP",
  "© Monuments historiques",
];
/**
 * ~40% of in-scope objets get 1–4 photos; a few out-of-scope rows too, which the photos sync must ignore.
 * Rows follow the Palissy rows, whose REFs increase, so the file is sorted by REF_PALISSY like the real one.
 */
function createPhotoWriter(writer: CsvWriter, random: Random): (row: PalissyRow) => Promise<number> {
  let sequence = 0;
  return async (row) => {
    const count = row.inScope ? (random.chance(0.4) ? random.int(1, 4) : 0) : random.chance(0.05) ? 1 : 0;
    for (let i = 0; i < count; i++) {
      sequence += 1;
      const reference = `AP${row.reference.slice(2, 4)}L${String(sequence).padStart(6, "0")}`;
      const name = random.chance(0.3) ? `${random.pick(PHOTO_NAMES)} : ${random.pick(SUJETS)}` : random.pick(PHOTO_NAMES);
      await writer.write([
        row.reference,
        reference,
        name,
        random.pick(PHOTO_CREDITS),
        `memoire/${reference}/${reference.toLowerCase()}_p.jpg`,
      ]);
    }
    return count;
  };
}

function largest<K extends string>(counts: ReadonlyMap<string, number>, key: K): Record<K, string> & { objets: number } {
  let best: [string, number] = ["", 0];
  for (const entry of counts) if (entry[1] > best[1] || (entry[1] === best[1] && entry[0] < best[0])) best = entry;
  return { [key]: best[0], objets: best[1] } as Record<K, string> & { objets: number };
}
