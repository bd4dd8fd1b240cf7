import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { destinatairesDeLaCampagne, findCampagne } from "../campagnes/repository.ts";
import { CHAMP_DATE, ETAPES, type DatesCampagne } from "../campagnes/rules.ts";
import { actorOf } from "../comptes/access.ts";
import type { AppContext } from "../context.ts";
import { NotFoundError } from "../platform/http/errors.ts";
import { parseInput } from "../platform/http/params.ts";
import { listCampagnes, mailsDesDestinataires, modifierDatesCampagne } from "./repository-suivi.ts";
import { aujourdhuiParis } from "../departements/rules.ts";
import { sendAdminPage } from "./views/page.tsx";
import { CampagnePage, CampagnesListe, type FormulaireDates } from "./views/suivi-campagnes.tsx";

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

  const campaignParams = z.object({ campaign_id: z.coerce.number().int().min(1).max(2_147_483_647) });

  async function montrerCampagne(
    request: FastifyRequest,
    reply: FastifyReply,
    campaignId: number,
    options: { formulaire?: FormulaireDates; succes?: string; statusCode?: number } = {},
  ) {
    const campagne = await findCampagne(db, campaignId);
    if (!campagne) throw new NotFoundError();
    const [destinataires, mails] = await Promise.all([destinatairesDeLaCampagne(db, campagne.id), mailsDesDestinataires(db, campagne.id)]);
    return sendAdminPage(
      request,
      reply,
      {
        title: `Campagne n° ${campagne.id}`,
        section: "campagnes",
        breadcrumbs: [{ href: "/admin/campagnes", label: "Campagnes" }, { label: `Campagne n° ${campagne.id}` }],
        ...(options.statusCode ? { statusCode: options.statusCode } : {}),
      },
      <CampagnePage
        campagne={campagne}
        destinataires={destinataires}
        mails={mails}
        aujourdhui={aujourdhuiParis()}
        csrfToken={reply.generateCsrf()}
        formulaire={options.formulaire}
        succes={options.succes}
      />,
    );
  }

  app.get("/admin/campagnes/:campaign_id", { config: adminRule }, async (request, reply) => {
    const { campaign_id } = parseInput(campaignParams, request.params);
    const { fait } = parseInput(z.object({ fait: z.string().optional() }), request.query);
    return montrerCampagne(request, reply, campaign_id, fait === "dates" ? { succes: "Les dates de la campagne ont été modifiées." } : {});
  });

  app.post("/admin/campagnes/:campaign_id/dates", { config: adminRule }, async (request, reply) => {
    const { campaign_id } = parseInput(campaignParams, request.params);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const saisie = Object.fromEntries(
      ETAPES.map((e) => {
        const valeur = body[CHAMP_DATE[e]];
        return [CHAMP_DATE[e], typeof valeur === "string" ? valeur.trim().slice(0, 20) : ""];
      }),
    ) as DatesCampagne;
    const erreurs = await modifierDatesCampagne(db, {
      campaignId: campaign_id,
      saisie,
      aujourdhui: aujourdhuiParis(),
      actor: actorOf(request.identity),
      ip: request.ip,
    });
    if (erreurs) return montrerCampagne(request, reply, campaign_id, { formulaire: { saisie, erreurs }, statusCode: 400 });
    return reply.redirect(`/admin/campagnes/${campaign_id}?fait=dates`, 303);
  });
}
