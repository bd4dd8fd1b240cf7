import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertConservateur } from "../../test/factories.ts";
import { Browser, insertAdmin, insertCommuneUser } from "../../test/factories-comptes.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { audit } from "../platform/audit.ts";

function lignes(body: string): string[] {
  const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(body)?.[1] ?? "";
  return [...tbody.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) =>
    (m[1] ?? "")
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " ")
      .trim(),
  );
}

describe("admin journal des actions", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let browser: Browser;
  let martelId: number;
  let conservateurId: number;
  let adminId: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    const admin = await insertAdmin(database, { email: "support@example.test" });
    adminId = admin.id;
    browser = new Browser(app).withSession({ account: { type: "admin", id: admin.id } });
    const martel = await insertCommune(database, { code_insee: "46185", nom: "Martel" });
    martelId = martel.id;
    const autre = await insertCommune(database, { code_insee: "46009", nom: "Assier" });
    const user = await insertCommuneUser(database, martel.id, { email: "mairie@martel.test" });
    const conservateur = await insertConservateur(database, { email: "jeanne@culture.test", first_name: "Jeanne", last_name: "Martin" });
    conservateurId = conservateur.id;

    const at = async (iso: string) => {
      await sql`update audit_events set occurred_at = ${iso}::timestamptz where id = (select max(id) from audit_events)`.execute(
        database.db,
      );
    };
    await audit(database.db, {
      actor: { type: "commune", id: user.id },
      action: "commune.sign_in",
      communeId: martel.id,
      ip: "198.51.100.7",
    });
    await at("2026-03-01T10:00:00Z");
    await audit(database.db, {
      actor: { type: "conservateur", id: conservateur.id, impersonatorAdminId: admin.id },
      action: "examen.recensement_sauvegarde",
      subject: { type: "recensement", id: 42 },
      communeId: martel.id,
      before: { analyse_etat_sanitaire: null },
      after: { analyse_etat_sanitaire: "mauvais" },
      ip: "203.0.113.9",
    });
    await at("2026-03-02T23:30:00Z"); // 3 March at 00:30 in Paris (UTC+1)
    await audit(database.db, {
      actor: { type: "admin", id: admin.id },
      action: "dossier.archive",
      subject: { type: "dossier", id: 7 },
      communeId: autre.id,
      before: { status: "accepted" },
      after: { status: "archived" },
    });
    await at("2026-03-04T09:00:00Z");
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("shows every action newest first: who (and the impersonating admin), what, subject, commune, changes, IP", async () => {
    const page = await browser.get("/admin/journal");
    expect(page.statusCode).toBe(200);
    const rows = lignes(page.body);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain("Dossier archivé");
    expect(rows[0]).toContain("Assier (46009)");
    expect(rows[0]).toContain("Statut : accepted → devient archived");
    expect(page.body).toContain('href="/admin/dossiers/7"');
    expect(rows[1]).toContain("Conservateur · Jeanne Martin via incarnation par Alex Admin");
    expect(rows[1]).toContain("Examen d’un recensement enregistré");
    expect(rows[1]).toContain("État sanitaire (conservateur) : vide → devient");
    expect(rows[1]).toContain("203.0.113.9");
    expect(rows[1]).toContain("03/03/2026 00:30");
    expect(rows[2]).toContain("Connexion de la commune");
    expect(rows[2]).toContain("mairie@martel.test");
    expect(rows[2]).toContain("198.51.100.7");
  });

  it("filters by commune, action, person (email or account), and Paris calendar days", async () => {
    expect(lignes((await browser.get("/admin/journal?commune=46185")).body)).toHaveLength(2);
    const action = lignes((await browser.get("/admin/journal?action=dossier.archive")).body);
    expect(action).toHaveLength(1);
    expect(action[0]).toContain("Dossier archivé");

    const parEmail = lignes((await browser.get("/admin/journal?personne=CULTURE.test")).body);
    expect(parEmail).toHaveLength(1);
    expect(parEmail[0]).toContain("Jeanne Martin");
    const parCompte = lignes((await browser.get(`/admin/journal?acteur=admin&acteur_id=${adminId}`)).body);
    expect(parCompte).toHaveLength(1);
    expect(lignes((await browser.get(`/admin/journal?acteur=conservateur&acteur_id=${conservateurId}&commune=46009`)).body)).toHaveLength(
      0,
    );
    expect((await browser.get("/admin/journal?personne=personne-inconnue")).body).toContain("Aucune action ne correspond");

    // 2026-03-02T23:30Z is the 3rd in Paris: the 2nd alone does not show it, the 3rd does.
    expect(lignes((await browser.get("/admin/journal?du=2026-03-02&au=2026-03-02")).body)).toHaveLength(0);
    const troisMars = lignes((await browser.get("/admin/journal?du=2026-03-03&au=2026-03-03")).body);
    expect(troisMars).toHaveLength(1);
    expect(troisMars[0]).toContain("Jeanne Martin");

    const inconnue = await browser.get("/admin/journal?commune=99999");
    expect(inconnue.statusCode).toBe(200);
    expect(inconnue.body).toContain("Aucune commune n’a le code INSEE « 99999 »");
  });

  it("pages by keyset: 50 per page, the 10 older ones behind the link, even when they share the same instant", async () => {
    const db = database.db;
    await sql`
      insert into audit_events (occurred_at, actor_type, actor_id, action, commune_id)
      select '2025-01-01T12:00:00.123456Z'::timestamptz, 'system', null, 'dossier.auto_submit', ${martelId}
      from generate_series(1, 60)
    `.execute(db);
    const premiere = await browser.get("/admin/journal?action=dossier.auto_submit&commune=46185");
    expect(lignes(premiere.body)).toHaveLength(50);
    const suivante = /href="(\/admin\/journal\?[^"]*avant=[^"]*)"/.exec(premiere.body)?.[1]?.replace(/&amp;/g, "&");
    expect(suivante).toBeDefined();
    expect(suivante).toContain("action=dossier.auto_submit");
    const seconde = await browser.get(suivante ?? "");
    expect(seconde.statusCode).toBe(200);
    expect(lignes(seconde.body)).toHaveLength(10);
    expect(seconde.body).not.toContain("Actions plus anciennes");
    expect(seconde.body).toContain("Actions les plus récentes");
  });

  it("answers 400 in French to malformed filters", async () => {
    for (const url of [
      "/admin/journal?du=2026-02-30",
      "/admin/journal?acteur=pirate",
      "/admin/journal?commune=abc",
      "/admin/journal?acteur_id=-3",
      "/admin/journal?action=DROP%20TABLE",
      "/admin/journal?avant=hier~1",
    ]) {
      const response = await browser.get(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.body).toContain("Les filtres du journal ne sont pas valides");
    }
  });

  it("is refused to a conservateur", async () => {
    const conservateur = new Browser(app).withSession({ account: { type: "conservateur", id: conservateurId } });
    const response = await conservateur.get("/admin/journal");
    expect([302, 303, 403]).toContain(response.statusCode);
  });
});
