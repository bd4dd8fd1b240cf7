import type { AppContext } from "../context.ts";
import type { JobDefinition } from "../platform/jobs/boss.ts";

/** Alert mails to the conservateurs of a département (issue 10). */
export function alertesJobs(_ctx: AppContext): JobDefinition[] {
  return [];
}
