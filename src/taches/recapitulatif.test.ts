import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertConservateur, insertDossier, insertObjet, insertRecensement } from "../../test/factories.ts";
import { insertCommuneUser } from "../../test/factories-comptes.ts";
import { loadConfig } from "../config.ts";
import { refreshCommunesStatut } from "../dossier/repository.ts";
import { envoyerRecapitulatifs } from "./recapitulatif.ts";

const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" });
/** Monday 23 November 2026, 08:30 in Paris: last week runs from Monday 16 (00:00 Paris = 15 Nov 23:00Z) to Monday 23 (22 Nov 23:00Z). */
const NOW = new Date("2026-11-23T07:30:00Z");

describe("weekly digest for conservateurs (RB §7.3 activite_email)", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  async function message(communeId: number, userId: number, at: string) {
    await database.db
      .insertInto("messages")
      .values({
        commune_id: communeId,
        origin: "web",
        author_type: "commune",
        author_id: userId,
        text: "Bonjour",
        created_at: new Date(at),
      })
      .execute();
  }

  it("mails each opted-in conservateur per département with last week's activity, links included, once", async () => {
    const abonne = await insertConservateur(database, { departement_codes: ["22", "29"], send_recap: true });
    const pasAbonne = await insertConservateur(database, { departement_codes: ["22"], send_recap: false });
    const plouha = await insertCommune(database, { code_insee: "22222", nom: "Plouha" });
    const user = await insertCommuneUser(database, plouha.id);
    await message(plouha.id, user.id, "2026-11-16T08:00:00Z");
    await message(plouha.id, user.id, "2026-11-22T22:30:00Z"); // Sunday 23:30 in Paris: last week
    await message(plouha.id, user.id, "2026-11-22T23:30:00Z"); // Monday 00:30 in Paris: this week
    await message(plouha.id, user.id, "2026-11-15T22:30:00Z"); // Sunday before: the week before
    const binic = await insertCommune(database, { code_insee: "22013", nom: "Binic" });
    const dossierBinic = await insertDossier(database, {
      commune_id: binic.id,
      status: "submitted",
      submitted_at: new Date("2026-11-18T10:00:00Z"),
    });
    for (const localisation of ["edifice_initial", "absent"] as const) {
      const objet = await insertObjet(database, { lieu_actuel_code_insee: binic.code_insee });
      await insertRecensement(database, {
        objet_id: objet.id,
        dossier_id: dossierBinic.id,
        localisation,
        ...(localisation === "absent" ? {} : { etat_sanitaire: "peril" as const }),
      });
    }
    await refreshCommunesStatut(database.db, [binic.id]);
    // Nothing happened in 29 last week: an older submitted dossier does not count.
    const quimper = await insertCommune(database, { code_insee: "29232", nom: "Quimper" });
    await insertDossier(database, { commune_id: quimper.id, status: "submitted", submitted_at: new Date("2026-11-02T10:00:00Z") });
    await refreshCommunesStatut(database.db, [quimper.id]);

    expect(await envoyerRecapitulatifs(database.db, config, NOW)).toBe(1);
    expect(await envoyerRecapitulatifs(database.db, config, NOW)).toBe(0);

    const mails = await database.db.selectFrom("outbox_mails").selectAll().where("category", "=", "activite").execute();
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.to_address).toBe(abonne.email);
    expect(mail.subject).toContain("du lundi 16 novembre au dimanche 22 novembre");
    expect(mail.text).toContain("Vous avez reçu 2 messages de 1 commune");
    expect(mail.text).toContain(`${config.publicUrl}/conservateurs/communes/22222/messagerie`);
    expect(mail.text).toContain(`${config.publicUrl}/conservateurs/communes/22013`);
    expect(mail.text).toContain(`Binic (1 objet en péril, 1 objet disparu) : ${config.publicUrl}/conservateurs/communes/22013`);
    expect(mail.text).not.toContain("Quimper");
    expect(mail.text).toContain(`${config.publicUrl}/conservateurs/compte`);
    expect(mails.some((m) => m.to_address === pasAbonne.email)).toBe(false);
  });
});
