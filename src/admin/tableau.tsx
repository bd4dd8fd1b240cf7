import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";
import { adminMailsRoutes } from "./mails.tsx";
import { chargerTableauDeBord } from "./repository-outils.ts";
import { adminTachesRoutes } from "./taches.tsx";
import { sendAdminPage } from "./views/page.tsx";
import { TableauDeBordView } from "./views/outils-tableau.tsx";

const adminRule = { access: { kind: "admin" } } as const;

/** Today in Europe/Paris, 'YYYY-MM-DD'. */
export function aujourdhuiParis(now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(now);
}

/** The back office's home (dashboard), mails, background jobs and imports. */
export async function adminTableauRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get("/admin", { config: adminRule }, async (request, reply) => {
    const tableau = await chargerTableauDeBord(ctx.database.db);
    return sendAdminPage(
      request,
      reply,
      { title: "Tableau de bord", section: "tableau", breadcrumbs: [] },
      <TableauDeBordView tableau={tableau} aujourdhui={aujourdhuiParis()} />,
    );
  });
  await adminMailsRoutes(app, ctx);
  await adminTachesRoutes(app, ctx);
}
