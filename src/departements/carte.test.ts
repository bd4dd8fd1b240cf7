import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertConservateur } from "../../test/factories.ts";
import { Browser } from "../../test/factories-comptes.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { COULEURS_CARTE, type GeojsonCarte, type PointCommune, type PolygoneContour } from "./carte-rules.ts";

const PAGE = "/conservateurs/departements/01/carte";
const GEOJSON = "/conservateurs/departements/01/carte.geojson";
/** Text or attribute value as the browser reads it. */
function decode(html = ""): string {
  return html
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

const NOM_PIEGE = `Saint-<script>alert("x")</script> & Cie`;

describe("département map (carte tab)", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let conservateurId: number;
  let autreConservateurId: number;
  let ip = 0;
  const browser = () => new Browser(app, `198.51.100.${++ip}`);
  const conservateur = () => browser().withSession({ account: { type: "conservateur", id: conservateurId } });

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    conservateurId = (await insertConservateur(database, { departement_codes: ["01"] })).id;
    autreConservateurId = (await insertConservateur(database, { departement_codes: ["02"] })).id;
    // Ain: one commune per colour, one without coordinates, one without objets (outline only), one from elsewhere.
    await insertCommune(database, { code_insee: "01001", nom: "Inactive", latitude: 46.2, longitude: 5.2, objets_count: 3 });
    await insertCommune(database, {
      code_insee: "01002",
      nom: "Commencée",
      latitude: 46.0,
      longitude: 5.5,
      objets_count: 2,
      status: "started",
      statut_global: 1,
    });
    await insertCommune(database, {
      code_insee: "01003",
      nom: "Péril",
      latitude: 45.9,
      longitude: 5.0,
      objets_count: 5,
      status: "completed",
      statut_global: 3,
      en_peril_count: 2,
      disparus_count: 1,
    });
    await insertCommune(database, {
      code_insee: "01004",
      nom: NOM_PIEGE,
      latitude: 46.3,
      longitude: 5.9,
      objets_count: 1,
      status: "completed",
      statut_global: 5,
    });
    await insertCommune(database, { code_insee: "01005", nom: "Égarée", objets_count: 4, status: "completed", statut_global: 2 });
    await insertCommune(database, { code_insee: "01006", nom: "Sans objet", latitude: 45.6, longitude: 5.4, objets_count: 0 });
    await insertCommune(database, { code_insee: "02001", nom: "Voisine", latitude: 49.5, longitude: 3.5, objets_count: 9 });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  async function geojson(): Promise<GeojsonCarte> {
    const response = await conservateur().get(GEOJSON);
    expect(response.statusCode).toBe(200);
    return response.json();
  }

  it("serves the communes with objets as coloured points, and the approximate outline", async () => {
    const response = await conservateur().get(GEOJSON);
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/geo\+json/);
    expect(String(response.headers["cache-control"])).toMatch(/\bprivate\b/);
    const data = response.json<GeojsonCarte>();
    expect(data.type).toBe("FeatureCollection");

    const points = data.features.filter((f): f is PointCommune => f.properties.type === "commune");
    const parCode = Object.fromEntries(points.map((p) => [p.properties.code_insee, p]));
    expect(Object.keys(parCode).sort()).toEqual(["01001", "01002", "01003", "01004"]);
    expect(parCode["01001"]?.properties).toMatchObject({
      nom: "Inactive",
      statut: 0,
      statut_label: "Non recensé",
      categorie: "inactif",
      couleur: COULEURS_CARTE.inactif,
      objets: 3,
      en_peril: 0,
    });
    expect(parCode["01002"]?.properties).toMatchObject({ statut_label: "En cours de recensement", couleur: COULEURS_CARTE.commence });
    expect(parCode["01003"]?.properties).toMatchObject({
      statut: 3,
      statut_label: "À examiner en priorité",
      couleur: COULEURS_CARTE.peril,
      en_peril: 2,
      disparus: 1,
      objets: 5,
    });
    expect(parCode["01004"]?.properties).toMatchObject({ nom: NOM_PIEGE, statut_label: "Examiné", couleur: COULEURS_CARTE.transmis });
    expect(parCode["01003"]?.geometry.coordinates).toEqual([5.0, 45.9]);

    expect(data.communes_sans_coordonnees).toEqual([
      expect.objectContaining({ code_insee: "01005", nom: "Égarée", statut_label: "À examiner" }),
    ]);

    // The outline goes round every mairie, the commune without objets included.
    const contour = data.features.find((f): f is PolygoneContour => f.properties.type === "contour");
    expect(contour?.properties).toMatchObject({ approximatif: true, methode: "enveloppe_convexe" });
    const anneau = contour!.geometry.coordinates[0]!;
    expect(anneau[0]).toEqual(anneau[anneau.length - 1]);
    expect(anneau.map((p) => p.join(","))).toContain("5.4,45.6");
    expect(anneau.map((p) => p.join(","))).not.toContain("5.5,46"); // inside the hull
    expect(data.bbox).toEqual([5.0, 45.6, 5.9, 46.3]);
  });

  it("draws the plan without JavaScript: points inside the viewBox, links to the communes, names escaped", async () => {
    const response = await conservateur().get(PAGE);
    expect(response.statusCode).toBe(200);
    const html = response.body;
    expect(html).toMatch(/<a class="onglets__lien" href="\/conservateurs\/departements\/01\/carte" aria-current="page">Carte<\/a>/);

    const svg = /<svg class="carte-plan" viewBox="0 0 (\d+) (\d+)"[\s\S]*?<\/svg>/.exec(html);
    expect(svg).not.toBeNull();
    const [largeur, hauteur] = [Number(svg![1]), Number(svg![2])];
    const liens = [...svg![0].matchAll(/<a\b([\s\S]*?)<\/a>/g)].map(([, contenu = ""]) => ({
      href: /href="([^"]+)"/.exec(contenu)?.[1],
      titre: /<title>([\s\S]*?)<\/title>/.exec(contenu)?.[1],
      label: /aria-label="([^"]*)"/.exec(contenu)?.[1],
      x: Number(/cx="([\d.]+)"/.exec(contenu)?.[1]),
      y: Number(/cy="([\d.]+)"/.exec(contenu)?.[1]),
      couleur: /fill="([^"]+)"/.exec(contenu)?.[1],
    }));
    expect(liens.map((l) => l.href).sort()).toEqual(["01001", "01002", "01003", "01004"].map((c) => `/conservateurs/communes/${c}`));
    for (const { x, y } of liens) {
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(largeur);
      expect(y).toBeGreaterThan(0);
      expect(y).toBeLessThan(hauteur);
    }
    const lien = (code: string) => liens.find((l) => l.href === `/conservateurs/communes/${code}`)!;
    expect(lien("01003").titre).toBe("Péril : À examiner en priorité, 2 objets en péril sur 5 objets");
    expect(lien("01003").label).toBe(lien("01003").titre);
    expect(lien("01003").couleur).toBe(COULEURS_CARTE.peril);
    expect(decode(lien("01004").titre)).toBe(`${NOM_PIEGE} : Examiné, 0 objets en péril sur 1 objet`);
    expect(decode(lien("01004").label)).toBe(`${NOM_PIEGE} : Examiné, 0 objets en péril sur 1 objet`);
    // North is up, east is right.
    expect(lien("01004").x).toBeGreaterThan(lien("01003").x);
    expect(lien("01004").y).toBeLessThan(lien("01003").y);
    // The most urgent communes are drawn last, on top.
    expect(liens[liens.length - 1]!.href).toBe("/conservateurs/communes/01003");
    expect(svg![0]).toContain('class="carte-plan__contour"');

    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("</script> & Cie");

    // Legend, communes without coordinates, and the table of communes.
    expect(html).toContain("Dossier transmis avec au moins un objet en péril (1)");
    expect(html).toContain("Recensement pas commencé (1)");
    expect(html).toContain("Contour approximatif du département");
    expect(html).toMatch(/1 commune sans coordonnées ne figure pas sur la carte : <a href="\/conservateurs\/communes\/01005">Égarée<\/a>/);
    const tableau = /<details class="carte-liste">[\s\S]*?<\/details>/.exec(html)?.[0] ?? "";
    expect(tableau).toContain("Liste des communes de la carte (5)");
    const lignes = [...tableau.matchAll(/<tr>\s*<th scope="row"><a href="\/conservateurs\/communes\/(\d+)">/g)].map((m) => m[1]);
    expect(lignes).toEqual(["01002", "01005", "01001", "01003", "01004"]);
    expect(tableau).toMatch(/01005">Égarée<\/a><\/th>[\s\S]*?sans coordonnées/);
    expect(tableau).not.toContain("Sans objet");
    expect(tableau).not.toContain("Voisine");

    // What the map script needs, all from our origin.
    const section = /<section class="carte"[^>]*>/.exec(html)?.[0] ?? "";
    expect(section).toContain('data-etat="statique"');
    expect(section).toContain(`data-geojson-url="${GEOJSON}"`);
    expect(section).not.toContain("data-style-url");
    expect(html).toMatch(/<script type="module" src="\/assets\/js\/carte\.[^"]+\.js"/);
  });

  it("serves MapLibre, its worker and its stylesheet from our origin, cached for good", async () => {
    const html = (await conservateur().get(PAGE)).body;
    for (const [attribut, type] of [
      ["data-maplibre-url", "text/javascript"],
      ["data-worker-url", "text/javascript"],
      ["data-css-url", "text/css"],
    ] as const) {
      const url = new RegExp(`${attribut}="([^"]+)"`).exec(html)?.[1];
      expect(url).toMatch(/^\/assets\/carte\/maplibre-gl[\w-]*\.[0-9a-f]{12}\.(js|css)$/);
      const response = await browser().get(url!);
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-type"]).toContain(type);
      expect(response.headers["cache-control"]).toContain("immutable");
      expect(response.body).not.toContain("sourceMappingURL");
    }
  });

  it("is for the conservateurs of the département only", async () => {
    for (const url of [PAGE, GEOJSON]) {
      const anonyme = await browser().get(url);
      expect(anonyme.statusCode).toBe(303);
      expect(anonyme.body).not.toContain("Péril");
      const autre = await browser()
        .withSession({ account: { type: "conservateur", id: autreConservateurId } })
        .get(url);
      expect(autre.statusCode).toBe(403);
      expect(autre.body).not.toContain("Péril");
    }
    expect((await conservateur().get("/conservateurs/departements/02/carte.geojson")).statusCode).toBe(403);
    expect((await conservateur().get("/conservateurs/departements/zz/carte")).statusCode).toBe(404);
    expect((await conservateur().get("/conservateurs/departements/99/carte.geojson")).statusCode).toBe(404);
  });

  it("keeps working when no commune can be placed", async () => {
    await database.db.updateTable("communes").set({ latitude: null, longitude: null }).where("departement_code", "=", "01").execute();
    await database.db
      .updateTable("departements")
      .set({ bbox_north: null, bbox_south: null, bbox_east: null, bbox_west: null })
      .where("code", "=", "01")
      .execute();
    try {
      const data = await geojson();
      expect(data.features).toEqual([]);
      expect(data.bbox).toBeUndefined();
      expect(data.communes_sans_coordonnees).toHaveLength(5);
      const html = (await conservateur().get(PAGE)).body;
      expect(html).toContain("Aucune commune de ce département n’a de coordonnées");
      expect(html).toContain("5 communes sans coordonnées ne figurent pas sur la carte");
    } finally {
      // Later tests of this file do not depend on it, but keep the fixture whole anyway.
      await database.db.updateTable("communes").set({ latitude: 46.2, longitude: 5.2 }).where("code_insee", "=", "01001").execute();
    }
  });
});

describe("département map with a base map (MAP_STYLE_URL)", () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({
      config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", MAP_STYLE_URL: "https://tuiles.example.org/styles/plan.json" }),
      database,
    });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it("gives the style to the map and lets the page and the map's worker reach its host, and only that one", async () => {
    const { id } = await insertConservateur(database, { departement_codes: ["01"] });
    const browser = new Browser(app).withSession({ account: { type: "conservateur", id } });
    const page = await browser.get(PAGE);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-style-url="https://tuiles.example.org/styles/plan.json"');
    const csp = String(page.headers["content-security-policy"]);
    expect(csp).toMatch(/connect-src 'self' https:\/\/tuiles\.example\.org(;|$)/);
    expect(csp).toMatch(/img-src [^;]*https:\/\/tuiles\.example\.org/);
    expect(csp).toMatch(/script-src 'self'/);
    const worker = /data-worker-url="([^"]+)"/.exec(page.body)![1]!;
    expect(String((await browser.get(worker)).headers["content-security-policy"])).toContain(
      "connect-src 'self' https://tuiles.example.org",
    );
    // Other pages keep the strict policy.
    expect(String((await browser.get("/conservateurs/departements")).headers["content-security-policy"])).not.toContain(
      "tuiles.example.org",
    );
  });

  it("refuses a style address that is not http(s)", () => {
    expect(() => loadConfig({ MAP_STYLE_URL: "javascript:alert(1)" })).toThrow(/MAP_STYLE_URL/);
  });
});
