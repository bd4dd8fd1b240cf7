import { sql, type Kysely } from "kysely";
import type { DB, OutboxMail } from "../db/schema.ts";

export type OutgoingMail = {
  /** Unique per business event (e.g. `login-code:42`, `campaign:7:relance1:1234`): enqueuing twice sends once. */
  idempotencyKey: string;
  category: string;
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  replyTo?: string;
  headers?: Record<string, string>;
};

/**
 * Writes the mail to the outbox, inside the caller's transaction when one is given,
 * so a mail exists if and only if the business change that causes it was committed.
 */
export async function enqueueMail(db: Kysely<DB>, mail: OutgoingMail): Promise<{ id: number; created: boolean }> {
  const inserted = await db
    .insertInto("outbox_mails")
    .values({
      idempotency_key: mail.idempotencyKey,
      category: mail.category,
      from_address: mail.from,
      to_address: mail.to,
      reply_to: mail.replyTo ?? null,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      headers: JSON.stringify(mail.headers ?? {}),
    })
    .onConflict((oc) => oc.column("idempotency_key").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (inserted) return { id: Number(inserted.id), created: true };
  const existing = await db
    .selectFrom("outbox_mails")
    .select("id")
    .where("idempotency_key", "=", mail.idempotencyKey)
    .executeTakeFirstOrThrow();
  return { id: Number(existing.id), created: false };
}

/** Delivery attempts before a mail is given up (about a day of retries). */
export const MAX_ATTEMPTS = 8;
const BACKOFF_MINUTES = [1, 5, 15, 60, 180, 360, 720];
/** A claim older than this is considered abandoned by a crashed worker. */
export const CLAIM_LEASE_MINUTES = 10;

export function retryDelayMinutes(attempts: number): number {
  return BACKOFF_MINUTES[Math.min(attempts, BACKOFF_MINUTES.length) - 1] ?? 1;
}

/** Takes up to `limit` due mails (pending and due, or abandoned claims); concurrent workers never take the same one. */
export async function claimDueMails(db: Kysely<DB>, limit: number): Promise<OutboxMail[]> {
  const result = await sql<OutboxMail>`
    update outbox_mails set status = 'sending', claimed_at = now(), attempts = attempts + 1
    where id in (
      select id from outbox_mails
      where (status = 'pending' and next_attempt_at <= now())
         or (status = 'sending' and claimed_at < now() - make_interval(mins => ${CLAIM_LEASE_MINUTES}))
      order by id
      limit ${limit}
      for update skip locked
    )
    returning *`.execute(db);
  return result.rows.map((row) => ({ ...row, id: Number(row.id) }));
}

/**
 * Confirms, just before sending, that this worker still holds the claim it took (the `attempts` value
 * it set is the fencing token) and renews its lease. False when the lease expired and another worker
 * claimed the mail since, or it was sent meanwhile: the caller must then not send it.
 */
export async function renewClaim(db: Kysely<DB>, mail: Pick<OutboxMail, "id" | "attempts">): Promise<boolean> {
  const row = await db
    .updateTable("outbox_mails")
    .set({ claimed_at: new Date() })
    .where("id", "=", mail.id)
    .where("status", "=", "sending")
    .where("attempts", "=", mail.attempts)
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

export async function markSent(db: Kysely<DB>, id: number, messageId: string): Promise<void> {
  await db
    .updateTable("outbox_mails")
    .set({ status: "sent", sent_at: new Date(), message_id: messageId, last_error: null, claimed_at: null })
    .where("id", "=", id)
    .execute();
}

export async function markFailedAttempt(
  db: Kysely<DB>,
  mail: Pick<OutboxMail, "id" | "attempts">,
  error: string,
  permanent: boolean,
): Promise<"failed" | "retry"> {
  const giveUp = permanent || mail.attempts >= MAX_ATTEMPTS;
  await db
    .updateTable("outbox_mails")
    .set({
      status: giveUp ? "failed" : "pending",
      last_error: error.slice(0, 2000),
      claimed_at: null,
      next_attempt_at: sql<Date>`now() + make_interval(mins => ${retryDelayMinutes(mail.attempts)})`,
    })
    .where("id", "=", mail.id)
    .execute();
  return giveUp ? "failed" : "retry";
}

/** Puts a failed mail back in the queue (admin action). */
export async function requeueMail(db: Kysely<DB>, id: number): Promise<void> {
  await db
    .updateTable("outbox_mails")
    .set({ status: "pending", attempts: 0, next_attempt_at: sql<Date>`now()`, claimed_at: null })
    .where("id", "=", id)
    .where("status", "=", "failed")
    .execute();
}
