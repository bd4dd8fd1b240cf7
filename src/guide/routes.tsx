import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";

/** The census guide for communes, as a page and a PDF (issue 10). */
export async function guideRoutes(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
