import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";
import { adminCampagnesRoutes } from "./campagnes.tsx";
import { adminDossiersRoutes } from "./dossiers.tsx";
import { adminJournalRoutes } from "./journal.tsx";

/** Campaigns of every département, dossiers, photos and the audit log. */
export async function adminSuiviRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await adminJournalRoutes(app, ctx);
  await adminDossiersRoutes(app, ctx);
  await adminCampagnesRoutes(app, ctx);
}
