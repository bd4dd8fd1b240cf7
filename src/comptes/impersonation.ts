import type { FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import { audit } from "../platform/audit.ts";
import type { DB } from "../platform/db/schema.ts";
import { sessionAccount, sessionImpersonation, setImpersonation, type SessionImpersonation } from "./session.ts";

function adminId(request: FastifyRequest): number {
  const account = sessionAccount(request);
  if (account?.type !== "admin") throw new Error("impersonation without an admin session");
  return account.id;
}

/** Read-only by default: the admin switches to write mode explicitly. */
export async function startImpersonation(
  db: Kysely<DB>,
  request: FastifyRequest,
  target: { type: SessionImpersonation["type"]; id: number; communeId?: number },
): Promise<void> {
  const byAdmin = adminId(request);
  const previous = sessionImpersonation(request);
  if (previous) await stopImpersonation(db, request);
  setImpersonation(request, { type: target.type, id: target.id, write: false, startedAt: Date.now() });
  await audit(db, {
    actor: { type: "admin", id: byAdmin },
    action: "impersonation.start",
    subject: { type: target.type === "commune" ? "commune_user" : "conservateur", id: target.id },
    communeId: target.communeId ?? null,
    after: { write: false },
    ip: request.ip,
  });
}

export async function setImpersonationMode(db: Kysely<DB>, request: FastifyRequest, write: boolean): Promise<boolean> {
  const current = sessionImpersonation(request);
  if (!current) return false;
  if (current.write !== write) {
    setImpersonation(request, { ...current, write });
    await audit(db, {
      actor: { type: "admin", id: adminId(request) },
      action: "impersonation.mode",
      subject: { type: current.type === "commune" ? "commune_user" : "conservateur", id: current.id },
      before: { write: current.write },
      after: { write },
      ip: request.ip,
    });
  }
  return true;
}

/** Ends the impersonation (if any) and returns the message to show the admin. */
export async function stopImpersonation(db: Kysely<DB>, request: FastifyRequest): Promise<string> {
  const current = sessionImpersonation(request);
  if (!current) return "Vous n’incarnez personne.";
  setImpersonation(request, undefined);
  await audit(db, {
    actor: { type: "admin", id: adminId(request) },
    action: "impersonation.stop",
    subject: { type: current.type === "commune" ? "commune_user" : "conservateur", id: current.id },
    after: { duration_seconds: Math.round((Date.now() - current.startedAt) / 1000) },
    ip: request.ip,
  });
  return current.type === "commune"
    ? "Vous n’incarnez plus d’usager de commune."
    : "Vous n’incarnez plus de conservateur ou conservatrice.";
}
