import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune } from "../../test/factories.ts";
import { Browser, insertAdmin } from "../../test/factories-comptes.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";

describe("admin hub", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("lists the départements with their figures and a link to their exports, and each commune's messagerie", async () => {
    await insertCommune(database, { code_insee: "01053", nom: "Bourg-en-Bresse", objets_count: 12 });
    await insertCommune(database, { code_insee: "01004", nom: "Ambérieu-en-Bugey", objets_count: 3 });
    const admin = await insertAdmin(database);
    const browser = new Browser(app).withSession({ account: { type: "admin", id: admin.id } });

    const hub = await browser.get("/admin");
    expect(hub.body).toContain('href="/admin/departements"');
    expect(hub.body).toContain('href="/admin/api-clients"');

    const page = await browser.get("/admin/departements");
    expect(page.statusCode).toBe(200);
    const ligne = /<tr[^>]*>\s*<td>\s*01 - Ain\s*<\/td>\s*<td>2<\/td>\s*<td>15<\/td>/.exec(page.body);
    expect(ligne, page.body.slice(0, 200)).not.toBeNull();
    expect(page.body).toContain('href="/admin/departements/01/exports"');

    const communes = await browser.get("/admin/communes?insee=01053");
    expect(communes.body).toContain('href="/admin/communes/01053/messagerie"');
  });
});
