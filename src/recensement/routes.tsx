import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";

/** The commune's questionnaire (RB §4.5). */
export async function recensementRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  void app;
  void ctx;
}
