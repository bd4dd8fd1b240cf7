import type { AppContext } from "../context.ts";
import type { JobDefinition } from "../platform/jobs/boss.ts";
import { envoyerAlertes } from "./repository.ts";

export const JOB_ALERTES = "alertes-conservateurs";

/**
 * Alert mails to the conservateurs of a département: every 5 minutes, the communes whose alerts are not
 * mailed yet and that have been quiet for a while get their mail (at most one per commune and Paris day).
 */
export function alertesJobs(ctx: AppContext): JobDefinition[] {
  return [
    {
      name: JOB_ALERTES,
      cron: "*/5 * * * *",
      handler: async () => {
        await envoyerAlertes(ctx.database.db, ctx.config);
      },
    },
  ];
}
