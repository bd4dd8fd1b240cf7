import { stringify } from "csv-stringify/sync";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { conservateurOf } from "../comptes/access.ts";
import type { AppContext } from "../context.ts";
import { parseInput } from "../platform/http/params.ts";
import { sendPage } from "../ui/page.tsx";
import { ENTETES_CSV, lignesCsv, VISITES_CSV_URL, VISITES_URL, VisitesPage } from "./views/visites.tsx";
import { listVisitesPrevues, TRIS_VISITES } from "./visites-repository.ts";

const conservateurRule = { access: { kind: "conservateur" } } as const;

/** Without a choice: "prioritaire" visits first, then by commune name. */
const triQuery = z.object({
  tri: z.enum(TRIS_VISITES).default("deplacement"),
  ordre: z.enum(["asc", "desc"]).default("desc"),
});

const MESSAGE_TRI = "Ce tri n’existe pas : choisissez une colonne du tableau.";

/** Mes actions (RB §5.16): communes flagged for a visit in the conservateur's départements, and their CSV export. */
export async function visitesRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;

  app.get(VISITES_URL, { config: conservateurRule }, async (request, reply) => {
    const conservateur = conservateurOf(request);
    const { tri, ordre } = parseInput(triQuery, request.query, MESSAGE_TRI);
    const visites = await listVisitesPrevues(db, conservateur.departementCodes, tri, ordre);
    return sendPage(request, reply, { title: "Déplacements prévus" }, <VisitesPage visites={visites} tri={tri} ordre={ordre} />);
  });

  app.get(VISITES_CSV_URL, { config: conservateurRule }, async (request, reply) => {
    const conservateur = conservateurOf(request);
    const { tri, ordre } = parseInput(triQuery, request.query, MESSAGE_TRI);
    const visites = await listVisitesPrevues(db, conservateur.departementCodes, tri, ordre);
    // The BOM makes spreadsheet software read the file as UTF-8; ";" is the separator French locales expect.
    const csv = stringify([ENTETES_CSV, ...lignesCsv(visites)], { delimiter: ";", bom: true, record_delimiter: "windows" });
    return reply
      .header("content-type", "text/csv; charset=utf-8")
      .header("content-disposition", 'attachment; filename="deplacements-prevus.csv"')
      .header("cache-control", "private, no-store")
      .send(csv);
  });
}
