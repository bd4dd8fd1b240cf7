import { sql } from "kysely";
import type { AppContext } from "./context.ts";
import type { JobDefinition } from "./platform/jobs/boss.ts";
import { campagneJobs } from "./campagnes/jobs.ts";
import { purgeRateLimits } from "./platform/http/rate-limit.ts";
import { tachesJobs } from "./taches/jobs.ts";

/** Every background job of the platform, with its schedule. Areas add theirs here. */
export function jobDefinitions(ctx: AppContext): JobDefinition[] {
  return [
    {
      name: "cleanup-expired-login-codes",
      cron: "15 3 * * *",
      handler: async () => {
        await sql`delete from login_codes where created_at < now() - interval '1 month'`.execute(ctx.database.db);
        await sql`delete from password_tokens where expires_at < now() - interval '1 month'`.execute(ctx.database.db);
        await sql`delete from remember_tokens where expires_at < now()`.execute(ctx.database.db);
        await purgeRateLimits(ctx.database.db);
      },
    },
    ...campagneJobs(ctx),
    ...tachesJobs(ctx),
  ];
}
