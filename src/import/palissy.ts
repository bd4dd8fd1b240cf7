import crypto from "node:crypto";
import { sql, type Transaction } from "kysely";
import type { Database } from "../platform/db/database.ts";
import type { DB } from "../platform/db/schema.ts";
import { readCsv, startReading, type CsvRecord } from "./csv.ts";
import { recordImportRun, type ImportExecution } from "./runs.ts";
import {
  edificeSlug,
  extractMerimeeRef,
  firstCodeInsee,
  isValidCodeInsee,
  lieuActuel,
  palissyScopeReasons,
  scopeMessage,
  type PalissyScopeReason,
} from "./rules.ts";
import { inBatches, recordset } from "./sql.ts";
import { countOutOfScope, type ImportSummary } from "./summary.ts";
import { refreshObjetsCounts } from "./communes-counts.ts";
import { refreshCommunesStatut } from "../dossier/repository.ts";

const REQUIRED = [
  "reference",
  "cog_insee",
  "typologie_du_dossier",
  "statut_juridique_de_l_objet",
  "titre_editorial",
  "statut_juridique_du_proprietaire",
  "date_et_typologie_de_la_protection",
  "nom_de_l_edifice",
  "reference_a_une_notice_merimee_mh",
  "code_insee_commune_actuelle",
  "lieu_de_deplacement_de_l_objet",
  "edifice_actuel",
] as const;
const OPTIONAL = [
  "denomination",
  "categorie_technique",
  "siecle_de_creation",
  "date_du_recolement",
  "commune_forme_index",
  "departement_format_numerique",
  "emplacement_de_l_oeuvre_dans_l_edifice",
  "typologie_de_la_protection",
] as const;

export type PalissyField = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];
/** One Palissy export row: the cells the importer uses, trimmed, by lower-case field name. */
export type PalissyRow = CsvRecord<PalissyField>;

const BATCH_SIZE = 2000;
/** Bumped when the mapping below changes, so that every objet is rewritten once. */
const HASH_VERSION = "1";

/** Streams and maps the rows of a Palissy export (`;` CSV with label headers); no database. */
export function readPalissyRows(file: string): AsyncGenerator<PalissyRow> {
  return readCsv(file, { delimiter: ";", required: REQUIRED, optional: OPTIONAL });
}

type ObjetValues = {
  palissy_ref: string;
  palissy_tico: string | null;
  palissy_deno: string | null;
  palissy_cate: string | null;
  palissy_scle: string | null;
  palissy_denq: string | null;
  palissy_com: string | null;
  palissy_insee: string | null;
  palissy_dpt: string | null;
  palissy_doss: string | null;
  palissy_edif: string | null;
  palissy_empl: string | null;
  palissy_refa: string | null;
  palissy_prot: string | null;
  palissy_dpro: string | null;
  palissy_stat: string | null;
  palissy_depl: string | null;
  palissy_web: string | null;
  palissy_mosa: string | null;
  lieu_actuel_code_insee: string;
  lieu_actuel_edifice_nom: string | null;
  lieu_actuel_edifice_ref: string | null;
  lieu_actuel_departement_code: string;
  source_hash: string;
};

const OBJET_COLUMNS: Record<keyof ObjetValues | "edifice_id", string> = {
  palissy_ref: "text",
  palissy_tico: "text",
  palissy_deno: "text",
  palissy_cate: "text",
  palissy_scle: "text",
  palissy_denq: "text",
  palissy_com: "text",
  palissy_insee: "text",
  palissy_dpt: "text",
  palissy_doss: "text",
  palissy_edif: "text",
  palissy_empl: "text",
  palissy_refa: "text",
  palissy_prot: "text",
  palissy_dpro: "text",
  palissy_stat: "text",
  palissy_depl: "text",
  palissy_web: "text",
  palissy_mosa: "text",
  lieu_actuel_code_insee: "text",
  lieu_actuel_edifice_nom: "text",
  lieu_actuel_edifice_ref: "text",
  lieu_actuel_departement_code: "text",
  source_hash: "text",
  edifice_id: "integer",
};

type ParsedRow =
  | { ref: string; inScope: false; reasons: PalissyScopeReason[] }
  | { ref: string; inScope: true; objet: ObjetValues & { edifice_id?: number } };

function blankToNull(value: string): string | null {
  return value === "" ? null : value;
}

/** Maps a row to its scope and, when in scope, to the objet columns. Throws a French message when unusable. */
function parseRow(row: PalissyRow): ParsedRow {
  const ref = row.reference;
  const reasons = palissyScopeReasons(row);
  if (reasons.length > 0) return { ref, inScope: false, reasons };
  const lieu = lieuActuel(row);
  if (lieu.code_insee === null || !isValidCodeInsee(lieu.code_insee) || lieu.departement_code === null) {
    throw new Error(`code INSEE du lieu actuel invalide « ${lieu.code_insee ?? ""} »`);
  }
  const values: Omit<ObjetValues, "source_hash"> = {
    palissy_ref: ref,
    palissy_tico: blankToNull(row.titre_editorial),
    palissy_deno: blankToNull(row.denomination),
    palissy_cate: blankToNull(row.categorie_technique),
    palissy_scle: blankToNull(row.siecle_de_creation),
    palissy_denq: blankToNull(row.date_du_recolement),
    palissy_com: blankToNull(row.commune_forme_index),
    palissy_insee: blankToNull(firstCodeInsee(row.cog_insee)),
    palissy_dpt: blankToNull(row.departement_format_numerique),
    palissy_doss: blankToNull(row.typologie_du_dossier),
    palissy_edif: blankToNull(row.nom_de_l_edifice),
    palissy_empl: blankToNull(row.emplacement_de_l_oeuvre_dans_l_edifice),
    palissy_refa: extractMerimeeRef(row.reference_a_une_notice_merimee_mh),
    palissy_prot: blankToNull(row.typologie_de_la_protection),
    palissy_dpro: blankToNull(row.date_et_typologie_de_la_protection),
    palissy_stat: blankToNull(row.statut_juridique_du_proprietaire),
    palissy_depl: blankToNull(row.lieu_de_deplacement_de_l_objet),
    palissy_web: blankToNull(row.code_insee_commune_actuelle),
    palissy_mosa: blankToNull(row.edifice_actuel),
    lieu_actuel_code_insee: lieu.code_insee,
    lieu_actuel_edifice_nom: lieu.edifice_nom,
    lieu_actuel_edifice_ref: lieu.edifice_ref,
    lieu_actuel_departement_code: lieu.departement_code,
  };
  // Blank cells are already null, so joining (null → "") is unambiguous; the one-shot hash is the cheapest.
  const source_hash = crypto.hash("sha1", `${HASH_VERSION}\u001f${Object.values(values).join("\u001f")}`, "base64");
  return { ref, inScope: true, objet: { ...values, source_hash } };
}

type ExistingObjet = {
  id: number;
  palissy_ref: string;
  source_hash: string;
  palissy_tico: string | null;
  lieu_actuel_code_insee: string;
  lieu_actuel_edifice_nom: string | null;
};

type RecensementRemoval = {
  objet_id: number;
  reason: "objet-devenu-hors-scope" | "changement-de-commune";
  message: string;
  snapshot: object;
};

function snapshotOf(objet: ExistingObjet): object {
  return {
    palissy_ref: objet.palissy_ref,
    palissy_tico: objet.palissy_tico,
    lieu_actuel_code_insee: objet.lieu_actuel_code_insee,
    lieu_actuel_edifice_nom: objet.lieu_actuel_edifice_nom,
  };
}

type Counters = {
  recensements_archives: number;
  recensements_brouillons_supprimes: number;
  changements_de_commune: number;
  edifices_crees: number;
};

/**
 * Imports a Palissy export: objets in scope are created or updated (skipped when their source hash is
 * unchanged), objets leaving the scope are deleted and their recensements archived, édifices are
 * matched or created. Out-of-scope rows are counted once, under their first failed rule.
 */
export async function importPalissy(
  database: Database,
  file: string,
  options: { onProgress?: (read: number) => void; runId?: number } = {},
): Promise<ImportSummary> {
  return recordImportRun(
    database,
    "palissy",
    file,
    () => startReading(readPalissyRows(file)),
    async (rows, execution) => {
      const counters: Counters = {
        recensements_archives: 0,
        recensements_brouillons_supprimes: 0,
        changements_de_commune: 0,
        edifices_crees: 0,
      };
      const seen = new Set<string>();
      const { summary } = execution;
      await inBatches(
        rows,
        BATCH_SIZE,
        async (batch) => {
          const parsed = parseBatch(batch, seen, execution);
          await database.db.transaction().execute((trx) => applyBatch(trx, parsed, summary, counters));
        },
        () => {
          summary.read += 1;
          if (options.onProgress && summary.read % 1000 === 0) options.onProgress(summary.read);
        },
      );
      options.onProgress?.(summary.read);
      let edificesSupprimes = 0;
      if (summary.created + summary.updated + summary.deleted > 0) {
        await refreshObjetsCounts(database);
        edificesSupprimes = await deleteEmptyEdifices(database);
      }
      execution.details = { ...counters, edifices_supprimes: edificesSupprimes };
    },
    { runId: options.runId },
  );
}

function parseBatch(batch: PalissyRow[], seen: Set<string>, execution: ImportExecution): ParsedRow[] {
  const parsed: ParsedRow[] = [];
  for (const row of batch) {
    if (row.reference === "") {
      execution.errors.add(`ligne ${row.line} : référence Palissy absente, ligne ignorée`);
      continue;
    }
    if (seen.has(row.reference)) {
      execution.errors.add(`ligne ${row.line} (${row.reference}) : référence déjà lue plus haut dans le fichier, ligne ignorée`);
      continue;
    }
    seen.add(row.reference);
    try {
      parsed.push(parseRow(row));
    } catch (error) {
      execution.errors.add(`ligne ${row.line} (${row.reference}) : ${(error as Error).message}, ligne ignorée`);
    }
  }
  return parsed;
}

async function applyBatch(trx: Transaction<DB>, rows: ParsedRow[], summary: ImportSummary, counters: Counters): Promise<void> {
  const existing = new Map<string, ExistingObjet>();
  const found = await sql<ExistingObjet>`
    select id, palissy_ref, source_hash, palissy_tico, lieu_actuel_code_insee, lieu_actuel_edifice_nom
    from objets where palissy_ref = any(${rows.map((r) => r.ref)}::text[])`.execute(trx);
  for (const objet of found.rows) existing.set(objet.palissy_ref, objet);

  const upserts: (ObjetValues & { edifice_id?: number })[] = [];
  const removals: RecensementRemoval[] = [];
  const deletions: number[] = [];
  for (const row of rows) {
    const current = existing.get(row.ref);
    if (!row.inScope) {
      countOutOfScope(summary, row.reasons[0]!);
      if (current) {
        deletions.push(current.id);
        removals.push({
          objet_id: current.id,
          reason: "objet-devenu-hors-scope",
          message: scopeMessage(row.reasons),
          snapshot: snapshotOf(current),
        });
      }
      continue;
    }
    summary.in_scope += 1;
    if (current?.source_hash === row.objet.source_hash) continue;
    upserts.push(row.objet);
    if (!current) {
      summary.created += 1;
      continue;
    }
    summary.updated += 1;
    if (current.lieu_actuel_code_insee !== row.objet.lieu_actuel_code_insee) {
      counters.changements_de_commune += 1;
      removals.push({
        objet_id: current.id,
        reason: "changement-de-commune",
        message: `changement de commune appliqué ${current.lieu_actuel_code_insee} → ${row.objet.lieu_actuel_code_insee}`,
        snapshot: snapshotOf(current),
      });
    }
  }
  summary.deleted += deletions.length;

  if (removals.length > 0) await removeRecensements(trx, removals, counters);
  if (deletions.length > 0) await sql`delete from objets where id = any(${deletions}::int[])`.execute(trx);
  if (upserts.length > 0) {
    counters.edifices_crees += await assignEdifices(trx, upserts);
    await upsertObjets(trx, upserts);
  }
}

/**
 * Drafts are deleted; completed recensements are archived with the reason and a snapshot of the objet.
 * The communes whose dossiers lost recensements get their statut global and péril/disparus counters
 * refreshed in the same transaction.
 */
async function removeRecensements(trx: Transaction<DB>, removals: RecensementRemoval[], counters: Counters): Promise<void> {
  const drafts = await sql<{ dossier_id: number }>`
    delete from recensements r using ${recordset(removals, { objet_id: "integer" })}
    where r.objet_id = t.objet_id and r.status = 'draft'
    returning r.dossier_id`.execute(trx);
  counters.recensements_brouillons_supprimes += drafts.rows.length;
  const archived = await sql<{ dossier_id: number }>`
    update recensements r set
      status = 'deleted', deleted_at = now(), deleted_reason = t.reason, deleted_message = t.message,
      deleted_objet_snapshot = t.snapshot, objet_id = null, version = r.version + 1, updated_at = now()
    from ${recordset(removals, { objet_id: "integer", reason: "text", message: "text", snapshot: "jsonb" })}
    where r.objet_id = t.objet_id and r.status in ('draft', 'completed')
    returning r.dossier_id`.execute(trx);
  counters.recensements_archives += archived.rows.length;
  const dossierIds = [...new Set([...drafts.rows, ...archived.rows].map((r) => r.dossier_id))];
  if (dossierIds.length === 0) return;
  const communes = await sql<{ commune_id: number }>`
    select distinct commune_id from dossiers where id = any(${dossierIds}::int[])`.execute(trx);
  await refreshCommunesStatut(
    trx,
    communes.rows.map((c) => c.commune_id),
  );
}

type EdificeRow = { id: number; merimee_ref: string | null; code_insee: string; slug: string };
type NewEdifice = { merimee_ref: string | null; code_insee: string; slug: string; nom: string; objets: { edifice_id?: number }[] };

const slugKey = (codeInsee: string, slug: string) => `${codeInsee}\u0000${slug}`;

/**
 * Édifice of each objet (IMPORT-NOTES §4): the Mérimée REF's édifice when it is in the same commune,
 * else the (code INSEE, slug) one, else a new one — without the REF when that REF's édifice is elsewhere.
 * Returns the number of édifices created.
 */
async function assignEdifices(trx: Transaction<DB>, objets: (ObjetValues & { edifice_id?: number })[]): Promise<number> {
  // Most objets of a batch share a few édifice names.
  const slugOf = new Map<string | null, string>();
  const slugs = objets.map((o) => {
    let slug = slugOf.get(o.lieu_actuel_edifice_nom);
    if (slug === undefined) slugOf.set(o.lieu_actuel_edifice_nom, (slug = edificeSlug(o.lieu_actuel_edifice_nom)));
    return slug;
  });
  const refs = [...new Set(objets.map((o) => o.lieu_actuel_edifice_ref).filter((ref): ref is string => ref !== null))];
  const pairs = new Map(
    objets.map((o, i) => [slugKey(o.lieu_actuel_code_insee, slugs[i]!), [o.lieu_actuel_code_insee, slugs[i]!] as const]),
  );
  const [byRefRows, bySlugRows] = [
    await sql<EdificeRow>`select id, merimee_ref, code_insee, slug from edifices where merimee_ref = any(${refs}::text[])`.execute(trx),
    await sql<EdificeRow>`
      select e.id, e.merimee_ref, e.code_insee, e.slug
      from unnest(${[...pairs.values()].map((p) => p[0])}::text[], ${[...pairs.values()].map((p) => p[1])}::text[]) as k(code_insee, slug)
      join edifices e on e.code_insee = k.code_insee and e.slug = k.slug
      order by e.id`.execute(trx),
  ];
  const byRef = new Map<string, { id?: number; code_insee: string; pending?: NewEdifice }>();
  for (const e of byRefRows.rows) byRef.set(e.merimee_ref!, { id: e.id, code_insee: e.code_insee });
  const bySlug = new Map<string, { id?: number; pending?: NewEdifice }>();
  for (const e of bySlugRows.rows) if (!bySlug.has(slugKey(e.code_insee, e.slug))) bySlug.set(slugKey(e.code_insee, e.slug), { id: e.id });

  const created: NewEdifice[] = [];
  objets.forEach((objet, i) => {
    const code = objet.lieu_actuel_code_insee;
    const ref = objet.lieu_actuel_edifice_ref;
    const key = slugKey(code, slugs[i]!);
    const match = (ref !== null && byRef.get(ref)?.code_insee === code ? byRef.get(ref) : undefined) ?? bySlug.get(key);
    if (match?.id !== undefined) {
      objet.edifice_id = match.id;
      return;
    }
    if (match?.pending) {
      match.pending.objets.push(objet);
      return;
    }
    const pending: NewEdifice = {
      merimee_ref: ref !== null && !byRef.has(ref) ? ref : null,
      code_insee: code,
      slug: slugs[i]!,
      nom: objet.lieu_actuel_edifice_nom ?? "",
      objets: [objet],
    };
    created.push(pending);
    bySlug.set(key, { pending });
    if (pending.merimee_ref !== null) byRef.set(pending.merimee_ref, { code_insee: code, pending });
  });
  if (created.length === 0) return 0;

  const inserted = await sql<EdificeRow>`
    insert into edifices (merimee_ref, code_insee, slug, nom)
    select merimee_ref, code_insee, slug, nom
    from ${recordset(created, { merimee_ref: "text", code_insee: "text", slug: "text", nom: "text" })}
    returning id, merimee_ref, code_insee, slug`.execute(trx);
  const ids = new Map(inserted.rows.map((e) => [e.merimee_ref ?? slugKey(e.code_insee, e.slug), e.id]));
  for (const edifice of created) {
    const id = ids.get(edifice.merimee_ref ?? slugKey(edifice.code_insee, edifice.slug))!;
    for (const objet of edifice.objets) objet.edifice_id = id;
  }
  return created.length;
}

const OBJET_COLUMN_NAMES = Object.keys(OBJET_COLUMNS);

async function upsertObjets(trx: Transaction<DB>, objets: (ObjetValues & { edifice_id?: number })[]): Promise<void> {
  const columns = sql.raw(OBJET_COLUMN_NAMES.join(", "));
  const updates = sql.raw(
    OBJET_COLUMN_NAMES.filter((c) => c !== "palissy_ref")
      .map((c) => `${c} = excluded.${c}`)
      .join(", "),
  );
  await sql`
    insert into objets (${columns})
    select ${columns} from ${recordset(objets, OBJET_COLUMNS)}
    on conflict (palissy_ref) do update set ${updates}, updated_at = now()`.execute(trx);
}

/** Synthetic édifices left without objets (the reference's weekly clean-up), unless a bordereau names them. */
async function deleteEmptyEdifices(database: Database): Promise<number> {
  const result = await sql`
    delete from edifices e
    where e.merimee_ref is null
      and not exists (select 1 from objets o where o.edifice_id = e.id)
      and not exists (select 1 from bordereaux b where b.edifice_id = e.id)`.execute(database.db);
  return Number(result.numAffectedRows ?? 0);
}
