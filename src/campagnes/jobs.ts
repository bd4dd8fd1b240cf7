import type { AppContext } from "../context.ts";
import type { JobDefinition } from "../platform/jobs/boss.ts";

/** Campaign jobs (daily sequence, step-ups): filled in by issue 6. */
export function campagneJobs(_ctx: AppContext): JobDefinition[] {
  return [];
}
