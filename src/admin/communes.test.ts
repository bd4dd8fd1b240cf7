import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertConservateur, insertDossier, insertEdifice, insertObjet, insertRecensement } from "../../test/factories.ts";
import { auditActions, Browser, insertAdmin, insertCommuneUser, latestMail } from "../../test/factories-comptes.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";

describe("admin communes", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let browser: Browser;
  let bourgId: number;
  let userId: number;
  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    const bourg = await insertCommune(database, { code_insee: "01053", nom: "Bourg-en-Bresse", objets_count: 12, statut_global: 2 });
    bourgId = bourg.id;
    userId = (await insertCommuneUser(database, bourg.id, { email: "mairie@bourg.test" })).id;
    await insertCommune(database, { code_insee: "01004", nom: "Ambérieu-en-Bugey", objets_count: 3 });
    await insertCommune(database, { code_insee: "56001", nom: "Allaire", departement_code: "56", objets_count: 1 });
    await insertDossier(database, { commune_id: bourg.id, status: "archived" });
    const dossier = await insertDossier(database, { commune_id: bourg.id, status: "submitted" });
    const eglise = await insertEdifice(database, { code_insee: "01053", nom: "église Notre-Dame" });
    const calice = await insertObjet(database, {
      lieu_actuel_code_insee: "01053",
      edifice: eglise,
      palissy_ref: "PM01000101",
      palissy_tico: "Calice en argent",
    });
    await insertObjet(database, {
      lieu_actuel_code_insee: "01053",
      edifice: eglise,
      palissy_ref: "PM01000102",
      palissy_tico: "Statue de saint Roch",
    });
    await insertObjet(database, {
      lieu_actuel_code_insee: "01053",
      palissy_ref: "PM01000103",
      palissy_tico: "Cloche",
      lieu_actuel_edifice_nom: "chapelle Saint-Pierre",
    });
    await insertRecensement(database, { objet_id: calice.id, dossier_id: dossier.id, localisation: "absent", recensable: false });
    await insertConservateur(database, { first_name: "Claire", last_name: "Ain", departement_codes: ["01"] });
    await insertConservateur(database, { first_name: "Paul", last_name: "Morbihan", departement_codes: ["56"] });
    const admin = await insertAdmin(database);
    browser = new Browser(app).withSession({ account: { type: "admin", id: admin.id } });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const noms = (body: string) => [...body.matchAll(/href="\/admin\/communes\/([0-9AB]{5})"/g)].map((m) => m[1]);

  it("finds communes by name without accents, by INSEE, by user email, département and statut", async () => {
    expect(noms((await browser.get("/admin/communes?nom=amberieu")).body)).toEqual(["01004"]);
    expect(noms((await browser.get("/admin/communes?insee=01053")).body)).toEqual(["01053"]);
    expect(noms((await browser.get("/admin/communes?email=bourg.test")).body)).toEqual(["01053"]);
    expect(noms((await browser.get("/admin/communes?departement=56")).body)).toEqual(["56001"]);
    expect(noms((await browser.get("/admin/communes?statut=2")).body)).toEqual(["01053"]);
    const aucune = await browser.get("/admin/communes?nom=zzz");
    expect(aucune.body).toContain("Aucune commune ne correspond");
    expect((await browser.get("/admin/communes?insee=abc")).statusCode).toBe(400);
    const liste = await browser.get("/admin/communes");
    expect(liste.body).toContain("fr-sidemenu");
    expect(liste.body).toContain("À examiner");
  });

  it("pages the list 20 by 20", async () => {
    for (let i = 0; i < 21; i++)
      await insertCommune(database, { code_insee: `29${String(100 + i)}`, nom: `Commune ${i}`, departement_code: "29" });
    const page1 = await browser.get("/admin/communes?departement=29");
    expect(noms(page1.body)).toHaveLength(20);
    expect(page1.body).toContain('href="/admin/communes?departement=29&amp;page=2"');
    expect(noms((await browser.get("/admin/communes?departement=29&page=2")).body)).toHaveLength(1);
  });

  it("shows the commune with its dossiers, messagerie link and impersonate button; unknown commune is a 404", async () => {
    const page = await browser.get("/admin/communes/01053");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Bourg-en-Bresse (01053)");
    expect(page.body).toContain("mairie@bourg.test");
    expect(page.body).toContain("Dossiers archivés");
    expect(page.body).toMatch(/<a href="\/admin\/dossiers\/\d+">Dossier n° \d+<\/a> : /);
    expect(page.body).toContain('href="/admin/communes/01053/messagerie"');
    expect(page.body).toContain('action="/admin/communes/01053/incarner"');
    expect(page.body).not.toMatch(/Code de connexion : \d{6}/);
    expect((await browser.get("/admin/communes/99999")).statusCode).toBe(404);
  });

  it("lists the commune's objets by édifice with the current recensement's answers, and its département's conservateurs to impersonate", async () => {
    const page = await browser.get("/admin/communes/01053");
    const captions = [...page.body.matchAll(/<caption>([^<]*)<\/caption>/g)].map((m) => m[1]);
    expect(captions).toContain("Église Notre-Dame (2 objets)");
    expect(captions).toContain("Chapelle Saint-Pierre (1 objet)");
    const ligneCalice = /<tr>(?:(?!<\/tr>).)*PM01000101(?:(?!<\/tr>).)*<\/tr>/s.exec(page.body)?.[0] ?? "";
    expect(ligneCalice).toContain("Calice en argent");
    expect(ligneCalice).toContain("Introuvable");
    expect(ligneCalice).toContain("Recensé");
    const ligneStatue = /<tr>(?:(?!<\/tr>).)*PM01000102(?:(?!<\/tr>).)*<\/tr>/s.exec(page.body)?.[0] ?? "";
    expect(ligneStatue).toContain("Pas commencé");
    expect(page.body).toContain("Incarner Claire Ain");
    expect(page.body).not.toContain("Incarner Paul Morbihan");
  });

  it("reveals the current login code only on request, without mail, and audits it", async () => {
    const mailsAvant = await latestMail(database);
    expect((await browser.post("/admin/communes/01053/code-de-connexion", {})).statusCode).toBe(400);
    expect(await database.db.selectFrom("login_codes").select("id").execute()).toHaveLength(0);

    const first = await browser.post("/admin/communes/01053/code-de-connexion", { confirmer: "oui" });
    expect(first.statusCode).toBe(200);
    const code = /Code de connexion : (\d{6})/.exec(first.body)?.[1];
    expect(code).toBeDefined();
    expect(first.body).toContain("Nouveau code créé, sans envoi d’email");
    const second = await browser.post("/admin/communes/01053/code-de-connexion", { confirmer: "oui" });
    expect(/Code de connexion : (\d{6})/.exec(second.body)?.[1]).toBe(code);
    expect(second.body).toContain("Code en cours de validité");
    const codes = await database.db.selectFrom("login_codes").select(["code", "commune_user_id"]).execute();
    expect(codes).toEqual([{ code, commune_user_id: userId }]);
    expect((await latestMail(database))?.id).toBe(mailsAvant?.id);
    expect((await auditActions(database)).filter((a) => a === "admin.login_code_shown")).toHaveLength(2);
  });

  it("adds and deletes admin comments; empty body or missing confirmation changes nothing", async () => {
    const vide = await browser.post("/admin/communes/01053/commentaires", { body: "   " });
    expect(vide.statusCode).toBe(400);
    expect(vide.body).toContain("Écrivez le commentaire");
    expect(await database.db.selectFrom("admin_comments").select("id").execute()).toHaveLength(0);

    const ajout = await browser.post("/admin/communes/01053/commentaires", { body: "Maire rappelé le 3 : attend le code." });
    expect(ajout.statusCode).toBe(303);
    const page = await browser.follow(ajout);
    expect(page.body).toContain("Maire rappelé le 3 : attend le code.");
    const [comment] = await database.db.selectFrom("admin_comments").select(["id", "commune_id"]).execute();
    expect(comment?.commune_id).toBe(bourgId);

    expect((await browser.post(`/admin/communes/01053/commentaires/${comment!.id}/supprimer`, {})).statusCode).toBe(400);
    expect((await browser.post(`/admin/communes/01004/commentaires/${comment!.id}/supprimer`, { confirmer: "oui" })).statusCode).toBe(404);
    expect(await database.db.selectFrom("admin_comments").select("id").execute()).toHaveLength(1);
    const suppression = await browser.post(`/admin/communes/01053/commentaires/${comment!.id}/supprimer`, { confirmer: "oui" });
    expect(suppression.statusCode).toBe(303);
    expect((await browser.follow(suppression)).body).not.toContain("Maire rappelé le 3");
    expect(await auditActions(database)).toEqual(expect.arrayContaining(["admin.comment_created", "admin.comment_deleted"]));
  });

  it("is refused to a commune user", async () => {
    const commune = new Browser(app).withSession({ account: { type: "commune", id: userId } });
    const page = await commune.get("/admin/communes/01053");
    expect([302, 303, 403]).toContain(page.statusCode);
  });
});
