import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertDossier } from "../../test/factories.ts";
import { effacerRecenseursAnciens } from "./rgpd.ts";

const NOW = new Date("2026-11-27T03:30:00Z");

describe("RGPD erasure of recenseur data after 6 years (RB §7.1, scheduled)", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it("empties the recenseur of dossiers created more than 6 years ago, audits the count, and a second run does nothing", async () => {
    const dossier = async (createdAt: string, status: "accepted" | "archived") =>
      insertDossier(database, {
        commune_id: (await insertCommune(database)).id,
        status,
        created_at: new Date(createdAt),
        recenseur: "Marie Dupont, 06 12 34 56 78",
      });
    const vieux = await dossier("2020-11-27T03:00:00Z", "archived");
    const tresVieux = await dossier("2018-03-01T10:00:00Z", "accepted");
    const recent = await dossier("2020-11-27T04:00:00Z", "accepted");

    expect(await effacerRecenseursAnciens(database.db, NOW)).toBe(2);
    expect(await effacerRecenseursAnciens(database.db, NOW)).toBe(0);

    const rows = await database.db
      .selectFrom("dossiers")
      .select(["id", "recenseur"])
      .where("id", "in", [vieux.id, tresVieux.id, recent.id])
      .orderBy("id")
      .execute();
    expect(rows).toEqual([
      { id: vieux.id, recenseur: null },
      { id: tresVieux.id, recenseur: null },
      { id: recent.id, recenseur: "Marie Dupont, 06 12 34 56 78" },
    ]);
    const audits = await database.db
      .selectFrom("audit_events")
      .select(["action", "after"])
      .where("action", "=", "rgpd.recenseur_efface")
      .execute();
    expect(audits).toHaveLength(1);
    expect(audits[0]!.after).toMatchObject({ dossiers: 2 });
  });
});
