import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";

/** Header search across the conservateur's communes and objets. */
export async function rechercheRoutes(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
