import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";

/** Examen of one recensement. */
export async function examenRecensementRoutes(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
