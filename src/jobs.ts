import type { AppContext } from "./context.ts";
import type { JobDefinition } from "./platform/jobs/boss.ts";
import { campagneJobs } from "./campagnes/jobs.ts";
import { tachesJobs } from "./taches/jobs.ts";
import { bordereauJobs } from "./bordereau/jobs.ts";
import { exportsJobs } from "./exports/jobs.ts";
import { alertesJobs } from "./alertes/jobs.ts";
import { adminImportsJobs } from "./admin/imports-jobs.ts";

/** Every background job of the platform, with its schedule. Areas add theirs in their own registry. */
export function jobDefinitions(ctx: AppContext): JobDefinition[] {
  return [
    ...campagneJobs(ctx),
    ...tachesJobs(ctx),
    ...bordereauJobs(ctx),
    ...exportsJobs(ctx),
    ...alertesJobs(ctx),
    ...adminImportsJobs(ctx),
  ];
}
