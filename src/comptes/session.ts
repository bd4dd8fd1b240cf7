import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Notice } from "../ui/layout.tsx";
import { sessionCookieMaxAgeSeconds, type AccountType } from "./rules.ts";

/** The session holds ids and timestamps only — never a code, token or password. */
const SessionAccount = z.object({
  type: z.enum(["commune", "conservateur", "admin"]),
  id: z.number().int(),
  signedInAt: z.number(),
  seenAt: z.number(),
});
export type SessionAccount = z.infer<typeof SessionAccount>;

const SessionImpersonation = z.object({
  type: z.enum(["commune", "conservateur"]),
  id: z.number().int(),
  write: z.boolean(),
  startedAt: z.number(),
});
export type SessionImpersonation = z.infer<typeof SessionImpersonation>;

const FlashList = z.array(z.object({ type: z.enum(["success", "error", "info", "warning"]), message: z.string() }));

declare module "@fastify/secure-session" {
  interface SessionData {
    account: SessionAccount;
    impersonation: SessionImpersonation;
    flash: Notice[];
    returnTo: string;
    _csrf: string;
  }
}

export const REMEMBER_COOKIE = "co_remember";

export function sessionAccount(request: FastifyRequest): SessionAccount | undefined {
  const parsed = SessionAccount.safeParse(request.session.get("account"));
  return parsed.success ? parsed.data : undefined;
}

export function sessionImpersonation(request: FastifyRequest): SessionImpersonation | undefined {
  const parsed = SessionImpersonation.safeParse(request.session.get("impersonation"));
  return parsed.success ? parsed.data : undefined;
}

export function setImpersonation(request: FastifyRequest, impersonation: SessionImpersonation | undefined): void {
  request.session.set("impersonation", impersonation);
}

/** Applies the account's cookie lifetime; needed on every request since cookie options are not stored in the cookie. */
export function applyCookieLifetime(request: FastifyRequest, type: AccountType | undefined): void {
  const maxAge = type ? sessionCookieMaxAgeSeconds(type) : undefined;
  request.session.options(maxAge ? { maxAge } : {});
}

/**
 * Opens a fresh session for this account: everything the anonymous session held is dropped
 * (session fixation), except the flash messages and the page to come back to, which the caller reads first.
 */
export function openSession(request: FastifyRequest, type: AccountType, id: number, now = Date.now()): void {
  const flash = takeFlash(request);
  request.session.regenerate();
  request.session.set("account", { type, id, signedInAt: now, seenAt: now });
  applyCookieLifetime(request, type);
  for (const notice of flash) addFlash(request, notice);
}

export function touchSession(request: FastifyRequest, account: SessionAccount, now = Date.now()): void {
  request.session.set("account", { ...account, seenAt: now });
}

export function closeSession(request: FastifyRequest): void {
  request.session.regenerate();
  applyCookieLifetime(request, undefined);
}

export function addFlash(request: FastifyRequest, notice: Notice): void {
  const current = FlashList.safeParse(request.session.get("flash"));
  request.session.set("flash", [...(current.success ? current.data : []), notice]);
}

export function takeFlash(request: FastifyRequest): Notice[] {
  const current = FlashList.safeParse(request.session.get("flash"));
  if (!current.success || current.data.length === 0) return [];
  request.session.set("flash", undefined);
  return current.data;
}

/** The commune page an anonymous visitor asked for, to come back to it after signing in. */
export function rememberReturnPath(request: FastifyRequest, path: string): void {
  request.session.set("returnTo", path);
}

export function takeReturnPath(request: FastifyRequest): string | undefined {
  const value = request.session.get("returnTo");
  if (value !== undefined) request.session.set("returnTo", undefined);
  return typeof value === "string" ? value : undefined;
}

export function redirectWithFlash(request: FastifyRequest, reply: FastifyReply, to: string, notice?: Notice): FastifyReply {
  if (notice) addFlash(request, notice);
  return reply.redirect(to, 303);
}

export function csrfToken(reply: FastifyReply): string {
  return reply.generateCsrf();
}
