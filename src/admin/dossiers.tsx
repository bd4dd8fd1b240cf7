import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { actorOf } from "../comptes/access.ts";
import type { AppContext } from "../context.ts";
import { listRecensementsDuDossier } from "../dossier/repository.ts";
import { rouvrirDossier } from "../examen/acceptation.ts";
import { changerExportabilite } from "../exports/memoire.ts";
import type { DB } from "../platform/db/schema.ts";
import { BadRequestError, NotFoundError } from "../platform/http/errors.ts";
import { parseInput } from "../platform/http/params.ts";
import type { Kysely } from "kysely";
import { archiverDossier, findDossierAdmin, findPhotoDuDossier, listDossiers, listPhotosDossier } from "./repository-suivi.ts";
import { sendAdminPage } from "./views/page.tsx";
import { DossierPage, DossiersListe } from "./views/suivi-dossiers.tsx";

const adminRule = { access: { kind: "admin" } } as const;
const idSchema = z.coerce.number().int().min(1).max(2_147_483_647);
const dossierParams = z.object({ dossier_id: idSchema });
export const RAISON_MAX = 1000;
export const MESSAGE_RAISON_REQUISE = "Indiquez la raison de l’archivage (1 000 caractères au plus).";

async function montrerDossier(
  db: Kysely<DB>,
  request: FastifyRequest,
  reply: FastifyReply,
  dossierId: number,
  options: { erreur?: string; succes?: string; statusCode?: number } = {},
): Promise<FastifyReply> {
  const dossier = await findDossierAdmin(db, dossierId);
  if (!dossier) throw new NotFoundError();
  const [recensements, photos] = await Promise.all([listRecensementsDuDossier(db, dossier.id), listPhotosDossier(db, dossier.id)]);
  return sendAdminPage(
    request,
    reply,
    {
      title: `Dossier n° ${dossier.id} — ${dossier.commune_nom}`,
      section: "dossiers",
      breadcrumbs: [{ href: "/admin/dossiers", label: "Dossiers" }, { label: `Dossier n° ${dossier.id}` }],
      ...(options.statusCode ? { statusCode: options.statusCode } : {}),
    },
    <DossierPage
      dossier={dossier}
      recensements={recensements}
      photos={photos}
      csrf={reply.generateCsrf()}
      erreur={options.erreur}
      succes={options.succes}
    />,
  );
}

const SUCCES: Record<string, string> = {
  rouvert: "Le dossier est rouvert : il attend de nouveau l’examen du conservateur.",
  archive: "Le dossier est archivé.",
  photo: "L’export de la photo est modifié.",
};

export async function adminDossiersRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;

  app.get("/admin/dossiers", { config: adminRule }, async (request, reply) => {
    const q = parseInput(
      z.object({
        q: z.string().trim().max(100).default(""),
        statut: z.enum(["construction", "submitted", "accepted", "archived", ""]).default(""),
        page: z.coerce.number().int().min(1).max(100_000).default(1),
      }),
      request.query,
      "La recherche de dossiers n’est pas valide.",
    );
    const { dossiers, suivante } = await listDossiers(db, { q: q.q || undefined, status: q.statut || undefined, page: q.page });
    return sendAdminPage(
      request,
      reply,
      { title: "Dossiers", section: "dossiers" },
      <DossiersListe q={q.q} status={q.statut} page={q.page} dossiers={dossiers} suivante={suivante} />,
    );
  });

  app.get("/admin/dossiers/:dossier_id", { config: adminRule }, async (request, reply) => {
    const { dossier_id } = parseInput(dossierParams, request.params);
    const { fait } = parseInput(z.object({ fait: z.string().optional() }), request.query);
    return montrerDossier(db, request, reply, dossier_id, fait && SUCCES[fait] ? { succes: SUCCES[fait] } : {});
  });

  app.post("/admin/dossiers/:dossier_id/rouvrir", { config: adminRule }, async (request, reply) => {
    const { dossier_id } = parseInput(dossierParams, request.params);
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (body.confirmer !== "oui") throw new BadRequestError("Confirmez la réouverture du dossier avec le bouton de sa page.");
    await db
      .transaction()
      .execute((trx) => rouvrirDossier(trx, { dossierId: dossier_id, actor: actorOf(request.identity), ip: request.ip }));
    return reply.redirect(`/admin/dossiers/${dossier_id}?fait=rouvert`, 303);
  });

  app.post("/admin/dossiers/:dossier_id/archiver", { config: adminRule }, async (request, reply) => {
    const { dossier_id } = parseInput(dossierParams, request.params);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const raison = typeof body.raison === "string" ? body.raison.trim() : "";
    if (body.confirmer !== "oui" || raison === "" || Array.from(raison).length > RAISON_MAX) {
      return montrerDossier(db, request, reply, dossier_id, { erreur: MESSAGE_RAISON_REQUISE, statusCode: 400 });
    }
    await archiverDossier(db, { dossierId: dossier_id, raison, actor: actorOf(request.identity), ip: request.ip });
    return reply.redirect(`/admin/dossiers/${dossier_id}?fait=archive`, 303);
  });

  app.post("/admin/dossiers/:dossier_id/photos/:photo_id/exportabilite", { config: adminRule }, async (request, reply) => {
    const { dossier_id, photo_id } = parseInput(z.object({ dossier_id: idSchema, photo_id: idSchema }), request.params);
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (body.confirmer !== "oui" || (body.exportable !== "oui" && body.exportable !== "non")) {
      throw new BadRequestError("Choisissez d’exclure ou de réintégrer la photo avec le bouton de la page du dossier.");
    }
    const photo = await findPhotoDuDossier(db, dossier_id, photo_id);
    if (!photo) throw new NotFoundError();
    await changerExportabilite(db, photo.departement_code, photo_id, body.exportable === "oui", {
      actor: actorOf(request.identity),
      ip: request.ip,
    });
    return reply.redirect(`/admin/dossiers/${dossier_id}?fait=photo`, 303);
  });
}
