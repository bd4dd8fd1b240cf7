import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { actorOf } from "../comptes/access.ts";
import type { AppContext } from "../context.ts";
import { jobDefinitions } from "../jobs.ts";
import { audit } from "../platform/audit.ts";
import { BadRequestError, ConflictError, NotFoundError } from "../platform/http/errors.ts";
import { parseInput } from "../platform/http/params.ts";
import { etatDesFiles, fileDeTachesPresente, relancerTache, tachesEnEchec, trouverTache } from "./repository-outils.ts";
import { PageTaches } from "./views/outils-taches.tsx";
import { sendAdminPage } from "./views/page.tsx";

const adminRule = { access: { kind: "admin" } } as const;
const ECHECS_AFFICHES = 30;

export async function adminTachesRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;

  app.get("/admin/taches", { config: adminRule }, async (request, reply) => {
    const { nom } = parseInput(z.object({ nom: z.string().max(200).optional() }), request.query);
    const definitions = jobDefinitions(ctx).map((d) => ({ name: d.name, cron: d.cron ?? null }));
    const presente = await fileDeTachesPresente(db);
    const files = presente ? await etatDesFiles(db) : new Map();
    const echecs = presente ? await tachesEnEchec(db, ECHECS_AFFICHES, nom || undefined) : { total: 0, dernieres: [] };
    const relancee = (request.query as { relancee?: string }).relancee;
    return sendAdminPage(
      request,
      reply,
      { title: "Tâches de fond", section: "taches" },
      <PageTaches
        presente={presente}
        definitions={definitions}
        files={files}
        echecs={echecs}
        filtreNom={nom || null}
        csrfToken={reply.generateCsrf()}
        relancee={typeof relancee === "string" && relancee.length <= 200 ? relancee : null}
      />,
    );
  });

  app.post("/admin/taches/:job_id/relancer", { config: adminRule }, async (request, reply) => {
    const params = z.object({ job_id: z.string().uuid() }).safeParse(request.params);
    if (!params.success || !(await fileDeTachesPresente(db))) throw new NotFoundError();
    const job = await trouverTache(db, params.data.job_id);
    if (!job) throw new NotFoundError();
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (body.confirmer !== "oui") throw new BadRequestError("Cochez la confirmation pour relancer cette tâche.");
    if (job.state !== "failed") throw new ConflictError("Seule une tâche en échec peut être relancée.");
    const relancee = await db.transaction().execute(async (trx) => {
      const ok = await relancerTache(trx, job.name, job.id);
      if (ok)
        await audit(trx, {
          actor: actorOf(request.identity),
          action: "tache.relancee",
          subject: { type: "job", id: job.id },
          before: { name: job.name, state: "failed" },
          after: { state: "retry" },
          ip: request.ip,
        });
      return ok;
    });
    if (!relancee) throw new ConflictError("Seule une tâche en échec peut être relancée.");
    return reply.redirect(`/admin/taches?relancee=${encodeURIComponent(job.name)}`, 303);
  });
}
