import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertDossier, insertObjet, insertRecensement } from "../../test/factories.ts";
import { Browser, insertCommuneUser } from "../../test/factories-comptes.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { FICHE_IDS } from "./fiches.ts";

describe("fiches conseil pages", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ ...process.env, NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it("lists the five fiches", async () => {
    const response = await app.inject("/fiches");
    expect(response.statusCode).toBe(200);
    for (const id of FICHE_IDS) expect(response.body).toContain(`href="/fiches/${id}"`);
    expect(response.body).toContain("Sécuriser vos objets");
  });

  it.each(FICHE_IDS)("renders the fiche %s with its table of contents", async (id) => {
    const response = await app.inject(`/fiches/${id}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('class="fr-summary');
    expect(response.body).toMatch(/<h2 id="[a-z0-9-]+">/);
    expect(response.body).toContain('<a class="fr-breadcrumb__link" href="/fiches">Fiches conseil</a>');
    expect(response.body.match(/<h1[ >]/g)).toHaveLength(1);
  });

  it("lists, for a signed-in commune, the objets of its examined dossier the conservateur attached the fiche to", async () => {
    const commune = await insertCommune(database, { code_insee: "35238", nom: "Rennes" });
    const user = await insertCommuneUser(database, commune.id);
    const concerne = await insertObjet(database, { lieu_actuel_code_insee: "35238", palissy_tico: "calice en vermeil" });
    const autre = await insertObjet(database, { lieu_actuel_code_insee: "35238", palissy_tico: "ostensoir" });
    const dossier = await insertDossier(database, { commune_id: commune.id, status: "accepted" });
    await insertRecensement(database, { objet_id: concerne.id, dossier_id: dossier.id, analyse_fiches: ["securisation"] });
    await insertRecensement(database, { objet_id: autre.id, dossier_id: dossier.id, analyse_fiches: ["restauration"] });
    const signedIn = await new Browser(app).withSession({ account: { type: "commune", id: user.id } }).get("/fiches/securisation");
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.body).toContain("Objet concerné par cette fiche");
    expect(signedIn.body).toContain(`<a href="/objets/${concerne.palissy_ref}">Calice en vermeil</a>`);
    expect(signedIn.body).not.toContain("Ostensoir");
    expect((await app.inject("/fiches/securisation")).body).not.toContain("concerné par cette fiche");
  });

  it("answers 404 for an unknown fiche", async () => {
    for (const url of ["/fiches/inconnue", "/fiches/__proto__", "/fiches/constructor", "/fiches/%3Cscript%3E"]) {
      expect((await app.inject(url)).statusCode, url).toBe(404);
    }
  });
});
