import type { AppContext } from "../context.ts";
import type { JobDefinition } from "../platform/jobs/boss.ts";

export function exportsJobs(_ctx: AppContext): JobDefinition[] {
  return [];
}
