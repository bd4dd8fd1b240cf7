import type { AppContext } from "../context.ts";
import type { JobDefinition } from "../platform/jobs/boss.ts";
import { executerSequenceQuotidienne, jourParis } from "./sequence.ts";

/** Name of the daily campaign run; `{ date: 'YYYY-MM-DD' }` in the job data runs it for that Paris day. */
export const JOB_SEQUENCE_CAMPAGNES = "campagnes-sequence-quotidienne";

/** Campaign jobs: the daily sequence at 10:30 Paris time (RB §7.4). */
export function campagneJobs(ctx: AppContext): JobDefinition[] {
  return [
    {
      name: JOB_SEQUENCE_CAMPAGNES,
      cron: "30 10 * * *",
      handler: async (data) => {
        const date = (data as { date?: unknown } | null)?.date;
        await executerSequenceQuotidienne(ctx, typeof date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : jourParis());
      },
    },
  ];
}
