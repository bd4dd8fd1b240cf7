import fs from "node:fs";
import { sql, type Transaction } from "kysely";
import type { Database } from "../platform/db/database.ts";
import type { DB, PalissyPhoto } from "../platform/db/schema.ts";
import { ImportFormatError, readCsv, startReading, type CsvRecord } from "./csv.ts";
import { recordImportRun, type ImportExecution } from "./runs.ts";
import { DEFAULT_MEMOIRE_PHOTOS_BASE_URL, memoirePhotoUrl } from "./rules.ts";
import { inBatches, recordset } from "./sql.ts";
import { countOutOfScope, type ImportSummary } from "./summary.ts";

const FIELDS = ["ref_palissy", "ref_memoire", "name", "copy", "url"] as const;

/** One `palissy_to_memoire` row (pop-scraper CSV or Datasette JSON), by lower-case field name. */
export type MemoireRow = CsvRecord<(typeof FIELDS)[number]>;

const BATCH_SIZE = 1000;

/**
 * Streams `palissy_to_memoire` rows from the scraper's CSV (`REF_PALISSY,REF_MEMOIRE,NAME,COPY,URL`)
 * or from a Datasette JSON page (`{"rows": [...]}`) or array; the format is detected from the content.
 */
export async function* readMemoireRows(file: string): AsyncGenerator<MemoireRow> {
  if (await looksLikeJson(file)) yield* readJsonRows(file);
  else yield* readCsv(file, { delimiter: ",", required: FIELDS });
}

async function looksLikeJson(file: string): Promise<boolean> {
  const handle = await fs.promises.open(file, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(512), 0, 512, 0);
    const start = buffer
      .subarray(0, bytesRead)
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .trimStart();
    return start.startsWith("{") || start.startsWith("[");
  } finally {
    await handle.close();
  }
}

// A Datasette page holds at most a few thousand rows: it is read whole.
async function* readJsonRows(file: string): AsyncGenerator<MemoireRow> {
  let data: unknown;
  try {
    data = JSON.parse((await fs.promises.readFile(file, "utf8")).replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new ImportFormatError(`Fichier JSON illisible : ${(error as Error).message}`);
  }
  const rows = Array.isArray(data) ? data : (data as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(rows)) throw new ImportFormatError("Le fichier JSON n’a pas de tableau « rows » (format Datasette attendu).");
  for (const [index, raw] of rows.entries()) {
    const entry = Object.fromEntries(
      Object.entries(raw as Record<string, unknown>).map(([key, value]) => [key.trim().toLowerCase(), value]),
    );
    if (index === 0) {
      const missing = FIELDS.filter((field) => !(field in entry));
      if (missing.length > 0)
        throw new ImportFormatError(`Champs obligatoires absents des lignes JSON : ${missing.join(", ")}. Aucune donnée n’a été modifiée.`);
    }
    const text = (field: (typeof FIELDS)[number]) => (typeof entry[field] === "string" ? entry[field].trim() : "");
    yield {
      line: index + 1,
      ref_palissy: text("ref_palissy"),
      ref_memoire: text("ref_memoire"),
      name: text("name"),
      copy: text("copy"),
      url: text("url"),
    };
  }
}

type PhotoGroup = { ref: string; photos: PalissyPhoto[] };

/**
 * Replaces `objets.palissy_photos` of each objet listed (rows grouped by consecutive REF_PALISSY,
 * as the file is sorted); objets absent from the file keep their photos, unknown REFs are counted.
 */
export async function importMemoire(
  database: Database,
  file: string,
  options: { onProgress?: (read: number) => void; runId?: number; photosBaseUrl?: string } = {},
): Promise<ImportSummary> {
  const baseUrl = options.photosBaseUrl ?? DEFAULT_MEMOIRE_PHOTOS_BASE_URL;
  return recordImportRun(
    database,
    "memoire",
    file,
    () => startReading(readMemoireRows(file)),
    async (rows, execution) => {
      const { summary } = execution;
      await inBatches(groupByRef(rows, baseUrl, execution, options.onProgress), BATCH_SIZE, (groups) =>
        database.db.transaction().execute((trx) => applyBatch(trx, groups, summary)),
      );
      options.onProgress?.(summary.read);
    },
    { runId: options.runId },
  );
}

async function* groupByRef(
  rows: AsyncIterable<MemoireRow>,
  baseUrl: string,
  execution: ImportExecution,
  onProgress?: (read: number) => void,
): AsyncGenerator<PhotoGroup> {
  const done = new Set<string>();
  let current: PhotoGroup | undefined;
  for await (const row of rows) {
    execution.summary.read += 1;
    if (onProgress && execution.summary.read % 1000 === 0) onProgress(execution.summary.read);
    if (row.ref_palissy === "" || row.url === "") {
      execution.errors.add(`ligne ${row.line} : REF_PALISSY ou URL absent, ligne ignorée`);
      continue;
    }
    if (current?.ref !== row.ref_palissy) {
      if (done.has(row.ref_palissy)) {
        execution.errors.add(
          `ligne ${row.line} (${row.ref_palissy}) : lignes de cet objet non consécutives (fichier non trié), ligne ignorée`,
        );
        continue;
      }
      if (current) yield current;
      done.add(row.ref_palissy);
      current = { ref: row.ref_palissy, photos: [] };
    }
    current.photos.push({
      url: memoirePhotoUrl(baseUrl, row.url),
      name: row.name === "" ? null : row.name,
      credit: row.copy === "" ? null : row.copy,
      memoire_ref: row.ref_memoire === "" ? null : row.ref_memoire,
    });
  }
  if (current) yield current;
}

function photosKey(photos: PalissyPhoto[]): string {
  return JSON.stringify(photos.map((p) => [p.url, p.name, p.credit, p.memoire_ref ?? null]));
}

async function applyBatch(trx: Transaction<DB>, groups: PhotoGroup[], summary: ImportSummary): Promise<void> {
  const existing = new Map(
    (
      await sql<{ id: number; palissy_ref: string; palissy_photos: PalissyPhoto[] }>`
        select id, palissy_ref, palissy_photos from objets where palissy_ref = any(${groups.map((g) => g.ref)}::text[])`.execute(trx)
    ).rows.map((o) => [o.palissy_ref, o]),
  );
  const changed: { id: number; photos: PalissyPhoto[] }[] = [];
  for (const group of groups) {
    const objet = existing.get(group.ref);
    if (!objet) {
      countOutOfScope(summary, "objet_inconnu", group.photos.length);
      continue;
    }
    summary.in_scope += group.photos.length;
    if (photosKey(objet.palissy_photos) !== photosKey(group.photos)) changed.push({ id: objet.id, photos: group.photos });
  }
  if (changed.length === 0) return;
  await sql`
    update objets o set palissy_photos = t.photos, updated_at = now()
    from ${recordset(changed, { id: "integer", photos: "jsonb" })} where o.id = t.id`.execute(trx);
  summary.updated += changed.length;
}
