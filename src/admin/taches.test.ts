import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { auditActions, Browser, insertAdmin } from "../../test/factories-comptes.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { startJobs, type Jobs } from "../platform/jobs/boss.ts";

function texte(html: string): string {
  return html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
}

describe("admin background jobs", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let admin: Browser;
  let jobs: Jobs | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    const row = await insertAdmin(database);
    admin = new Browser(app).withSession({ account: { type: "admin", id: row.id } });
  });
  afterAll(async () => {
    await jobs?.stop();
    await app?.close();
    await database?.drop();
  });

  it("says when the queue does not exist yet, and lists every job of the platform with its schedule", async () => {
    const page = await admin.get("/admin/taches");
    expect(page.statusCode).toBe(200);
    const t = texte(page.body);
    expect(t).toContain("La file des tâches de fond n’a pas encore été créée");
    expect(t).toContain("auto-soumission-dossiers");
    expect(t).toContain("cleanup-expired-login-codes 15 3 * * *");
    expect((await admin.post("/admin/taches/6f1c2a8e-3a55-4c43-9a6f-6b0f0f6b0f0f/relancer", { confirmer: "oui" })).statusCode).toBe(404);
  });

  it("counts jobs by state, shows each failure with its error, and retries a failed job only when confirmed", async () => {
    jobs = await startJobs(database, [], { work: false });
    await jobs.boss.createQueue("auto-soumission-dossiers");
    const db = database.db;
    const { rows } = await sql<{ id: string }>`
      insert into pgboss.job (name, state, output, completed_on) values
        ('auto-soumission-dossiers', 'failed', ${JSON.stringify({ message: "dossier introuvable", stack: "Error: dossier introuvable\n    at soumettre" })}::jsonb, now()),
        ('auto-soumission-dossiers', 'completed', null, now()),
        ('auto-soumission-dossiers', 'completed', null, now()),
        ('auto-soumission-dossiers', 'created', null, null)
      returning id::text as id`.execute(db);
    const echec = rows[0]!.id;

    const page = await admin.get("/admin/taches");
    const t = texte(page.body);
    expect(t).toContain("auto-soumission-dossiers 0 9 * * * 1 0 0 2 0 1");
    expect(t).toContain("Tâches en échec (1)");
    expect(t).toContain("Error: dossier introuvable at soumettre");
    expect(page.body).toContain(`action="/admin/taches/${echec}/relancer"`);

    const avant = (await auditActions(database)).length;
    expect((await admin.post(`/admin/taches/${echec}/relancer`, {})).statusCode).toBe(400);
    expect((await admin.post("/admin/taches/pas-un-uuid/relancer", { confirmer: "oui" })).statusCode).toBe(404);
    const { rows: termine } = await sql<{ id: string }>`select id::text as id from pgboss.job where state = 'completed' limit 1`.execute(
      db,
    );
    expect((await admin.post(`/admin/taches/${termine[0]!.id}/relancer`, { confirmer: "oui" })).statusCode).toBe(409);
    const etat = async () =>
      (await sql<{ state: string }>`select state::text as state from pgboss.job where id = ${echec}::uuid`.execute(db)).rows[0]!.state;
    expect(await etat()).toBe("failed");
    expect((await auditActions(database)).length).toBe(avant);

    const ok = await admin.post(`/admin/taches/${echec}/relancer`, { confirmer: "oui" });
    expect(ok.statusCode).toBe(303);
    expect(texte((await admin.follow(ok)).body)).toContain("La tâche « auto-soumission-dossiers » a été remise dans la file");
    expect(await etat()).toBe("retry");
    expect(await auditActions(database)).toContain("tache.relancee");
    expect(texte((await admin.get("/admin/taches")).body)).toContain("Tâches en échec (0)");
  });
});
