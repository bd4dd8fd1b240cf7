import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.tsx";
import { loadConfig } from "../src/config.ts";
import { createTestDatabase, type TestDatabase } from "./database.ts";

describe("application shell", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    app.get("/__boom", { config: { access: { kind: "public" } } }, async () => {
      throw new Error("secret internal detail");
    });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it("reports health as JSON", async () => {
    const response = await app.inject("/health");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ok", database: "ok" });
  });

  it("answers an unknown page with a French 404 page in the DSFR layout", async () => {
    const response = await app.inject("/pas-de-page-ici");
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toContain("text/html");
    expect(response.body).toContain('<html lang="fr"');
    expect(response.body).toContain("Page non trouvée");
    expect(response.body).toContain("fr-header");
  });

  it("answers an unexpected error with a French 500 page that leaks nothing", async () => {
    const response = await app.inject("/__boom");
    expect(response.statusCode).toBe(500);
    expect(response.body).toContain("Erreur inattendue");
    expect(response.body).not.toContain("secret internal detail");
  });

  it("sends security headers and a nonce-based CSP without unsafe-inline", async () => {
    const response = await app.inject("/pas-de-page-ici");
    const csp = String(response.headers["content-security-policy"]);
    expect(csp).toMatch(/script-src 'self' 'nonce-[0-9a-f]+'/);
    expect(csp).not.toContain("unsafe-inline");
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    const nonce = /'nonce-([0-9a-f]+)'/.exec(csp)?.[1];
    expect(response.body).toContain(`nonce="${nonce}"`);
  });

  it("serves the DSFR from node_modules", async () => {
    const response = await app.inject("/dsfr/dsfr.min.css");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toContain("text/css");
  });

  it("refuses to register a route without an access rule", async () => {
    await expect(
      (async () => {
        const other = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
        other.get("/sans-regle", async () => "ok");
        await other.ready();
      })(),
    ).rejects.toThrow(/no access rule/);
  });
});

describe("health when the database is down", () => {
  it("answers 503 with details", async () => {
    const database = await createTestDatabase();
    const app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    await database.drop();
    const response = await app.inject("/health");
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: "error", database: "error" });
    await app.close();
  });
});
