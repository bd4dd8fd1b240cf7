import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertConservateur } from "../../test/factories.ts";
import { Browser, insertAdmin, insertCommuneUser } from "../../test/factories-comptes.ts";

describe("impersonation by admins", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let adminId = 0;
  let userId = 0;
  let conservateurId = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    const commune = await insertCommune(database, { code_insee: "01053", nom: "Bourg-en-Bresse" });
    await insertCommune(database, { code_insee: "01004", nom: "Ambérieu-en-Bugey" });
    userId = (await insertCommuneUser(database, commune.id)).id;
    conservateurId = (await insertConservateur(database, { first_name: "Jeanne", last_name: "Martin", departement_codes: ["01"] })).id;
    adminId = (await insertAdmin(database)).id;
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  async function events() {
    return database.db
      .selectFrom("audit_events")
      .select(["action", "actor_type", "actor_id", "impersonator_admin_id", "before", "after"])
      .where("action", "like", "impersonation.%")
      .orderBy("id")
      .execute();
  }

  it("acts as a commune read-only, switches to write mode, and stops on any admin page", async () => {
    const b = new Browser(app).withSession({ account: { type: "admin", id: adminId } });
    const list = await b.get("/admin/communes?nom=bourg");
    expect(list.body).toContain("Bourg-en-Bresse");
    expect(list.body).not.toContain("Ambérieu-en-Bugey");
    expect(list.body).toContain('action="/admin/communes/01053/incarner"');
    expect((await b.get("/admin/communes?insee=01004")).body).toContain("Aucun usager");

    const start = await b.post("/admin/communes/01053/incarner");
    expect(start.headers.location).toBe("/communes/01053/objets");
    const page = await b.follow(start);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Vous incarnez la commune de Bourg-en-Bresse (01053) en mode lecture seule.");
    expect(page.body).toContain("Passer en mode écriture");
    expect(page.body).toContain("Arrêter l’incarnation");

    const refused = await b.post("/communes/01053/preferences", { messages_mail_notifications: "1" });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain("lecture seule");
    expect((await b.get("/communes/01004/preferences")).statusCode).toBe(403);

    await b.get("/communes/01053/preferences");
    const write = await b.post("/admin/incarnation/mode", { mode: "ecriture", retour: "/communes/01053/preferences" });
    expect(write.headers.location).toBe("/communes/01053/preferences");
    expect((await b.follow(write)).body).toContain("en mode écriture");
    expect((await b.post("/communes/01053/preferences", {})).statusCode).toBe(303);
    const offsite = await b.post("/admin/incarnation/mode", { mode: "lecture", retour: "//evil.example/" });
    expect(offsite.headers.location).toBe("/");

    const adminPage = await b.get("/admin/conservateurs");
    expect(adminPage.statusCode).toBe(303);
    expect(adminPage.headers.location).toBe("/admin/conservateurs");
    const after = await b.follow(adminPage);
    expect(after.body).toContain("Vous n’incarnez plus d’usager de commune.");
    expect(after.body).not.toContain("Vous incarnez");

    expect((await events()).map((e) => e.action)).toEqual([
      "impersonation.start",
      "impersonation.mode",
      "impersonation.write",
      "impersonation.mode",
      "impersonation.stop",
    ]);
    const update = await database.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "commune.preferences_updated")
      .executeTakeFirstOrThrow();
    expect(update).toMatchObject({ actor_type: "commune", actor_id: userId, impersonator_admin_id: adminId });
  });

  it("acts as a conservateur and stops with the button", async () => {
    const b = new Browser(app).withSession({ account: { type: "admin", id: adminId } });
    await b.get("/admin/conservateurs");
    const start = await b.post(`/admin/conservateurs/${conservateurId}/incarner`);
    expect(start.headers.location).toBe("/conservateurs/departements/01");
    const page = await b.follow(start);
    expect(page.body).toContain("Vous incarnez Jeanne Martin (conservateur ou conservatrice) en mode lecture seule.");
    expect((await b.post("/conservateurs/compte", { first_name: "X", last_name: "Y" })).statusCode).toBe(403);
    const stop = await b.post("/admin/incarnation/arreter");
    expect(stop.headers.location).toBe("/admin/conservateurs");
    expect((await b.follow(stop)).body).toContain("Vous n’incarnez plus de conservateur ou conservatrice.");
    expect((await b.get("/conservateurs/compte")).statusCode).toBe(403);
  });

  it("is reserved to admins", async () => {
    const conservateur = new Browser(app, "203.0.113.77").withSession({ account: { type: "conservateur", id: conservateurId } });
    await conservateur.get("/conservateurs/compte");
    expect((await conservateur.post("/admin/communes/01053/incarner")).statusCode).toBe(403);
    expect((await conservateur.post("/admin/incarnation/mode", { mode: "ecriture" })).statusCode).toBe(403);
  });
});
