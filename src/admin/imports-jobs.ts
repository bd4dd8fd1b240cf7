import type { AppContext } from "../context.ts";
import type { JobDefinition } from "../platform/jobs/boss.ts";

/** Imports started from the back office with an uploaded file (issue 9). */
export function adminImportsJobs(_ctx: AppContext): JobDefinition[] {
  return [];
}
