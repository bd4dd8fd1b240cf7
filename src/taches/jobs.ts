import type { AppContext } from "../context.ts";
import type { JobDefinition } from "../platform/jobs/boss.ts";

/** Scheduled maintenance jobs (RB §7.1): filled in by issue 6. */
export function tachesJobs(_ctx: AppContext): JobDefinition[] {
  return [];
}
