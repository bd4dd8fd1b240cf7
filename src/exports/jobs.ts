import type { AppContext } from "../context.ts";
import type { JobDefinition } from "../platform/jobs/boss.ts";
import { genererExportMemoire, genererExportsEnAttente, JOB_EXPORT_MEMOIRE } from "./memoire.ts";

export const JOB_EXPORTS_EN_ATTENTE = "exports-memoire-en-attente";

/**
 * Mémoire exports: the generation enqueued by "Générer l'export" (`{ exportId }`), and a sweep every
 * 5 minutes for exports still pending (a lost job, or one created while the queue did not exist yet).
 */
export function exportsJobs(ctx: AppContext): JobDefinition[] {
  return [
    {
      name: JOB_EXPORT_MEMOIRE,
      handler: async (data) => {
        const exportId = (data as { exportId?: unknown } | null)?.exportId;
        if (typeof exportId === "number" && Number.isInteger(exportId)) await genererExportMemoire(ctx, exportId);
      },
    },
    { name: JOB_EXPORTS_EN_ATTENTE, cron: "*/5 * * * *", handler: async () => void (await genererExportsEnAttente(ctx)) },
  ];
}
