import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertDossier, insertObjet, insertRecensement } from "../../test/factories.ts";
import { insertCommuneUser } from "../../test/factories-comptes.ts";
import { loadConfig } from "../config.ts";
import { refreshCommunesStatut } from "../dossier/repository.ts";
import { NOTE_AUTO_SOUMISSION, soumettreDossiersInactifs } from "./auto-soumission.ts";

const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" });
const NOW = new Date("2026-03-31T07:00:00Z");
const JOUR = 24 * 3600 * 1000;

describe("auto-submit of dossiers untouched for a month (RB §3.2, §7.1)", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  /** A started commune with `objets` objets, each with a recensement last changed at `modifie`. */
  async function communeRecensee(options: { objets: number; recenses: number; modifie: Date; brouillon?: boolean }) {
    const commune = await insertCommune(database);
    const users = [await insertCommuneUser(database, commune.id)];
    const dossier = await insertDossier(database, { commune_id: commune.id, created_at: new Date(NOW.getTime() - 90 * JOUR) });
    for (let i = 0; i < options.objets; i += 1) {
      const objet = await insertObjet(database, { lieu_actuel_code_insee: commune.code_insee });
      if (i < options.recenses)
        await insertRecensement(database, {
          objet_id: objet.id,
          dossier_id: dossier.id,
          updated_at: options.modifie,
          status: options.brouillon && i === 0 ? "draft" : "completed",
        });
    }
    await refreshCommunesStatut(database.db, [commune.id]);
    return { commune, dossier, users };
  }

  async function etat(dossierId: number, communeId: number) {
    const dossier = await database.db.selectFrom("dossiers").selectAll().where("id", "=", dossierId).executeTakeFirstOrThrow();
    const commune = await database.db.selectFrom("communes").selectAll().where("id", "=", communeId).executeTakeFirstOrThrow();
    const mails = await database.db
      .selectFrom("outbox_mails")
      .select(["to_address", "subject"])
      .where("category", "=", "dossier_auto_submitted")
      .where("idempotency_key", "like", `dossier-auto-submitted:${dossierId}:%`)
      .orderBy("to_address")
      .execute();
    return { dossier, commune, mails };
  }

  it("submits a complete dossier untouched for over a month, once, with the comment, the commune completed and a mail to its user", async () => {
    const vieux = await communeRecensee({ objets: 2, recenses: 2, modifie: new Date(NOW.getTime() - 32 * JOUR) });
    const premier = await soumettreDossiersInactifs(database.db, config, NOW);
    expect(premier).toContain(vieux.dossier.id);
    const apres = await etat(vieux.dossier.id, vieux.commune.id);
    expect(apres.dossier.status).toBe("submitted");
    expect(apres.dossier.notes_commune).toBe(NOTE_AUTO_SOUMISSION);
    expect(apres.dossier.notes_commune).toMatch(/^Commentaire automatique : /);
    expect(apres.commune.status).toBe("completed");
    expect(apres.commune.statut_global).toBe(3);
    expect(apres.mails.map((m) => m.to_address).sort()).toEqual(vieux.users.map((u) => u.email).sort());
    expect(apres.mails[0]!.subject).toContain("transmis aux conservateurs");
    const audits = await database.db
      .selectFrom("audit_events")
      .select(["action", "actor_type"])
      .where("subject_id", "=", String(vieux.dossier.id))
      .where("action", "=", "dossier.auto_submit")
      .execute();
    expect(audits).toEqual([{ action: "dossier.auto_submit", actor_type: "system" }]);

    // Second run: nothing changes, no new mail, no new audit.
    expect(await soumettreDossiersInactifs(database.db, config, NOW)).not.toContain(vieux.dossier.id);
    const encore = await etat(vieux.dossier.id, vieux.commune.id);
    expect(encore.dossier.submitted_at).toEqual(apres.dossier.submitted_at);
    expect(encore.mails).toHaveLength(1);
    const audits2 = await database.db
      .selectFrom("audit_events")
      .select("id")
      .where("subject_id", "=", String(vieux.dossier.id))
      .where("action", "=", "dossier.auto_submit")
      .execute();
    expect(audits2).toHaveLength(1);
  });

  it("waits one full month after the last change, and never sends an incomplete dossier", async () => {
    // 31 March minus one month is 28 February (2026): changed on 1 March, still within the month.
    const recent = await communeRecensee({ objets: 1, recenses: 1, modifie: new Date("2026-02-28T08:00:00Z") });
    const limite = await communeRecensee({ objets: 1, recenses: 1, modifie: new Date("2026-02-28T06:00:00Z") });
    const incomplet = await communeRecensee({ objets: 2, recenses: 1, modifie: new Date(NOW.getTime() - 60 * JOUR) });
    const brouillon = await communeRecensee({ objets: 2, recenses: 2, modifie: new Date(NOW.getTime() - 60 * JOUR), brouillon: true });
    const soumis = await soumettreDossiersInactifs(database.db, config, NOW);
    expect(soumis).toContain(limite.dossier.id);
    expect(soumis).not.toContain(recent.dossier.id);
    expect(soumis).not.toContain(incomplet.dossier.id);
    expect(soumis).not.toContain(brouillon.dossier.id);
    for (const pas of [recent, incomplet, brouillon]) {
      const e = await etat(pas.dossier.id, pas.commune.id);
      expect(e.dossier.status).toBe("construction");
      expect(e.commune.status).toBe("started");
      expect(e.mails).toHaveLength(0);
    }
  });
});
