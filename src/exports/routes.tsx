import { PassThrough, Readable } from "node:stream";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ComponentChildren } from "preact";
import { z } from "zod";
import { actorOf } from "../comptes/access.ts";
import type { AppContext } from "../context.ts";
import { departementDuParametre, idParam } from "../departements/access.ts";
import { EnteteDepartement, findEnteteDepartement } from "../departements/entete.tsx";
import type { AccessRule } from "../platform/http/access.ts";
import { BadRequestError, ConflictError, NotFoundError } from "../platform/http/errors.ts";
import { parseInput } from "../platform/http/params.ts";
import { sendPage } from "../ui/page.tsx";
import { changerExportabilite, creerExportMemoire, supprimerExportMemoire } from "./memoire.ts";
import { colonnesMpp, csvMpp, ligneMpp } from "./mpp.ts";
import {
  compterMpp,
  compterPhotosMemoire,
  compterRecensements,
  findExportMemoire,
  listerExportsMemoire,
  listerPhotosDeLExport,
  listerPhotosMemoire,
  lotMpp,
} from "./repository.ts";
import { nomFichierMpp, type TypeMpp } from "./rules.ts";
import { ExportMemoireView, ExportsIndex, MemoirePage, MppApercu, TITRES_MPP } from "./views/pages.tsx";
import { ecrireRecensementsXlsx, nomFichierXlsx } from "./xlsx.ts";

/** Rows per page of the HTML previews and photo lists. */
export const PAR_PAGE = 50;

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1) });
const MESSAGE_PAGE = "Ce numéro de page n’existe pas.";
const confirmation = z.object({ confirmer: z.literal("oui") });
const MESSAGE_CONFIRMATION = "Cochez la case de confirmation pour continuer : rien n’a été modifié.";

type Espace = { prefixe: string; rule: (ctx: AppContext) => AccessRule; admin: boolean };

/** The same pages for the département's conservateurs and for admins, each under its own area. */
const ESPACES: Espace[] = [
  {
    prefixe: "/conservateurs/departements/:code/exports",
    rule: (ctx) => ({ kind: "conservateur_departement", departement: departementDuParametre(ctx.database.db, "code") }),
    admin: false,
  },
  { prefixe: "/admin/departements/:code/exports", rule: () => ({ kind: "admin" }), admin: true },
];

type Params = { code: string; export_id?: string; photo_id?: string };

/** Exports for the national databases (RB §8): MPP CSVs, recensements XLSX, Mémoire photo exports. */
export async function exportsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const publicUrl = ctx.config.publicUrl;

  for (const espace of ESPACES) {
    const config = { access: espace.rule(ctx) };

    /** The département of the URL (404 when unknown) and the base URL of its exports. */
    const departement = async (request: FastifyRequest<{ Params: Params }>) => {
      const code = request.params.code;
      const row = /^([0-9]{2}|2A|2B|97[1-6])$/.test(code)
        ? await db.selectFrom("departements").select(["code", "nom"]).where("code", "=", code).executeTakeFirst()
        : undefined;
      if (!row) throw new NotFoundError();
      return { code: row.code, nom: row.nom, base: espace.prefixe.replace(":code", row.code) };
    };

    const page = async (
      request: FastifyRequest<{ Params: Params }>,
      reply: FastifyReply,
      d: { code: string; nom: string; base: string },
      titre: string,
      body: ComponentChildren,
      statusCode?: number,
    ) => {
      const fil = [
        ...(espace.admin
          ? [{ href: "/admin", label: "Administration" }]
          : [{ href: `/conservateurs/departements/${d.code}`, label: `${d.code} - ${d.nom}` }]),
        ...(titre === "Exports" ? [{ label: "Exports" }] : [{ href: d.base, label: "Exports" }, { label: titre }]),
      ];
      const entete = espace.admin ? undefined : await findEnteteDepartement(db, d.code);
      return sendPage(
        request,
        reply,
        { title: `${titre} – ${d.code} ${d.nom}`, breadcrumbs: fil, statusCode },
        <>
          {entete ? (
            <EnteteDepartement entete={entete} onglet="exports" />
          ) : (
            <h1>
              Exports – {d.code} - {d.nom}
            </h1>
          )}
          {body}
        </>,
      );
    };

    const exportDeLUrl = async (request: FastifyRequest<{ Params: Params }>, code: string) => {
      const id = idParam(request.params.export_id);
      const row = id === null ? undefined : await findExportMemoire(db, code, id);
      if (!row) throw new NotFoundError();
      return row;
    };

    const auteur = (request: FastifyRequest) => {
      const identity = request.identity;
      if (identity.kind !== "conservateur" && identity.kind !== "admin") throw new NotFoundError();
      return { actor: actorOf(identity), type: identity.kind, id: identity.id, ip: request.ip };
    };

    app.get<{ Params: Params }>(espace.prefixe, { config }, async (request, reply) => {
      const d = await departement(request);
      const [deplaces, manquants, recensements, photos, exports] = await Promise.all([
        compterMpp(db, d.code, "deplaces"),
        compterMpp(db, d.code, "manquants"),
        compterRecensements(db, d.code),
        compterPhotosMemoire(db, d.code),
        listerExportsMemoire(db, d.code),
      ]);
      return page(
        request,
        reply,
        d,
        "Exports",
        <ExportsIndex
          base={d.base}
          compteurs={{
            deplaces,
            manquants,
            recensements,
            photosExportables: photos.exportables,
            photosExclues: photos.exclues,
            exportsMemoire: exports.length,
          }}
        />,
      );
    });

    for (const type of ["deplaces", "manquants"] as const satisfies readonly TypeMpp[]) {
      app.get<{ Params: Params }>(`${espace.prefixe}/${type}`, { config }, async (request, reply) => {
        const d = await departement(request);
        const { page: numero } = parseInput(pageQuery, request.query, MESSAGE_PAGE);
        const [total, lignes] = await Promise.all([
          compterMpp(db, d.code, type),
          lotMpp(db, d.code, type, { limit: PAR_PAGE + 1, offset: (numero - 1) * PAR_PAGE }),
        ]);
        return page(
          request,
          reply,
          d,
          TITRES_MPP[type],
          <MppApercu
            base={d.base}
            type={type}
            colonnes={colonnesMpp(type)}
            lignes={lignes.slice(0, PAR_PAGE).map((l) => ligneMpp(type, l, publicUrl))}
            total={total}
            page={numero}
            hasNext={lignes.length > PAR_PAGE}
          />,
        );
      });

      app.get<{ Params: Params }>(`${espace.prefixe}/${type}.csv`, { config }, async (request, reply) => {
        const d = await departement(request);
        return reply
          .header("content-type", "text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="${nomFichierMpp(type, new Date())}"`)
          .header("cache-control", "private, no-store")
          .send(Readable.from(csvMpp(db, d.code, type, publicUrl)));
      });
    }

    app.get<{ Params: Params }>(`${espace.prefixe}/recensements.xlsx`, { config }, async (request, reply) => {
      const d = await departement(request);
      const out = new PassThrough();
      ecrireRecensementsXlsx(db, d.code, out, { publicUrl }).catch((error: unknown) => {
        request.log.error({ err: error, departement: d.code }, "recensements XLSX export failed");
        out.destroy(error instanceof Error ? error : new Error(String(error)));
      });
      return reply
        .header("content-type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .header("content-disposition", `attachment; filename="${nomFichierXlsx(d.code, new Date())}"`)
        .header("cache-control", "private, no-store")
        .send(out);
    });

    // ——— Mémoire ———

    const pageMemoire = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply, erreur?: string, statusCode?: number) => {
      const d = await departement(request);
      const { page: numero } = parseInput(pageQuery, request.query, MESSAGE_PAGE);
      const [compteurs, exports, photos, photosExclues] = await Promise.all([
        compterPhotosMemoire(db, d.code),
        listerExportsMemoire(db, d.code),
        listerPhotosMemoire(db, d.code, true, { limit: PAR_PAGE + 1, offset: (numero - 1) * PAR_PAGE }),
        listerPhotosMemoire(db, d.code, false, { limit: PAR_PAGE, offset: 0 }),
      ]);
      return page(
        request,
        reply,
        d,
        "Photos pour Mémoire",
        <MemoirePage
          base={d.base}
          csrfToken={reply.generateCsrf()}
          exportables={compteurs.exportables}
          exclues={compteurs.exclues}
          exports={exports}
          photos={photos.slice(0, PAR_PAGE)}
          photosExclues={photosExclues}
          page={numero}
          hasNext={photos.length > PAR_PAGE}
          erreur={erreur}
        />,
        statusCode,
      );
    };

    app.get<{ Params: Params }>(`${espace.prefixe}/memoire`, { config }, async (request, reply) => pageMemoire(request, reply));

    app.post<{ Params: Params }>(`${espace.prefixe}/memoire`, { config }, async (request, reply) => {
      const d = await departement(request);
      if (!confirmation.safeParse(request.body ?? {}).success) return pageMemoire(request, reply, MESSAGE_CONFIRMATION, 400);
      const id = await creerExportMemoire(db, d.code, auteur(request));
      return reply.redirect(`${d.base}/memoire/${id}`, 303);
    });

    for (const action of ["exclure", "reintegrer"] as const) {
      app.post<{ Params: Params }>(`${espace.prefixe}/memoire/photos/:photo_id/${action}`, { config }, async (request, reply) => {
        const d = await departement(request);
        const photoId = idParam(request.params.photo_id);
        if (photoId === null) throw new NotFoundError();
        parseInput(confirmation, request.body ?? {}, MESSAGE_CONFIRMATION);
        await changerExportabilite(db, d.code, photoId, action === "reintegrer", auteur(request));
        return reply.redirect(`${d.base}/memoire`, 303);
      });
    }

    app.get<{ Params: Params }>(`${espace.prefixe}/memoire/:export_id`, { config }, async (request, reply) => {
      const d = await departement(request);
      const exportRow = await exportDeLUrl(request, d.code);
      const { page: numero } = parseInput(pageQuery, request.query, MESSAGE_PAGE);
      const photos = await listerPhotosDeLExport(db, exportRow.id, { limit: PAR_PAGE + 1, offset: (numero - 1) * PAR_PAGE });
      return page(
        request,
        reply,
        d,
        "Export Mémoire",
        <ExportMemoireView
          base={d.base}
          csrfToken={reply.generateCsrf()}
          exportRow={exportRow}
          photos={photos.slice(0, PAR_PAGE)}
          page={numero}
          hasNext={photos.length > PAR_PAGE}
        />,
      );
    });

    for (const fichier of ["csv", "zip"] as const) {
      app.get<{ Params: Params }>(`${espace.prefixe}/memoire/:export_id/${fichier}`, { config }, async (request, reply) => {
        const d = await departement(request);
        const exportRow = await exportDeLUrl(request, d.code);
        const key = fichier === "csv" ? exportRow.csv_key : exportRow.zip_key;
        if (exportRow.status !== "ready" || !key) throw new ConflictError("Les fichiers de cet export ne sont pas encore prêts.");
        const stored = await ctx.files.createReadStream(key);
        if (!stored) {
          request.log.error({ exportId: exportRow.id, key }, "export file missing from the store");
          throw new NotFoundError();
        }
        return reply
          .header("content-type", fichier === "csv" ? "text/csv; charset=utf-8" : "application/zip")
          .header("content-length", String(stored.size))
          .header("content-disposition", `attachment; filename="${key.split("/").pop()}"`)
          .header("cache-control", "private, no-store")
          .send(stored.stream);
      });
    }

    app.post<{ Params: Params }>(`${espace.prefixe}/memoire/:export_id/supprimer`, { config }, async (request, reply) => {
      const d = await departement(request);
      const exportRow = await exportDeLUrl(request, d.code);
      if (!confirmation.safeParse(request.body ?? {}).success) throw new BadRequestError(MESSAGE_CONFIRMATION);
      await supprimerExportMemoire(ctx, d.code, exportRow.id, auteur(request));
      return reply.redirect(`${d.base}/memoire`, 303);
    });
  }
}
