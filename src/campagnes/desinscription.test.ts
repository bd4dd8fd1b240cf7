import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune } from "../../test/factories.ts";
import { Browser, insertCommuneUser } from "../../test/factories-comptes.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import type { CampaignStatus } from "../platform/db/schema.ts";

let tokens = 0;
function jeton(): string {
  tokens += 1;
  return `${"ab".repeat(28)}${String(tokens).padStart(4, "0")}`;
}

describe("campaign opt-out (RB §4.9, §4.10)", () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  async function campagne(status: CampaignStatus, departement = "56") {
    return database.db
      .insertInto("campaigns")
      .values({
        departement_code: departement,
        status,
        date_lancement: "2026-03-02",
        date_relance1: "2026-03-16",
        date_relance2: "2026-03-30",
        date_relance3: "2026-04-13",
        date_fin: "2026-04-27",
        sender_name: "Jeanne Martin",
        signature: "Jeanne Martin",
        nom_drac: "Bretagne",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
  }

  async function destinataire(campaignId: number, communeId: number, optOut = false) {
    const token = jeton();
    const row = await database.db
      .insertInto("campaign_recipients")
      .values({
        campaign_id: campaignId,
        commune_id: communeId,
        unsubscribe_token: token,
        opt_out: optOut,
        opt_out_reason: optOut ? "postponed" : null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { id: row.id, token };
  }

  async function etat(id: number) {
    return database.db
      .selectFrom("campaign_recipients")
      .select(["opt_out", "opt_out_reason"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
  }

  async function audits(action: string) {
    return database.db.selectFrom("audit_events").selectAll().where("action", "=", action).execute();
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it("refuses an unknown or malformed token, and a campaign that is not planned or ongoing", async () => {
    const commune = await insertCommune(database, { code_insee: "56010", nom: "Auray" });
    const finie = await destinataire((await campagne("finished")).id, commune.id);
    const brouillon = await destinataire((await campagne("draft")).id, commune.id);
    const b = new Browser(app);
    for (const url of [
      "/desinscription",
      "/desinscription?jeton=<script>",
      `/desinscription?jeton=${"f".repeat(60)}`,
      `/desinscription?jeton=${finie.token}`,
      `/desinscription?jeton=${brouillon.token}`,
    ]) {
      const page = await b.get(url);
      expect(page.statusCode, url).toBe(404);
      expect(page.body, url).toContain("Ce lien de désinscription n’est plus valide");
    }
    expect((await etat(finie.id)).opt_out).toBe(false);
  });

  it("unsubscribes with the chosen reason through the link, then says the commune is already unsubscribed", async () => {
    const commune = await insertCommune(database, { code_insee: "56020", nom: "Baud" });
    const d = await destinataire((await campagne("ongoing")).id, commune.id);
    const b = new Browser(app);
    const page = await b.get(`/desinscription?jeton=${d.token}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Baud ne recevra plus les mails de la campagne de recensement des objets protégés");
    expect(page.body).toContain("dans le Morbihan du lundi 2 mars 2026 au lundi 27 avril 2026");
    expect(page.body).toContain("Nous recenserons plus tard");
    expect(page.body).toContain("Autre raison");
    expect(page.body).toContain("Me désinscrire");
    expect(page.body).toContain('name="_csrf"');

    // Without the CSRF token, the form is refused and nothing changes.
    expect((await b.post("/desinscription", { jeton: d.token, raison: "postponed" }, { csrf: false })).statusCode).toBe(403);
    // A reason is required.
    expect((await b.post("/desinscription", { jeton: d.token, raison: "n-importe" })).statusCode).toBe(400);
    expect((await etat(d.id)).opt_out).toBe(false);

    const done = await b.post("/desinscription", { jeton: d.token, raison: "postponed" });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain("Baud ne recevra plus les mails de la campagne");
    expect(await etat(d.id)).toEqual({ opt_out: true, opt_out_reason: "postponed" });
    const [event] = await audits("campagne.desinscription");
    expect(event?.commune_id).toBe(commune.id);
    expect(event?.actor_type).toBe("anonymous");

    const again = await b.get(`/desinscription?jeton=${d.token}`);
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain("Baud est déjà désinscrite");
    expect(again.body).not.toContain("Me désinscrire");
  });

  it("opts out with a one-click POST sent without cookie or CSRF token (RFC 8058), and a wrong token changes nothing", async () => {
    const commune = await insertCommune(database, { code_insee: "56030", nom: "Belz" });
    const autre = await insertCommune(database, { code_insee: "56031", nom: "Bieuzy" });
    const c = await campagne("planned");
    const d = await destinataire(c.id, commune.id);
    const temoin = await destinataire(c.id, autre.id);
    const avant = (await audits("campagne.desinscription")).length;

    const faux = await app.inject({
      method: "POST",
      url: `/desinscription?jeton=${"0".repeat(60)}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "List-Unsubscribe=One-Click",
    });
    expect(faux.statusCode).toBe(200);
    expect((await etat(d.id)).opt_out).toBe(false);
    expect((await etat(temoin.id)).opt_out).toBe(false);
    expect(await audits("campagne.desinscription")).toHaveLength(avant);

    // The token alone, without the one-click body, is an ordinary form post: it needs the CSRF token.
    const sansCorps = await app.inject({
      method: "POST",
      url: `/desinscription?jeton=${d.token}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "raison=other",
    });
    expect(sansCorps.statusCode).toBe(403);
    expect((await etat(d.id)).opt_out).toBe(false);

    const unClic = await app.inject({
      method: "POST",
      url: `/desinscription?jeton=${d.token}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "List-Unsubscribe=One-Click",
    });
    expect(unClic.statusCode).toBe(200);
    expect(unClic.headers["content-type"]).toContain("text/plain");
    expect(await etat(d.id)).toEqual({ opt_out: true, opt_out_reason: "other" });
    expect((await etat(temoin.id)).opt_out).toBe(false);
    expect(await audits("campagne.desinscription")).toHaveLength(avant + 1);

    // Replayed: still 200, nothing more recorded.
    const rejoue = await app.inject({
      method: "POST",
      url: `/desinscription?jeton=${d.token}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "List-Unsubscribe=One-Click",
    });
    expect(rejoue.statusCode).toBe(200);
    expect(await audits("campagne.desinscription")).toHaveLength(avant + 1);
  });

  it("accepts the one-click POST as multipart/form-data", async () => {
    const commune = await insertCommune(database, { code_insee: "56040", nom: "Berné" });
    const d = await destinataire((await campagne("ongoing")).id, commune.id);
    const boundary = "----co";
    const payload = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`;
    const response = await app.inject({
      method: "POST",
      url: `/desinscription?jeton=${d.token}`,
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(response.statusCode).toBe(200);
    expect(await etat(d.id)).toEqual({ opt_out: true, opt_out_reason: "other" });
  });

  it("lets the commune stop the mails of its campaign from its preferences with a reason, and resume them", async () => {
    const commune = await insertCommune(database, { code_insee: "56050", nom: "Bignan" });
    const user = await insertCommuneUser(database, commune.id);
    const b = new Browser(app).withSession({ account: { type: "commune", id: user.id } });
    const url = "/communes/56050/preferences/campagne";

    const preferences = await b.get("/communes/56050/preferences");
    expect(preferences.body).toContain(`href="${url}"`);
    const rien = await b.get(url);
    expect(rien.statusCode).toBe(200);
    expect(rien.body).toContain("ne fait partie d’aucune campagne de recensement en cours ou à venir");

    await campagne("finished");
    const d = await destinataire((await campagne("ongoing")).id, commune.id);
    const page = await b.get(url);
    expect(page.body).toContain("Vous recevez les mails de la campagne de recensement des objets protégés");
    expect(page.body).toContain("du lundi 2 mars 2026 au lundi 27 avril 2026");

    // An empty form or a missing reason changes nothing.
    expect((await b.post(url, {})).statusCode).toBe(400);
    expect((await b.post(url, { action: "arreter" })).statusCode).toBe(400);
    expect((await etat(d.id)).opt_out).toBe(false);

    const arret = await b.follow(await b.post(url, { action: "arreter", raison: "postponed" }));
    expect(arret.body).toContain("Vous ne recevrez plus les mails de la campagne");
    expect(arret.body).toContain("raison : nous recenserons plus tard");
    expect(arret.body).toContain("Recevoir à nouveau les mails de la campagne");
    expect(await etat(d.id)).toEqual({ opt_out: true, opt_out_reason: "postponed" });

    const reprise = await b.follow(await b.post(url, { action: "reprendre" }));
    expect(reprise.body).toContain("Vous recevrez à nouveau les mails de la campagne");
    expect(await etat(d.id)).toEqual({ opt_out: false, opt_out_reason: null });
    const [event] = await audits("campagne.reinscription");
    expect(event?.actor_type).toBe("commune");
    expect(event?.commune_id).toBe(commune.id);
  });
});
