import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { auditActions, Browser, insertAdmin } from "../../test/factories-comptes.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { enqueueMail } from "../platform/mail/outbox.ts";

function texte(html: string): string {
  return html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
}

describe("admin mails", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let admin: Browser;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    const row = await insertAdmin(database);
    admin = new Browser(app).withSession({ account: { type: "admin", id: row.id } });
    const base = { category: "login_code", from: "contact@collectif.test", text: "Bonjour,\nvotre code est 123456." };
    ids.envoye = (
      await enqueueMail(database.db, {
        ...base,
        idempotencyKey: "a",
        to: "mairie@ambronay.test",
        subject: "Code envoyé",
        html: "<p>ok</p>",
      })
    ).id;
    ids.echoue = (
      await enqueueMail(database.db, {
        ...base,
        idempotencyKey: "b",
        to: "mairie@bourg.test",
        subject: "Code en échec",
        html: '<p style="color:red">Bonjour</p><script>parent.alert(1)</script>',
        headers: { "List-Unsubscribe": "<https://collectif.test/desinscription>" },
      })
    ).id;
    await database.db
      .updateTable("outbox_mails")
      .set({ status: "sent", attempts: 1, sent_at: new Date(), message_id: "<abc@smtp>" })
      .where("id", "=", ids.envoye)
      .execute();
    await database.db
      .updateTable("outbox_mails")
      .set({ status: "failed", attempts: 8, last_error: "550 boîte inexistante" })
      .where("id", "=", ids.echoue)
      .execute();
    const pages = Array.from({ length: 55 }, (_, i) => ({
      idempotency_key: `masse-${i}`,
      category: "campaign",
      from_address: "contact@collectif.test",
      to_address: `commune-${i}@masse.test`,
      subject: `Campagne ${i}`,
      html: "<p>c</p>",
      text: "c",
      headers: "{}",
    }));
    await database.db.insertInto("outbox_mails").values(pages).execute();
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("lists the outbox 50 at a time, newest first, filtered by state and by recipient", async () => {
    const premiere = await admin.get("/admin/mails");
    expect(premiere.statusCode).toBe(200);
    expect(premiere.body.match(/href="\/admin\/mails\/\d+"/g)?.length).toBe(50);
    expect(texte(premiere.body)).toContain("Campagne 54");
    const suivante = /href="(\/admin\/mails\?avant=\d+)"/.exec(premiere.body)![1]!;
    const deuxieme = await admin.get(suivante);
    expect(deuxieme.body.match(/href="\/admin\/mails\/\d+"/g)?.length).toBe(7);
    expect(texte(deuxieme.body)).toContain("Code en échec");
    expect(deuxieme.body).not.toMatch(/href="\/admin\/mails\?avant=/);

    const echecs = await admin.get("/admin/mails?etat=failed");
    const t = texte(echecs.body);
    expect(t).toContain("Code en échec");
    expect(t).toContain("550 boîte inexistante");
    expect(t).toContain("Échec définitif");
    expect(t).not.toContain("Code envoyé");

    const parDestinataire = await admin.get("/admin/mails?destinataire=AMBRONAY");
    expect(texte(parDestinataire.body)).toContain("Code envoyé");
    expect(texte(parDestinataire.body)).not.toContain("Campagne 1");
    expect((await admin.get("/admin/mails?destinataire=%25")).body).toContain("Aucun mail ne correspond");

    expect((await admin.get("/admin/mails?etat=perdu")).statusCode).toBe(400);
    expect((await admin.get("/admin/mails?avant=abc")).statusCode).toBe(400);
  });

  it("shows one mail's headers, text and HTML, the HTML only in a sandboxed frame of its own", async () => {
    const page = await admin.get(`/admin/mails/${ids.echoue}`);
    expect(page.statusCode).toBe(200);
    const t = texte(page.body);
    expect(t).toContain("mairie@bourg.test");
    expect(t).toContain("550 boîte inexistante");
    expect(t).toContain("List-Unsubscribe");
    expect(t).toContain("votre code est 123456.");
    expect(page.body).not.toContain("<script>parent.alert");
    expect(page.body).toMatch(new RegExp(`<iframe[^>]* sandbox[^>]* src="/admin/mails/${ids.echoue}/html"`));
    const html = await admin.get(`/admin/mails/${ids.echoue}/html`);
    expect(html.body).toContain('<p style="color:red">Bonjour</p>');
    expect(String(html.headers["content-security-policy"])).toContain("sandbox");
    expect(String(html.headers["content-security-policy"])).toContain("default-src 'none'");

    expect((await admin.get("/admin/mails/999999")).statusCode).toBe(404);
    expect((await admin.get("/admin/mails/abc")).statusCode).toBe(400);
    expect((await admin.get(`/admin/mails/${ids.envoye}`)).body).not.toContain("Renvoyer le mail");
  });

  it("requeues a failed mail only when confirmed, audits it, and refuses a mail that was not given up", async () => {
    const avant = (await auditActions(database)).length;
    await admin.get(`/admin/mails/${ids.echoue}`);
    const vide = await admin.post(`/admin/mails/${ids.echoue}/renvoyer`, {});
    expect(vide.statusCode).toBe(400);
    let mail = await database.db.selectFrom("outbox_mails").selectAll().where("id", "=", ids.echoue!).executeTakeFirstOrThrow();
    expect(mail.status).toBe("failed");

    expect((await admin.post(`/admin/mails/${ids.envoye}/renvoyer`, { confirmer: "oui" })).statusCode).toBe(409);
    expect((await admin.post(`/admin/mails/999999/renvoyer`, { confirmer: "oui" })).statusCode).toBe(404);
    expect((await auditActions(database)).length).toBe(avant);

    const ok = await admin.post(`/admin/mails/${ids.echoue}/renvoyer`, { confirmer: "oui" });
    expect(ok.statusCode).toBe(303);
    const suite = await admin.follow(ok);
    expect(texte(suite.body)).toContain("Le mail a été remis dans la file d’envoi");
    mail = await database.db.selectFrom("outbox_mails").selectAll().where("id", "=", ids.echoue!).executeTakeFirstOrThrow();
    expect(mail.status).toBe("pending");
    expect(mail.attempts).toBe(0);
    expect(await auditActions(database)).toContain("mail.renvoye");
  });
});

describe("admin mail previews", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("renders every template with demo data, the 11 campaign mails included, without sending anything", async () => {
    const row = await insertAdmin(database);
    const admin = new Browser(app).withSession({ account: { type: "admin", id: row.id } });
    const liste = await admin.get("/admin/mails/apercus");
    expect(liste.statusCode).toBe(200);
    const liens = [...liste.body.matchAll(/href="\/admin\/mails\/apercus\?modele=([a-z0-9_-]+)#apercu"/g)].map((m) => m[1]);
    expect(liens.filter((l) => l!.startsWith("campagne-"))).toHaveLength(11);
    for (const attendu of [
      "code-connexion",
      "dossier-envoye",
      "examen",
      "objets-verts",
      "auto-soumission",
      "relance-dossier",
      "recapitulatif",
      "message-commune",
      "coherence",
      "alerte",
    ])
      expect(liens).toContain(attendu);
    const alerte = await admin.get("/admin/mails/apercus/html?modele=alerte");
    expect(alerte.statusCode).toBe(200);
    expect(alerte.body).toContain("Calice en argent doré");
    expect(alerte.body).toContain("Dépôt de plainte");
    const t = texte(liste.body);
    expect(t).toContain("Plus que 3 mois pour finaliser votre recensement");

    const code = await admin.get("/admin/mails/apercus?modele=code-connexion");
    expect(texte(code.body)).toContain("123456");
    expect(code.body).toContain('src="/admin/mails/apercus/html?modele=code-connexion"');
    const html = await admin.get("/admin/mails/apercus/html?modele=code-connexion");
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain("123456");
    expect(String(html.headers["content-security-policy"])).toContain("sandbox");

    expect((await admin.get("/admin/mails/apercus?modele=inconnu")).statusCode).toBe(404);
    expect((await admin.get("/admin/mails/apercus/html")).statusCode).toBe(404);
    const { count } = await database.db
      .selectFrom("outbox_mails")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(0);
  });
});
