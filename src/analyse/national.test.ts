import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertDossier, insertObjet, insertRecensement } from "../../test/factories.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { anneeDeParis } from "./rules.ts";

/** The national analysis on /stats: 4 objets in the Ain and Corse-du-Sud, 3 of them seen in the last 5 years (a recensement saying an objet is missing is a visit too). */
describe("national analysis on /stats", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  const annee = anneeDeParis(new Date());

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    const ain = await insertCommune(database, { code_insee: "01001", nom: "Abergement" });
    const corse = await insertCommune(database, { code_insee: "2A004", nom: "Ajaccio" });
    const o1 = await insertObjet(database, { lieu_actuel_code_insee: "01001", palissy_cate: "peinture", palissy_scle: "17e siècle" });
    const o2 = await insertObjet(database, { lieu_actuel_code_insee: "01001", palissy_cate: "sculpture", palissy_scle: "14e siècle" });
    await insertObjet(database, { lieu_actuel_code_insee: "01001", palissy_denq: `${annee - 1}/02/01` });
    await insertObjet(database, { lieu_actuel_code_insee: "2A004", palissy_denq: "20022" });
    const dossier = await insertDossier(database, { commune_id: ain.id, status: "submitted" });
    await insertRecensement(database, { objet_id: o1.id, dossier_id: dossier.id, etat_sanitaire: "mauvais", securisation: "en_danger" });
    await insertRecensement(database, { objet_id: o2.id, dossier_id: dossier.id, localisation: "absent" });
    await insertDossier(database, { commune_id: corse.id });
    await database.db
      .insertInto("campaign_recipients")
      .values({
        campaign_id: (
          await database.db
            .insertInto("campaigns")
            .values({
              departement_code: "01",
              status: "ongoing",
              date_lancement: "2026-03-02",
              date_relance1: "2026-03-16",
              date_relance2: "2026-03-30",
              date_relance3: "2026-04-13",
              date_fin: "2026-04-27",
            })
            .returning("id")
            .executeTakeFirstOrThrow()
        ).id,
        commune_id: ain.id,
        unsubscribe_token: "jeton-national",
      })
      .execute();
  });

  afterAll(async () => {
    await app.close();
    await database.close();
  });

  it("shows the coverage, condition and progress of the whole country with their charts", async () => {
    const response = await app.inject("/stats");
    expect(response.statusCode).toBe(200);
    const html = response.body;
    expect(html).toContain("<strong>75\u00a0%</strong> des objets protégés vus depuis 5 ans");
    expect(html).toContain('<title id="graphique-couverture-titre">Objets vus depuis 5 ans</title>');
    expect(html).toContain("Mauvais état : 1, Disparu : 1");
    expect(html).toContain('href="/stats/couverture.csv"');
    expect(html).toContain('href="/stats/campagnes.csv"');
    expect(html).not.toMatch(/ style=/);
    // What /stats showed before stays.
    expect(html).toContain("<caption>Objets protégés, objets recensés et communes engagées par département</caption>");
  });

  it("downloads the national figures as CSV", async () => {
    const couverture = await app.inject("/stats/couverture.csv");
    expect(couverture.statusCode).toBe(200);
    expect(couverture.headers["content-disposition"]).toBe('attachment; filename="collectif-objets-couverture.csv"');
    expect(couverture.body).toContain(
      "\uFEFFDépartement;Objets protégés;Vus depuis 5 ans;Couverture (%);Recensés sur Collectif Objets;Récolés selon Palissy\r\n",
    );
    expect(couverture.body).toContain("01 – Ain;3;3;100;2;1\r\n");
    expect(couverture.body).toContain("2A – Corse-du-Sud;1;0;0;0;0\r\n");
    expect(couverture.body).toContain("France entière;4;3;75;2;1\r\n");
    const etats = await app.inject("/stats/etats.csv");
    expect(etats.body).toContain("Mauvais état;1;50\r\n");
    expect(etats.body).toContain("Disparu;1;50\r\n");
    const campagnes = await app.inject("/stats/campagnes.csv");
    expect(campagnes.body).toContain("01;Du 02/03/2026 au 27/04/2026;En cours;1;1;1;0;100\r\n");
    const siecles = await app.inject("/stats/siecles.csv");
    expect(
      siecles.body
        .split("\r\n")
        .slice(1, 3)
        .map((ligne) => ligne.split(";").slice(0, 2).join(";")),
    ).toEqual(["14e siècle;1", "17e siècle;1"]);
  });
});
