import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { destinatairesDeLaCampagne, findCampagne } from "../campagnes/repository.ts";
import type { AppContext } from "../context.ts";
import { NotFoundError } from "../platform/http/errors.ts";
import { parseInput } from "../platform/http/params.ts";
import { listCampagnes, mailsDesDestinataires } from "./repository-suivi.ts";
import { sendAdminPage } from "./views/page.tsx";
import { CampagnePage, CampagnesListe } from "./views/suivi-campagnes.tsx";

const adminRule = { access: { kind: "admin" } } as const;

export async function adminCampagnesRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;

  app.get("/admin/campagnes", { config: adminRule }, async (request, reply) => {
    const q = parseInput(
      z.object({
        statut: z.enum(["draft", "planned", "ongoing", "finished", ""]).default(""),
        departement: z
          .string()
          .trim()
          .toUpperCase()
          .regex(/^(\d[\dAB]\d?)?$/)
          .default(""),
        tri: z.enum(["lancement", "fin", "departement"]).default("lancement"),
        page: z.coerce.number().int().min(1).max(100_000).default(1),
      }),
      request.query,
      "Les filtres des campagnes ne sont pas valides.",
    );
    const { campagnes, suivante } = await listCampagnes(db, {
      status: q.statut || undefined,
      departement: q.departement || undefined,
      tri: q.tri,
      page: q.page,
    });
    return sendAdminPage(
      request,
      reply,
      { title: "Campagnes", section: "campagnes" },
      <CampagnesListe status={q.statut} departement={q.departement} tri={q.tri} page={q.page} campagnes={campagnes} suivante={suivante} />,
    );
  });

  app.get("/admin/campagnes/:campaign_id", { config: adminRule }, async (request, reply) => {
    const { campaign_id } = parseInput(z.object({ campaign_id: z.coerce.number().int().min(1).max(2_147_483_647) }), request.params);
    const campagne = await findCampagne(db, campaign_id);
    if (!campagne) throw new NotFoundError();
    const [destinataires, mails] = await Promise.all([destinatairesDeLaCampagne(db, campagne.id), mailsDesDestinataires(db, campagne.id)]);
    return sendAdminPage(
      request,
      reply,
      {
        title: `Campagne n° ${campagne.id}`,
        section: "campagnes",
        breadcrumbs: [{ href: "/admin/campagnes", label: "Campagnes" }, { label: `Campagne n° ${campagne.id}` }],
      },
      <CampagnePage campagne={campagne} destinataires={destinataires} mails={mails} />,
    );
  });
}
