import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";

/** Campaigns of every département, dossiers, photos and the audit log. */
export async function adminSuiviRoutes(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
