import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { sql } from "kysely";
import type { z } from "zod";
import type { AppContext } from "../../context.ts";
import { variantKey } from "../../platform/images/stored.ts";
import { HttpError } from "../../platform/http/errors.ts";
import { enforceRateLimits, hashedKeyPart, TooManyRequestsError, type RateLimit } from "../../platform/http/rate-limit.ts";
import { PHOTO_URL_VARIANTS } from "../../recensement/photos-repository.ts";
import { apiClientsAdminRoutes } from "./clients.tsx";
import { buildOpenApiDocument, type ApiOperation } from "./openapi.ts";
import { decodeCursor, encodeCursor, etagMatches, etagOf, nextUrl, pageOf, type CursorKey } from "./pagination.ts";
import {
  findApiPhoto,
  findCommune,
  findDepartement,
  findObjet,
  listCommunes,
  listDepartements,
  listDossiers,
  listEdifices,
  listObjets,
  listRecensements,
  type PageRequest,
} from "./repository.ts";
import {
  CommuneParams,
  CommunesQuery,
  DepartementParams,
  DepartementsQuery,
  DossiersQuery,
  EdificesQuery,
  ObjetParams,
  ObjetsQuery,
  PhotoParams,
  PhotoQuery,
  RecensementsQuery,
  type ApiErrorCode,
} from "./schemas.ts";

export const API_PREFIX = "/api/v1";

/** Per minute: an anonymous caller by IP address, a token holder by token. */
export const API_RATE_LIMITS = {
  public: { limit: 300, windowSeconds: 60 } satisfies RateLimit,
  token: { limit: 1200, windowSeconds: 60 } satisfies RateLimit,
};

const MESSAGES = {
  notFound: "Aucune ressource ne correspond à cette adresse.",
  forbidden: "Ce département n’est pas dans le périmètre de votre jeton d’accès.",
  tooMany: "Trop de requêtes : patientez avant de réessayer (voir l’en-tête Retry-After).",
  internal: "Le service rencontre un problème. Réessayez plus tard.",
} as const;

/** An error of the API, answered as `{"error": {"code", "message", "parameter"?}}`. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}

export function apiErrorBody(code: ApiErrorCode, message: string, parameter?: string) {
  return { error: { code, message, ...(parameter ? { parameter } : {}) } };
}

function invalidParameter(parameter: string): ApiError {
  return new ApiError(400, "parametre_invalide", `Le paramètre « ${parameter} » est invalide.`, parameter);
}

function parse<S extends z.ZodObject>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const parameter = String(result.error.issues[0]?.path[0] ?? "requête");
  throw invalidParameter(parameter);
}

/** The page a list query asks for; `idKind` is the type of the list's tie-breaking key. */
function pageRequest(
  query: { limit: number; cursor?: string | undefined; updated_since?: string | undefined },
  idKind: "number" | "string",
): PageRequest {
  let after: CursorKey | null = null;
  if (query.cursor !== undefined) {
    after = decodeCursor(query.cursor);
    if (!after || typeof after.id !== idKind) throw invalidParameter("cursor");
  }
  let updatedSince: Date | null = null;
  if (query.updated_since !== undefined) {
    const date = new Date(query.updated_since);
    if (Number.isNaN(date.getTime())) throw invalidParameter("updated_since");
    // Before the epoch nothing existed here; PostgreSQL would refuse year 0.
    updatedSince = date.getTime() < 0 ? new Date(0) : date;
  }
  return { limit: query.limit, after, updatedSince };
}

/** Sends JSON with a strong ETag; a matching If-None-Match gets a 304 without body. */
function sendJson(request: FastifyRequest, reply: FastifyReply, body: unknown, visibility: "public" | "private"): FastifyReply {
  const text = JSON.stringify(body);
  const etag = etagOf(text);
  reply.header("etag", etag).header("cache-control", `${visibility}, no-cache`);
  if (visibility === "private") reply.header("vary", "Authorization");
  if (etagMatches(request.headers["if-none-match"], etag)) return reply.code(304).send();
  return reply.type("application/json; charset=utf-8").send(text);
}

function sendList<T extends { sync_key: string }>(
  request: FastifyRequest,
  reply: FastifyReply,
  rows: T[],
  limit: number,
  idOf: (row: T) => number | string,
  toOutput: (row: T) => unknown,
  visibility: "public" | "private",
): FastifyReply {
  const page = pageOf(rows, limit, idOf);
  const next = page.nextKey
    ? nextUrl(request.url.split("?")[0] ?? "", request.query as Record<string, unknown>, encodeCursor(page.nextKey))
    : null;
  if (next) reply.header("link", `<${next}>; rel="next"`);
  return sendJson(request, reply, { data: page.rows.map(toOutput), next }, visibility);
}

/** Drops the pagination bookkeeping from a row. */
function strip<T extends { sync_key: string; key?: unknown }>(row: T): Omit<T, "sync_key" | "key"> {
  const { sync_key: _sync, key: _key, ...rest } = row;
  return rest;
}

/** The départements a token may read: the asked one (403 outside the scope) or all of its own. */
function scopeOf(request: FastifyRequest, departement: string | undefined): string[] {
  const client = request.apiClient;
  if (!client) throw new ApiError(401, "authentification_requise", "Jeton d’accès à l’API manquant ou invalide.");
  if (departement === undefined) return client.departementCodes;
  if (!client.departementCodes.includes(departement)) throw new ApiError(403, "hors_perimetre", MESSAGES.forbidden);
  return [departement];
}

function errorOf(error: FastifyError | Error): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof TooManyRequestsError) return new ApiError(429, "trop_de_requetes", MESSAGES.tooMany);
  if (error instanceof HttpError) {
    if (error.statusCode === 404) return new ApiError(404, "introuvable", MESSAGES.notFound);
    if (error.statusCode === 403) return new ApiError(403, "hors_perimetre", error.message);
    if (error.statusCode === 401) return new ApiError(401, "authentification_requise", error.message);
    if (error.statusCode === 429) return new ApiError(429, "trop_de_requetes", MESSAGES.tooMany);
    return new ApiError(400, "parametre_invalide", error.message);
  }
  const status = (error as FastifyError).statusCode;
  if (status === 429) return new ApiError(429, "trop_de_requetes", MESSAGES.tooMany);
  if (status === 404) return new ApiError(404, "introuvable", MESSAGES.notFound);
  if (status !== undefined && status >= 400 && status < 500) return new ApiError(400, "parametre_invalide", "La requête est mal formée.");
  return new ApiError(500, "erreur_interne", MESSAGES.internal);
}

/**
 * The open API: public reference data, recensements and dossiers for token holders, and the OpenAPI
 * document generated from the zod schemas the handlers parse with. Every answer under /api/v1 is JSON,
 * errors included (the scope's error and not-found handlers). Plus the admin pages of the tokens.
 */
export async function apiRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const operations: ApiOperation[] = [];

  await app.register(
    async (api) => {
      api.setErrorHandler((error: FastifyError, request, reply) => {
        const apiError = errorOf(error);
        if (apiError.statusCode >= 500) request.log.error({ err: error }, "api error");
        if (error instanceof TooManyRequestsError) reply.header("retry-after", String(error.retryAfterSeconds));
        return reply
          .status(apiError.statusCode)
          .header("cache-control", "no-store")
          .type("application/json; charset=utf-8")
          .send(apiErrorBody(apiError.code, apiError.message, apiError.parameter));
      });
      api.setNotFoundHandler((_request, reply) =>
        reply
          .status(404)
          .header("cache-control", "no-store")
          .type("application/json; charset=utf-8")
          .send(apiErrorBody("introuvable", MESSAGES.notFound)),
      );

      // Open data: any origin may read the public routes (no cookies are involved).
      api.addHook("onSend", async (request, reply, payload) => {
        if (request.routeOptions.config.access?.kind !== "api_token") {
          reply.header("access-control-allow-origin", "*").header("access-control-expose-headers", "ETag, Link, Retry-After");
        }
        reply.header("cross-origin-resource-policy", "cross-origin");
        return payload;
      });

      // After the access hook (root hooks run first): a token holder is counted by token, anyone else by IP.
      api.addHook("preHandler", async (request) => {
        if (request.method === "OPTIONS") return;
        const client = request.apiClient;
        // The token's last use, written at most once a minute (the admin list shows it).
        if (client) {
          await sql`update api_clients set last_used_at = now()
            where id = ${client.id} and (last_used_at is null or last_used_at < now() - interval '1 minute')`.execute(db);
        }
        await enforceRateLimits(db, [
          client
            ? { key: `api:client:${client.id}`, rule: API_RATE_LIMITS.token }
            : { key: `api:ip:${hashedKeyPart(request.ip)}`, rule: API_RATE_LIMITS.public },
        ]);
      });

      api.options("/*", { config: { access: { kind: "public" } } }, async (_request, reply) =>
        reply
          .status(204)
          .header("access-control-allow-methods", "GET, HEAD")
          .header("access-control-allow-headers", "If-None-Match")
          .header("access-control-max-age", "86400")
          .send(),
      );

      const publicRule = { access: { kind: "public" } } as const;
      const tokenRule = { access: { kind: "api_token" } } as const;
      const document = (operation: Omit<ApiOperation, "path"> & { path: string }) =>
        operations.push({ ...operation, path: `${API_PREFIX}${operation.path}` });

      document({
        path: "/departements",
        operationId: "listDepartements",
        summary: "Départements",
        tag: "Référentiel",
        auth: "public",
        query: DepartementsQuery,
        response: "DepartementList",
        list: true,
      });
      api.get("/departements", { config: publicRule }, async (request, reply) => {
        const query = parse(DepartementsQuery, request.query);
        const rows = await listDepartements(db, pageRequest(query, "string"));
        return sendList(request, reply, rows, query.limit, (row) => row.key, strip, "public");
      });

      document({
        path: "/departements/:code",
        operationId: "getDepartement",
        summary: "Un département",
        tag: "Référentiel",
        auth: "public",
        params: DepartementParams,
        response: "DepartementDetail",
        notFound: true,
      });
      api.get("/departements/:code", { config: publicRule }, async (request, reply) => {
        const { code } = parse(DepartementParams, request.params);
        const departement = await findDepartement(db, code);
        if (!departement) throw new ApiError(404, "introuvable", `Aucun département de code ${code}.`);
        return sendJson(request, reply, departement, "public");
      });

      document({
        path: "/communes",
        operationId: "listCommunes",
        summary: "Communes",
        tag: "Référentiel",
        auth: "public",
        query: CommunesQuery,
        response: "CommuneList",
        list: true,
      });
      api.get("/communes", { config: publicRule }, async (request, reply) => {
        const query = parse(CommunesQuery, request.query);
        const rows = await listCommunes(db, { departement: query.departement, q: query.q }, pageRequest(query, "number"));
        return sendList(request, reply, rows, query.limit, (row) => row.key, strip, "public");
      });

      document({
        path: "/communes/:code_insee",
        operationId: "getCommune",
        summary: "Une commune",
        tag: "Référentiel",
        auth: "public",
        params: CommuneParams,
        response: "Commune",
        notFound: true,
      });
      api.get("/communes/:code_insee", { config: publicRule }, async (request, reply) => {
        const { code_insee } = parse(CommuneParams, request.params);
        const commune = await findCommune(db, code_insee);
        if (!commune) throw new ApiError(404, "introuvable", `Aucune commune de code INSEE ${code_insee}.`);
        return sendJson(request, reply, commune, "public");
      });

      document({
        path: "/edifices",
        operationId: "listEdifices",
        summary: "Édifices",
        tag: "Référentiel",
        auth: "public",
        query: EdificesQuery,
        response: "EdificeList",
        list: true,
      });
      api.get("/edifices", { config: publicRule }, async (request, reply) => {
        const query = parse(EdificesQuery, request.query);
        const rows = await listEdifices(db, { commune: query.commune }, pageRequest(query, "number"));
        return sendList(request, reply, rows, query.limit, (row) => row.id, strip, "public");
      });

      document({
        path: "/objets",
        operationId: "listObjets",
        summary: "Objets protégés",
        description: "Champs Palissy, lieu actuel et photos Mémoire de chaque objet.",
        tag: "Référentiel",
        auth: "public",
        query: ObjetsQuery,
        response: "ObjetList",
        list: true,
      });
      api.get("/objets", { config: publicRule }, async (request, reply) => {
        const query = parse(ObjetsQuery, request.query);
        const rows = await listObjets(db, { departement: query.departement, commune: query.commune }, pageRequest(query, "number"));
        return sendList(request, reply, rows, query.limit, (row) => row.key, strip, "public");
      });

      document({
        path: "/objets/:palissy_ref",
        operationId: "getObjet",
        summary: "Un objet protégé",
        tag: "Référentiel",
        auth: "public",
        params: ObjetParams,
        response: "Objet",
        notFound: true,
      });
      api.get("/objets/:palissy_ref", { config: publicRule }, async (request, reply) => {
        const { palissy_ref } = parse(ObjetParams, request.params);
        const objet = await findObjet(db, palissy_ref);
        if (!objet) throw new ApiError(404, "introuvable", `Aucun objet de référence ${palissy_ref}.`);
        return sendJson(request, reply, objet, "public");
      });

      document({
        path: "/recensements",
        operationId: "listRecensements",
        summary: "Recensements",
        description:
          "Recensements des communes des départements du jeton, avec les réponses, les photos et, une fois l’examen envoyé, les corrections, commentaires et fiches du conservateur.",
        tag: "Recensements",
        auth: "token",
        query: RecensementsQuery,
        response: "RecensementList",
        list: true,
      });
      api.get("/recensements", { config: tokenRule }, async (request, reply) => {
        const query = parse(RecensementsQuery, request.query);
        const departements = scopeOf(request, query.departement);
        const rows = await listRecensements(db, { departements, commune: query.commune }, pageRequest(query, "number"));
        return sendList(request, reply, rows, query.limit, (row) => row.id, strip, "private");
      });

      document({
        path: "/dossiers",
        operationId: "listDossiers",
        summary: "Dossiers de recensement",
        description:
          "État et dates des dossiers des communes des départements du jeton, statut global de la commune, commentaire de l’examen envoyé.",
        tag: "Recensements",
        auth: "token",
        query: DossiersQuery,
        response: "DossierList",
        list: true,
      });
      api.get("/dossiers", { config: tokenRule }, async (request, reply) => {
        const query = parse(DossiersQuery, request.query);
        const departements = scopeOf(request, query.departement);
        const rows = await listDossiers(db, { departements, status: query.status }, pageRequest(query, "number"));
        return sendList(request, reply, rows, query.limit, (row) => row.id, strip, "private");
      });

      document({
        path: "/photos/:photo_id",
        operationId: "getPhoto",
        summary: "Une photo de recensement",
        description: "L’image, pour un recensement d’un département du jeton (404 sinon).",
        tag: "Recensements",
        auth: "token",
        params: PhotoParams,
        query: PhotoQuery,
        response: "binary",
        notFound: true,
      });
      api.get("/photos/:photo_id", { config: tokenRule }, async (request, reply) => {
        const { photo_id } = parse(PhotoParams, request.params);
        const { variant } = parse(PhotoQuery, request.query);
        const photo = await findApiPhoto(db, photo_id);
        // A photo outside the token's départements answers exactly like a missing one.
        if (!photo || !request.apiClient?.departementCodes.includes(photo.departement_code)) {
          throw new ApiError(404, "introuvable", "Aucune photo de ce numéro dans le périmètre de votre jeton.");
        }
        const etag = `"${photo.sha256.slice(0, 32)}-${variant}"`;
        reply.header("etag", etag).header("cache-control", "private, max-age=86400").header("vary", "Authorization");
        if (etagMatches(request.headers["if-none-match"], etag)) return reply.code(304).send();
        const file = await ctx.files.createReadStream(variantKey(photo.storage_key, PHOTO_URL_VARIANTS[variant]));
        if (!file) {
          request.log.error({ photoId: photo.id, variant }, "photo file missing from the store");
          throw new ApiError(404, "introuvable", "Le fichier de cette photo est introuvable.");
        }
        return reply
          .header("content-type", photo.content_type)
          .header("content-length", file.size)
          .header("x-content-type-options", "nosniff")
          .send(file.stream);
      });

      let openApi: unknown;
      api.get("/openapi.json", { config: publicRule }, async (request, reply) => {
        openApi ??= buildOpenApiDocument(operations);
        return sendJson(request, reply, openApi, "public");
      });
    },
    { prefix: API_PREFIX },
  );

  await apiClientsAdminRoutes(app, ctx);
}
