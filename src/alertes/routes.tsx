import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";

/** Alerts on objets reported disparus or en péril (issue 10). */
export async function alertesRoutes(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
