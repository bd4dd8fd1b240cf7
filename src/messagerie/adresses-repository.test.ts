import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune } from "../../test/factories.ts";
import { adresseReponse, jetonValide, lireAdresseReponse } from "./adresses.ts";
import { renouvelerAdressesReponse } from "./adresses-repository.ts";

describe("renewing a commune's reply addresses", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.drop());

  it("changes both addresses, refuses the old ones and records who did it", async () => {
    const reponses = { cle: Buffer.alloc(32, 3), domaine: "reponse.example.test" };
    const avant = await insertCommune(database, { code_insee: "29019", nom: "Brest" });
    const ancienne = lireAdresseReponse(adresseReponse(reponses.cle, reponses.domaine, avant, "conservateur"), reponses.domaine)!;

    const adresses = await renouvelerAdressesReponse(database.db, reponses, "29019", { type: "admin", id: 1 });

    const apres = await database.db.selectFrom("communes").selectAll().where("id", "=", avant.id).executeTakeFirstOrThrow();
    expect(apres.inbound_email_token).not.toBe(avant.inbound_email_token);
    expect(apres.inbound_email_token_rotated_at).toBeInstanceOf(Date);
    expect(jetonValide(reponses.cle, apres, ancienne)).toBe(false);
    expect(jetonValide(reponses.cle, apres, lireAdresseReponse(adresses!.conservateurs, reponses.domaine)!)).toBe(true);
    expect(jetonValide(reponses.cle, apres, lireAdresseReponse(adresses!.mairie, reponses.domaine)!)).toBe(true);
    const evenement = await database.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "messagerie.adresses_renouvelees")
      .executeTakeFirstOrThrow();
    expect(evenement).toMatchObject({ actor_type: "admin", actor_id: 1, commune_id: avant.id });
    expect(await renouvelerAdressesReponse(database.db, reponses, "99999", { type: "admin", id: 1 })).toBeNull();
  });
});
