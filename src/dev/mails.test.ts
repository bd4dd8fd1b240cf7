import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { renderMail } from "../platform/mail/layout.tsx";
import { enqueueMail } from "../platform/mail/outbox.ts";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";

describe("development mail viewer", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    const { html, text } = renderMail({ title: "Bienvenue <b>", blocks: [{ kind: "paragraph", text: "Texte du mail" }] });
    await enqueueMail(database.db, {
      idempotencyKey: "test:1",
      category: "test",
      from: "Collectif Objets <contact@collectif-objets.example.org>",
      to: "mairie-01004@demo.test",
      subject: "Objet <script>alert(1)</script>",
      html,
      text,
    });
  });
  afterAll(async () => {
    await database.drop();
  });

  it("lists and shows outbox mails when no SMTP server is configured", async () => {
    const app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    const list = await app.inject("/dev/mails");
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain("mairie-01004@demo.test");
    expect(list.body).toContain("Objet &lt;script>alert(1)&lt;/script>");
    expect(list.body).not.toContain("<script>alert(1)");
    const id = /href="\/dev\/mails\/(\d+)"/.exec(list.body)?.[1];
    const detail = await app.inject(`/dev/mails/${id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain("Texte du mail");
    const raw = await app.inject(`/dev/mails/${id}/html`);
    expect(raw.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(raw.headers["content-security-policy"]).toContain("sandbox");
    expect((await app.inject("/dev/mails/999999")).statusCode).toBe(404);
    expect((await app.inject("/dev/mails/abc")).statusCode).toBe(400);
    expect((await app.inject("/dev/mails?page=-3")).statusCode).toBe(400);
    await app.close();
  });

  it("does not exist when an SMTP server is configured, nor in production", async () => {
    const withSmtp = await buildApp({
      config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", SMTP_URL: "smtp://127.0.0.1:2525" }),
      database,
    });
    expect((await withSmtp.inject("/dev/mails")).statusCode).toBe(404);
    await withSmtp.close();
    const production = await buildApp({
      config: loadConfig({ NODE_ENV: "production", LOG_LEVEL: "silent", SESSION_SECRET: "s".repeat(40) }),
      database,
    });
    expect((await production.inject("/dev/mails")).statusCode).toBe(404);
    await production.close();
  });
});
