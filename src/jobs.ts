import { sql } from "kysely";
import type { AppContext } from "./context.ts";
import type { JobDefinition } from "./platform/jobs/boss.ts";
import { purgeRateLimits } from "./platform/http/rate-limit.ts";
import { deliverDueMails, smtpTransport } from "./platform/mail/delivery.ts";

/** Every background job of the platform, with its schedule. Areas add theirs here. */
export function jobDefinitions(ctx: AppContext): JobDefinition[] {
  const { smtpUrl } = ctx.config;
  return [
    ...(smtpUrl ? [mailDeliveryJob(ctx, smtpUrl)] : []),
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
  ];
}

/** Every minute, sends what the outbox holds; without SMTP the mails stay readable at /dev/mails. */
function mailDeliveryJob(ctx: AppContext, smtpUrl: string): JobDefinition {
  const transport = smtpTransport(smtpUrl);
  return {
    name: "mail-delivery",
    cron: "* * * * *",
    handler: async () => {
      await deliverDueMails(ctx.database, transport);
    },
  };
}
