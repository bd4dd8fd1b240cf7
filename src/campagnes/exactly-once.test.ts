import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { withDatabase } from "../../test/database-names.ts";
import { loadConfig } from "../config.ts";
import { createContext, type AppContext } from "../context.ts";
import { jobDefinitions } from "../jobs.ts";
import { startJobs } from "../platform/jobs/boss.ts";
import { DELIVERY_CONCURRENCY, deliverDueMails, smtpTransport } from "../platform/mail/delivery.ts";
import { CLAIM_LEASE_MINUTES } from "../platform/mail/outbox.ts";
import { JOB_SEQUENCE_CAMPAGNES } from "./jobs.ts";
import { DATES_TEST, insertCampagne } from "./sequence-fixtures.ts";
import { executerSequenceQuotidienne } from "./sequence.ts";

/** An SMTP sink on loopback recording (recipient, Message-ID) of every accepted message; restartable on its port. */
function smtpSink(delayMs = 0) {
  const received: { to: string; messageId: string }[] = [];
  let server: SMTPServer | undefined;
  let port = 0;
  const sink = {
    received,
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    async start() {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ["STARTTLS"],
        logger: false,
        onData(stream, session, callback) {
          let head = "";
          stream.on("data", (chunk: Buffer) => {
            if (head.length < 8192) head += chunk.toString("utf8");
          });
          stream.on("end", () => {
            const messageId = /^Message-ID:\s*(\S+)/im.exec(head)?.[1] ?? "";
            setTimeout(() => {
              for (const rcpt of session.envelope.rcptTo) received.push({ to: rcpt.address, messageId });
              callback();
            }, delayMs);
          });
        },
      });
      // A worker killed mid-session resets its connection: expected here, not a test failure.
      server.on("error", () => {});
      await new Promise<void>((resolve) => server!.listen(port, "127.0.0.1", resolve));
      port = (server.server.address() as AddressInfo).port;
    },
    async stop() {
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    },
  };
  return sink;
}

async function insertCommunesAvecUsers(database: TestDatabase, count: number): Promise<number[]> {
  const communes = await database.db
    .insertInto("communes")
    .values(
      Array.from({ length: count }, (_, i) => ({
        code_insee: `02${String(100 + i).padStart(3, "0")}`,
        nom: `Commune ${i}`,
        departement_code: "02",
        objets_count: 1,
      })),
    )
    .returning("id")
    .execute();
  await database.db
    .insertInto("commune_users")
    .values(communes.map((c, i) => ({ commune_id: c.id, email: `mairie-${i}@communes.test` })))
    .execute();
  return communes.map((c) => c.id);
}

function parDestinataire(received: readonly { to: string; messageId: string }[]) {
  const map = new Map<string, string[]>();
  for (const r of received) map.set(r.to, [...(map.get(r.to) ?? []), r.messageId]);
  return map;
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Délai dépassé : ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("campaign step and delivery: one mail per recipient and step", () => {
  let database: TestDatabase;
  let ctx: AppContext;
  beforeAll(async () => {
    database = await createTestDatabase();
    ctx = createContext({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
  });
  afterAll(async () => database?.drop());

  it("SMTP down during the step: outbox rows committed, attempts retried with back-off, each mail delivered once when the server is back", async () => {
    await sql`truncate campaign_emails, campaign_recipients, campaigns, outbox_mails, commune_users, communes restart identity cascade`.execute(
      database.db,
    );
    const ids = await insertCommunesAvecUsers(database, 40);
    await insertCampagne(database, { departement_code: "02", status: "planned", communeIds: ids });
    const sink = smtpSink();
    await sink.start();
    await sink.stop(); // the server is down from the start of the step
    const transport = smtpTransport(sink.url);
    try {
      await executerSequenceQuotidienne(ctx, DATES_TEST.date_lancement);
      const pending = await database.db
        .selectFrom("outbox_mails")
        .select(sql<number>`count(*)::int`.as("n"))
        .where("status", "=", "pending")
        .executeTakeFirstOrThrow();
      expect(pending.n).toBe(40);

      const down = await deliverDueMails(database, transport);
      expect(down).toEqual({ sent: 0, retried: 40, failed: 0 });
      const rows = await database.db
        .selectFrom("outbox_mails")
        .select(["status", "attempts", "last_error", sql<boolean>`next_attempt_at > now() + interval '50 seconds'`.as("later")])
        .execute();
      expect(rows.every((r) => r.status === "pending" && r.attempts === 1 && r.last_error && r.later)).toBe(true);
      // Not due yet: nothing is tried again before the back-off.
      expect(await deliverDueMails(database, transport)).toEqual({ sent: 0, retried: 0, failed: 0 });

      await sink.start();
      // One minute later (the first back-off): the clock is moved instead of waiting.
      await sql`update outbox_mails set next_attempt_at = next_attempt_at - interval '1 minute'`.execute(database.db);
      expect(await deliverDueMails(database, transport)).toEqual({ sent: 40, retried: 0, failed: 0 });
      expect(await deliverDueMails(database, transport)).toEqual({ sent: 0, retried: 0, failed: 0 });
      await executerSequenceQuotidienne(ctx, DATES_TEST.date_lancement);
      expect(await deliverDueMails(database, transport)).toEqual({ sent: 0, retried: 0, failed: 0 });
      const byTo = parDestinataire(sink.received);
      expect(byTo.size).toBe(40);
      expect([...byTo.values()].every((list) => list.length === 1)).toBe(true);
    } finally {
      transport.close();
      await sink.stop();
    }
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "worker killed with SIGKILL in the middle of a 300-recipient launch, restarted: every recipient has one mail at the SMTP server and one campaign_emails row (needs PostgreSQL: the worker is a separate process)",
    { timeout: 180_000 },
    async () => {
      await sql`truncate campaign_emails, campaign_recipients, campaigns, outbox_mails, commune_users, communes restart identity cascade`.execute(
        database.db,
      );
      const ids = await insertCommunesAvecUsers(database, 300);
      const campagne = await insertCampagne(database, { departement_code: "02", status: "planned", communeIds: ids });
      const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(database.db);
      const databaseUrl = withDatabase(process.env.TEST_DATABASE_URL!, rows[0]!.name);
      // 15 ms per accepted message: delivery of 300 mails lasts a few seconds, long enough to kill it midway.
      const sink = smtpSink(15);
      await sink.start();
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "co-worker-"));
      const startWorker = (): ChildProcess =>
        spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "worker"], {
          env: {
            ...process.env,
            NODE_ENV: "test",
            LOG_LEVEL: "silent",
            DATABASE_URL: databaseUrl,
            SMTP_URL: sink.url,
            DATA_DIR: dataDir,
            DISABLE_WORKER: "",
          },
          stdio: ["ignore", "ignore", "inherit"],
        });
      const sendSequenceJob = async () => {
        const jobs = await startJobs(database, jobDefinitions(ctx), { work: false });
        await jobs.send(JOB_SEQUENCE_CAMPAGNES, { date: DATES_TEST.date_lancement });
        await jobs.stop();
      };
      const outboxCount = async (status?: string) => {
        let query = database.db.selectFrom("outbox_mails").select(sql<number>`count(*)::int`.as("n"));
        if (status) query = query.where("status", "=", status as "sent");
        return (await query.executeTakeFirstOrThrow()).n;
      };
      let worker: ChildProcess | undefined;
      try {
        await sendSequenceJob();
        worker = startWorker();
        await until(async () => (await outboxCount()) === 300 && sink.received.length >= 60, 90_000, "step committed and delivery started");
        worker.kill("SIGKILL");
        await new Promise((resolve) => worker!.once("exit", resolve));
        const atKill = sink.received.length;
        expect(atKill).toBeGreaterThan(0);
        expect(atKill).toBeLessThan(300);

        // The dead worker's claims expire after the lease: the clock is moved instead of waiting 10 minutes.
        await sql`update outbox_mails set claimed_at = claimed_at - make_interval(mins => ${CLAIM_LEASE_MINUTES + 1}) where status = 'sending'`.execute(
          database.db,
        );
        worker = startWorker();
        // The same day's run again (a retried job or the cron): it must not add a mail.
        await sendSequenceJob();
        await until(async () => (await outboxCount("sent")) === 300, 90_000, "every mail delivered after the restart");
        await new Promise((resolve) => setTimeout(resolve, 3000)); // a poller tick and a job run more

        expect(await outboxCount()).toBe(300);
        const emails = await database.db
          .selectFrom("campaign_emails")
          .innerJoin("campaign_recipients", "campaign_recipients.id", "campaign_emails.campaign_recipient_id")
          .select(["campaign_recipient_id", "step"])
          .where("campaign_recipients.campaign_id", "=", campagne.id)
          .execute();
        expect(emails).toHaveLength(300);
        expect(new Set(emails.map((e) => e.campaign_recipient_id)).size).toBe(300);
        expect(emails.every((e) => e.step === "lancement")).toBe(true);

        const byTo = parDestinataire(sink.received);
        expect(byTo.size).toBe(300);
        // One Message-ID per recipient. A resend can only come from the mails in flight (at most
        // DELIVERY_CONCURRENCY) whose SMTP acceptance was not yet recorded when the worker died; they carry the
        // same Message-ID, so the receiving side can drop them.
        expect([...byTo.values()].every((list) => new Set(list).size === 1)).toBe(true);
        const duplicates = [...byTo.values()].filter((list) => list.length > 1).length;
        expect(duplicates).toBeLessThanOrEqual(DELIVERY_CONCURRENCY);
        console.info(`SIGKILL after ${atKill}/300 mails at the sink; messages received again after the restart: ${duplicates}`);
      } finally {
        if (worker && worker.exitCode === null) {
          worker.kill("SIGTERM");
          await new Promise((resolve) => worker!.once("exit", resolve));
        }
        await sink.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});
