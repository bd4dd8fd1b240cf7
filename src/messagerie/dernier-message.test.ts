import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertConservateur } from "../../test/factories.ts";
import { findConservateurIdentity } from "../comptes/repository.ts";
import { up } from "../platform/db/migrations/0015_messages_non_lus.ts";

describe("latest commune message kept on the commune (unread threads of every conservateur page)", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  const ecrire = async (communeId: number, auteur: "commune" | "conservateur") =>
    database.db
      .insertInto("messages")
      .values({ commune_id: communeId, origin: "web", author_type: auteur, author_id: 1, text: `message de ${auteur}` })
      .returning("id")
      .executeTakeFirstOrThrow();
  const dernier = async (communeId: number) =>
    database.db.selectFrom("communes").select(["dernier_message_commune_id as id"]).where("id", "=", communeId).executeTakeFirstOrThrow();

  it("follows the commune's own messages only, and counts a thread unread until read", async () => {
    const conservateur = await insertConservateur(database, { departement_codes: ["24"] });
    const commune = await insertCommune(database, { code_insee: "24001" });
    const voisine = await insertCommune(database, { code_insee: "24002" });
    expect((await dernier(commune.id)).id).toBeNull();

    const premier = await ecrire(commune.id, "commune");
    await ecrire(commune.id, "conservateur");
    expect((await dernier(commune.id)).id).toBe(premier.id);
    const second = await ecrire(commune.id, "commune");
    expect((await dernier(commune.id)).id).toBe(second.id);
    expect((await dernier(voisine.id)).id).toBeNull();
    expect((await findConservateurIdentity(database.db, conservateur.id))?.filsNonLus).toBe(1);

    await database.db
      .insertInto("message_lectures")
      .values({ lecteur_type: "conservateur", lecteur_id: conservateur.id, commune_id: commune.id, dernier_message_lu_id: second.id })
      .execute();
    expect((await findConservateurIdentity(database.db, conservateur.id))?.filsNonLus).toBe(0);
    await ecrire(voisine.id, "commune");
    expect((await findConservateurIdentity(database.db, conservateur.id))?.filsNonLus).toBe(1);
  });

  it("fills the communes that had written before the migration", async () => {
    const commune = await insertCommune(database, { code_insee: "24003" });
    await sql`drop trigger messages_dernier_message_commune on messages`.execute(database.db);
    await sql`drop function retenir_dernier_message_commune()`.execute(database.db);
    await sql`alter table communes drop column dernier_message_commune_id, drop column dernier_message_commune_at`.execute(database.db);
    const ancien = await ecrire(commune.id, "commune");
    await ecrire(commune.id, "conservateur");
    await up(database.db as unknown as Kysely<unknown>);
    expect((await dernier(commune.id)).id).toBe(ancien.id);
    const nouveau = await ecrire(commune.id, "commune");
    expect((await dernier(commune.id)).id).toBe(nouveau.id);
  });
});
