import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { actorOf } from "../comptes/access.ts";
import type { AppContext } from "../context.ts";
import { readAnnuaireRows } from "../import/annuaire.ts";
import { ImportFormatError } from "../import/csv.ts";
import { readMemoireRows } from "../import/memoire.ts";
import { readMerimeeRows } from "../import/merimee.ts";
import { readPalissyRows } from "../import/palissy.ts";
import type { ImportKind } from "../platform/db/schema.ts";
import { BadRequestError, ConflictError, HttpError, NotFoundError } from "../platform/http/errors.ts";
import { parseInput } from "../platform/http/params.ts";
import { dossierImports } from "./imports-jobs.ts";
import {
  creerImportEnAttente,
  findImportRun,
  IMPORT_KIND_LABELS,
  importActif,
  listImportRuns,
  MESSAGE_IMPORT_EN_COURS,
} from "./repository-imports.ts";
import { ImportPage, ImportsListe, type FormulaireImport } from "./views/imports.tsx";
import { sendAdminPage } from "./views/page.tsx";

const adminRule = { access: { kind: "admin" } } as const;

/** The national Palissy export is about 300 MB: room for growth, still bounded. */
export const TAILLE_MAX_IMPORT = 1024 * 1024 * 1024;

const KINDS = Object.keys(IMPORT_KIND_LABELS) as [ImportKind, ...ImportKind[]];

const LECTEURS: Record<ImportKind, (file: string) => AsyncGenerator<unknown>> = {
  palissy: readPalissyRows,
  merimee: readMerimeeRows,
  annuaire: readAnnuaireRows,
  memoire: readMemoireRows,
};

export const MESSAGES_IMPORT = {
  sansType: "Choisissez le type d’import.",
  sansFichier: "Choisissez le fichier à importer.",
  tropGros: "Le fichier dépasse 1 Go : il n’a pas été enregistré.",
  envoiInvalide: "L’envoi du fichier n’a pas abouti : réessayez.",
  vide: "Le fichier est vide.",
} as const;

/** Refused upload, shown in the form of the imports page (400). */
class ImportRefuseError extends BadRequestError {}

/** Counts line feeds as the bytes go by: the rows to expect, for the progress bar. */
function compteurDeLignes(): Transform & { lignes: number; finParLigne: boolean } {
  const compteur = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      let n = 0;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n += 1;
      compteur.lignes += n;
      if (chunk.length > 0) compteur.finParLigne = chunk[chunk.length - 1] === 10;
      callback(null, chunk);
    },
  }) as Transform & { lignes: number; finParLigne: boolean };
  compteur.lignes = 0;
  compteur.finParLigne = false;
  return compteur;
}

async function vider(stream: Readable): Promise<void> {
  for await (const _chunk of stream) {
    // drained
  }
}

/**
 * Checks that the file is what its kind expects, by its content: the header of a CSV (every required
 * column, whatever their case) or the shape of a Mémoire JSON, and a first readable row. A French message otherwise.
 */
async function verifierContenu(kind: ImportKind, fichier: string): Promise<void> {
  const rows = LECTEURS[kind](fichier);
  try {
    await rows.next();
  } catch (error) {
    if (error instanceof ImportFormatError) {
      throw new ImportRefuseError(`Ce fichier ne convient pas pour un import ${IMPORT_KIND_LABELS[kind]} : ${error.message}`);
    }
    throw new ImportRefuseError(
      `Ce fichier ne convient pas pour un import ${IMPORT_KIND_LABELS[kind]} : il n’a pas pu être lu (${(error as Error).message}). Aucune donnée n’a été modifiée.`,
    );
  } finally {
    await rows.return(undefined).catch(() => undefined);
  }
}

type Depot = { kind: string; nom: string; fichier: string | null; taille: number; lignes: number };

/** Streams the one file of the form to the imports folder (never held in memory), with the kind chosen. */
async function recevoirDepot(request: FastifyRequest, dossier: string): Promise<Depot> {
  const depot: Depot = { kind: "", nom: "", fichier: null, taille: 0, lignes: 0 };
  try {
    for await (const part of request.parts()) {
      if (part.type === "field") {
        if (part.fieldname === "kind" && typeof part.value === "string") depot.kind = part.value.trim();
        continue;
      }
      if (part.fieldname !== "fichier" || depot.fichier !== null) {
        await vider(part.file);
        continue;
      }
      await fsp.mkdir(dossier, { recursive: true });
      const fichier = path.join(dossier, `${crypto.randomUUID()}.upload`);
      depot.fichier = fichier;
      depot.nom =
        (part.filename ?? "")
          .split(/[\\/]/)
          .pop()
          ?.replace(/[\p{C}]/gu, "")
          .trim()
          .slice(0, 200) ?? "";
      const compteur = compteurDeLignes();
      await pipeline(part.file, compteur, fs.createWriteStream(fichier, { flags: "wx", mode: 0o600 }));
      if ((part.file as Readable & { truncated?: boolean }).truncated) throw new ImportRefuseError(MESSAGES_IMPORT.tropGros);
      depot.taille = (await fsp.stat(fichier)).size;
      // Rows after the header; a file without a final line break still has its last row.
      depot.lignes = compteur.lignes + (compteur.finParLigne ? 0 : 1);
    }
  } catch (error) {
    if (depot.fichier) await fsp.rm(depot.fichier, { force: true });
    if (error instanceof HttpError) throw error;
    const code = (error as { code?: string }).code;
    if (code === "FST_REQ_FILE_TOO_LARGE") throw new ImportRefuseError(MESSAGES_IMPORT.tropGros);
    request.log.info({ err: error }, "import upload refused");
    throw new ImportRefuseError(MESSAGES_IMPORT.envoiInvalide);
  }
  return depot;
}

/** Back office: import runs and imports started from an uploaded file (issue 9). */
export async function adminImportsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const dossier = dossierImports(ctx);

  async function pageListe(
    request: FastifyRequest,
    reply: FastifyReply,
    filtres: { kind: ImportKind | ""; status: string; page: number },
    formulaire: FormulaireImport,
    statusCode?: number,
  ) {
    const [{ runs, total }, actif] = await Promise.all([
      listImportRuns(db, {
        kind: filtres.kind || undefined,
        status: (filtres.status || undefined) as "pending" | "running" | "succeeded" | "failed" | undefined,
        page: filtres.page,
      }),
      importActif(db),
    ]);
    return sendAdminPage(
      request,
      reply,
      { title: "Imports", section: "imports", ...(statusCode ? { statusCode } : {}) },
      <ImportsListe
        kind={filtres.kind}
        status={filtres.status}
        page={filtres.page}
        runs={runs}
        total={total}
        csrfToken={reply.generateCsrf()}
        formulaire={formulaire}
        actif={actif}
      />,
    );
  }

  app.get("/admin/imports", { config: adminRule }, async (request, reply) => {
    const q = parseInput(
      z.object({
        type: z.enum([...KINDS, ""]).default(""),
        resultat: z.enum(["pending", "running", "succeeded", "failed", ""]).default(""),
        page: z.coerce.number().int().min(1).max(100_000).default(1),
      }),
      request.query,
      "Les filtres des imports ne sont pas valides.",
    );
    return pageListe(request, reply, { kind: q.type, status: q.resultat, page: q.page }, { kind: "" });
  });

  app.get("/admin/imports/:import_run_id", { config: adminRule }, async (request, reply) => {
    const { import_run_id } = parseInput(z.object({ import_run_id: z.coerce.number().int().min(1).max(2_147_483_647) }), request.params);
    const { lance } = parseInput(z.object({ lance: z.string().optional() }), request.query);
    const run = await findImportRun(db, import_run_id);
    if (!run) throw new NotFoundError();
    // Refreshes itself while the import runs, without JavaScript (the Refresh header is what <meta http-equiv> emulates).
    if (run.status === "pending" || run.status === "running") reply.header("Refresh", `5; url=/admin/imports/${run.id}`);
    return sendAdminPage(
      request,
      reply,
      {
        title: `Import n° ${run.id}`,
        section: "imports",
        breadcrumbs: [{ href: "/admin/imports", label: "Imports" }, { label: `Import n° ${run.id}` }],
      },
      <ImportPage run={run} demarre={lance === "1"} />,
    );
  });

  // Multipart parsing only here, with room for a national export; elsewhere a multipart body stays a 415.
  await app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: TAILLE_MAX_IMPORT, files: 1, fields: 5, fieldSize: 1024, parts: 8, headerPairs: 50 },
    });

    scope.post("/admin/imports", { config: adminRule }, async (request, reply) => {
      let depot: Depot | undefined;
      try {
        if (!request.isMultipart()) throw new ImportRefuseError(`${MESSAGES_IMPORT.sansType} ${MESSAGES_IMPORT.sansFichier}`);
        // Refused before the (possibly large) file is written: the body is still read, and dropped.
        if (await importActif(db)) {
          for await (const part of request.parts()) if (part.type === "file") await vider(part.file);
          throw new ConflictError(MESSAGE_IMPORT_EN_COURS);
        }
        depot = await recevoirDepot(request, dossier);
        const kind = KINDS.find((k) => k === depot!.kind);
        if (!kind) throw new ImportRefuseError(MESSAGES_IMPORT.sansType);
        if (!depot.fichier || (depot.taille === 0 && !depot.nom)) throw new ImportRefuseError(MESSAGES_IMPORT.sansFichier);
        if (depot.taille === 0) throw new ImportRefuseError(MESSAGES_IMPORT.vide);
        await verifierContenu(kind, depot.fichier);
        const identity = request.identity;
        if (identity.kind !== "admin") throw new BadRequestError("Réservé aux administrateurs.");
        const runId = await creerImportEnAttente(db, {
          kind,
          sourceFile: depot.nom || `${kind}.csv`,
          uploadFile: path.basename(depot.fichier),
          // An estimate: a quoted cell may hold line breaks; a Mémoire JSON page may be on one line.
          rowsTotal: depot.lignes > 1 ? depot.lignes - 1 : null,
          adminId: identity.id,
          actor: actorOf(identity),
          ip: request.ip,
        });
        depot = undefined; // the job owns the file now
        return reply.redirect(`/admin/imports/${runId}?lance=1`, 303);
      } catch (error) {
        if (depot?.fichier) await fsp.rm(depot.fichier, { force: true });
        if (error instanceof ImportRefuseError) {
          return pageListe(request, reply, { kind: "", status: "", page: 1 }, { kind: depot?.kind ?? "", erreur: error.message }, 400);
        }
        throw error;
      }
    });
  });
}
