import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune } from "../../test/factories.ts";
import { Browser, insertAdmin, insertCommuneUser } from "../../test/factories-comptes.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";

describe("admin codes de connexion", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let browser: Browser;
  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    const heure = 3_600_000;
    const maintenant = Date.now();
    const codes = [
      // in the order they were sent: one older than the 30-day window, then used, expired, locked, valid
      { insee: "56003", nom: "Baden", code: "555555", expires: maintenant - 40 * 24 * heure, used: true, failed: 0, age: 41 * 24 * heure },
      { insee: "01053", nom: "Bourg-en-Bresse", code: "111111", expires: maintenant - heure, used: true, failed: 0, age: 2 * heure },
      { insee: "01004", nom: "Ambérieu-en-Bugey", code: "222222", expires: maintenant - heure, used: false, failed: 0, age: 3 * heure },
      { insee: "56001", nom: "Allaire", code: "333333", expires: maintenant + heure, used: false, failed: 5, age: heure },
      { insee: "56002", nom: "Arradon", code: "444444", expires: maintenant + heure, used: false, failed: 1, age: heure / 2 },
    ];
    for (const c of codes) {
      const commune = await insertCommune(database, { code_insee: c.insee, nom: c.nom, departement_code: c.insee.slice(0, 2) });
      const user = await insertCommuneUser(database, commune.id, { email: `mairie@${c.insee}.test` });
      await database.db
        .insertInto("login_codes")
        .values({
          commune_user_id: user.id,
          code: c.code,
          expires_at: new Date(c.expires),
          used_at: c.used ? new Date(c.expires - 60_000) : null,
          failed_attempts: c.failed,
          created_at: new Date(maintenant - c.age),
        })
        .execute();
    }
    const admin = await insertAdmin(database);
    browser = new Browser(app).withSession({ account: { type: "admin", id: admin.id } });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const cellules = (html: string, etat: string) =>
    new RegExp(`<td>${etat}</td>\\s*<td>(\\d+)</td>\\s*<td>([^<]*)</td>`).exec(html)?.slice(1, 3);

  it("counts the last 30 days' codes by state, lists the latest without revealing them, and searches a commune", async () => {
    const page = await browser.get("/admin/codes-connexion");
    expect(page.statusCode).toBe(200);
    expect(cellules(page.body, "Utilisés")).toEqual(["1", "25 %"]);
    expect(cellules(page.body, "Expirés sans être utilisés")).toEqual(["1", "25 %"]);
    expect(cellules(page.body, "Bloqués \\(trop d’essais erronés\\)")).toEqual(["1", "25 %"]);
    expect(cellules(page.body, "En cours de validité")).toEqual(["1", "25 %"]);
    expect(cellules(page.body, "Total")).toEqual(["4", "100 %"]);
    for (const code of ["111111", "222222", "333333", "444444", "555555"]) expect(page.body).not.toContain(code);
    const ordre = [...page.body.matchAll(/href="\/admin\/communes\/(\d{5})#code-de-connexion"/g)].map((m) => m[1]);
    expect(ordre).toEqual(["56002", "56001", "01004", "01053", "56003"]);

    const recherche = await browser.get("/admin/codes-connexion?commune=amberieu");
    expect([...recherche.body.matchAll(/href="\/admin\/communes\/(\d{5})#code-de-connexion"/g)].map((m) => m[1])).toEqual(["01004"]);
    const parInsee = await browser.get("/admin/codes-connexion?commune=56001");
    expect(parInsee.body).toContain("mairie@56001.test");
    expect(parInsee.body).not.toContain("mairie@56002.test");
    expect((await browser.get("/admin/codes-connexion?page=0")).statusCode).toBe(400);
  });
});
