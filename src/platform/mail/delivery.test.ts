import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/database.ts";
import { deliverDueMails, smtpTransport, startOutboxPoller, type MailTransport } from "./delivery.ts";
import { renderMail } from "./layout.tsx";
import { enqueueMail, MAX_ATTEMPTS } from "./outbox.ts";

/** A real SMTP server on loopback; `reject` makes it answer with the given code. */
async function startSmtpSink() {
  const received: ParsedMail[] = [];
  const state: { reject?: { code: number; message: string } } = {};
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (state.reject) {
          const error = Object.assign(new Error(state.reject.message), { responseCode: state.reject.code });
          callback(error);
          return;
        }
        simpleParser(Buffer.concat(chunks))
          .then((mail) => {
            received.push(mail);
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { received, state, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("mail outbox delivered through SMTP", () => {
  let database: TestDatabase;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let transport: MailTransport;

  beforeAll(async () => {
    database = await createTestDatabase();
    sink = await startSmtpSink();
    transport = smtpTransport(sink.url);
  });
  afterAll(async () => {
    transport.close();
    await sink.close();
    await database.drop();
  });
  beforeEach(async () => {
    sink.received.length = 0;
    sink.state.reject = undefined;
    await sql`delete from outbox_mails`.execute(database.db);
  });

  function sampleMail(key: string) {
    const { html, text } = renderMail({
      title: "Votre code de connexion",
      preheader: "Code valable 30 minutes",
      blocks: [
        { kind: "paragraph", text: "Bonjour, voici votre code <pour> Ambérieu-en-Bugey." },
        { kind: "code", code: "123456", caption: "Ce code est valable 30 minutes." },
        { kind: "button", label: "Saisir mon code", url: "http://localhost:3000/communes/connexion/code?code=123456" },
      ],
      footer: ["Vous recevez ce mail car votre commune est inscrite sur Collectif Objets."],
    });
    return {
      idempotencyKey: key,
      category: "login-code",
      from: "Collectif Objets <contact@collectif-objets.example.org>",
      to: "mairie-01004@demo.test",
      subject: "Code de connexion Collectif Objets",
      html,
      text,
      headers: { "List-Unsubscribe": "<http://localhost:3000/desinscription/abc>" },
    };
  }

  it("delivers an enqueued mail once, with its HTML and text parts and headers", async () => {
    const first = await enqueueMail(database.db, sampleMail("login-code:1"));
    const again = await enqueueMail(database.db, sampleMail("login-code:1"));
    expect(again).toEqual({ id: first.id, created: false });

    const report = await deliverDueMails(database, transport);
    expect(report).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(sink.received).toHaveLength(1);
    const mail = sink.received[0]!;
    expect(mail.subject).toBe("Code de connexion Collectif Objets");
    expect(mail.text).toContain("123456");
    expect(mail.text).toContain("Saisir mon code : http://localhost:3000/communes/connexion/code?code=123456");
    expect(mail.html).toContain("Bonjour, voici votre code &lt;pour> Ambérieu-en-Bugey.");
    expect(mail.html).not.toContain("<pour>");
    expect(mail.headerLines.find((h) => h.key === "list-unsubscribe")?.line).toBe(
      "List-Unsubscribe: <http://localhost:3000/desinscription/abc>",
    );
    expect(mail.messageId).toBe(`<outbox-${first.id}@collectif-objets.example.org>`);

    const row = await database.db.selectFrom("outbox_mails").selectAll().where("id", "=", first.id).executeTakeFirstOrThrow();
    expect(row.status).toBe("sent");
    expect(row.attempts).toBe(1);
    expect(await deliverDueMails(database, transport)).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(sink.received).toHaveLength(1);
  });

  it("retries with back-off while the server answers a temporary error, then sends exactly once", async () => {
    const { id } = await enqueueMail(database.db, sampleMail("login-code:2"));
    sink.state.reject = { code: 451, message: "Try again later" };
    expect(await deliverDueMails(database, transport)).toEqual({ sent: 0, retried: 1, failed: 0 });
    const waiting = await database.db.selectFrom("outbox_mails").selectAll().where("id", "=", Number(id)).executeTakeFirstOrThrow();
    expect(waiting.status).toBe("pending");
    expect(waiting.last_error).toContain("Try again later");
    expect(waiting.next_attempt_at.getTime()).toBeGreaterThan(Date.now() + 30_000);
    expect(await deliverDueMails(database, transport)).toEqual({ sent: 0, retried: 0, failed: 0 });

    sink.state.reject = undefined;
    await database.db
      .updateTable("outbox_mails")
      .set({ next_attempt_at: new Date(Date.now() - 1000) })
      .execute();
    expect(await deliverDueMails(database, transport)).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(sink.received).toHaveLength(1);
  });

  it("gives up at once on a permanent refusal and after the last attempt otherwise", async () => {
    await enqueueMail(database.db, sampleMail("login-code:3"));
    sink.state.reject = { code: 550, message: "No such user" };
    expect(await deliverDueMails(database, transport)).toEqual({ sent: 0, retried: 0, failed: 1 });

    await enqueueMail(database.db, sampleMail("login-code:4"));
    sink.state.reject = { code: 421, message: "Busy" };
    await database.db
      .updateTable("outbox_mails")
      .set({ attempts: MAX_ATTEMPTS - 1 })
      .where("idempotency_key", "=", "login-code:4")
      .execute();
    expect(await deliverDueMails(database, transport)).toEqual({ sent: 0, retried: 0, failed: 1 });
  });

  it("keeps mails in the outbox while the SMTP server is down, and delivers them after recovery", async () => {
    const down = smtpTransport("smtp://127.0.0.1:1");
    await enqueueMail(database.db, sampleMail("login-code:5"));
    expect(await deliverDueMails(database, down)).toEqual({ sent: 0, retried: 1, failed: 0 });
    down.close();
    await database.db
      .updateTable("outbox_mails")
      .set({ next_attempt_at: new Date(Date.now() - 1000) })
      .execute();
    expect(await deliverDueMails(database, transport)).toEqual({ sent: 1, retried: 0, failed: 0 });
  });

  it("takes over a claim abandoned by a crashed worker", async () => {
    const { id } = await enqueueMail(database.db, sampleMail("login-code:6"));
    await database.db
      .updateTable("outbox_mails")
      .set({ status: "sending", attempts: 1, claimed_at: new Date(Date.now() - 11 * 60_000) })
      .where("id", "=", id)
      .execute();
    expect(await deliverDueMails(database, transport)).toEqual({ sent: 1, retried: 0, failed: 0 });
  });

  it("delivers within seconds a mail enqueued while the poller runs, once", async () => {
    const poller = startOutboxPoller(database, smtpTransport(sink.url), { intervalMs: 200 });
    await enqueueMail(database.db, sampleMail("login-code:7"));
    const deadline = Date.now() + 10_000;
    while (sink.received.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 600));
    await poller.stop();
    expect(sink.received).toHaveLength(1);
    const row = await database.db
      .selectFrom("outbox_mails")
      .select("status")
      .where("idempotency_key", "=", "login-code:7")
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("sent");
  });
});
