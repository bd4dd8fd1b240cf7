import path from "node:path";
import { z } from "zod";

const booleanFromEnv = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");

const ConfigSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  PUBLIC_URL: z.string().url().optional(),
  DATA_DIR: z.string().default("./var"),
  DATABASE_URL: z.string().url().optional(),
  SESSION_SECRET: z.string().min(32).optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default("Collectif Objets <contact@collectif-objets.example.org>"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DISABLE_WORKER: booleanFromEnv,
  MAP_STYLE_URL: z
    .string()
    .url()
    .refine((url) => /^https?:\/\//i.test(url), "adresse http(s) attendue / http(s) URL expected")
    .optional(),
  LOGIN_RATE_LIMIT_SCALE: z.coerce.number().int().min(1).max(100).default(1),
  REPLY_DOMAIN: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i, "nom de domaine attendu / domain name expected")
    .default("reponse.collectif-objets.example.org"),
  REPLY_TOKEN_SECRET: z.string().min(32).optional(),
  INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  INBOUND_SMTP_HOST: z.string().default("0.0.0.0"),
  INBOUND_WEBHOOK_SECRET: z.string().min(24, "au moins 24 caractères / at least 24 characters").optional(),
});

export type Config = Readonly<{
  env: "development" | "production" | "test";
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  sessionSecret: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: string;
  disableWorker: boolean;
  /** MapLibre style (JSON) of a base map under the département map; without it the map has no tiles. */
  mapStyleUrl: string | undefined;
  /**
   * Multiplies the login rate limits. Only for browser test runs, where every scenario signs in from
   * 127.0.0.1 with the same demo accounts; refused in production.
   */
  loginRateLimitScale: number;
  /** Domain of the signed reply addresses (`mairie-{insee}-{token}@…`): its MX points to the inbound SMTP listener or a provider. */
  replyDomain: string;
  /** Key of the reply addresses' tokens; derived from SESSION_SECRET when not set. */
  replyTokenSecret: string | undefined;
  /** Port of the built-in SMTP listener for replies; off when not set. */
  inboundSmtpPort: number | undefined;
  inboundSmtpHost: string;
  /** Shared secret of the mail provider's webhook (`POST /api/v1/inbound-emails`); the webhook is off when not set. */
  inboundWebhookSecret: string | undefined;
}>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (DATABASE_URL= …) means "not set".
  const defined = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = ConfigSchema.safeParse(defined);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ConfigError(`Configuration invalide / invalid configuration: ${details}`);
  }
  const c = parsed.data;
  if (c.NODE_ENV === "production" && !c.SESSION_SECRET) {
    throw new ConfigError("SESSION_SECRET est obligatoire en production / SESSION_SECRET is required in production");
  }
  if (c.NODE_ENV === "production" && c.LOGIN_RATE_LIMIT_SCALE !== 1) {
    throw new ConfigError("LOGIN_RATE_LIMIT_SCALE est réservé aux tests / LOGIN_RATE_LIMIT_SCALE is for tests only");
  }
  return {
    env: c.NODE_ENV,
    port: c.PORT,
    host: c.HOST,
    publicUrl: c.PUBLIC_URL ?? `http://localhost:${c.PORT}`,
    dataDir: path.resolve(c.DATA_DIR),
    databaseUrl: c.DATABASE_URL,
    sessionSecret: c.SESSION_SECRET,
    smtpUrl: c.SMTP_URL || undefined,
    mailFrom: c.MAIL_FROM,
    logLevel: c.LOG_LEVEL,
    disableWorker: c.DISABLE_WORKER,
    mapStyleUrl: c.MAP_STYLE_URL,
    loginRateLimitScale: c.LOGIN_RATE_LIMIT_SCALE,
    replyDomain: c.REPLY_DOMAIN.toLowerCase(),
    replyTokenSecret: c.REPLY_TOKEN_SECRET,
    inboundSmtpPort: c.INBOUND_SMTP_PORT,
    inboundSmtpHost: c.INBOUND_SMTP_HOST,
    inboundWebhookSecret: c.INBOUND_WEBHOOK_SECRET,
  };
}
