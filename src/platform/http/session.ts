import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import csrfProtection from "@fastify/csrf-protection";
import secureSession from "@fastify/secure-session";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Config } from "../../config.ts";

export const SESSION_COOKIE = "co_session";
/** Upper bound of any session's life; each persona's idle limit is enforced by the accounts area. */
const SESSION_MAX_SECONDS = 93 * 24 * 3600;

/**
 * The key that encrypts and signs session cookies. Derived from SESSION_SECRET when set (required in
 * production). On the embedded development database, a random key is kept in the data folder so
 * sessions survive restarts; anywhere else (tests, a PostgreSQL without secret) a per-process key.
 */
export function sessionKey(config: Pick<Config, "sessionSecret" | "env" | "databaseUrl" | "dataDir">): Buffer {
  if (config.sessionSecret) {
    return Buffer.from(crypto.hkdfSync("sha256", config.sessionSecret, "collectif-objets", "session-cookie", 32));
  }
  if (config.env === "development" && !config.databaseUrl) return persistedKey(path.join(config.dataDir, "session.key"));
  return crypto.randomBytes(32);
}

/** A random 32-byte key kept in a file (development: sessions and signed addresses survive a restart). */
export function persistedKey(file: string): Buffer {
  try {
    const key = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
    if (key.length === 32) return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const key = crypto.randomBytes(32);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, key.toString("base64"), { mode: 0o600 });
  return key;
}

/** Encrypted, signed session cookie and CSRF tokens bound to it. */
export async function registerSessions(app: FastifyInstance, options: { key: Buffer; production: boolean }): Promise<void> {
  await app.register(secureSession, {
    key: options.key,
    cookieName: SESSION_COOKIE,
    expiry: SESSION_MAX_SECONDS,
    cookie: { path: "/", httpOnly: true, sameSite: "lax", secure: options.production },
  });
  await app.register(csrfProtection, {
    sessionPlugin: "@fastify/secure-session",
    // Multipart bodies are parsed by the handler, after this check: their token comes in the query or a header.
    getToken: (request: FastifyRequest) => {
      const fromBody = (request.body as { _csrf?: unknown } | undefined)?._csrf;
      const fromQuery = (request.query as { _csrf?: unknown } | undefined)?._csrf;
      const fromHeader = request.headers["x-csrf-token"];
      const token = [fromBody, fromQuery, fromHeader].find((value) => typeof value === "string");
      return typeof token === "string" ? token : "";
    },
  });
}
