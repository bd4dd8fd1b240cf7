import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertDossier, insertObjet, insertRecensement } from "../../test/factories.ts";
import { insertCommuneUser } from "../../test/factories-comptes.ts";
import { loadConfig } from "../config.ts";
import { refreshCommunesStatut } from "../dossier/repository.ts";
import { commencerRecensement } from "../recensement/repository.ts";
import { relancerDossiersIncomplets } from "./relances.ts";

const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" });
/** 1 November 2026, 08:00 in Paris (UTC+1). */
const NOW = new Date("2026-11-01T07:00:00Z");

describe("reminders and archiving of incomplete dossiers (RB §7.1, monthly)", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  async function dossierCree(createdAt: string, status: "construction" | "submitted" = "construction") {
    const commune = await insertCommune(database);
    const user = await insertCommuneUser(database, commune.id);
    const objet = await insertObjet(database, { lieu_actuel_code_insee: commune.code_insee });
    const dossier = await insertDossier(database, { commune_id: commune.id, status, created_at: new Date(createdAt) });
    const recensement = await insertRecensement(database, { objet_id: objet.id, dossier_id: dossier.id, status: "draft" });
    await refreshCommunesStatut(database.db, [commune.id]);
    return { commune, user, objet, dossier, recensement };
  }

  async function mails(email: string) {
    return database.db.selectFrom("outbox_mails").select(["category", "subject"]).where("to_address", "=", email).orderBy("id").execute();
  }

  it("reminds at 9 and 11 months by Paris calendar month, archives at 12, and a second run changes nothing", async () => {
    // Month M-9 is February 2026 in Paris: from 2026-01-31T23:00Z to 2026-02-28T23:00Z.
    const fevrierDebut = await dossierCree("2026-01-31T23:30:00Z");
    const fevrierFin = await dossierCree("2026-02-28T22:30:00Z");
    const janvierFin = await dossierCree("2026-01-31T22:30:00Z");
    const mars = await dossierCree("2026-02-28T23:30:00Z");
    const fevrierEnvoye = await dossierCree("2026-02-10T10:00:00Z", "submitted");
    // Month M-11 is December 2025 in Paris: from 2025-11-30T23:00Z.
    const decembre = await dossierCree("2025-11-30T23:30:00Z");
    // Up to the end of November 2025 in Paris: archived.
    const novembre = await dossierCree("2025-11-30T22:30:00Z");
    const tresVieux = await dossierCree("2024-05-10T10:00:00Z");

    for (let run = 0; run < 2; run += 1) {
      const bilan = await relancerDossiersIncomplets(database.db, config, NOW);
      expect(bilan.relances).toEqual(expect.arrayContaining([fevrierDebut.dossier.id, fevrierFin.dossier.id]));
      expect(bilan.relances).not.toContain(janvierFin.dossier.id);
      expect(bilan.relances).not.toContain(mars.dossier.id);
      expect(bilan.relances).not.toContain(fevrierEnvoye.dossier.id);
      expect(bilan.dernieresRelances).toContain(decembre.dossier.id);
      expect(bilan.dernieresRelances).not.toContain(novembre.dossier.id);
      // The first run archives; the second finds nothing left to archive.
      expect(bilan.archives).toEqual(run === 0 ? [novembre.dossier.id, tresVieux.dossier.id].sort((a, b) => a - b) : []);
    }

    for (const d of [fevrierDebut, fevrierFin]) {
      const m = await mails(d.user.email);
      expect(m).toEqual([{ category: "relance_dossier_incomplet", subject: "Plus que 3 mois pour finaliser votre recensement" }]);
    }
    expect(await mails(decembre.user.email)).toEqual([
      { category: "derniere_relance_dossier_incomplet", subject: "Plus qu’un mois pour finaliser votre recensement" },
    ]);
    const texte = await database.db
      .selectFrom("outbox_mails")
      .select("text")
      .where("to_address", "=", fevrierDebut.user.email)
      .executeTakeFirstOrThrow();
    expect(texte.text).toContain("jusqu’au 31 janvier 2027 inclus");
    expect(texte.text).toContain(`${config.publicUrl}/communes/${fevrierDebut.commune.code_insee}/objets`);
    for (const d of [janvierFin, mars, fevrierEnvoye, novembre, tresVieux]) expect(await mails(d.user.email)).toEqual([]);
  });

  it("leaves an archived commune inactive, « Non recensé », able to recense again in a new dossier", async () => {
    const ancien = await dossierCree("2025-06-15T10:00:00Z");
    await relancerDossiersIncomplets(database.db, config, NOW);
    const dossier = await database.db.selectFrom("dossiers").selectAll().where("id", "=", ancien.dossier.id).executeTakeFirstOrThrow();
    expect(dossier.status).toBe("archived");
    expect(dossier.archived_at).not.toBeNull();
    const commune = await database.db.selectFrom("communes").selectAll().where("id", "=", ancien.commune.id).executeTakeFirstOrThrow();
    expect(commune.status).toBe("inactive");
    expect(commune.statut_global).toBe(0);
    // Its recensement stays with the archived dossier.
    const recensement = await database.db
      .selectFrom("recensements")
      .select(["dossier_id", "status"])
      .where("id", "=", ancien.recensement.id)
      .executeTakeFirstOrThrow();
    expect(recensement.dossier_id).toBe(ancien.dossier.id);
    const audit = await database.db
      .selectFrom("audit_events")
      .select(["action", "actor_type"])
      .where("subject_id", "=", String(ancien.dossier.id))
      .execute();
    expect(audit).toEqual([{ action: "dossier.archive_incomplet", actor_type: "system" }]);

    const nouveau = await commencerRecensement(
      database.db,
      { type: "commune", id: ancien.user.id },
      { communeId: ancien.commune.id, codeInsee: ancien.commune.code_insee },
      ancien.objet.id,
    );
    const row = await database.db.selectFrom("recensements").select("dossier_id").where("id", "=", nouveau).executeTakeFirstOrThrow();
    expect(row.dossier_id).not.toBe(ancien.dossier.id);
    const relance = await database.db
      .selectFrom("communes")
      .select(["status", "statut_global"])
      .where("id", "=", ancien.commune.id)
      .executeTakeFirstOrThrow();
    expect(relance).toEqual({ status: "started", statut_global: 1 });
  });
});
