import zlib from "node:zlib";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertCommune, insertDossier, insertObjet, insertRecensement } from "../../test/factories.ts";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { homeCounters, nationalStats } from "./repository.ts";

describe("home, statistics and editorial pages", () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ ...process.env, NODE_ENV: "test", LOG_LEVEL: "silent" }), database });

    // Completed commune, submitted dossier: engaged; 2 objets, 1 recensed twice (old archived and current dossier).
    const a = await insertCommune(database, { code_insee: "01001", status: "completed" });
    const a1 = await insertObjet(database, { lieu_actuel_code_insee: "01001" });
    await insertObjet(database, { lieu_actuel_code_insee: "01001" });
    const archived = await insertDossier(database, { commune_id: a.id, status: "archived" });
    const current = await insertDossier(database, { commune_id: a.id, status: "submitted" });
    await insertRecensement(database, { objet_id: a1.id, dossier_id: archived.id, etat_sanitaire: "mauvais" });
    await insertRecensement(database, {
      objet_id: a1.id,
      dossier_id: current.id,
      etat_sanitaire: "moyen",
      analyse_etat_sanitaire: "peril",
    });

    // Inactive again after a new campaign, but its archived dossier was submitted: engaged.
    const b = await insertCommune(database, { code_insee: "2A004" });
    const b1 = await insertObjet(database, { lieu_actuel_code_insee: "2A004" });
    const bArchived = await insertDossier(database, { commune_id: b.id, status: "archived" });
    await insertRecensement(database, { objet_id: b1.id, dossier_id: bArchived.id });

    // Started, only a draft and an absent objet in construction: not engaged, nothing recensed... except the completed absent one.
    const c = await insertCommune(database, { code_insee: "97105", status: "started" });
    const c1 = await insertObjet(database, { lieu_actuel_code_insee: "97105" });
    const c2 = await insertObjet(database, { lieu_actuel_code_insee: "97105" });
    const cDossier = await insertDossier(database, { commune_id: c.id });
    await insertRecensement(database, { objet_id: c1.id, dossier_id: cDossier.id, status: "draft" });
    await insertRecensement(database, { objet_id: c2.id, dossier_id: cDossier.id, localisation: "absent" });

    // Accepted dossier: engaged.
    const d = await insertCommune(database, { code_insee: "01002" });
    await insertObjet(database, { lieu_actuel_code_insee: "01002" });
    await insertDossier(database, { commune_id: d.id, status: "accepted" });

    // No dossier at all.
    await insertCommune(database, { code_insee: "01003" });
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it("counts engaged communes, recensed objets and protected objets", async () => {
    expect(await homeCounters(database.db)).toEqual({ communesEngagees: 3, objetsRecenses: 3, objetsProteges: 6 });
  });

  it("renders the home page with its counters and calls to action", async () => {
    const response = await app.inject("/");
    expect(response.statusCode).toBe(200);
    const html = response.body;
    expect(html).toContain('<html lang="fr"');
    expect(html).toContain("<title>Collectif Objets</title>");
    expect(html).toContain("Pourquoi participer\u00a0?");
    expect(html).toContain("Recensez en 3 étapes");
    expect(html).toMatch(/<p class="co-counter[^"]*">3<\/p><p class="fr-text--lg fr-mb-0">communes engagées<\/p>/);
    expect(html).toMatch(/<p class="co-counter[^"]*">3<\/p><p class="fr-text--lg fr-mb-0">objets recensés<\/p>/);
    expect(html).toMatch(/<p class="co-counter[^"]*">6<\/p>/);
    expect(html).toContain('href="/communes/connexion"');
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
  });

  it("computes national and per-département statistics", async () => {
    const stats = await nationalStats(database.db);
    expect(stats.totals).toEqual({
      objets: 6,
      communes_avec_objets: 4,
      objets_recenses: 3,
      communes_engagees: 3,
      departements_avec_objets: 3,
    });
    expect(stats.departements).toHaveLength(101);
    expect(stats.departements.find((d) => d.code === "01")).toMatchObject({
      objets: 3,
      communes_avec_objets: 2,
      objets_recenses: 1,
      communes_engagees: 2,
    });
    expect(stats.departements.find((d) => d.code === "2A")).toMatchObject({ objets: 1, objets_recenses: 1, communes_engagees: 1 });
    expect(stats.departements.find((d) => d.code === "971")).toMatchObject({ objets: 2, objets_recenses: 1, communes_engagees: 0 });
    // Current dossiers only; the conservateur's assessment wins.
    expect(stats.etats).toEqual({ bon: 0, moyen: 0, mauvais: 0, peril: 1, non_recensable: 0, absent: 1 });
  });

  it("renders the statistics page with an accessible table", async () => {
    const response = await app.inject("/stats");
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("<title>Statistiques — Collectif Objets</title>");
    expect(response.body).toContain("<caption>Objets protégés, objets recensés et communes engagées par département</caption>");
    expect(response.body).toContain('<th scope="row">2A – Corse-du-Sud</th>');
    expect(response.body).toContain("France entière");
  });

  it.each([
    ["/comment-ca-marche", "Comment ça marche\u00a0?", "Questions fréquentes"],
    ["/plan", "Plan du site", "Espace conservateur"],
    ["/mentions-legales", "Mentions légales", "Directeur de la publication"],
    ["/confidentialite", "Données personnelles", "6 ans"],
    ["/declaration-accessibilite", "Déclaration d’accessibilité", "non conforme"],
  ])("renders %s", async (url, title, content) => {
    const response = await app.inject(url);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(`<title>${title} — Collectif Objets</title>`);
    expect(response.body).toContain(`<h1>${title}</h1>`);
    expect(response.body).toContain(content);
    expect(response.body).toContain('class="fr-breadcrumb"');
    expect(response.body).not.toMatch(/ style=/);
    expect(response.body.match(/<h1[ >]/g)).toHaveLength(1);
  });

  it("links every footer page to a page that exists", async () => {
    const home = await app.inject("/");
    const footer = home.body.slice(home.body.indexOf('id="pied-de-page"'));
    const links = [...footer.matchAll(/href="(\/[^"#]*)"/g)].map((match) => match[1] ?? "");
    expect(links.length).toBeGreaterThan(3);
    for (const link of links) expect((await app.inject(link)).statusCode, link).toBe(200);
  });

  it("links only existing pages from the site plan", async () => {
    const plan = await app.inject("/plan");
    const main = plan.body.slice(plan.body.indexOf("<main"), plan.body.indexOf("</main>"));
    for (const [, link] of main.matchAll(/href="(\/[^"#]*)"/g)) expect((await app.inject(link ?? "")).statusCode, link).toBe(200);
  });

  it("compresses large pages for browsers that accept it, and only for them", async () => {
    // A page of a few kilobytes costs more to compress than it saves: sent as it is.
    const petite = await app.inject({ method: "GET", url: "/plan", headers: { "accept-encoding": "br, gzip" } });
    expect(petite.statusCode).toBe(200);
    expect(petite.headers["content-encoding"]).toBeUndefined();
    const plain = await app.inject({ method: "GET", url: "/stats" });
    expect(plain.rawPayload.length).toBeGreaterThan(32 * 1024);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    for (const [accept, encoding, inflate] of [
      ["gzip, deflate, br, zstd", "br", zlib.brotliDecompressSync],
      ["gzip", "gzip", zlib.gunzipSync],
    ] as const) {
      const response = await app.inject({ method: "GET", url: "/stats", headers: { "accept-encoding": accept } });
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-encoding"]).toBe(encoding);
      expect(response.headers.vary).toMatch(/accept-encoding/i);
      expect(response.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
      // The same page once inflated; only the per-response CSP nonce differs.
      const sansNonce = (html: string) => html.replace(/nonce="[^"]+"/g, 'nonce=""');
      expect(sansNonce(inflate(response.rawPayload).toString("utf8"))).toBe(sansNonce(plain.body));
    }
  });
});
