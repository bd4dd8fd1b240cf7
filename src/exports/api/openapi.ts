import { z } from "zod";
import { COMPONENTS, LIMIT_DEFAULT, LIMIT_MAX } from "./schemas.ts";

/** One documented operation of /api/v1: the same zod schemas the handler parses with. */
export type ApiOperation = {
  /** Fastify path, e.g. `/api/v1/objets/:palissy_ref`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** `token`: needs a bearer token (401 without, 403 outside its départements). */
  auth: "public" | "token";
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** Name of the 200 response's component in COMPONENTS, or `binary` for an image. */
  response: keyof typeof COMPONENTS | "binary";
  /** Whether the operation is a list (cursor, Link header). */
  list?: boolean;
  /** A 404 is possible (detail routes). */
  notFound?: boolean;
};

type JsonSchema = Record<string, unknown>;

const TARGET = { target: "draft-2020-12" } as const;

function clean(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

/** Components, with references between them (`#/components/schemas/<Name>`). */
export function componentSchemas(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { ...TARGET, io: "output", uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, clean(schema as JsonSchema)]));
}

function parametersOf(shape: z.ZodObject | undefined, location: "path" | "query"): JsonSchema[] {
  if (!shape) return [];
  return Object.entries(shape.shape).map(([name, schema]) => {
    const json = clean(z.toJSONSchema(schema, { ...TARGET, io: "input" }) as JsonSchema);
    const { description, ...rest } = json;
    const required = location === "path" || !(schema as z.ZodType).safeParse(undefined).success;
    return { name, in: location, required, ...(description ? { description } : {}), schema: rest };
  });
}

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/ApiError" } } },
});

const etagHeaders = {
  ETag: { description: "Empreinte forte du corps de la réponse (à renvoyer dans If-None-Match).", schema: { type: "string" } },
};

function operationObject(operation: ApiOperation): JsonSchema {
  const ok =
    operation.response === "binary"
      ? { description: "L’image.", content: { "image/jpeg": {}, "image/png": {}, "image/webp": {} } }
      : {
          description: "Succès.",
          headers: {
            ...etagHeaders,
            ...(operation.list
              ? { Link: { description: 'Page suivante : `<…>; rel="next"`, absente sur la dernière page.', schema: { type: "string" } } }
              : {}),
          },
          content: { "application/json": { schema: { $ref: `#/components/schemas/${operation.response}` } } },
        };
  const responses: Record<string, unknown> = {
    "200": ok,
    "304": { description: "Inchangé depuis l’ETag donné dans If-None-Match (corps vide).", headers: etagHeaders },
    "400": errorResponse("Paramètre invalide (`error.parameter` le nomme)."),
  };
  if (operation.auth === "token") {
    responses["401"] = errorResponse("Jeton absent, inconnu ou révoqué.");
    responses["403"] = errorResponse("Département hors du périmètre du jeton.");
  }
  if (operation.notFound) responses["404"] = errorResponse("Introuvable.");
  responses["429"] = {
    ...errorResponse("Trop de requêtes : réessayer après le délai donné par Retry-After."),
    headers: { "Retry-After": { description: "Secondes à attendre.", schema: { type: "integer" } } },
  };
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    tags: [operation.tag],
    ...(operation.auth === "token" ? { security: [{ bearer: [] }] } : { security: [] }),
    parameters: [...parametersOf(operation.params, "path"), ...parametersOf(operation.query, "query")],
    responses,
  };
}

export function openApiPath(fastifyPath: string): string {
  return fastifyPath.replace(/:(\w+)/g, "{$1}");
}

const DESCRIPTION = `API de lecture de Collectif Objets.

- **Données publiques** (départements, communes, édifices, objets protégés avec leurs champs Palissy et leurs photos Mémoire) : sans authentification, CORS ouvert.
- **Recensements, examens et dossiers** : jeton d’accès (\`Authorization: Bearer <jeton>\`) créé par l’équipe de Collectif Objets pour un système du ministère, limité à des départements ; révocable.
- **Pagination** par curseur : chaque liste renvoie \`next\` (et un en-tête \`Link\` rel="next") jusqu’à la dernière page ; \`limit\` de 1 à ${LIMIT_MAX} (${LIMIT_DEFAULT} par défaut). Les éléments sont triés par date de modification puis identifiant : une liste parcourue jusqu’au bout donne chaque élément une fois.
- **Synchronisation incrémentale** : \`updated_since\` (date incluse) ne renvoie que les éléments modifiés depuis.
- **Cache** : chaque réponse porte un \`ETag\` fort ; \`If-None-Match\` donne 304 si rien n’a changé.
- **Erreurs** : toujours \`{"error": {"code", "message"}}\` (message en français ; \`parameter\` pour un 400).
- **Limite de débit** : par jeton (ou par adresse IP sans jeton) et par minute ; au-delà, 429 avec \`Retry-After\`.`;

export function buildOpenApiDocument(operations: readonly ApiOperation[]): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    const path = openApiPath(operation.path);
    paths[path] = { ...(paths[path] ?? {}), get: operationObject(operation) };
  }
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: { title: "Collectif Objets — API ouverte", version: "1.0.0", description: DESCRIPTION },
    servers: [{ url: "/" }],
    tags: [
      { name: "Référentiel", description: "Données publiques (licence ouverte)." },
      { name: "Recensements", description: "Données des recensements, pour les clients munis d’un jeton." },
    ],
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "Jeton d’accès remis par l’équipe de Collectif Objets." },
      },
    },
  };
}
