import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";
import { sendPage } from "../ui/page.tsx";

/** Public pages (placeholder home until the public pages land). */
export async function publicRoutes(app: FastifyInstance, _ctx: AppContext): Promise<void> {
  app.get("/", { config: { access: { kind: "public" } } }, async (request, reply) =>
    sendPage(request, reply, { title: "Collectif Objets" }, <h1>Collectif Objets</h1>),
  );
}
