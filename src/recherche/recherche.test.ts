import type { FastifyInstance } from "fastify";
import { sql, type RawBuilder } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertConservateur, insertObjet } from "../../test/factories.ts";
import { Browser, insertCommuneUser } from "../../test/factories-comptes.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { requeteCommunes, requeteObjets, validerRecherche, type Recherche } from "./repository.ts";
import type { Suggestions } from "./routes.tsx";

function escaped(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
}

function recherche(q: string): Recherche {
  const v = validerRecherche(q);
  if (!v.ok) throw new Error(q);
  return v.recherche;
}

describe("header search across the conservateur's communes and objets", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let ip = 0;
  let b: Browser;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    const conservateur = await insertConservateur(database, { departement_codes: ["01", "02"] });
    b = new Browser(app, "198.51.100.7").withSession({ account: { type: "conservateur", id: conservateur.id } });

    const eglise = await insertCommune(database, { code_insee: "01150", nom: "L’Église-aux-Bois" });
    await insertCommune(database, { code_insee: "01160", nom: "Saint-Étienne-du-Bois", objets_count: 3 });
    await insertCommune(database, { code_insee: "02150", nom: "Église-Neuve" });
    await insertCommune(database, { code_insee: "33150", nom: "Les Églisottes" });
    for (let i = 0; i < 7; i++) await insertCommune(database, { code_insee: `02${200 + i}`, nom: `Bois-Église ${i}` });
    await insertObjet(database, {
      lieu_actuel_code_insee: "01150",
      palissy_ref: "PM01000123",
      palissy_tico: "Retable de l’église",
      palissy_deno: "retable",
    });
    await insertObjet(database, {
      lieu_actuel_code_insee: "01150",
      palissy_ref: "PM01000124",
      palissy_tico: "Calice",
      palissy_deno: "calice ; patène",
    });
    await insertObjet(database, {
      lieu_actuel_code_insee: "01160",
      palissy_ref: "PM01000120",
      palissy_tico: null,
      palissy_deno: "cloche",
      palissy_scle: "16e siècle",
    });
    await insertObjet(database, {
      lieu_actuel_code_insee: "33150",
      palissy_ref: "PM33000123",
      palissy_tico: "Statue de l’Église",
      palissy_deno: "statue",
    });
    // A commune user of a commune the conservateur covers, for the access checks.
    await insertCommuneUser(database, eglise.id, { email: "mairie-eglise@example.test" });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it("finds communes and objets without accents, with links, only in the conservateur's départements", async () => {
    const page = await b.get("/conservateurs/recherche?q=eglise");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Communes (9)");
    expect(page.body).toContain('href="/conservateurs/communes/01150"');
    expect(page.body).toContain("L’Église-aux-Bois (01150)");
    expect(page.body).toContain("Église-Neuve (02150)");
    expect(page.body).not.toContain("Églisottes");
    expect(page.body).toContain("Objets (1)");
    expect(page.body).toContain('href="/objets/PM01000123"');
    expect(page.body).toContain("Retable de l’église");
    expect(page.body).not.toContain("PM33000123");
    // Closest name first: "Église-Neuve" is more similar to "eglise" than "Bois-Église 0".
    expect(page.body.indexOf("Église-Neuve")).toBeLessThan(page.body.indexOf("Bois-Église 0"));
  });

  it("matches every word, REF prefixes and dénominations", async () => {
    const words = await b.get("/conservateurs/recherche?q=saint%20ETIENNE");
    expect(words.body).toContain("Saint-Étienne-du-Bois (01160)");
    expect(words.body).toContain("3\u00a0objets protégés");

    const prefix = await b.get("/conservateurs/recherche?q=pm0100012");
    expect(prefix.body).toContain("Objets (3)");
    const exact = await b.get("/conservateurs/recherche?q=PM01000120");
    expect(exact.body).toContain("Objets (1)");
    expect(exact.body).toContain("Cloche, 16e siècle");

    const deno = await b.get("/conservateurs/recherche?q=patene");
    expect(deno.body).toContain('href="/objets/PM01000124"');
    // LIKE wildcards are searched literally.
    const wildcard = await b.get("/conservateurs/recherche?q=%25%25");
    expect(wildcard.body).toContain("Communes (0)");
    expect(wildcard.body).toContain("Objets (0)");
  });

  it("asks for at least 2 and at most 100 characters, without querying", async () => {
    const short = await b.get("/conservateurs/recherche?q=e");
    expect(short.statusCode).toBe(200);
    expect(short.body).toContain("Saisissez au moins 2 caractères pour lancer la recherche.");
    expect(short.body).not.toContain("Communes (");
    const long = await b.get(`/conservateurs/recherche?q=${"a".repeat(101)}`);
    expect(long.body).toContain("Votre recherche est trop longue : 100 caractères au plus.");
    expect(long.body).not.toContain("Communes (");
    const empty = await b.get("/conservateurs/recherche");
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('id="recherche-page-champ"');
    expect(empty.body).not.toContain("Saisissez au moins");
    const injected = await b.get(`/conservateurs/recherche?q=${encodeURIComponent('<script>"x"')}`);
    expect(injected.body).toContain(escaped('Aucune commune de vos départements ne correspond à « <script>"x" »'));
  });

  it("answers the autocomplete with at most 5 communes and 5 objets as JSON", async () => {
    const response = await b.get("/conservateurs/recherche/suggestions?q=Eglise");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toContain("application/json");
    const body = JSON.parse(response.body) as Suggestions;
    expect(body.communes).toHaveLength(5);
    expect(body.communes[0]).toEqual({ label: "Église-Neuve (02150, 02 - Aisne)", href: "/conservateurs/communes/02150" });
    expect(body.communes.map((c) => c.label).join()).not.toContain("Églisottes");
    expect(body.objets).toEqual([{ label: "Retable de l’église – PM01000123 (L’Église-aux-Bois)", href: "/objets/PM01000123" }]);
    const short = JSON.parse((await b.get("/conservateurs/recherche/suggestions?q=e")).body) as Suggestions;
    expect(short).toEqual({ communes: [], objets: [] });
  });

  it("is for conservateurs only", async () => {
    const anonymous = await new Browser(app, `198.51.100.${++ip + 100}`).get("/conservateurs/recherche/suggestions?q=eglise");
    expect(anonymous.statusCode).toBe(303);
    const user = await database.db.selectFrom("commune_users").select("id").executeTakeFirstOrThrow();
    const commune = await new Browser(app, `198.51.100.${++ip + 100}`)
      .withSession({ account: { type: "commune", id: user.id } })
      .get("/conservateurs/recherche?q=eglise");
    expect(commune.statusCode).toBe(403);
  });

  /** The plan of a query when the département indexes are out of the way: only a matching expression index can serve it. */
  async function planSansIndexDepartement(query: RawBuilder<unknown>, indexes: string[]): Promise<string> {
    let plan = "";
    await database.db
      .transaction()
      .execute(async (trx) => {
        for (const index of indexes) await sql.raw(`drop index ${index}`).execute(trx);
        await sql`set local enable_seqscan = off`.execute(trx);
        const { rows } = await sql<{ "QUERY PLAN": string }>`explain (costs off) ${query}`.execute(trx);
        plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
        throw new Error("rollback");
      })
      .catch((error: unknown) => {
        if (!(error instanceof Error && error.message === "rollback")) throw error;
      });
    return plan;
  }

  it("uses the trigram indexes: the queries' expressions are exactly the indexed ones", async () => {
    const objets = await planSansIndexDepartement(requeteObjets(["01", "02"], recherche("egl"), 20), [
      "objets_lieu_actuel_departement",
      "api_objets_departement_sync",
    ]);
    expect(objets).toContain("objets_recherche");
    const communes = await planSansIndexDepartement(requeteCommunes(["01", "02"], recherche("egl"), 20), [
      "communes_departement_statut",
      "communes_departement_nom",
      "communes_departement_alertes",
      "api_communes_departement_sync",
    ]);
    expect(communes).toContain("communes_nom_search");
  });
});
