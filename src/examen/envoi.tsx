import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";

/** Sending the examen, reopening, batch acceptance. */
export async function envoiExamenRoutes(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
