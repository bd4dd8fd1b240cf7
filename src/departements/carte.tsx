import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";

/** Map tab of the département dashboard. */
export async function carteRoutes(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
