import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";

/** Back office: import runs and imports started from an uploaded file (issue 9). */
export async function adminImportsRoutes(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
