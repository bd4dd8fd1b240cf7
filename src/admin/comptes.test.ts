import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertConservateur } from "../../test/factories.ts";
import { auditActions, Browser, insertAdmin, latestMail, setConservateurPassword } from "../../test/factories-comptes.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";

describe("admin comptes: conservateurs and administrateurs", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let browser: Browser;
  let adminId: number;
  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    const admin = await insertAdmin(database, { email: "moi@admin.test", password: "mot de passe admin" });
    adminId = admin.id;
    browser = new Browser(app).withSession({ account: { type: "admin", id: admin.id } });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const count = async (table: "conservateurs" | "admins") => (await database.db.selectFrom(table).select("id").execute()).length;

  it("creates a conservateur with départements and mails the first-login link; bad input re-shows the form in French", async () => {
    await insertConservateur(database, { email: "deja@culture.test", departement_codes: ["01"] });
    await browser.get("/admin/conservateurs/nouveau");
    const avant = await count("conservateurs");

    const vide = await browser.post("/admin/conservateurs/nouveau", {});
    expect(vide.statusCode).toBe(400);
    expect(vide.body).toContain("Saisissez l’adresse email.");
    expect(vide.body).toContain("Cochez au moins un département.");
    const doublon = await browser.post("/admin/conservateurs/nouveau", {
      email: "DEJA@culture.test",
      first_name: "A",
      last_name: "B",
      departements: "01",
    });
    expect(doublon.statusCode).toBe(400);
    expect(doublon.body).toContain("Un compte conservateur existe déjà avec cet email.");
    expect(doublon.body).toContain('value="DEJA@culture.test"');
    expect(
      (await browser.post("/admin/conservateurs/nouveau", { email: "x@y.test", first_name: "A", last_name: "B", departements: "999" }))
        .statusCode,
    ).toBe(400);
    expect(await count("conservateurs")).toBe(avant);

    const payload = new URLSearchParams({
      _csrf: browser.csrf,
      email: "claire@culture.test",
      first_name: "Claire",
      last_name: "Dupont",
      phone_number: "02 97 00 00 00",
    });
    payload.append("departements", "56");
    payload.append("departements", "01");
    const cree = await app.inject({
      method: "POST",
      url: "/admin/conservateurs/nouveau",
      payload: payload.toString(),
      headers: { cookie: browser.cookieHeader(), "content-type": "application/x-www-form-urlencoded" },
    });
    expect(cree.statusCode).toBe(303);
    const row = await database.db
      .selectFrom("conservateurs")
      .selectAll()
      .where("email", "=", "claire@culture.test")
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ first_name: "Claire", last_name: "Dupont", phone_number: "02 97 00 00 00", deactivated_at: null });
    const deps = await database.db
      .selectFrom("conservateur_departements")
      .select("departement_code")
      .where("conservateur_id", "=", row.id)
      .orderBy("departement_code")
      .execute();
    expect(deps.map((d) => d.departement_code)).toEqual(["01", "56"]);
    const mail = await latestMail(database, "claire@culture.test");
    expect(mail?.subject).toContain("définissez votre mot de passe");
    expect(await auditActions(database)).toContain("admin.conservateur_created");

    const liste = await browser.get("/admin/conservateurs?nom=dupont");
    expect(liste.body).toContain("claire@culture.test");
    expect(liste.body).toContain("Jamais connecté");
    expect((await browser.get("/admin/conservateurs?departement=56")).body).toContain("claire@culture.test");
    expect((await browser.get("/admin/conservateurs?departement=01&nom=claire")).body).toContain("claire@culture.test");
    expect((await browser.get("/admin/conservateurs?departement=02")).body).not.toContain("claire@culture.test");
  });

  it("edits a conservateur; an email taken by another account is refused", async () => {
    const c = await insertConservateur(database, { email: "edit@culture.test", departement_codes: ["01"] });
    const form = await browser.get(`/admin/conservateurs/${c.id}/modifier`);
    expect(form.body).toContain('value="edit@culture.test"');
    const pris = await browser.post(`/admin/conservateurs/${c.id}/modifier`, {
      email: "deja@culture.test",
      first_name: "E",
      last_name: "F",
      departements: "01",
    });
    expect(pris.statusCode).toBe(400);
    expect(pris.body).toContain("Un autre compte conservateur utilise déjà cet email.");
    const ok = await browser.post(`/admin/conservateurs/${c.id}/modifier`, {
      email: "edit@culture.test",
      first_name: "Élise",
      last_name: "Martin",
      departements: "56",
    });
    expect(ok.statusCode).toBe(303);
    const deps = await database.db
      .selectFrom("conservateur_departements")
      .select("departement_code")
      .where("conservateur_id", "=", c.id)
      .execute();
    expect(deps).toEqual([{ departement_code: "56" }]);
    expect((await browser.get("/admin/conservateurs/999999/modifier")).statusCode).toBe(404);
  });

  it("a deactivated conservateur cannot sign in, their session stops, and reactivation restores access", async () => {
    const c = await insertConservateur(database, { email: "part@culture.test", departement_codes: ["01"] });
    await setConservateurPassword(database, c.id, "un bon mot de passe");
    const session = new Browser(app).withSession({ account: { type: "conservateur", id: c.id } });
    expect((await session.get("/conservateurs/compte")).statusCode).toBe(200);

    expect((await browser.post(`/admin/conservateurs/${c.id}/desactiver`, {})).statusCode).toBe(400);
    expect(
      (await database.db.selectFrom("conservateurs").select("deactivated_at").where("id", "=", c.id).executeTakeFirstOrThrow())
        .deactivated_at,
    ).toBeNull();
    expect((await browser.post(`/admin/conservateurs/${c.id}/desactiver`, { confirmer: "oui" })).statusCode).toBe(303);

    expect((await session.get("/conservateurs/compte")).statusCode).not.toBe(200);
    const visiteur = new Browser(app, "203.0.113.77");
    await visiteur.get("/conservateurs/sign_in");
    const refus = await visiteur.post("/conservateurs/sign_in", { email: "part@culture.test", password: "un bon mot de passe" });
    expect(refus.statusCode).not.toBe(303);
    expect(refus.body).toContain("incorrect");
    expect((await browser.get("/admin/conservateurs?nom=part@culture")).body).toContain("Désactivé");

    expect((await browser.post(`/admin/conservateurs/${c.id}/reactiver`, { confirmer: "oui" })).statusCode).toBe(303);
    await visiteur.get("/conservateurs/sign_in");
    expect(
      (await visiteur.post("/conservateurs/sign_in", { email: "part@culture.test", password: "un bon mot de passe" })).statusCode,
    ).toBe(303);
    expect(await auditActions(database)).toEqual(
      expect.arrayContaining(["admin.conservateur_deactivated", "admin.conservateur_reactivated"]),
    );
  });

  it("creates an admin with a password link; cannot deactivate oneself nor the last active admin", async () => {
    await browser.get("/admin/administrateurs/nouveau");
    expect((await browser.post("/admin/administrateurs/nouveau", {})).statusCode).toBe(400);
    const cree = await browser.post("/admin/administrateurs/nouveau", {
      email: "nouvel@admin.test",
      first_name: "Nina",
      last_name: "Nouvel",
    });
    expect(cree.statusCode).toBe(303);
    expect((await latestMail(database, "nouvel@admin.test"))?.subject).toBeTruthy();
    const liste = await browser.get("/admin/administrateurs");
    expect(liste.body).toContain("nouvel@admin.test");
    expect(liste.body).toContain("(vous)");

    expect((await browser.post(`/admin/administrateurs/${adminId}/desactiver`, { confirmer: "oui" })).statusCode).toBe(409);
    const nouvel = await database.db.selectFrom("admins").select("id").where("email", "=", "nouvel@admin.test").executeTakeFirstOrThrow();
    expect((await browser.post(`/admin/administrateurs/${nouvel.id}/desactiver`, {})).statusCode).toBe(400);
    expect((await browser.post(`/admin/administrateurs/${nouvel.id}/desactiver`, { confirmer: "oui" })).statusCode).toBe(303);

    // The other admin, now alone, cannot be deactivated by a still-signed-in deactivated admin: that session is gone.
    const ancien = new Browser(app).withSession({ account: { type: "admin", id: nouvel.id } });
    expect((await ancien.get("/admin/administrateurs")).statusCode).not.toBe(200);
    const visiteur = new Browser(app, "203.0.113.78");
    await visiteur.get("/admin/connexion");
    await visiteur.post("/admin/connexion", { email: "moi@admin.test", password: "mot de passe admin" });
    expect((await visiteur.get("/admin/administrateurs")).statusCode).toBe(200);
    expect((await browser.post("/admin/administrateurs/999999/desactiver", { confirmer: "oui" })).statusCode).toBe(404);
  });

  it("refuses to deactivate the last active admin", async () => {
    const seul = await createTestDatabase();
    try {
      const app2 = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database: seul });
      const a = await insertAdmin(seul);
      const b = await insertAdmin(seul);
      await seul.db.updateTable("admins").set({ deactivated_at: new Date() }).where("id", "=", b.id).execute();
      const c = await insertAdmin(seul);
      const nav = new Browser(app2).withSession({ account: { type: "admin", id: a.id } });
      await nav.get("/admin/administrateurs");
      expect((await nav.post(`/admin/administrateurs/${c.id}/desactiver`, { confirmer: "oui" })).statusCode).toBe(303);
      // Only "a" is left active: nobody else can deactivate it and it cannot deactivate itself.
      expect((await nav.post(`/admin/administrateurs/${a.id}/desactiver`, { confirmer: "oui" })).statusCode).toBe(409);
      const actifs = await seul.db.selectFrom("admins").select("id").where("deactivated_at", "is", null).execute();
      expect(actifs).toEqual([{ id: a.id }]);
      await app2.close();
    } finally {
      await seul.drop();
    }
  });
});
