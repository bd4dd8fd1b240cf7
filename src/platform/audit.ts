import type { Kysely } from "kysely";
import type { ActorType, DB } from "./db/schema.ts";

export type AuditActor = { type: ActorType; id: number | null; impersonatorAdminId?: number | null };

export type AuditEvent = {
  actor: AuditActor;
  /** Dotted verb, e.g. `commune.sign_in`, `impersonation.start`. */
  action: string;
  subject?: { type: string; id: string | number };
  communeId?: number | null;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  ip?: string | null;
};

/**
 * Records who did what. Callers pass no secrets: never codes, tokens, passwords or cookies.
 * Inside the caller's transaction when one is given, so the trace exists iff the change does.
 */
export async function audit(db: Kysely<DB>, event: AuditEvent): Promise<void> {
  await db
    .insertInto("audit_events")
    .values({
      actor_type: event.actor.type,
      actor_id: event.actor.id,
      impersonator_admin_id: event.actor.impersonatorAdminId ?? null,
      action: event.action,
      subject_type: event.subject?.type ?? null,
      subject_id: event.subject ? String(event.subject.id) : null,
      commune_id: event.communeId ?? null,
      before: event.before ? JSON.stringify(event.before) : null,
      after: event.after ? JSON.stringify(event.after) : null,
      ip: event.ip ?? null,
    })
    .execute();
}
