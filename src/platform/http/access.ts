/**
 * Every route declares who may reach it, next to its handler:
 *   app.get("/x", { config: { access: { kind: "public" } } }, handler)
 * A route registered without a rule makes the server refuse to start (see server.ts).
 */
export type AccessRule =
  | { kind: "public" }
  /** Development helpers (mail viewer…), never registered in production. */
  | { kind: "dev" };

declare module "fastify" {
  interface FastifyContextConfig {
    access?: AccessRule;
  }
}

export const publicAccess = { access: { kind: "public" } } as const satisfies { access: AccessRule };
