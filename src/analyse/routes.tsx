import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";

/** Analysis tab of the département dashboard and the national figures (issue 10). */
export async function analyseRoutes(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
