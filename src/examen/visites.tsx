import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";

/** Mes actions: communes flagged for a visit. */
export async function visitesRoutes(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
