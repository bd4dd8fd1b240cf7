import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune } from "../../test/factories.ts";
import { Browser, insertAdmin } from "../../test/factories-comptes.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";

describe("admin campagnes", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let browser: Browser;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    const admin = await insertAdmin(database);
    browser = new Browser(app).withSession({ account: { type: "admin", id: admin.id } });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  async function campagne(departement: string, status: "draft" | "ongoing", lancement: string) {
    return database.db
      .insertInto("campaigns")
      .values({
        departement_code: departement,
        status,
        date_lancement: lancement,
        date_relance1: "2026-04-15",
        date_relance2: "2026-04-29",
        date_relance3: "2026-05-13",
        date_fin: "2026-05-27",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
  }

  it("lists the campaigns of every département with filters, and shows each recipient's mails with their delivery state", async () => {
    const lot = await campagne("46", "ongoing", "2026-04-01");
    await campagne("01", "draft", "2026-03-02");
    const figeac = await insertCommune(database, { code_insee: "46102", nom: "Figeac" });
    const gramat = await insertCommune(database, { code_insee: "46127", nom: "Gourdon" });
    const recipients = await database.db
      .insertInto("campaign_recipients")
      .values([
        { campaign_id: lot.id, commune_id: figeac.id, current_step: "lancement", unsubscribe_token: "t1" },
        { campaign_id: lot.id, commune_id: gramat.id, current_step: "lancement", unsubscribe_token: "t2" },
      ])
      .returning(["id", "commune_id"])
      .execute();
    const mail = (to: string, status: "sent" | "failed") => ({
      idempotency_key: `k-${to}`,
      to_address: to,
      from_address: "ne-pas-repondre@example.test",
      subject: "Lancement",
      html: "<p>x</p>",
      text: "x",
      headers: JSON.stringify({}),
      category: "campagne",
      status,
      sent_at: status === "sent" ? new Date("2026-04-01T07:00:00Z") : null,
      last_error: status === "failed" ? "550 boîte inexistante" : null,
    });
    const mails = await database.db
      .insertInto("outbox_mails")
      .values([mail("mairie@figeac.test", "sent"), mail("mairie@gourdon.test", "failed")])
      .returning("id")
      .execute();
    await database.db
      .insertInto("campaign_emails")
      .values([
        { campaign_recipient_id: recipients[0]!.id, step: "lancement", email_name: "lancement_email", outbox_mail_id: mails[0]!.id },
        { campaign_recipient_id: recipients[1]!.id, step: "lancement", email_name: "lancement_email", outbox_mail_id: mails[1]!.id },
      ])
      .execute();

    const liste = await browser.get("/admin/campagnes");
    expect(liste.statusCode).toBe(200);
    expect(liste.body).toContain(`href="/admin/campagnes/${lot.id}"`);
    const enCours = await browser.get("/admin/campagnes?statut=ongoing");
    expect(enCours.body).toContain("46 - ");
    expect(enCours.body).not.toContain("01 - ");
    expect((await browser.get("/admin/campagnes?departement=01")).body).not.toContain("46 - ");
    expect((await browser.get("/admin/campagnes?tri=pirate")).statusCode).toBe(400);
    expect((await browser.get("/admin/campagnes?departement=xyz")).statusCode).toBe(400);

    const page = await browser.get(`/admin/campagnes/${lot.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Figeac (46102)");
    expect(page.body).toContain("Lancement (lancement_email) : Envoyé à mairie@figeac.test");
    expect(page.body).toContain("Échec à mairie@gourdon.test");
    expect(page.body).toContain("550 boîte inexistante");
    expect((await browser.get("/admin/campagnes/999999")).statusCode).toBe(404);
  });
});
