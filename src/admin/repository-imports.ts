import { sql, type Kysely } from "kysely";
import { sendInTransaction } from "../platform/jobs/boss.ts";
import { audit, type AuditActor } from "../platform/audit.ts";
import type { DB, ImportKind, ImportRunStatus } from "../platform/db/schema.ts";
import { ConflictError } from "../platform/http/errors.ts";

export const IMPORTS_PAR_PAGE = 20;
export const JOB_IMPORT_FICHIER = "admin-import-fichier";

/** What each kind of import reads and writes, as the support team knows it. */
export const IMPORT_KIND_LABELS: Record<ImportKind, string> = {
  palissy: "Palissy (objets protégés)",
  merimee: "Mérimée (édifices)",
  annuaire: "Annuaire de l’administration (communes et mairies)",
  memoire: "Mémoire (photos des objets)",
};

export const IMPORT_STATUS_LABELS: Record<ImportRunStatus, string> = {
  pending: "En attente",
  running: "En cours",
  succeeded: "Terminé",
  failed: "Échec",
};

export const MESSAGE_IMPORT_EN_COURS =
  "Un import est déjà en attente ou en cours : attendez qu’il soit terminé avant d’en lancer un autre (un seul import à la fois).";

/**
 * A pending or running run blocks a new upload. A run that has given no sign of life for 6 hours (a command-line
 * import interrupted by a crash never records its end) no longer blocks anything.
 */
const ACTIF = sql<boolean>`status in ('pending', 'running') and coalesce(progress_at, started_at) > now() - interval '6 hours'`;

export type ImportRunLigne = {
  id: number;
  kind: ImportKind;
  source_file: string;
  status: ImportRunStatus;
  started_at: Date;
  finished_at: Date | null;
  duration_ms: number | null;
  read: number;
  in_scope: number;
  created: number;
  updated: number;
  deleted: number;
  out_of_scope: Record<string, number>;
  errors_count: number;
  rows_total: number | null;
};

export type ImportRunDetail = ImportRunLigne & {
  details: Record<string, unknown>;
  errors: unknown[];
  upload_file: string | null;
  progress_at: Date | null;
  started_by: string | null;
};

export type FiltresImports = { kind?: ImportKind | undefined; status?: ImportRunStatus | undefined; page: number };

function colonnesLigne() {
  return [
    "r.id",
    "r.kind",
    "r.source_file",
    "r.status",
    "r.started_at",
    "r.finished_at",
    "r.duration_ms",
    "r.read",
    "r.in_scope",
    "r.created",
    "r.updated",
    "r.deleted",
    "r.out_of_scope",
    "r.rows_total",
    sql<number>`jsonb_array_length(r.errors)`.as("errors_count"),
  ] as const;
}

/** One page of the runs, newest first, with the number of matching runs (one statement). */
export async function listImportRuns(db: Kysely<DB>, filtres: FiltresImports): Promise<{ runs: ImportRunLigne[]; total: number }> {
  let query = db.selectFrom("import_runs as r").select([...colonnesLigne(), sql<number>`(count(*) over ())::integer`.as("total")]);
  if (filtres.kind) query = query.where("r.kind", "=", filtres.kind);
  if (filtres.status) query = query.where(sql<boolean>`r.status = ${filtres.status}`);
  const rows = await query
    .orderBy("r.started_at", "desc")
    .orderBy("r.id", "desc")
    .limit(IMPORTS_PAR_PAGE)
    .offset((filtres.page - 1) * IMPORTS_PAR_PAGE)
    .execute();
  let total = rows[0]?.total;
  if (total === undefined) {
    // Past the last page: the count still tells how many runs match.
    let count = db.selectFrom("import_runs as r").select(sql<number>`count(*)::integer`.as("n"));
    if (filtres.kind) count = count.where("r.kind", "=", filtres.kind);
    if (filtres.status) count = count.where(sql<boolean>`r.status = ${filtres.status}`);
    total = (await count.executeTakeFirstOrThrow()).n;
  }
  return { runs: rows.map(({ total: _total, ...run }) => run), total };
}

export async function findImportRun(db: Kysely<DB>, id: number): Promise<ImportRunDetail | undefined> {
  const row = await db
    .selectFrom("import_runs as r")
    .leftJoin("admins as a", "a.id", "r.started_by_admin_id")
    .select([
      ...colonnesLigne(),
      "r.details",
      "r.errors",
      "r.upload_file",
      "r.progress_at",
      sql<string | null>`nullif(trim(coalesce(a.first_name, '') || ' ' || coalesce(a.last_name, '')), '')`.as("started_by"),
    ])
    .where("r.id", "=", id)
    .executeTakeFirst();
  return row;
}

export async function importActif(db: Kysely<DB>): Promise<{ id: number } | undefined> {
  return db.selectFrom("import_runs").select("id").where(ACTIF).orderBy("id").limit(1).executeTakeFirst();
}

/**
 * Records an accepted upload as a pending run, audited, and enqueues its job, in one transaction. A
 * transaction-scoped advisory lock serialises two uploads finishing at the same time: the second sees
 * the first's run and gets the 409.
 */
export async function creerImportEnAttente(
  db: Kysely<DB>,
  input: {
    kind: ImportKind;
    sourceFile: string;
    uploadFile: string;
    rowsTotal: number | null;
    adminId: number;
    actor: AuditActor;
    ip: string;
  },
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('admin-import-fichier'))`.execute(trx);
    if (await importActif(trx)) throw new ConflictError(MESSAGE_IMPORT_EN_COURS);
    const run = await trx
      .insertInto("import_runs")
      .values({
        kind: input.kind,
        source_file: input.sourceFile,
        status: "pending",
        out_of_scope: "{}",
        details: "{}",
        errors: "[]",
        rows_total: input.rowsTotal,
        upload_file: input.uploadFile,
        started_by_admin_id: input.adminId,
        progress_at: sql<Date>`now()`,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await audit(trx, {
      actor: input.actor,
      action: "import.demarre",
      subject: { type: "import_run", id: run.id },
      after: { kind: input.kind, fichier: input.sourceFile, lignes: input.rowsTotal },
      ip: input.ip,
    });
    // Without the queue's tables the run stays pending and the job's periodic sweep picks it up. A national
    // Palissy file takes minutes; the run itself, not pg-boss, tells whether it is done.
    await sendInTransaction(trx, JOB_IMPORT_FICHIER, { runId: run.id }, { expireInHours: 6, retryLimit: 0 });
    return run.id;
  });
}

/** Rows read so far (and a sign of life for the stale-run check). */
export async function enregistrerProgression(db: Kysely<DB>, runId: number, read: number): Promise<void> {
  await db
    .updateTable("import_runs")
    .set({ read, progress_at: sql<Date>`now()` })
    .where("id", "=", runId)
    .where("status", "=", "running")
    .execute();
}

/** A run that could not even start (file gone, server restarted in the middle): recorded as failed. */
export async function marquerEchec(db: Kysely<DB>, runId: number, message: string): Promise<void> {
  await db
    .updateTable("import_runs")
    .set({
      status: "failed",
      finished_at: sql<Date>`now()`,
      duration_ms: sql<number>`(extract(epoch from now() - started_at) * 1000)::integer`,
      errors: sql`errors || ${JSON.stringify([message])}::jsonb`,
    })
    .where("id", "=", runId)
    .where(sql<boolean>`status in ('pending', 'running')`)
    .execute();
}

export async function oublierFichier(db: Kysely<DB>, runId: number): Promise<void> {
  await db.updateTable("import_runs").set({ upload_file: null }).where("id", "=", runId).execute();
}

/** The oldest pending upload, if no other run is running. */
export async function prochainImportEnAttente(db: Kysely<DB>): Promise<number | undefined> {
  const running = await db.selectFrom("import_runs").select("id").where("status", "=", "running").where(ACTIF).limit(1).executeTakeFirst();
  if (running) return undefined;
  const next = await db
    .selectFrom("import_runs")
    .select("id")
    .where(sql<boolean>`status = 'pending'`)
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
  return next?.id;
}

/** Uploaded runs left pending or running with no sign of life for an hour: their process is gone. */
export async function importsInterrompus(db: Kysely<DB>): Promise<{ id: number; upload_file: string | null }[]> {
  return db
    .selectFrom("import_runs")
    .select(["id", "upload_file"])
    .where(sql<boolean>`status in ('pending', 'running')`)
    .where("upload_file", "is not", null)
    .where(sql<boolean>`coalesce(progress_at, started_at) < now() - interval '1 hour'`)
    .execute();
}
