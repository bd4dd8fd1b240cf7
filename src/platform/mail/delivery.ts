import nodemailer from "nodemailer";
import type { Database } from "../db/database.ts";
import type { OutboxMail } from "../db/schema.ts";
import { claimDueMails, markFailedAttempt, markSent, renewClaim } from "./outbox.ts";

export type MailTransport = {
  send(mail: OutboxMail): Promise<{ messageId: string }>;
  close(): void;
};

export class PermanentDeliveryError extends Error {}

/** The Message-ID is derived from the outbox row, so a resend after a crash can be recognised downstream. */
export function messageIdFor(mail: Pick<OutboxMail, "id">, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "collectif-objets.localhost";
  return `<outbox-${mail.id}@${domain}>`;
}

export function smtpTransport(smtpUrl: string): MailTransport {
  // Every SMTP wait is bounded well under the claim lease (CLAIM_LEASE_MINUTES), so a send in progress
  // never outlives its claim: no other worker can take the mail while this one may still deliver it.
  // Pooled: connections are reused from one mail to the next (a new SMTP session per mail costs ~100 ms).
  const transporter = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: DELIVERY_CONCURRENCY,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  return {
    async send(mail) {
      try {
        const info = await transporter.sendMail({
          from: mail.from_address,
          to: mail.to_address,
          replyTo: mail.reply_to ?? undefined,
          subject: mail.subject,
          html: mail.html,
          text: mail.text,
          headers: mail.headers,
          messageId: messageIdFor(mail, mail.from_address),
        });
        return { messageId: String(info.messageId) };
      } catch (error) {
        const responseCode = (error as { responseCode?: number }).responseCode;
        // 5xx answers are final (unknown mailbox, refused content); anything else is worth retrying.
        if (responseCode !== undefined && responseCode >= 500) throw new PermanentDeliveryError((error as Error).message);
        throw error;
      }
    },
    close: () => transporter.close(),
  };
}

/** Mails sent at the same time by one worker (one pooled SMTP connection each). */
export const DELIVERY_CONCURRENCY = 4;

export type DeliveryReport = { sent: number; retried: number; failed: number };

/**
 * Sends the mails that are due, one batch at a time until none is left or `maxBatches` is reached.
 *
 * Delivery guarantee: at most one worker sends a given mail at a time (claim with a lease, fenced by the
 * attempt number and renewed before each send), and a mail is marked sent right after the SMTP server
 * accepted it. The one window left is a crash between that acceptance and the `markSent` commit: the
 * mails in flight (at most DELIVERY_CONCURRENCY) are sent again once its lease expires, with the same Message-ID (`messageIdFor`), which lets the
 * receiving side recognise the duplicate. Exactly-once across an SMTP accept and a crash would need the
 * SMTP side to deduplicate; what is guaranteed here is at-least-once, with at most DELIVERY_CONCURRENCY
 * duplicates per crashed worker (the mails it was sending) and never a duplicate without a crash.
 */
export async function deliverDueMails(
  database: Database,
  transport: MailTransport,
  options: { batchSize?: number; maxBatches?: number; concurrency?: number } = {},
): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retried: 0, failed: 0 };
  const batchSize = options.batchSize ?? 50;
  for (let batch = 0; batch < (options.maxBatches ?? 20); batch++) {
    const mails = await claimDueMails(database.db, batchSize);
    if (mails.length === 0) break;
    let next = 0;
    const sender = async () => {
      for (let mail = mails[next++]; mail; mail = mails[next++]) {
        // The batch was claimed at once: check the claim is still ours right before this mail's send.
        if (!(await renewClaim(database.db, mail))) continue;
        try {
          const { messageId } = await transport.send(mail);
          await markSent(database.db, mail.id, messageId);
          report.sent++;
        } catch (error) {
          const outcome = await markFailedAttempt(database.db, mail, (error as Error).message, error instanceof PermanentDeliveryError);
          report[outcome === "failed" ? "failed" : "retried"]++;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? DELIVERY_CONCURRENCY, mails.length) }, sender));
  }
  return report;
}

export type OutboxPoller = { stop(): Promise<void> };

/**
 * Delivers the outbox every few seconds, so a login code reaches its mailbox at once rather than at the
 * next minute. Several workers may poll: each mail is claimed by one of them (FOR UPDATE SKIP LOCKED).
 */
export function startOutboxPoller(
  database: Database,
  transport: MailTransport,
  options: { intervalMs?: number; onError?: (error: Error) => void } = {},
): OutboxPoller {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = deliverDueMails(database, transport)
      .then(() => undefined)
      .catch((error: unknown) => options.onError?.(error as Error))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs ?? 3000);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      transport.close();
    },
  };
}
