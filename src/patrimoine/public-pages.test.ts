import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertCommune, insertEdifice, insertObjet } from "../../test/factories.ts";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";

describe("public commune and objet pages", () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ ...process.env, NODE_ENV: "test", LOG_LEVEL: "silent" }), database });

    await insertCommune(database, { code_insee: "52250", nom: "Joinville" });
    const eglise = await insertEdifice(database, { code_insee: "52250", nom: "église", merimee_ref: "PA00079999" });
    const chapelle = await insertEdifice(database, { code_insee: "52250", nom: "chapelle Sainte-Anne" });
    await insertObjet(database, {
      lieu_actuel_code_insee: "52250",
      edifice: eglise,
      palissy_ref: "PM52000001",
      palissy_tico: "autel (maître-autel) avec retable, trois tableaux et leurs cadres",
      palissy_empl: "choeur",
      palissy_deno: "autel;retable",
      palissy_cate: "menuiserie;sculpture",
      palissy_scle: "17e siècle;18e siècle",
      palissy_denq: "1989",
      palissy_prot: "inscrit au titre objet",
      palissy_dpro: "2002/12/19 : inscrit au titre objet",
      palissy_photos: [
        { url: "https://s3.eu-west-3.amazonaws.com/pop-phototeque/memoire/a.jpg", name: "Vue d’ensemble", credit: "© Inventaire général" },
        { url: "javascript:alert(1)", name: "piège", credit: null },
      ],
    });
    await insertObjet(database, { lieu_actuel_code_insee: "52250", edifice: eglise, palissy_ref: "PM52000002", palissy_tico: "calice" });
    await insertObjet(database, {
      lieu_actuel_code_insee: "52250",
      edifice: chapelle,
      palissy_ref: "PM52000003",
      palissy_tico: "<script>alert(1)</script>",
    });
    await insertObjet(database, {
      lieu_actuel_code_insee: "52250",
      palissy_ref: "PM52000004",
      palissy_tico: null,
      palissy_deno: "cloche",
      palissy_scle: "16e siècle",
      palissy_web: "52250",
      palissy_insee: "52100",
      palissy_com: "Vecqueville",
    });
    await insertCommune(database, { code_insee: "52300", nom: "Sans-Objets" });
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it("lists a commune's objets grouped by édifice", async () => {
    const response = await app.inject("/communes/52250");
    expect(response.statusCode).toBe(200);
    const html = response.body;
    expect(html).toContain("<title>Les 4 objets protégés de Joinville — Collectif Objets</title>");
    expect(html).toContain("<h1>Les 4 objets protégés de Joinville</h1>");
    expect(html).toContain("Une église de Joinville");
    expect(html).toContain("Chapelle Sainte-Anne");
    expect(html).toContain("Édifice non renseigné");
    expect(html).toContain('href="/objets/PM52000001"');
    expect(html).toContain("Autel (maître-autel) avec retable, trois…");
    expect(html).toContain("Cloche, 16e siècle");
    expect(html).toContain('src="https://s3.eu-west-3.amazonaws.com/pop-phototeque/memoire/a.jpg"');
    expect(html).toContain("Pas de photo");
    expect(html).toContain("Pourquoi cette liste ne contient-elle que 4 objets\u00a0?");
    expect(html).toContain('class="fr-breadcrumb"');
    // Three édifices: no index of anchors.
    expect(html).not.toContain('class="fr-summary');
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
  });

  it("escapes objet titles", async () => {
    const response = await app.inject("/communes/52250");
    expect(response.body).not.toContain("<script>alert(1)</script>");
    expect(response.body).toContain("&lt;script>alert(1)&lt;/script>");
    const objet = await app.inject("/objets/PM52000003");
    expect(objet.body).not.toContain("<script>alert(1)</script>");
  });

  it("shows an index of édifices only beyond three", async () => {
    await insertEdifice(database, { code_insee: "52250", nom: "mairie" }).then((mairie) =>
      insertObjet(database, { lieu_actuel_code_insee: "52250", edifice: mairie, palissy_ref: "PM52000005" }),
    );
    const response = await app.inject("/communes/52250");
    expect(response.body).toContain('class="fr-summary');
    expect(response.body).toContain('href="#edifice-1"');
  });

  it("shows a commune with no objet", async () => {
    const response = await app.inject("/communes/52300");
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("Aucun objet protégé à Sans-Objets");
  });

  it("answers 404 for unknown or malformed communes, never 500", async () => {
    for (const url of ["/communes/99999", "/communes/abc", "/communes/%00", "/communes/" + "9".repeat(150), "/communes/52250'--"]) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.body).toContain("Page non trouvée");
    }
  });

  it("redirects /objets?commune_code_insee= to the commune page", async () => {
    const response = await app.inject("/objets?commune_code_insee=52250");
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe("/communes/52250");
    expect((await app.inject("/objets?commune_code_insee=99999")).statusCode).toBe(404);
    expect((await app.inject("/objets")).statusCode).toBe(404);
    expect((await app.inject("/objets?commune_code_insee=<x>")).statusCode).toBe(400);
    expect((await app.inject("/objets?commune_code_insee=1&commune_code_insee=2")).statusCode).toBe(400);
  });

  it("shows an objet's attributes, photos and POP link", async () => {
    const response = await app.inject("/objets/PM52000001");
    expect(response.statusCode).toBe(200);
    const html = response.body;
    expect(html).toContain("<h1>Autel (maître-autel) avec retable, trois tableaux et leurs cadres</h1>");
    expect(html).toContain('<a href="/communes/52250">Joinville</a>');
    expect(html).toContain("Une église de Joinville");
    expect(html).toContain("Choeur");
    expect(html).toContain("<dt>Dénomination</dt><dd>Autel, retable</dd>");
    expect(html).toContain("<dt>Catégorie</dt><dd>Menuiserie, sculpture</dd>");
    expect(html).toContain("<dt>Époque</dt><dd>17e siècle, 18e siècle</dd>");
    expect(html).toContain("<dt>Protection</dt><dd>Inscrit au titre objet</dd>");
    expect(html).toContain("19 décembre 2002");
    expect(html).toContain("<dt>Dernier récolement</dt><dd>1989</dd>");
    expect(html).toContain('href="https://pop.culture.gouv.fr/notice/palissy/PM52000001"');
    expect(html).toContain("<figcaption");
    expect(html).toContain("Vue d’ensemble — © Inventaire général");
    expect(html).toContain('alt="Autel (maître-autel) avec retable, trois tableaux et leurs cadres : Vue d’ensemble"');
    expect(html).not.toContain("javascript:");
    expect(html).not.toContain("Déplacement");
    expect(html).toContain("Inscrit monument historique</p>");
  });

  it("explains a change of INSEE code", async () => {
    const response = await app.inject("/objets/PM52000004");
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("Changement de code INSEE");
    expect(response.body).toContain("52100 est devenu 52250");
  });

  it("answers 404 for unknown or malformed REFs", async () => {
    for (const url of ["/objets/PM99999999", "/objets/pm52000001", "/objets/PM52000001x", "/objets/%E2%82%AC", "/objets/PM5200000%27"]) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBe(404);
    }
  });
});
