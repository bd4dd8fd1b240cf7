import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune } from "../../test/factories.ts";
import { auditActions, Browser, insertAdmin } from "../../test/factories-comptes.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { ajouterJours, estUnJourOuvre, type DatesCampagne } from "../campagnes/rules.ts";
import { aujourdhuiParis } from "../departements/rules.ts";

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

  describe("fixing the dates of a campaign", () => {
    const aujourdhui = aujourdhuiParis();
    /** The n-th weekday after today (n ≥ 1), or before it (n ≤ -1). */
    function jourOuvre(n: number): string {
      let jour = aujourdhui;
      let restant = Math.abs(n);
      while (restant > 0) {
        jour = ajouterJours(jour, Math.sign(n));
        if (estUnJourOuvre(jour)) restant -= 1;
      }
      return jour;
    }
    const futur = (debut: number) => ({
      date_lancement: jourOuvre(debut),
      date_relance1: jourOuvre(debut + 10),
      date_relance2: jourOuvre(debut + 20),
      date_relance3: jourOuvre(debut + 30),
      date_fin: jourOuvre(debut + 40),
    });

    async function inserer(departement: string, status: "draft" | "planned" | "ongoing" | "finished", dates: DatesCampagne) {
      return database.db
        .insertInto("campaigns")
        .values({ departement_code: departement, status, sender_name: "DRAC", signature: "Signé", nom_drac: "DRAC Bretagne", ...dates })
        .returning("id")
        .executeTakeFirstOrThrow();
    }
    const datesDe = (id: number) =>
      database.db
        .selectFrom("campaigns")
        .select([
          sql<string>`date_lancement::text`.as("date_lancement"),
          sql<string>`date_relance1::text`.as("date_relance1"),
          sql<string>`date_fin::text`.as("date_fin"),
        ])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();

    it("changes the dates of a planned campaign, audited, with a success notice", async () => {
      const { id } = await inserer("29", "planned", futur(5));
      const page = await browser.get(`/admin/campagnes/${id}`);
      expect(page.body).toContain("Corriger les dates");
      const nouvelles = futur(8);
      const response = await browser.post(`/admin/campagnes/${id}/dates`, nouvelles);
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe(`/admin/campagnes/${id}?fait=dates`);
      expect(await datesDe(id)).toEqual({
        date_lancement: nouvelles.date_lancement,
        date_relance1: nouvelles.date_relance1,
        date_fin: nouvelles.date_fin,
      });
      expect((await auditActions(database)).at(-1)).toBe("campagne.dates_modifiees");
      expect((await browser.follow(response)).body).toContain("Les dates de la campagne ont été modifiées.");
    });

    it("shows the errors in the form with the typed values kept, and changes nothing (weekend, order, overlap, empty POST)", async () => {
      const { id } = await inserer("35", "planned", futur(5));
      const avant = await datesDe(id);
      const modifications = async () => (await auditActions(database)).filter((a) => a === "campagne.dates_modifiees").length;
      const auditsAvant = await modifications();
      let samedi = jourOuvre(3);
      while (estUnJourOuvre(samedi)) samedi = ajouterJours(samedi, 1);
      const weekend = await browser.post(`/admin/campagnes/${id}/dates`, { ...futur(5), date_lancement: samedi });
      expect(weekend.statusCode).toBe(400);
      expect(weekend.body).toContain("ne peut pas être un samedi ou un dimanche");
      expect(weekend.body).toContain(`value="${samedi}"`);

      const desordre = await browser.post(`/admin/campagnes/${id}/dates`, { ...futur(5), date_relance1: jourOuvre(4) });
      expect(desordre.statusCode).toBe(400);
      expect(desordre.body).toContain("doit être postérieure");

      await inserer("35", "planned", futur(60));
      const chevauchement = await browser.post(`/admin/campagnes/${id}/dates`, { ...futur(50) });
      expect(chevauchement.statusCode).toBe(400);
      expect(chevauchement.body).toContain("les dates ne peuvent pas se chevaucher");

      const vide = await browser.post(`/admin/campagnes/${id}/dates`, {});
      expect(vide.statusCode).toBe(400);
      expect(vide.body).toContain("est obligatoire");
      expect(await datesDe(id)).toEqual(avant);
      expect(await modifications()).toBe(auditsAvant);
    });

    it("keeps the passed steps of an ongoing campaign and moves only the steps to come; a finished campaign is refused", async () => {
      const dates = {
        date_lancement: jourOuvre(-12),
        date_relance1: jourOuvre(-2),
        date_relance2: jourOuvre(8),
        date_relance3: jourOuvre(18),
        date_fin: jourOuvre(28),
      };
      const { id } = await inserer("22", "ongoing", dates);
      const page = await browser.get(`/admin/campagnes/${id}`);
      expect(page.body).toContain("Étape passée : ne peut plus changer");
      const passee = await browser.post(`/admin/campagnes/${id}/dates`, { ...dates, date_lancement: jourOuvre(-11) });
      expect(passee.statusCode).toBe(400);
      expect(passee.body).toContain("est passée");
      const dansLePasse = await browser.post(`/admin/campagnes/${id}/dates`, { ...dates, date_relance2: jourOuvre(-1) });
      expect(dansLePasse.statusCode).toBe(400);
      expect(dansLePasse.body).toContain("doit être dans le futur");
      expect((await datesDe(id)).date_lancement).toBe(dates.date_lancement);

      const ok = await browser.post(`/admin/campagnes/${id}/dates`, { ...dates, date_relance2: jourOuvre(9), date_fin: jourOuvre(30) });
      expect(ok.statusCode).toBe(303);
      expect((await datesDe(id)).date_fin).toBe(jourOuvre(30));

      const finie = await inserer("22", "finished", { ...futur(-60), date_fin: jourOuvre(-20) });
      expect((await browser.get(`/admin/campagnes/${finie.id}`)).body).not.toContain("Corriger les dates");
      expect((await browser.post(`/admin/campagnes/${finie.id}/dates`, futur(70))).statusCode).toBe(409);
    });
  });
});
