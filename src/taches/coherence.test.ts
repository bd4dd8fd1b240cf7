import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertDossier, insertObjet, insertRecensement } from "../../test/factories.ts";
import { insertAdmin } from "../../test/factories-comptes.ts";
import { loadConfig } from "../config.ts";
import { refreshCommunesStatut } from "../dossier/repository.ts";
import { verifierCoherence } from "./coherence.ts";

const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" });
const NOW = new Date("2026-11-27T04:00:00Z");

describe("daily consistency check (RB §3.8)", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  async function mailsCoherence() {
    return database.db.selectFrom("outbox_mails").selectAll().where("category", "=", "sanity_check_alert").orderBy("id").execute();
  }

  it("stays silent on consistent data, then mails every admin once a day with the planted inconsistencies", async () => {
    const admins = [await insertAdmin(database), await insertAdmin(database)];
    // Consistent data in every state.
    for (const status of ["construction", "submitted", "accepted", "archived"] as const) {
      const commune = await insertCommune(database);
      const objet = await insertObjet(database, { lieu_actuel_code_insee: commune.code_insee });
      const dossier = await insertDossier(database, { commune_id: commune.id, status });
      await insertRecensement(database, {
        objet_id: objet.id,
        dossier_id: dossier.id,
        etat_sanitaire: "peril",
        analysed_at: status === "accepted" ? new Date() : null,
      });
      await refreshCommunesStatut(database.db, [commune.id]);
    }
    expect(await verifierCoherence(database.db, config, NOW)).toEqual([]);
    expect(await mailsCoherence()).toEqual([]);

    // Planted: a commune marked completed whose dossier is still being built, and a photo count that lies.
    const commune = await insertCommune(database, { nom: "Incohérente" });
    const objet = await insertObjet(database, { lieu_actuel_code_insee: commune.code_insee });
    const dossier = await insertDossier(database, { commune_id: commune.id });
    const recensement = await insertRecensement(database, { objet_id: objet.id, dossier_id: dossier.id, photos_count: 2 });
    await refreshCommunesStatut(database.db, [commune.id]);
    await database.db.updateTable("communes").set({ status: "completed", statut_global: 3 }).where("id", "=", commune.id).execute();

    const constats = await verifierCoherence(database.db, config, NOW);
    expect(constats.map((c) => c.titre)).toEqual([
      "Statut de la commune différent de celui de son dossier en cours",
      "Statut global enregistré différent du statut recalculé",
      "Nombre de photos enregistré différent des photos présentes",
    ]);
    expect(constats[0]!.details[0]).toContain(`Incohérente (${commune.code_insee})`);
    expect(constats[2]!.details[0]).toContain(`recensement n° ${recensement.id}`);
    await verifierCoherence(database.db, config, NOW);
    const mails = await mailsCoherence();
    expect(mails.map((m) => m.to_address).sort()).toEqual(admins.map((a) => a.email).sort());
    expect(mails[0]!.text).toContain("Incohérente");
    expect(mails[0]!.subject).toContain("2026-11-27");
  });
});
