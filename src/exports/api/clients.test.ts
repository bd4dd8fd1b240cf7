import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../app.tsx";
import { hashToken } from "../../comptes/rules.ts";
import { loadConfig } from "../../config.ts";
import { createTestDatabase, type TestDatabase } from "../../../test/database.ts";
import { insertCommune, insertDossier } from "../../../test/factories.ts";
import { auditActions, Browser, insertAdmin } from "../../../test/factories-comptes.ts";
import { parseDepartementCodes } from "./clients.tsx";

describe("API tokens, admin side (/admin/api-clients)", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let admin: Browser;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    const commune = await insertCommune(database, { code_insee: "56263" });
    await insertDossier(database, { commune_id: commune.id, status: "submitted" });
    const account = await insertAdmin(database);
    admin = new Browser(app).withSession({ account: { type: "admin", id: account.id } });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  const apiGet = (url: string, token: string) => app.inject({ method: "GET", url, headers: { authorization: `Bearer ${token}` } });
  const clientsCount = async () => (await database.db.selectFrom("api_clients").select("id").execute()).length;

  it("creates a token shown once, stores only its hash, and the token reads its départements", async () => {
    const list = await admin.get("/admin/api-clients");
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain("Aucun jeton pour l’instant.");

    // An empty or incomplete form creates nothing and says what is missing.
    const empty = await admin.post("/admin/api-clients", {});
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain("Indiquez le nom du système");
    expect(empty.body).toContain("Indiquez au moins un département.");
    const unknown = await admin.post("/admin/api-clients", { name: "DRAC", departements: "56 99 ZZ" });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain("Départements inconnus : 99, ZZ.");
    expect(await clientsCount()).toBe(0);

    const created = await admin.post("/admin/api-clients", { name: "DRAC Bretagne", departements: "56, 29" });
    expect(created.statusCode).toBe(200);
    expect(created.headers["cache-control"]).toBe("no-store");
    const token = /id="api-token" value="([^"]+)"/.exec(created.body)?.[1] ?? "";
    expect(token.length).toBeGreaterThanOrEqual(40);
    const row = await database.db.selectFrom("api_clients").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: "DRAC Bretagne", departement_codes: ["29", "56"], token_hash: hashToken(token), revoked_at: null });
    expect(JSON.stringify(row)).not.toContain(token);
    expect(await auditActions(database)).toContain("api_client.create");

    const dossiers = await apiGet("/api/v1/dossiers", token);
    expect(dossiers.statusCode).toBe(200);
    expect(dossiers.json<{ data: { commune_code_insee: string }[] }>().data.map((d) => d.commune_code_insee)).toEqual(["56263"]);

    // The list shows it without the token, with its last use.
    const after = await admin.get("/admin/api-clients");
    expect(after.body).toContain("DRAC Bretagne");
    expect(after.body).toContain("29, 56");
    expect(after.body).not.toContain(token);
    expect(after.body).toContain("Actif");
    expect(after.body).not.toContain(">Jamais<");
  });

  it("revokes a token only with the explicit confirmation; a revoked token gets 401", async () => {
    const { id } = await database.db.selectFrom("api_clients").select("id").where("name", "=", "DRAC Bretagne").executeTakeFirstOrThrow();
    const created = await admin.post("/admin/api-clients", { name: "Second outil", departements: "56" });
    const token = /id="api-token" value="([^"]+)"/.exec(created.body)?.[1] ?? "";
    const second = await database.db.selectFrom("api_clients").select("id").where("name", "=", "Second outil").executeTakeFirstOrThrow();

    const page = await admin.get(`/admin/api-clients/${second.id}/revoquer`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Je confirme la révocation de ce jeton");

    const unconfirmed = await admin.post(`/admin/api-clients/${second.id}/revoquer`, {});
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.body).toContain("Cochez la case de confirmation");
    expect((await apiGet("/api/v1/recensements", token)).statusCode).toBe(200);

    const revoked = await admin.post(`/admin/api-clients/${second.id}/revoquer`, { confirmer: "oui" });
    expect(revoked.statusCode).toBe(303);
    expect(revoked.headers.location).toBe("/admin/api-clients");
    const list = await admin.follow(revoked);
    expect(list.body).toContain("Le jeton « Second outil » est révoqué.");
    expect(list.body).toContain("Révoqué le");
    expect(await auditActions(database)).toContain("api_client.revoke");

    const refused = await apiGet("/api/v1/recensements", token);
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toEqual({ error: { code: "authentification_requise", message: expect.any(String) as string } });

    expect((await admin.post(`/admin/api-clients/${second.id}/revoquer`, { confirmer: "oui" })).statusCode).toBe(409);
    expect((await admin.get("/admin/api-clients/999999/revoquer")).statusCode).toBe(404);
    expect((await admin.get("/admin/api-clients/abc/revoquer")).statusCode).toBe(404);
    // The other token still works.
    const still = await database.db.selectFrom("api_clients").select("revoked_at").where("id", "=", id).executeTakeFirstOrThrow();
    expect(still.revoked_at).toBeNull();
  });

  it("reads département codes leniently but refuses unknown ones", () => {
    const known = new Set(["01", "2A", "56", "68", "971"]);
    expect(parseDepartementCodes(" 56,68;2a  971 56", known)).toEqual({ codes: ["2A", "56", "68", "971"], unknown: [] });
    expect(parseDepartementCodes("56 1 xx", known)).toEqual({ codes: ["56"], unknown: ["1", "XX"] });
  });
});
