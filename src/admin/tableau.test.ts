import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertDossier, insertObjet, insertRecensement } from "../../test/factories.ts";
import { Browser, insertAdmin } from "../../test/factories-comptes.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { startJobs } from "../platform/jobs/boss.ts";
import { enqueueMail } from "../platform/mail/outbox.ts";

function texte(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/\s+/g, " ");
}

describe("admin dashboard", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let admin: Browser;
  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    const row = await insertAdmin(database);
    admin = new Browser(app).withSession({ account: { type: "admin", id: row.id } });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("says nothing needs attention on a quiet platform, and the job queue is not there yet", async () => {
    const page = await admin.get("/admin");
    expect(page.statusCode).toBe(200);
    const t = texte(page.body);
    expect(t).toContain("Rien ne demande d’intervention");
    expect(t).toContain("La file des tâches de fond n’a pas encore été créée");
    expect(t).toContain("Aucune campagne en cours.");
  });

  it("shows the counts, the campaigns in progress, the last imports and what needs attention, each linked to its section", async () => {
    const db = database.db;
    const c1 = await insertCommune(database, { code_insee: "01053", nom: "Bourg-en-Bresse", objets_count: 3, statut_global: 2 });
    await insertCommune(database, { code_insee: "01004", nom: "Ambérieu-en-Bugey", objets_count: 1, statut_global: 2 });
    await insertCommune(database, { code_insee: "01007", nom: "Ambronay", objets_count: 2, statut_global: 5 });
    await insertCommune(database, { code_insee: "01008", nom: "Sans objet", objets_count: 0 });
    const dossier = await insertDossier(database, { commune_id: c1.id, status: "submitted" });
    const objet = await insertObjet(database, { lieu_actuel_code_insee: "01053" });
    await insertRecensement(database, { objet_id: objet.id, dossier_id: dossier.id });
    const ancien = await insertObjet(database, { lieu_actuel_code_insee: "01053" });
    await insertRecensement(database, { objet_id: ancien.id, dossier_id: dossier.id, created_at: new Date("2001-05-01T10:00:00Z") });

    const campagne = await db
      .insertInto("campaigns")
      .values({
        departement_code: "01",
        status: "ongoing",
        date_lancement: "2020-01-06",
        date_relance1: "2020-01-20",
        date_relance2: "2020-02-03",
        date_relance3: "2099-01-01",
        date_fin: "2099-02-01",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("campaign_recipients")
      .values([
        { campaign_id: campagne.id, commune_id: c1.id, unsubscribe_token: "t1" },
        { campaign_id: campagne.id, commune_id: (await insertCommune(database, { code_insee: "01010" })).id, unsubscribe_token: "t2" },
      ])
      .execute();
    await db
      .insertInto("campaigns")
      .values({
        departement_code: "01",
        status: "draft",
        date_lancement: "2099-03-02",
        date_relance1: "2099-03-16",
        date_relance2: "2099-03-30",
        date_relance3: "2099-04-13",
        date_fin: "2099-04-27",
      })
      .execute();

    await db
      .insertInto("import_runs")
      .values({
        kind: "palissy",
        source_file: "palissy.csv",
        status: "failed",
        read: 1234,
        created: 5,
        updated: 6,
        deleted: 7,
        out_of_scope: JSON.stringify({ hors_perimetre: 3 }),
        details: "{}",
        errors: JSON.stringify([
          { ligne: 3, message: "REF manquante" },
          { ligne: 9, message: "REF manquante" },
        ]),
      })
      .execute();

    const echoue = await enqueueMail(db, {
      idempotencyKey: "test:echec",
      category: "login_code",
      from: "contact@collectif.test",
      to: "mairie@bourg.test",
      subject: "Votre code de connexion",
      html: "<p>code</p>",
      text: "code",
    });
    await db
      .updateTable("outbox_mails")
      .set({ status: "failed", attempts: 8, last_error: "550 boîte inexistante" })
      .where("id", "=", echoue.id)
      .execute();
    const retard = await enqueueMail(db, {
      idempotencyKey: "test:retard",
      category: "dossier",
      from: "contact@collectif.test",
      to: "lente@exemple.test",
      subject: "Merci pour votre recensement",
      html: "<p>merci</p>",
      text: "merci",
    });
    await db.updateTable("outbox_mails").set({ attempts: 3, last_error: "timeout" }).where("id", "=", retard.id).execute();

    const jobs = await startJobs(database, [], { work: false });
    try {
      await jobs.boss.createQueue("essai-admin");
      await sql`insert into pgboss.job (name, state, output, completed_on) values ('essai-admin', 'failed', ${JSON.stringify({ message: "connexion refusée" })}::jsonb, now())`.execute(
        db,
      );

      const page = await admin.get("/admin");
      expect(page.statusCode).toBe(200);
      const t = texte(page.body);
      expect(t).toContain(
        "À surveiller : 1 mail non distribué, 1 mail en nouvel essai, 1 tâche de fond en échec, un import récent a échoué",
      );
      expect(t).toMatch(/ 3 communes ayant des objets protégés/);
      expect(t).toMatch(/ 1 dossiers envoyés, en attente d’examen/);
      expect(t).toMatch(/ 1 objets recensés ou en cours ce mois-ci/);
      expect(t).toContain("À examiner 2 ");
      expect(t).toContain("Examiné 1 ");
      // Campaigns: only the ongoing one, at its second reminder, with its 2 recipients.
      expect(page.body).toContain(`href="/admin/campagnes/${campagne.id}"`);
      expect(t).toContain("01 - Ain 06/01/2020 01/02/2099 Deuxième relance 2");
      // Last import, its outcome and number of errors.
      expect(t).toContain("Objets (Palissy)");
      expect(t).toMatch(/Échoué 1 234 5 \/ 6 \/ 7 2/);
      // Failed job with its error, and the two undelivered mails.
      expect(t).toContain("essai-admin");
      expect(t).toContain("connexion refusée");
      expect(page.body).toContain('href="/admin/taches"');
      expect(t).toContain("1 en échec définitif, 1 en nouvel essai");
      expect(page.body).toContain(`href="/admin/mails/${echoue.id}"`);
      expect(t).toContain("550 boîte inexistante");
      expect(t).toContain("Nouvel essai prévu (2 échecs)");
      expect(page.body).toContain('href="/admin/mails?etat=failed"');
    } finally {
      await jobs.stop();
    }
  });

  it("is not shown to an anonymous visitor", async () => {
    const anonyme = await new Browser(app).get("/admin");
    expect(anonyme.statusCode).not.toBe(200);
    expect(anonyme.body).not.toContain("Tableau de bord");
  });
});
