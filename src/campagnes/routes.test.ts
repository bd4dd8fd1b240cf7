import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertConservateur, insertDossier, insertObjet, type CommuneRow } from "../../test/factories.ts";
import { Browser, auditActions, insertAdmin, insertCommuneUser } from "../../test/factories-comptes.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { aujourdhuiParis } from "../departements/rules.ts";
import { ETAPES, ajouterJours, datesParDefaut, type DatesCampagne } from "./rules.ts";
import { lancementParDefaut } from "./routes.tsx";

function decode(html: string): string {
  return html
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"');
}

/** Weekday dates far in the future, `semaines` weeks after the first Monday of 2099. */
function dates(semaines: number): DatesCampagne {
  return datesParDefaut(ajouterJours(lancementParDefaut("2098-12-25"), semaines * 7));
}

describe("conservateur's campaign pages", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let conservateur: Browser;
  let autre: Browser;
  let ip = 0;
  const communes: Record<string, CommuneRow> = {};

  function browser(): Browser {
    return new Browser(app, `198.51.100.${++ip}`);
  }

  async function campagne(
    values: Partial<DatesCampagne> & { status?: "draft" | "planned" | "ongoing" | "finished"; departement_code?: string } = {},
  ) {
    const row = await database.db
      .insertInto("campaigns")
      .values({
        departement_code: "01",
        sender_name: "Jeanne Conservatrice",
        nom_drac: "Auvergne-Rhône-Alpes",
        signature: "Jeanne\nDRAC",
        ...dates(0),
        ...values,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function destinataire(campaignId: number, communeId: number) {
    await database.db
      .insertInto("campaign_recipients")
      .values({ campaign_id: campaignId, commune_id: communeId, unsubscribe_token: `t-${campaignId}-${communeId}` })
      .execute();
  }

  async function recipients(campaignId: number) {
    return database.db
      .selectFrom("campaign_recipients as r")
      .innerJoin("communes as c", "c.id", "r.commune_id")
      .select(["c.code_insee", "r.unsubscribe_token"])
      .where("r.campaign_id", "=", campaignId)
      .orderBy("c.code_insee")
      .execute();
  }

  function postRaw(b: Browser, url: string, fields: [string, string][]): Promise<LightMyRequestResponse> {
    const payload = new URLSearchParams([["_csrf", b.csrf], ...fields]).toString();
    return app.inject({
      method: "POST",
      url,
      payload,
      remoteAddress: b.ip,
      headers: { cookie: b.cookieHeader(), "content-type": "application/x-www-form-urlencoded" },
    });
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: process.env.DEBUG_LOG ? "error" : "silent" }), database });
    const c = await insertConservateur(database, { departement_codes: ["01"], first_name: "Jeanne", last_name: "Martin" });
    const a = await insertConservateur(database, { departement_codes: ["75"] });
    conservateur = browser().withSession({ account: { type: "conservateur", id: c.id } });
    autre = browser().withSession({ account: { type: "conservateur", id: a.id } });
    // 01001 inactive with a user; 01002 without user; 01003 recensing; 01004 submitted dossier; 01005 without objets.
    communes.a = await insertCommune(database, { code_insee: "01001", nom: "Abergement", objets_count: 2 });
    communes.b = await insertCommune(database, { code_insee: "01002", nom: "Bâgé", objets_count: 1 });
    communes.c = await insertCommune(database, {
      code_insee: "01003",
      nom: "Ceyzériat",
      objets_count: 1,
      status: "started",
      statut_global: 1,
    });
    communes.d = await insertCommune(database, {
      code_insee: "01004",
      nom: "Dortan",
      objets_count: 1,
      status: "completed",
      statut_global: 3,
    });
    communes.e = await insertCommune(database, { code_insee: "01005", nom: "Échallon", objets_count: 0 });
    communes.p = await insertCommune(database, { code_insee: "75056", nom: "Paris", objets_count: 5 });
    for (const key of ["a", "c", "d", "e", "p"])
      await insertCommuneUser(database, communes[key]!.id, { email: `mairie-${key}@example.test` });
    await insertDossier(database, { commune_id: communes.c.id, status: "construction" });
    await insertDossier(database, { commune_id: communes.d.id, status: "submitted" });
    await insertObjet(database, {
      lieu_actuel_code_insee: "01001",
      palissy_tico: "Retable du maître-autel",
      palissy_photos: [{ url: "https://example.test/retable.jpg", name: null, credit: "© Région" }],
    });
    await conservateur.get("/conservateurs/departements/01/campagnes/nouvelle");
    await autre.get("/conservateurs/departements");
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it("pre-fills a first campaign with the conservateur's name, the région and a launch on a Monday at least a week ahead", async () => {
    const response = await conservateur.get("/conservateurs/departements/01/campagnes/nouvelle");
    expect(response.statusCode).toBe(200);
    const html = decode(response.body);
    expect(html).toContain("Nouvelle campagne 01 - Ain");
    expect(html).toMatch(/name="sender_name"[^>]*value="Jeanne Martin"/);
    expect(html).toMatch(/name="nom_drac"[^>]*value="Auvergne-Rhône-Alpes"/);
    expect(html).toContain("conservateur en charge des monuments historiques\nDRAC Auvergne-Rhône-Alpes");
    const lancement = /name="date_lancement"[^>]*value="(\d{4}-\d{2}-\d{2})"/.exec(html)?.[1] ?? "";
    expect(new Date(`${lancement}T12:00:00Z`).getUTCDay()).toBe(1);
    expect(lancement >= ajouterJours(aujourdhuiParis(), 7)).toBe(true);
    expect(html).toMatch(new RegExp(`name="date_fin"[^>]*value="${ajouterJours(lancement, 56)}"`));
  });

  it("shows the errors of a wrong form without writing anything, then creates the campaign", async () => {
    const before = await database.db.selectFrom("campaigns").select("id").execute();
    const saturday = ajouterJours(lancementParDefaut("2098-12-25"), 5);
    const refused = await conservateur.post("/conservateurs/departements/01/campagnes/nouvelle", {
      sender_name: "Marie Curie",
      nom_drac: "Auvergne-Rhône-Alpes",
      signature: "1\n2\n3\n4\n5\n6\n7\n8\n9",
      custom_message: "x".repeat(2001),
      ...dates(0),
      date_lancement: saturday,
      date_relance1: "",
    });
    expect(refused.statusCode).toBe(400);
    const html = decode(refused.body);
    expect(html).toContain("Le formulaire contient 4 erreurs");
    expect(html).toContain("ne peut pas être un samedi ou un dimanche");
    expect(html).toContain("La date de la première relance est obligatoire.");
    expect(html).toContain("La signature ne doit pas dépasser 8 lignes.");
    expect(html).toContain("Le message ne doit pas dépasser 2");
    expect(await database.db.selectFrom("campaigns").select("id").execute()).toHaveLength(before.length);

    const created = await conservateur.post("/conservateurs/departements/01/campagnes/nouvelle", {
      sender_name: "Marie Curie",
      nom_drac: "Auvergne-Rhône-Alpes",
      signature: "Marie Curie\nConservatrice",
      custom_message: "À bientôt",
      ...dates(40),
    });
    expect(created.statusCode).toBe(303);
    const row = await database.db.selectFrom("campaigns").selectAll().orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(created.headers.location).toBe(`/conservateurs/campagnes/${row.id}/destinataires`);
    expect(row).toMatchObject({
      departement_code: "01",
      status: "draft",
      sender_name: "Marie Curie",
      custom_message: "À bientôt",
      ...dates(40),
    });
    expect(await auditActions(database)).toContain("campagne.create");

    const next = decode((await conservateur.get("/conservateurs/departements/01/campagnes/nouvelle")).body);
    expect(next).toMatch(/name="sender_name"[^>]*value="Marie Curie"/);
    expect(next).toContain("Marie Curie\nConservatrice");
    await database.db.deleteFrom("campaigns").where("id", "=", row.id).execute();
  });

  it("lists the communes with objets, disables those that cannot be mailed and pre-ticks by the rules", async () => {
    const id = await campagne(dates(2));
    const response = await conservateur.get(`/conservateurs/campagnes/${id}/destinataires`);
    expect(response.statusCode).toBe(200);
    const html = decode(response.body);
    const box = (c: CommuneRow) => new RegExp(`<input[^>]*id="destinataire-${c.id}"[^>]*>`).exec(html)?.[0] ?? "";
    expect(box(communes.a!)).toContain("checked");
    expect(box(communes.b!)).toContain("disabled");
    expect(box(communes.c!)).toContain("disabled");
    expect(box(communes.d!)).not.toContain("checked");
    expect(box(communes.d!)).not.toContain("disabled");
    expect(box(communes.e!)).toBe("");
    expect(box(communes.p!)).toBe("");
    expect(html).toContain("Pas d’email");
    expect(html).toContain("Recensement en cours");
    expect(html).toContain("Liste des 4 communes");

    const none = decode((await conservateur.get(`/conservateurs/campagnes/${id}/destinataires?tout=non`)).body);
    expect(none).not.toMatch(/id="destinataire-\d+"[^>]*checked/);
    const all = decode((await conservateur.get(`/conservateurs/campagnes/${id}/destinataires?tout=oui`)).body);
    expect(new RegExp(`id="destinataire-${communes.d!.id}"[^>]*checked`).test(all)).toBe(true);

    const ids = [communes.a!, communes.b!, communes.c!, communes.d!].map((c) => String(c.id)).join(",");
    const saved = await postRaw(conservateur, `/conservateurs/campagnes/${id}/destinataires`, [
      ["affichees", ids],
      ...[communes.a!, communes.b!, communes.c!, communes.d!, communes.p!].map((c): [string, string] => ["destinataires", String(c.id)]),
    ]);
    expect(saved.statusCode).toBe(303);
    const rows = await recipients(id);
    expect(rows.map((r) => r.code_insee)).toEqual(["01001", "01004"]);
    expect(rows[0]!.unsubscribe_token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(rows[0]!.unsubscribe_token).not.toBe(rows[1]!.unsubscribe_token);

    // Filtered on "À examiner en priorité": only Dortan is shown; unticking it keeps Abergement.
    const filtered = decode((await conservateur.get(`/conservateurs/campagnes/${id}/destinataires?statut=3`)).body);
    expect(filtered).toContain("Dortan");
    expect(filtered).not.toContain("Abergement");
    await postRaw(conservateur, `/conservateurs/campagnes/${id}/destinataires`, [["affichees", String(communes.d!.id)]]);
    expect((await recipients(id)).map((r) => r.code_insee)).toEqual(["01001"]);

    // An empty POST changes nothing.
    expect((await conservateur.post(`/conservateurs/campagnes/${id}/destinataires`, {})).statusCode).toBe(400);
    expect(await recipients(id)).toHaveLength(1);

    const page = decode((await conservateur.get(`/conservateurs/campagnes/${id}`)).body);
    expect(page).toContain("La campagne concerne 1 commune parmi les 4 du département");
  });

  it("filters the communes never contacted and those of the last campaign", async () => {
    const ancienne = await campagne({ ...dates(-100), status: "finished" });
    await destinataire(ancienne, communes.d!.id);
    const id = await campagne(dates(3));
    const jamais = decode((await conservateur.get(`/conservateurs/campagnes/${id}/destinataires?jamais=1`)).body);
    expect(jamais).toContain("Abergement");
    expect(jamais).not.toContain("Dortan (01004)");
    const derniere = decode((await conservateur.get(`/conservateurs/campagnes/${id}/destinataires?derniere=1`)).body);
    expect(derniere).toContain("Dortan (01004)");
    expect(derniere).not.toContain("Abergement (01001)");
    await database.db.deleteFrom("campaigns").where("id", "in", [ancienne, id]).execute();
  });

  it("shows the campaign page with its dates, counts and the warning about dossiers waiting for their examen", async () => {
    const id = await campagne(dates(4));
    await destinataire(id, communes.a!.id);
    await destinataire(id, communes.d!.id);
    const response = await conservateur.get(`/conservateurs/campagnes/${id}`);
    expect(response.statusCode).toBe(200);
    const html = decode(response.body);
    const [annee, mois] = dates(4).date_lancement.split("-");
    expect(html).toContain(`Campagne 01 - Ain ${mois}/${annee}`);
    expect(html).toContain("Brouillon");
    expect(html).toContain("Planifier la campagne");
    expect(html).toContain("Communes en cours d’examen");
    expect(html).toContain("La campagne concerne 2 communes parmi les 4");
    expect(html).toContain("L’ouverture des mails n’est pas mesurée");
    expect(html).toContain("Première relance");
  });

  it("counts the mails of each step by delivery status and the communes that started or completed", async () => {
    const id = await campagne({ ...dates(-20), status: "ongoing" });
    await destinataire(id, communes.a!.id);
    await destinataire(id, communes.d!.id);
    const rows = await database.db.selectFrom("campaign_recipients").select(["id", "commune_id"]).where("campaign_id", "=", id).execute();
    const statuses = ["sent", "failed"] as const;
    for (const [i, row] of rows.entries()) {
      const mail = await database.db
        .insertInto("outbox_mails")
        .values({
          idempotency_key: `campagne:${row.id}:lancement`,
          to_address: "m@example.test",
          from_address: "co@example.test",
          subject: "s",
          html: "<p>h</p>",
          text: "t",
          headers: {},
          category: "campagne_lancement_inactive",
          status: statuses[i]!,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await database.db
        .insertInto("campaign_emails")
        .values({ campaign_recipient_id: row.id, step: "lancement", email_name: "lancement_inactive", outbox_mail_id: mail.id })
        .execute();
    }
    const html = decode((await conservateur.get(`/conservateurs/campagnes/${id}`)).body);
    expect(html).toContain("En cours");
    expect(html).toMatch(/<th scope="row">Lancement<\/th><td>[^<]+<\/td><td>1<\/td><td>1<\/td><td>0<\/td>/);
    expect(html).toContain("Parmi elles, 0 a commencé le recensement et 1 l’a terminé.");
    expect(html).not.toContain("Planifier la campagne");
    await database.db.deleteFrom("campaigns").where("id", "=", id).execute();
  });

  it("previews every step and variant of a recipient's mail in a sandboxed frame", async () => {
    const id = await campagne(dates(5));
    await destinataire(id, communes.a!.id);
    for (const etape of ETAPES) {
      for (const variante of ["inactive", "started", "to_complete"]) {
        const response = await conservateur.get(`/conservateurs/campagnes/${id}/apercu?commune=01001&etape=${etape}&variante=${variante}`);
        expect(response.statusCode, `${etape} ${variante}`).toBe(200);
        const src = /<iframe[^>]*sandbox[^>]*src="([^"]+)"/.exec(response.body)?.[1] ?? "";
        expect(src).toContain(`etape=${etape}`);
        const html = await conservateur.get(decode(src));
        expect(html.statusCode).toBe(200);
        expect(html.headers["content-type"]).toBe("text/html; charset=utf-8");
        expect(html.headers["content-security-policy"]).toContain("sandbox");
        expect(html.headers["content-security-policy"]).not.toContain("script");
        expect(response.body).toContain("mairie-a@example.test");
        expect(response.body).toContain("<pre");
        expect(response.body).toContain(`value="${etape}" selected`);
      }
    }
    const empty = await conservateur.get(`/conservateurs/campagnes/${await campagne(dates(6))}/apercu`);
    expect(decode(empty.body)).toContain("n’a pas encore de commune destinataire");
  });

  it("plans a campaign only with recipients, the configuration, and dates that do not overlap another planned one", async () => {
    const sansDestinataire = await campagne(dates(10));
    await conservateur.get(`/conservateurs/campagnes/${sansDestinataire}`);
    const refused = await conservateur.post(`/conservateurs/campagnes/${sansDestinataire}/planifier`, { confirmer: "oui" });
    expect(refused.statusCode).toBe(400);
    expect(decode(refused.body)).toContain("Choisissez au moins une commune destinataire");

    expect((await conservateur.post(`/conservateurs/campagnes/${sansDestinataire}/planifier`, {})).statusCode).toBe(400);

    const weekend = await campagne({ ...dates(12), date_relance2: ajouterJours(dates(12).date_relance2, -1) });
    await destinataire(weekend, communes.a!.id);
    const weekendRefused = await conservateur.post(`/conservateurs/campagnes/${weekend}/planifier`, { confirmer: "oui" });
    expect(weekendRefused.statusCode).toBe(400);
    expect(decode(weekendRefused.body)).toContain("ne peut pas être un samedi ou un dimanche");

    const sansSignature = await campagne(dates(14));
    await database.db.updateTable("campaigns").set({ signature: null }).where("id", "=", sansSignature).execute();
    await destinataire(sansSignature, communes.a!.id);
    const signatureRefused = await conservateur.post(`/conservateurs/campagnes/${sansSignature}/planifier`, { confirmer: "oui" });
    expect(decode(signatureRefused.body)).toContain("Indiquez la signature des mails.");

    const planifiee = await campagne({ ...dates(20), status: "planned" });
    const chevauche = await campagne(dates(22));
    await destinataire(chevauche, communes.a!.id);
    const overlapRefused = await conservateur.post(`/conservateurs/campagnes/${chevauche}/planifier`, { confirmer: "oui" });
    expect(overlapRefused.statusCode).toBe(400);
    expect(decode(overlapRefused.body)).toContain("les dates ne peuvent pas se chevaucher");

    const apres = await campagne(dates(30));
    await destinataire(apres, communes.a!.id);
    const planned = await conservateur.post(`/conservateurs/campagnes/${apres}/planifier`, { confirmer: "oui" });
    expect(planned.statusCode).toBe(303);
    const statuses = await database.db
      .selectFrom("campaigns")
      .select(["id", "status"])
      .where("id", "in", [chevauche, apres, planifiee])
      .execute();
    expect(Object.fromEntries(statuses.map((s) => [s.id, s.status]))).toEqual({
      [chevauche]: "draft",
      [apres]: "planned",
      [planifiee]: "planned",
    });
    expect(await auditActions(database)).toContain("campagne.plan");

    const page = decode((await conservateur.get(`/conservateurs/campagnes/${apres}`)).body);
    expect(page).toContain("Repasser en brouillon");
    expect(page).not.toContain("Planifier la campagne");

    // Planned: no edition, no recipients change, no deletion.
    expect((await conservateur.get(`/conservateurs/campagnes/${apres}/modifier`)).statusCode).toBe(409);
    expect((await conservateur.post(`/conservateurs/campagnes/${apres}/modifier`, { ...dates(30), sender_name: "X" })).statusCode).toBe(
      409,
    );
    expect((await conservateur.get(`/conservateurs/campagnes/${apres}/destinataires`)).statusCode).toBe(409);
    expect((await conservateur.post(`/conservateurs/campagnes/${apres}/supprimer`, { confirmer: "oui" })).statusCode).toBe(409);

    const back = await conservateur.post(`/conservateurs/campagnes/${apres}/brouillon`, { confirmer: "oui" });
    expect(back.statusCode).toBe(303);
    expect((await database.db.selectFrom("campaigns").select("status").where("id", "=", apres).executeTakeFirstOrThrow()).status).toBe(
      "draft",
    );
    await database.db
      .deleteFrom("campaigns")
      .where("id", "in", [sansDestinataire, weekend, sansSignature, planifiee, chevauche, apres])
      .execute();
  });

  it("refuses back to draft once the launch day has come", async () => {
    const today = aujourdhuiParis();
    const id = await campagne({ ...datesParDefaut(today), status: "planned" });
    expect((await conservateur.post(`/conservateurs/campagnes/${id}/brouillon`, { confirmer: "oui" })).statusCode).toBe(409);
    await database.db.deleteFrom("campaigns").where("id", "=", id).execute();
  });

  it("edits and deletes a draft", async () => {
    const id = await campagne(dates(50));
    const form = decode((await conservateur.get(`/conservateurs/campagnes/${id}/modifier`)).body);
    expect(form).toMatch(/name="sender_name"[^>]*value="Jeanne Conservatrice"/);
    const bad = await conservateur.post(`/conservateurs/campagnes/${id}/modifier`, { ...dates(50), date_fin: dates(50).date_lancement });
    expect(bad.statusCode).toBe(400);
    const ok = await conservateur.post(`/conservateurs/campagnes/${id}/modifier`, { ...dates(52), sender_name: "Paul", signature: "Paul" });
    expect(ok.statusCode).toBe(303);
    const row = await database.db.selectFrom("campaigns").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ sender_name: "Paul", nom_drac: null, ...dates(52) });

    expect((await conservateur.post(`/conservateurs/campagnes/${id}/supprimer`, {})).statusCode).toBe(400);
    const deleted = await conservateur.post(`/conservateurs/campagnes/${id}/supprimer`, { confirmer: "oui" });
    expect(deleted.statusCode).toBe(303);
    expect(deleted.headers.location).toBe("/conservateurs/departements/01");
    expect(decode((await conservateur.follow(deleted)).body)).toContain("Le brouillon de campagne a été supprimé");
    expect(await database.db.selectFrom("campaigns").select("id").where("id", "=", id).execute()).toHaveLength(0);
  });

  it("refuses another département's conservateur", async () => {
    const id = await campagne(dates(60));
    expect((await autre.get(`/conservateurs/campagnes/${id}`)).statusCode).toBe(403);
    expect((await autre.post(`/conservateurs/campagnes/${id}/supprimer`, { confirmer: "oui" })).statusCode).toBe(403);
    expect((await autre.get("/conservateurs/departements/01/campagnes/nouvelle")).statusCode).toBe(403);
    expect((await conservateur.get("/conservateurs/campagnes/999999")).statusCode).toBe(404);
    await database.db.deleteFrom("campaigns").where("id", "=", id).execute();
  });

  it("serves the calendar of one's own départements to conservateurs, of all to admins, to nobody else", async () => {
    const ain = await campagne({ ...dates(70), status: "planned" });
    const brouillon = await campagne(dates(80));
    const paris = await campagne({ ...dates(70), status: "ongoing", departement_code: "75" });
    const response = await conservateur.get("/campaigns.ics");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/calendar; charset=utf-8");
    expect(response.body).toContain(`UID:campagne-${ain}-lancement@`);
    expect(response.body).toContain(`DTSTART;VALUE=DATE:${dates(70).date_lancement.replace(/-/g, "")}`);
    expect(response.body).not.toContain(`campagne-${brouillon}-`);
    expect(response.body).not.toContain(`campagne-${paris}-`);
    expect(response.body).toContain("\r\n");

    const admin = await insertAdmin(database);
    const adminBrowser = browser().withSession({ account: { type: "admin", id: admin.id } });
    const all = await adminBrowser.get("/campaigns.ics");
    expect(all.body).toContain(`campagne-${paris}-fin@`);
    expect(all.body).toContain(`campagne-${ain}-fin@`);

    const user = await database.db
      .selectFrom("commune_users")
      .select("id")
      .where("email", "=", "mairie-a@example.test")
      .executeTakeFirstOrThrow();
    const commune = browser().withSession({ account: { type: "commune", id: user.id } });
    expect((await commune.get("/campaigns.ics")).statusCode).toBe(403);
    const anonymous = await browser().get("/campaigns.ics");
    expect(anonymous.statusCode).toBe(303);
    await database.db.deleteFrom("campaigns").where("id", "in", [ain, brouillon, paris]).execute();
  });

  it("links the département header to the current campaign or to the creation form", async () => {
    await database.db.deleteFrom("campaigns").where("departement_code", "=", "01").execute();
    const sans = await conservateur.get("/conservateurs/departements/01/campagnes/courante");
    expect(sans.headers.location).toBe("/conservateurs/departements/01/campagnes/nouvelle");
    const id = await campagne({ ...dates(90), status: "planned" });
    const avec = await conservateur.get("/conservateurs/departements/01/campagnes/courante");
    expect(avec.headers.location).toBe(`/conservateurs/campagnes/${id}`);
    await database.db.deleteFrom("campaigns").where("id", "=", id).execute();
  });
});
