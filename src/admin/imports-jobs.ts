import fs from "node:fs/promises";
import path from "node:path";
import { sql } from "kysely";
import type { AppContext } from "../context.ts";
import { importAnnuaire } from "../import/annuaire.ts";
import { importMemoire } from "../import/memoire.ts";
import { importMerimee } from "../import/merimee.ts";
import { importPalissy } from "../import/palissy.ts";
import { ImportFailedError } from "../import/runs.ts";
import type { ImportSummary } from "../import/summary.ts";
import type { Database } from "../platform/db/database.ts";
import type { ImportKind } from "../platform/db/schema.ts";
import type { JobDefinition } from "../platform/jobs/boss.ts";
import { supprimerImportsOrphelins } from "../taches/nettoyage.ts";
import {
  enregistrerProgression,
  importsInterrompus,
  JOB_IMPORT_FICHIER,
  marquerEchec,
  oublierFichier,
  prochainImportEnAttente,
} from "./repository-imports.ts";

export const JOB_IMPORTS_EN_ATTENTE = "admin-imports-en-attente";
export const JOB_IMPORTS_ORPHELINS = "admin-imports-fichiers-orphelins";

type Importer = (
  database: Database,
  file: string,
  options: { onProgress?: (read: number) => void; runId?: number },
) => Promise<ImportSummary>;

/** The same importers as `co import` (src/import/cli.ts). */
export const IMPORTERS: Record<ImportKind, Importer> = {
  palissy: importPalissy,
  merimee: importMerimee,
  annuaire: importAnnuaire,
  memoire: (database, file, options) =>
    importMemoire(database, file, { ...options, photosBaseUrl: process.env.MEMOIRE_PHOTOS_BASE_URL || undefined }),
};

/** Uploaded files wait for their job here, and are removed once their run ends. */
export function dossierImports(ctx: Pick<AppContext, "config">): string {
  return path.join(ctx.config.dataDir, "imports");
}

/** Rows between two progress writes (the importers report every 1,000 rows). */
const PROGRESSION_TOUTES_LES = 5000;

/**
 * Runs one uploaded import: the importer fills in its pending run (counts, reasons, errors); progress is
 * written every few thousand rows; the uploaded file is removed whatever the outcome.
 */
export async function executerImport(ctx: AppContext, runId: number): Promise<void> {
  const db = ctx.database.db;
  // Claimed atomically: the job and the periodic sweep never run the same upload twice.
  const run = await db
    .updateTable("import_runs")
    .set({ status: "running", progress_at: sql<Date>`now()` })
    .where("id", "=", runId)
    .where(sql<boolean>`status = 'pending'`)
    .returning(["id", "kind", "upload_file"])
    .executeTakeFirst();
  if (!run) return;
  const fichier = run.upload_file ? path.join(dossierImports(ctx), path.basename(run.upload_file)) : null;
  try {
    if (!fichier || !(await fs.stat(fichier).catch(() => null))?.isFile()) {
      await marquerEchec(db, runId, "Le fichier déposé est introuvable : déposez-le de nouveau.");
      return;
    }
    let ecrit = 0;
    let enCours: Promise<void> = Promise.resolve();
    const onProgress = (read: number) => {
      if (read - ecrit < PROGRESSION_TOUTES_LES) return;
      ecrit = read;
      // One write at a time, never awaited by the importer: progress must not slow the import down.
      enCours = enCours.then(() => enregistrerProgression(db, runId, read)).catch(() => undefined);
    };
    try {
      await IMPORTERS[run.kind](ctx.database, fichier, { onProgress, runId });
    } catch (error) {
      // An ImportFailedError is already recorded on the run; anything else happened around it.
      if (!(error instanceof ImportFailedError)) await marquerEchec(db, runId, `Erreur inattendue : ${(error as Error).message}`);
    } finally {
      await enCours;
    }
  } finally {
    if (fichier) await fs.rm(fichier, { force: true });
    await oublierFichier(db, runId);
  }
}

/**
 * Runs left behind by a stopped server are marked failed (their file removed), then the oldest pending
 * upload is run if none is running (a lost job, or an upload made while the queue did not exist).
 */
export async function lancerImportsEnAttente(ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  for (const run of await importsInterrompus(db)) {
    await marquerEchec(db, run.id, "Import interrompu (arrêt du serveur ?) : déposez le fichier de nouveau.");
    if (run.upload_file) await fs.rm(path.join(dossierImports(ctx), path.basename(run.upload_file)), { force: true });
    await oublierFichier(db, run.id);
  }
  const next = await prochainImportEnAttente(db);
  if (next !== undefined) await executerImport(ctx, next);
}

/** Imports started from the back office with an uploaded file (issue 9). */
export function adminImportsJobs(ctx: AppContext): JobDefinition[] {
  return [
    {
      name: JOB_IMPORT_FICHIER,
      handler: async (data) => {
        const runId = (data as { runId?: unknown } | null)?.runId;
        if (typeof runId === "number" && Number.isInteger(runId)) await executerImport(ctx, runId);
      },
    },
    { name: JOB_IMPORTS_EN_ATTENTE, cron: "* * * * *", handler: () => lancerImportsEnAttente(ctx) },
    {
      name: JOB_IMPORTS_ORPHELINS,
      cron: "40 4 * * *",
      handler: async () => void (await supprimerImportsOrphelins(ctx.database.db, dossierImports(ctx))),
    },
  ];
}
