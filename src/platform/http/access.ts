import type { FastifyRequest } from "fastify";

/**
 * Every route declares who may reach it, next to its handler:
 *   app.get("/x", { config: { access: { kind: "public" } } }, handler)
 * A route registered without a rule makes the server refuse to start (see server.ts); the accounts
 * area enforces the rule of every route in one preHandler hook.
 */
export type AccessRule =
  | {
      kind: "public";
      /**
       * Requests this predicate accepts skip the CSRF check. Only for a POST that carries its own secret
       * and is sent from outside any browser session: the RFC 8058 one-click unsubscribe of mail clients
       * (src/campagnes/desinscription.tsx).
       */
      csrfExempt?: (request: FastifyRequest) => boolean;
    }
  /** Development helpers (mail viewer…), never registered in production. */
  | { kind: "dev" }
  /** Login pages: a signed-in person is sent to their home page. */
  | { kind: "anonymous_only" }
  /** Any signed-in person (sign-out). */
  | { kind: "signed_in" }
  /** The commune whose code INSEE is the route parameter `param`. */
  | { kind: "commune"; param: string }
  /** Any conservateur (pages scoped by the conservateur's own départements). */
  | { kind: "conservateur" }
  /** A conservateur of the département the URL designates; `null` from the resolver means "no such record" (404). */
  | { kind: "conservateur_departement"; departement: (request: FastifyRequest) => Promise<string | null> }
  /**
   * Admins. Reaching an admin page while impersonating stops the impersonation, except for the
   * routes that drive it (`keepImpersonation`).
   */
  | { kind: "admin"; keepImpersonation?: boolean }
  /** Ministry systems with a bearer token (no session, no CSRF). */
  | { kind: "api_token" }
  /**
   * A machine (a mail provider's webhook) that sends `Authorization: Bearer <secret>`, the secret being
   * configured on both sides; refused when the secret is not configured (no session, no CSRF).
   */
  | { kind: "shared_secret"; secret: () => string | undefined };

export type AccessKind = AccessRule["kind"];

declare module "fastify" {
  interface FastifyContextConfig {
    access?: AccessRule;
  }
}

export const publicAccess = { access: { kind: "public" } } as const satisfies { access: AccessRule };

export function isMutatingMethod(method: string): boolean {
  return method === "POST" || method === "PUT" || method === "PATCH" || method === "DELETE";
}
