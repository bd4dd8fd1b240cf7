import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { csvText, fixtureDir, MERIMEE_LABELS, palissyCsv, palissyRow } from "./fixtures/files.ts";
import { importMerimee } from "./merimee.ts";
import { importPalissy } from "./palissy.ts";

describe("Mérimée import", () => {
  let database: TestDatabase;
  const files = fixtureDir();

  beforeAll(async () => {
    database = await createTestDatabase();
    await importPalissy(
      database,
      files.write(
        "palissy.csv",
        palissyCsv([
          palissyRow({
            Reference: "PM65000001",
            COG_Insee: "65123",
            Nom_de_l_edifice: "église Notre-Dame-de-l'Assomption",
            Reference_a_une_notice_Merimee_MH: "PA00095358",
          }),
          // Same building under its Mérimée title, without the REF: merged into the REF one by Mérimée.
          palissyRow({ Reference: "PM65000002", COG_Insee: "65123", Nom_de_l_edifice: "église de l'Assomption" }),
          palissyRow({ Reference: "PM01000001", COG_Insee: "01004", Nom_de_l_edifice: "chapelle des Allymes" }),
          palissyRow({ Reference: "PM01000002", COG_Insee: "01004", Nom_de_l_edifice: "église Saint-Symphorien" }),
        ]),
      ),
    );
  });
  afterAll(async () => {
    await database.drop();
    files.remove();
  });

  it("updates édifices found by REF or by slug, merges duplicates, never creates, then changes nothing", async () => {
    const file = files.write(
      "merimee.csv",
      csvText(MERIMEE_LABELS, [
        {
          Reference: "PA00095358",
          COG_Insee_lors_de_la_protection: "65123",
          Titre_editorial_de_la_notice: "Église de l'Assomption",
          Région: "Occitanie",
        },
        { Reference: "PA00113792", COG_Insee_lors_de_la_protection: "01004,01053", Titre_editorial_de_la_notice: "Chapelle des Allymes" },
        { Reference: "PA00116543", COG_Insee_lors_de_la_protection: "01384", Titre_editorial_de_la_notice: "Église Saint-Rambert" },
        { Reference: "PA00000001", COG_Insee_lors_de_la_protection: "", Titre_editorial_de_la_notice: "Sans commune" },
        { Reference: "", COG_Insee_lors_de_la_protection: "01004", Titre_editorial_de_la_notice: "Sans référence" },
      ]),
    );
    const first = await importMerimee(database, file);
    expect(first).toEqual({
      read: 5,
      in_scope: 2,
      out_of_scope: { edifice_absent: 1, sans_code_insee: 1 },
      created: 0,
      updated: 2,
      deleted: 1,
      errors: [expect.stringMatching(/^ligne 6 : référence Mérimée absente/)],
    });
    const edifices = await database.db
      .selectFrom("edifices")
      .select(["merimee_ref", "code_insee", "nom", "slug"])
      .orderBy("code_insee")
      .orderBy("slug")
      .execute();
    expect(edifices).toEqual([
      { merimee_ref: "PA00113792", code_insee: "01004", nom: "Chapelle des Allymes", slug: "chapelle-des-allymes" },
      { merimee_ref: null, code_insee: "01004", nom: "église Saint-Symphorien", slug: "eglise-saint-symphorien" },
      { merimee_ref: "PA00095358", code_insee: "65123", nom: "Église de l'Assomption", slug: "eglise-assomption" },
    ]);
    const campan = await database.db
      .selectFrom("objets")
      .innerJoin("edifices", "edifices.id", "objets.edifice_id")
      .select(["palissy_ref", "merimee_ref"])
      .where("lieu_actuel_code_insee", "=", "65123")
      .orderBy("palissy_ref")
      .execute();
    expect(campan).toEqual([
      { palissy_ref: "PM65000001", merimee_ref: "PA00095358" },
      { palissy_ref: "PM65000002", merimee_ref: "PA00095358" },
    ]);

    const second = await importMerimee(database, file);
    expect(second).toMatchObject({ in_scope: 2, created: 0, updated: 0, deleted: 0 });
  });
});
