import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";
import { SECTIONS_ADMIN, sendAdminPage } from "./views/page.tsx";

const adminRule = { access: { kind: "admin" } } as const;

/** The back office's home (dashboard), mails, background jobs and imports. */
export async function adminTableauRoutes(app: FastifyInstance, _ctx: AppContext): Promise<void> {
  app.get("/admin", { config: adminRule }, async (request, reply) =>
    sendAdminPage(
      request,
      reply,
      { title: "Tableau de bord", section: "tableau", breadcrumbs: [] },
      <>
        <h1>Administration</h1>
        <ul>
          {SECTIONS_ADMIN.filter((s) => s.id !== "tableau").map((s) => (
            <li key={s.id}>
              <a href={s.href}>{s.label}</a>
            </li>
          ))}
        </ul>
      </>,
    ),
  );
}
