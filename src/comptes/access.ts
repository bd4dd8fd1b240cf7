import crypto from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import type { AppContext } from "../context.ts";
import { audit, type AuditActor } from "../platform/audit.ts";
import type { DB } from "../platform/db/schema.ts";
import { isMutatingMethod } from "../platform/http/access.ts";
import { ForbiddenError, NotFoundError } from "../platform/http/errors.ts";
import { registerSessions, sessionKey } from "../platform/http/session.ts";
import { nomDepartement } from "../patrimoine/departements-reference.ts";
import { clientScriptUrl } from "../platform/http/client-assets.ts";
import type { HeaderSearch, NavItem } from "../ui/layout.tsx";
import type { PageChrome } from "../ui/page.tsx";
import {
  findApiClient,
  findAdminIdentity,
  findCommuneIdentity,
  findConservateurIdentity,
  findRememberToken,
  markAgentSignIn,
} from "./repository.ts";
import { ANONYMOUS, MESSAGES, conservateurLanding, decideAccess, hashToken, sessionFreshness, type Identity } from "./rules.ts";
import {
  REMEMBER_COOKIE,
  addFlash,
  applyCookieLifetime,
  rememberReturnPath,
  sessionAccount,
  sessionImpersonation,
  setImpersonation,
  takeFlash,
  touchSession,
} from "./session.ts";
import { stopImpersonation } from "./impersonation.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** Who makes this request (the impersonated account while an admin impersonates). */
    identity: Identity;
    /** The ministry system calling an `api_token` route. */
    apiClient: { id: number; departementCodes: string[] } | null;
  }
}

/**
 * Sessions, CSRF and the enforcement of every route's access rule, in one preHandler hook:
 * handlers only run once their rule has let the request through.
 */
export async function installAccessControl(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  await registerSessions(app, { key: sessionKey(ctx.config), production: ctx.config.env === "production" });
  const identities = new WeakMap<FastifyRequest, Identity>();
  app.decorateRequest("identity", {
    getter(this: FastifyRequest) {
      return identities.get(this) ?? ANONYMOUS;
    },
    setter(this: FastifyRequest, identity: Identity) {
      identities.set(this, identity);
    },
  });
  app.decorateRequest("apiClient", null);

  app.addHook("preHandler", async (request, reply) => {
    const rule = request.routeOptions.config.access;
    if (!rule) return;
    let sharedSecret = false;
    if (rule.kind === "api_token") {
      request.apiClient = await apiClientOf(db, request);
    } else if (rule.kind === "shared_secret") {
      sharedSecret = bearerMatches(request, rule.secret());
    } else {
      request.identity = await resolveIdentity(db, request, reply);
      request.pageChrome = () => pageChrome(request, reply);
    }
    const identity = request.identity;
    const departement =
      rule.kind === "conservateur_departement" && identity.kind === "conservateur" ? await rule.departement(request) : undefined;
    const decision = decideAccess(rule, identity, {
      method: request.method,
      params: request.params as Record<string, string | undefined>,
      departement,
      apiClient: request.apiClient !== null,
      sharedSecret,
    });
    switch (decision.outcome) {
      case "allow":
        if (decision.auditWrite) {
          await audit(db, {
            actor: actorOf(identity),
            action: "impersonation.write",
            after: { method: request.method, route: request.routeOptions.url },
            communeId: identity.kind === "commune" ? identity.communeId : null,
            ip: request.ip,
          });
        }
        return;
      case "login":
        if (request.method === "GET" && rule.kind === "commune") rememberReturnPath(request, request.url);
        addFlash(request, { type: "warning", message: decision.message });
        return reply.redirect(decision.to, 303);
      case "already_signed_in":
        addFlash(request, { type: "info", message: decision.message });
        return reply.redirect(decision.to, 303);
      case "stop_impersonation": {
        const message = await stopImpersonation(db, request);
        addFlash(request, { type: "info", message });
        return reply.redirect(request.method === "GET" ? request.url : "/admin", 303);
      }
      case "read_only":
        throw new ForbiddenError(MESSAGES.readOnly);
      case "forbidden":
        throw new ForbiddenError(MESSAGES.forbidden);
      case "not_found":
        throw new NotFoundError();
      case "api_unauthorized":
        return reply
          .status(401)
          .header("www-authenticate", "Bearer")
          .header("cache-control", "no-store")
          .send({ error: { code: "authentification_requise", message: "Jeton d’accès à l’API manquant, inconnu ou révoqué." } });
    }
  });

  // Runs after the access hook: refused requests are answered before their token is even looked at.
  app.addHook("preHandler", (request, reply, done) => {
    const rule = request.routeOptions.config.access;
    if (!rule || rule.kind === "api_token" || rule.kind === "shared_secret" || !isMutatingMethod(request.method)) return done();
    // A public route may exempt the requests that carry their own secret (one-click unsubscribe, RFC 8058).
    if (rule.kind === "public" && rule.csrfExempt?.(request)) return done();
    app.csrfProtection(request, reply, done);
  });
}

export function actorOf(identity: Identity): AuditActor {
  if (identity.kind === "anonymous") return { type: "anonymous", id: null };
  const id = identity.kind === "commune" ? identity.communeUserId : identity.id;
  return { type: identity.kind, id, impersonatorAdminId: identity.kind === "admin" ? null : (identity.impersonation?.byAdminId ?? null) };
}

/** At most two small queries: the signed-in account, plus the impersonated one. */
async function resolveIdentity(db: Kysely<DB>, request: FastifyRequest, reply: FastifyReply): Promise<Identity> {
  let account = sessionAccount(request);
  if (account) {
    const freshness = sessionFreshness(account.type, account.seenAt, Date.now());
    if (freshness === "expired") {
      request.session.set("account", undefined);
      setImpersonation(request, undefined);
      addFlash(request, { type: "info", message: "Votre session a expiré après une longue inactivité : veuillez vous reconnecter." });
      account = undefined;
    } else if (freshness === "refresh") {
      touchSession(request, account);
    }
  }
  if (!account) account = await reviveRememberedSession(db, request, reply);
  applyCookieLifetime(request, account?.type);
  if (!account) return ANONYMOUS;

  let identity: Identity | undefined;
  if (account.type === "commune") identity = await findCommuneIdentity(db, account.id);
  else if (account.type === "conservateur") identity = await findConservateurIdentity(db, account.id);
  else identity = await findAdminIdentity(db, account.id);
  if (!identity) {
    request.session.set("account", undefined);
    setImpersonation(request, undefined);
    return ANONYMOUS;
  }

  const impersonation = sessionImpersonation(request);
  if (identity.kind !== "admin" || !impersonation) return identity;
  const target =
    impersonation.type === "commune"
      ? await findCommuneIdentity(db, impersonation.id)
      : await findConservateurIdentity(db, impersonation.id);
  if (!target) {
    setImpersonation(request, undefined);
    return identity;
  }
  return { ...target, impersonation: { byAdminId: identity.id, write: impersonation.write } };
}

/** A conservateur or admin who ticked "Se souvenir de moi" gets a new session from the long-lived cookie. */
async function reviveRememberedSession(db: Kysely<DB>, request: FastifyRequest, reply: FastifyReply) {
  const token = request.cookies[REMEMBER_COOKIE];
  if (!token) return undefined;
  const remembered = await findRememberToken(db, hashToken(token));
  if (!remembered) {
    reply.clearCookie(REMEMBER_COOKIE, { path: "/" });
    return undefined;
  }
  const now = Date.now();
  const account = { type: remembered.account_type, id: remembered.account_id, signedInAt: now, seenAt: now };
  request.session.set("account", account);
  await markAgentSignIn(db, remembered.account_type, remembered.account_id);
  await audit(db, {
    actor: { type: remembered.account_type, id: remembered.account_id },
    action: `${remembered.account_type}.sign_in`,
    after: { method: "remember_me" },
    ip: request.ip,
  });
  return account;
}

async function apiClientOf(db: Kysely<DB>, request: FastifyRequest) {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
  if (!match?.[1]) return null;
  const client = await findApiClient(db, hashToken(match[1]));
  return client ? { id: client.id, departementCodes: client.departement_codes } : null;
}

/** Constant-time comparison of the bearer token with the configured secret (digests, so lengths do not leak). */
function bearerMatches(request: FastifyRequest, secret: string | undefined): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
  if (!secret || !match?.[1]) return false;
  const digest = (value: string) => crypto.createHash("sha256").update(value).digest();
  return crypto.timingSafeEqual(digest(match[1]), digest(secret));
}

function pageChrome(request: FastifyRequest, reply: FastifyReply): PageChrome {
  const identity = request.identity;
  const notices = takeFlash(request);
  if (identity.kind === "anonymous") return { notices };
  const csrfToken = reply.generateCsrf();
  const links =
    identity.kind === "commune"
      ? [
          { href: `/communes/${identity.codeInsee}/objets`, label: `Voir les objets de ${identity.nom}`, icon: "fr-icon-list-unordered" },
          { href: `/communes/${identity.codeInsee}/preferences`, label: "Préférences", icon: "fr-icon-settings-5-line" },
        ]
      : identity.kind === "conservateur"
        ? [
            { href: conservateurLanding(identity.departementCodes), label: "Mes départements", icon: "fr-icon-map-pin-2-line" },
            { href: "/conservateurs/compte", label: "Mon compte", icon: "fr-icon-account-circle-line" },
          ]
        : [{ href: "/admin", label: "Administration", icon: "fr-icon-settings-5-line" }];
  const impersonation =
    identity.kind !== "admin" && identity.impersonation
      ? {
          target:
            identity.kind === "commune"
              ? `la commune de ${identity.nom} (${identity.codeInsee})`
              : `${identity.displayName} (conservateur ou conservatrice)`,
          write: identity.impersonation.write,
          csrfToken,
          returnTo: request.method === "GET" ? request.url : "/",
        }
      : undefined;
  const nav = identity.kind === "commune" ? communeNav(identity) : identity.kind === "conservateur" ? conservateurNav(identity) : undefined;
  const search = identity.kind === "conservateur" ? conservateurSearch() : undefined;
  return {
    notices,
    account: { links, signOut: { action: "/deconnexion", csrfToken } },
    ...(nav ? { nav } : {}),
    ...(search ? { search } : {}),
    impersonation,
  };
}

/** RB §5.1: one link per département when there are one or two, else the list; then the follow-up actions. */
function conservateurNav(identity: ConservateurIdentity): NavItem[] {
  const codes = identity.departementCodes;
  const departements: NavItem[] =
    codes.length > 0 && codes.length <= 2
      ? codes.map((code) => ({ href: `/conservateurs/departements/${code}`, label: `${code} - ${nomDepartement(code)}` }))
      : [{ href: "/conservateurs/departements", label: "Mes départements" }];
  return [
    ...departements,
    { href: "/conservateurs/messagerie", label: avecNonLus("Messagerie", identity.filsNonLus), exact: true },
    { href: "/conservateurs/visites", label: "Mes actions" },
    { href: "/comment-ca-marche", label: "Comment ça marche ?" },
  ];
}

function conservateurSearch(): HeaderSearch {
  return {
    action: "/conservateurs/recherche",
    label: "Rechercher",
    placeholder: "Commune, objet, référence Palissy",
    suggestUrl: "/conservateurs/recherche/suggestions",
    scriptUrl: clientScriptUrl("recherche"),
  };
}

/** "Messagerie (2 non lus)": the count of the messagerie's navigation item. */
function avecNonLus(label: string, nonLus: number | undefined): string {
  return nonLus ? `${label} (${nonLus} non lu${nonLus > 1 ? "s" : ""})` : label;
}

/** Main navigation of a signed-in commune (RB §4.1). */
function communeNav(identity: CommuneIdentity): NavItem[] {
  const codeInsee = identity.codeInsee;
  return [
    { href: `/communes/${codeInsee}/objets`, label: "Recensement", sections: [`/communes/${codeInsee}/dossier/`] },
    { href: `/communes/${codeInsee}/messagerie`, label: avecNonLus("Messagerie", identity.messagesNonLus) },
    { href: `/communes/${codeInsee}/dossier`, label: "Examen du conservateur", exact: true },
    { href: "/comment-ca-marche", label: "Comment ça marche ?" },
  ];
}

export type CommuneIdentity = Extract<Identity, { kind: "commune" }>;
export type ConservateurIdentity = Extract<Identity, { kind: "conservateur" }>;

/** For handlers behind a `commune` rule: the rule guarantees this identity. */
export function communeOf(request: FastifyRequest): CommuneIdentity {
  const identity = request.identity;
  if (identity.kind !== "commune") throw new Error("a commune rule let another identity through");
  return identity;
}

/** For handlers behind a `conservateur` or `conservateur_departement` rule. */
export function conservateurOf(request: FastifyRequest): ConservateurIdentity {
  const identity = request.identity;
  if (identity.kind !== "conservateur") throw new Error("a conservateur rule let another identity through");
  return identity;
}
