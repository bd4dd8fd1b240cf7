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
    // Planted: an examined dossier without its date (the database already refuses one without conservateur), a completed recensement without its état, a campaign never finished.
    const autre = await insertCommune(database, { nom: "Sans date d’examen" });
    const objetAutre = await insertObjet(database, { lieu_actuel_code_insee: autre.code_insee });
    const accepte = await insertDossier(database, { commune_id: autre.id, status: "accepted" });
    await database.db.updateTable("dossiers").set({ accepted_at: null }).where("id", "=", accepte.id).execute();
    const sansEtat = await insertRecensement(database, { objet_id: objetAutre.id, dossier_id: accepte.id, etat_sanitaire: null });
    await refreshCommunesStatut(database.db, [autre.id]);
    await database.db
      .insertInto("campaigns")
      .values({
        departement_code: "01",
        status: "ongoing",
        date_lancement: "2026-09-01",
        date_relance1: "2026-09-15",
        date_relance2: "2026-09-29",
        date_relance3: "2026-10-13",
        date_fin: "2026-10-27",
      })
      .execute();

    const constats = await verifierCoherence(database.db, config, NOW);
    expect(constats.map((c) => c.titre)).toEqual([
      "Statut de la commune différent de celui de son dossier en cours",
      "Statut global enregistré différent du statut recalculé",
      "Dossier examiné sans conservateur ou sans date d’examen",
      "Recensement terminé sans les réponses obligatoires",
      "Nombre de photos enregistré différent des photos présentes",
      "Campagne en cours dont la date de fin est passée de plus d’un jour",
    ]);
    expect(constats[0]!.details[0]).toContain(`Incohérente (${commune.code_insee})`);
    expect(constats[2]!.details).toEqual([`dossier n° ${accepte.id} de Sans date d’examen (${autre.code_insee})`]);
    expect(constats[3]!.details).toEqual([`recensement n° ${sansEtat.id} (dossier n° ${accepte.id})`]);
    expect(constats[4]!.details[0]).toContain(`recensement n° ${recensement.id}`);
    await verifierCoherence(database.db, config, NOW);
    const mails = await mailsCoherence();
    expect(mails.map((m) => m.to_address).sort()).toEqual(admins.map((a) => a.email).sort());
    expect(mails[0]!.text).toContain("Incohérente");
    expect(mails[0]!.subject).toContain("2026-11-27");
  });
});
