import fs from "node:fs";
import { parse } from "csv-parse";

/** A file the importer cannot read at all (empty, missing columns): nothing is written. */
export class ImportFormatError extends Error {
  override name = "ImportFormatError";
}

export type CsvColumns<R extends string, O extends string> = {
  delimiter: string;
  /** Lower-case field names that must be in the header. */
  required: readonly R[];
  /** Lower-case field names read when present ("" otherwise). */
  optional?: readonly O[];
};

/** One data record: its cells by field name, and the line where it ends (for error messages). */
export type CsvRecord<K extends string> = Record<K, string> & { line: number };

/**
 * Streams a CSV export as records keyed by lower-case field name, cells trimmed.
 * Header labels are matched ignoring case and surrounding spaces, unknown columns are ignored,
 * and missing required columns throw before the first record is yielded.
 */
export async function* readCsv<R extends string, O extends string = never>(
  file: string,
  columns: CsvColumns<R, O>,
): AsyncGenerator<CsvRecord<R | O>> {
  const parser = fs
    .createReadStream(file)
    .pipe(
      parse({ delimiter: columns.delimiter, bom: true, info: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: true }),
    );
  let index: [R | O, number][] | undefined;
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (index === undefined) {
      index = mapHeader(record, columns);
      continue;
    }
    const values = { line: info.lines } as CsvRecord<R | O>;
    for (const [name, position] of index) (values as Record<string, string>)[name] = position < 0 ? "" : (record[position] ?? "").trim();
    yield values;
  }
  if (index === undefined) throw new ImportFormatError("Le fichier est vide : aucune ligne d’en-tête.");
}

function mapHeader<R extends string, O extends string>(header: string[], columns: CsvColumns<R, O>): [R | O, number][] {
  const labels = header.map((label) =>
    label
      .replace(/^\uFEFF/, "")
      .trim()
      .toLowerCase(),
  );
  const missing = columns.required.filter((name) => !labels.includes(name));
  if (missing.length > 0) {
    const hint = labels.length === 1 ? ` L’en-tête n’a qu’une colonne : le séparateur attendu est « ${columns.delimiter} ».` : "";
    throw new ImportFormatError(
      `Colonne${missing.length > 1 ? "s" : ""} obligatoire${missing.length > 1 ? "s" : ""} absente${missing.length > 1 ? "s" : ""} du fichier : ${missing.join(", ")}. Aucune donnée n’a été modifiée.${hint}`,
    );
  }
  return [...columns.required, ...(columns.optional ?? [])].map((name) => [name, labels.indexOf(name)]);
}

/** Pulls the first record so that header problems surface before anything is written. */
export async function startReading<T>(records: AsyncGenerator<T>): Promise<AsyncGenerator<T>> {
  const first = await records.next();
  return (async function* () {
    if (first.done) return;
    yield first.value;
    yield* records;
  })();
}
