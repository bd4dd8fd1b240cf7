import PgBoss from "pg-boss";
import type { AppContext } from "../context.ts";
import type { Database } from "../platform/db/database.ts";
import type { JobDefinition } from "../platform/jobs/boss.ts";
import { rendreBordereau } from "./pdf.ts";
import { findContexteBordereau, listBordereauxEnAttente, listEdificesBordereaux, marquerEchec, marquerGenere } from "./repository.ts";

/** Generates one bordereau: `{ bordereauId }`. */
export const JOB_GENERATION_BORDEREAU = "bordereau-generation";
/** Every 5 minutes: bordereaux asked for more than 2 minutes ago and still not generated (a lost job). */
export const JOB_BORDEREAUX_EN_ATTENTE = "bordereaux-en-attente";

export function cleStockageBordereau(dossierId: number, bordereauId: number): string {
  return `bordereaux/${dossierId}/bordereau-${bordereauId}.pdf`;
}

export type BordereauGenere = { storage_key: string; byte_size: number };

/**
 * Renders the PDF of a bordereau from its saved lines (or the defaults), stores it under `bordereaux/…`
 * (replacing the previous file) and records it; a failure is recorded on the row ("Échec") and returns
 * null. Idempotent: running it twice writes the same file twice.
 */
export async function genererBordereau(ctx: AppContext, bordereauId: number): Promise<BordereauGenere | null> {
  const db = ctx.database.db;
  const contexte = await findContexteBordereau(db, bordereauId);
  if (!contexte) return null;
  try {
    const { bordereau, commune, departement } = contexte;
    const [edifice] = await listEdificesBordereaux(db, bordereau.dossier_id, commune.nom, { cle: bordereau.edifice_id });
    const pdf = await rendreBordereau(ctx.files, {
      departement,
      commune,
      edifice: { nom: edifice?.nom ?? "Édifice" },
      lignes: edifice?.lignes ?? [],
    });
    const key = cleStockageBordereau(bordereau.dossier_id, bordereau.id);
    await ctx.files.put(key, pdf, "application/pdf");
    await marquerGenere(db, bordereau.id, key, pdf.length);
    return { storage_key: key, byte_size: pdf.length };
  } catch (error) {
    await marquerEchec(db, bordereauId, error instanceof Error ? error.message : String(error));
    return null;
  }
}

function bordereauIdDe(data: unknown): number | null {
  const id = (data as { bordereauId?: unknown } | null)?.bordereauId;
  return typeof id === "number" && Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** Bordereau jobs: one generation per request, and a sweep of requests whose job was lost. */
export function bordereauJobs(ctx: AppContext): JobDefinition[] {
  return [
    {
      name: JOB_GENERATION_BORDEREAU,
      handler: async (data) => {
        const id = bordereauIdDe(data);
        if (id !== null) await genererBordereau(ctx, id);
      },
    },
    {
      name: JOB_BORDEREAUX_EN_ATTENTE,
      cron: "*/5 * * * *",
      handler: async () => {
        for (const id of await listBordereauxEnAttente(ctx.database.db, 120)) await genererBordereau(ctx, id);
      },
    },
  ];
}

/**
 * The web process has no pg-boss of its own (the worker has): a sender that neither works nor schedules
 * is started on first use, one per database, and stopped with the app.
 */
const expediteurs = new WeakMap<Database, Promise<PgBoss>>();

function expediteur(database: Database): Promise<PgBoss> {
  let boss = expediteurs.get(database);
  if (!boss) {
    boss = (async () => {
      const instance = new PgBoss({
        db: { executeSql: (text, values) => database.executeSql(text, values) },
        schema: "pgboss",
        supervise: false,
        schedule: false,
        migrate: true,
      });
      instance.on("error", () => undefined);
      await instance.start();
      await instance.createQueue(JOB_GENERATION_BORDEREAU);
      return instance;
    })();
    boss.catch(() => expediteurs.delete(database));
    expediteurs.set(database, boss);
  }
  return boss;
}

/**
 * Queues the generation of a bordereau (after the commit of its lines). When the queue cannot be reached
 * the row stays "en cours" and the sweep job generates it later; the download generates it at once.
 */
export async function demanderGeneration(ctx: AppContext, bordereauId: number): Promise<boolean> {
  try {
    const boss = await expediteur(ctx.database);
    await boss.send(JOB_GENERATION_BORDEREAU, { bordereauId }, { retryLimit: 1 });
    return true;
  } catch {
    return false;
  }
}

export async function arreterExpediteur(database: Database): Promise<void> {
  const boss = expediteurs.get(database);
  if (!boss) return;
  expediteurs.delete(database);
  await boss.then((instance) => instance.stop({ graceful: false, wait: true }).catch(() => undefined)).catch(() => undefined);
}
