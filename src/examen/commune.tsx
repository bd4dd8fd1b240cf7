import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";

/** Commune page of the conservateur and its tabs. */
export async function communeConservateurRoutes(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
