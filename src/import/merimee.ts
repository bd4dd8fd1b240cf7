import { sql, type Transaction } from "kysely";
import type { Database } from "../platform/db/database.ts";
import type { DB } from "../platform/db/schema.ts";
import { readCsv, startReading, type CsvRecord } from "./csv.ts";
import { recordImportRun, type ImportExecution } from "./runs.ts";
import { edificeSlug, firstCodeInsee, isValidCodeInsee } from "./rules.ts";
import { inBatches, recordset } from "./sql.ts";
import { countOutOfScope, type ImportSummary } from "./summary.ts";

const REQUIRED = ["reference", "titre_editorial_de_la_notice", "cog_insee_lors_de_la_protection"] as const;

export type MerimeeRow = CsvRecord<(typeof REQUIRED)[number]>;

const BATCH_SIZE = 2000;
const MERIMEE_REF = /^PA[0-9AB]{2}[0-9]{6}$/;

/** Streams the rows of a Mérimée export (`;` CSV with label headers); no database. */
export function readMerimeeRows(file: string): AsyncGenerator<MerimeeRow> {
  return readCsv(file, { delimiter: ";", required: REQUIRED });
}

type Notice = { merimee_ref: string; code_insee: string; nom: string; slug: string };
type EdificeRow = Notice & { id: number };
type Existing = { id: number; merimee_ref: string | null; code_insee: string; nom: string; slug: string };

/**
 * Applies Mérimée to existing édifices only: found by REF, or by (code INSEE, slug) among those without
 * REF; when both exist the slug one is merged into the REF one (its objets move). Never creates.
 */
export async function importMerimee(
  database: Database,
  file: string,
  options: { onProgress?: (read: number) => void; runId?: number } = {},
): Promise<ImportSummary> {
  return recordImportRun(
    database,
    "merimee",
    file,
    () => startReading(readMerimeeRows(file)),
    async (rows, execution) => {
      const seen = new Set<string>();
      const { summary } = execution;
      await inBatches(
        rows,
        BATCH_SIZE,
        async (batch) => {
          const notices = parseBatch(batch, seen, execution);
          if (notices.length > 0) await database.db.transaction().execute((trx) => applyBatch(trx, notices, summary));
        },
        () => {
          summary.read += 1;
          if (options.onProgress && summary.read % 1000 === 0) options.onProgress(summary.read);
        },
      );
      options.onProgress?.(summary.read);
    },
    { runId: options.runId },
  );
}

function parseBatch(batch: MerimeeRow[], seen: Set<string>, execution: ImportExecution): Notice[] {
  const notices: Notice[] = [];
  for (const row of batch) {
    const ref = row.reference;
    if (!MERIMEE_REF.test(ref)) {
      execution.errors.add(`ligne ${row.line} : référence Mérimée ${ref === "" ? "absente" : `invalide « ${ref} »`}, ligne ignorée`);
      continue;
    }
    if (seen.has(ref)) {
      execution.errors.add(`ligne ${row.line} (${ref}) : référence déjà lue plus haut dans le fichier, ligne ignorée`);
      continue;
    }
    seen.add(ref);
    const code = firstCodeInsee(row.cog_insee_lors_de_la_protection);
    if (code === "") {
      countOutOfScope(execution.summary, "sans_code_insee");
      continue;
    }
    if (!isValidCodeInsee(code)) {
      countOutOfScope(execution.summary, "code_insee_invalide");
      continue;
    }
    notices.push({
      merimee_ref: ref,
      code_insee: code,
      nom: row.titre_editorial_de_la_notice,
      slug: edificeSlug(row.titre_editorial_de_la_notice),
    });
  }
  return notices;
}

const slugKey = (codeInsee: string, slug: string) => `${codeInsee}\u0000${slug}`;

async function applyBatch(trx: Transaction<DB>, notices: Notice[], summary: ImportSummary): Promise<void> {
  const [byRefRows, bySlugRows] = [
    await sql<Existing>`
      select id, merimee_ref, code_insee, nom, slug from edifices
      where merimee_ref = any(${notices.map((n) => n.merimee_ref)}::text[])`.execute(trx),
    await sql<Existing>`
      select id, merimee_ref, code_insee, nom, slug from edifices
      where merimee_ref is null
        and (code_insee, slug) in (select * from unnest(${notices.map((n) => n.code_insee)}::text[], ${notices.map((n) => n.slug)}::text[]))`.execute(
      trx,
    ),
  ];
  const byRef = new Map(byRefRows.rows.map((e) => [e.merimee_ref!, e]));
  const bySlug = new Map(bySlugRows.rows.map((e) => [slugKey(e.code_insee, e.slug), e]));

  const updates: EdificeRow[] = [];
  const merges: { from_id: number; to_id: number }[] = [];
  for (const notice of notices) {
    const withRef = byRef.get(notice.merimee_ref);
    const key = slugKey(notice.code_insee, notice.slug);
    const withSlug = bySlug.get(key);
    // A slug édifice serves one notice only: the first one read wins (a few REFs share a slug).
    bySlug.delete(key);
    const target = withRef ?? withSlug;
    if (!target) {
      countOutOfScope(summary, "edifice_absent");
      continue;
    }
    summary.in_scope += 1;
    if (withRef && withSlug) merges.push({ from_id: withSlug.id, to_id: withRef.id });
    if (
      target.merimee_ref !== notice.merimee_ref ||
      target.code_insee !== notice.code_insee ||
      target.nom !== notice.nom ||
      target.slug !== notice.slug
    ) {
      updates.push({ id: target.id, ...notice });
    }
  }
  if (merges.length > 0) {
    const columns = { from_id: "integer", to_id: "integer" };
    await sql`update objets o set edifice_id = t.to_id, updated_at = now() from ${recordset(merges, columns)} where o.edifice_id = t.from_id`.execute(
      trx,
    );
    await sql`
      update bordereaux b set edifice_id = t.to_id, updated_at = now() from ${recordset(merges, columns)}
      where b.edifice_id = t.from_id
        and not exists (select 1 from bordereaux o where o.dossier_id = b.dossier_id and o.edifice_id = t.to_id)`.execute(trx);
    const fromIds = merges.map((m) => m.from_id);
    // A dossier that already has a bordereau for the REF édifice keeps the other one, by name only.
    await sql`update bordereaux set edifice_id = null, updated_at = now() where edifice_id = any(${fromIds}::int[])`.execute(trx);
    await sql`delete from edifices where id = any(${fromIds}::int[])`.execute(trx);
    summary.deleted += merges.length;
  }
  if (updates.length > 0) {
    await sql`
      update edifices e set merimee_ref = t.merimee_ref, code_insee = t.code_insee, nom = t.nom, slug = t.slug, updated_at = now()
      from ${recordset(updates, { id: "integer", merimee_ref: "text", code_insee: "text", nom: "text", slug: "text" })}
      where e.id = t.id`.execute(trx);
    summary.updated += updates.length;
  }
}
