import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import compress, { type FastifyCompressOptions } from "@fastify/compress";
import formbody from "@fastify/formbody";
import helmet from "@fastify/helmet";
import fastifyStatic from "@fastify/static";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { AccessRule } from "./access.ts";

const require = createRequire(import.meta.url);
export const DSFR_DIST = path.join(path.dirname(require.resolve("@gouvfr/dsfr/package.json")), "dist");
export const PUBLIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../public");

export type RegisteredRoute = { method: string; url: string; access: AccessRule | undefined };

declare module "fastify" {
  interface FastifyInstance {
    /** Every route with its access rule, in registration order (the authorization matrix test walks it). */
    routeTable: RegisteredRoute[];
  }
}

/** Query parameters that carry secrets (login codes, password links, CSRF tokens) never reach the logs. */
const SECRET_QUERY_PARAMS = /([?&](?:code|token|jeton|_csrf)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY_PARAMS, "$1[redacted]");
}

export type ServerOptions = {
  logLevel: string;
  production: boolean;
};

/** Image hosts of the national Mémoire photo library (Palissy photos are hot-linked). */
const MEMOIRE_IMAGE_HOSTS = ["https://*.s3.gra.io.cloud.ovh.net", "https://s3.eu-west-3.amazonaws.com"];

/**
 * Large pages, CSV and JSON are compressed for the browsers that accept it: on the analysis tab (63 kB) a phone
 * in a church receives a sixth of the bytes, and the server writes fewer (writing them cost more than brotli at
 * quality 1, about 0.2 ms). Below 32 kB (most pages: the dashboard is 20 kB) compressing cost the server more
 * than it saved on the bench, for a gain of a few kilobytes to the reader: those are sent as they are.
 * Up to 256 kB the compression is done in one call rather than through a stream handed to another thread,
 * cheaper on a 2-core machine.
 * BREACH: the CSRF token in a page is salted anew on each render, and the session secret is only in a cookie.
 * Request bodies are never decompressed: an upload cannot be inflated into a bomb.
 */
const RESPONSE_COMPRESSION = {
  encodings: ["br", "gzip"],
  threshold: 32 * 1024,
  syncThreshold: 256 * 1024,
  brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } },
  zlibOptions: { level: 4 },
  globalDecompression: false,
} satisfies FastifyCompressOptions;

export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: options.logLevel,
      redact: { paths: ["req.headers.cookie", "req.headers.authorization", "res.headers['set-cookie']"], remove: true },
      serializers: {
        req: (request: FastifyRequest) => ({
          method: request.method,
          url: redactUrl(request.url),
          host: request.host,
          remoteAddress: request.ip,
        }),
      },
    },
    trustProxy: options.production,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
  });

  const routeTable: RegisteredRoute[] = [];
  app.decorate("routeTable", routeTable);
  // A route without an access rule is a programming error: refuse to start rather than expose it.
  app.addHook("onRoute", (route) => {
    const isAutoHead = route.method === "HEAD" && route.prefix === "";
    const isStatic = route.url.startsWith("/dsfr") || route.url.startsWith("/assets");
    if (!route.config?.access && !isAutoHead && !isStatic) {
      throw new Error(`Route ${String(route.method)} ${route.url} has no access rule`);
    }
    if (!isStatic && !isAutoHead) {
      for (const method of [route.method].flat()) routeTable.push({ method, url: route.url, access: route.config?.access });
    }
  });

  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:", ...MEMOIRE_IMAGE_HOSTS],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        ...(options.production ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: options.production ? { maxAge: 63072000, includeSubDomains: true, preload: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  await app.register(compress, RESPONSE_COMPRESSION);
  await app.register(fastifyStatic, {
    root: DSFR_DIST,
    prefix: "/dsfr/",
    maxAge: "7d",
    wildcard: true,
    decorateReply: false,
  });
  await app.register(fastifyStatic, { root: PUBLIC_DIR, prefix: "/assets/", maxAge: "1h", decorateReply: false });
  return app;
}

export function cspNonce(reply: FastifyReply): string {
  return (reply as FastifyReply & { cspNonce?: { script: string } }).cspNonce?.script ?? "";
}

export function requestPath(request: FastifyRequest): string {
  return request.url.split("?")[0] ?? "/";
}
