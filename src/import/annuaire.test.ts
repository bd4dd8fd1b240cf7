import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { importAnnuaire } from "./annuaire.ts";
import { ANNUAIRE_LABELS, annuaireRow, csvText, fixtureDir, palissyCsv, palissyRow } from "./fixtures/files.ts";
import { importPalissy } from "./palissy.ts";
import { ImportFailedError } from "./runs.ts";

describe("annuaire import", () => {
  let database: TestDatabase;
  const files = fixtureDir();

  beforeAll(async () => {
    database = await createTestDatabase();
    await importPalissy(
      database,
      files.write(
        "palissy.csv",
        palissyCsv([
          palissyRow({ Reference: "PM01000001", COG_Insee: "01004" }),
          palissyRow({ Reference: "PM01000002", COG_Insee: "01004" }),
          palissyRow({ Reference: "PM65000001", COG_Insee: "65123" }),
          palissyRow({ Reference: "PM52000001", COG_Insee: "52178" }),
          palissyRow({ Reference: "PM2A000001", COG_Insee: "2A004" }),
          palissyRow({ Reference: "PM97100001", COG_Insee: "97105" }),
          palissyRow({ Reference: "PM64000001", COG_Insee: "64445" }),
        ]),
      ),
    );
  });
  afterAll(async () => {
    await database.drop();
    files.remove();
  });

  const rows = [
    annuaireRow({
      code: "01004",
      nom: "Mairie - Ambérieu-en-Bugey",
      phone: "04 00 00 00 01",
      emails: "mairie@amberieu.example.org",
      latitude: "45.958",
      longitude: "5.357",
    }),
    annuaireRow({
      code: "65123",
      nom: "Mairie - Campan",
      phone: "05 00 00 00 02",
      emails: "accueil@campan.example.org;secretariat@campan.example.org",
      latitude: "42.98",
      longitude: "0.18",
    }),
    annuaireRow({ code: "52178", nom: "Mairie - Doulevant-le-Château", phone: "f" }),
    annuaireRow({ code: "52178", nom: "Mairie déléguée - Blaiserives", emails: "deleguee@example.org" }),
    annuaireRow({ code: "64445", nom: "Conseil départemental - Pyrénées-Atlantiques", pivot: "cg", emails: "cd64@example.org" }),
    annuaireRow({ code: "64445", nom: "Bureau annexe de la mairie - Pau" }),
    annuaireRow({ code: "2A004", nom: "Mairie - Ajaccio", emails: "mairie@ajaccio.example.org" }),
    annuaireRow({ code: "2A004", nom: "Mairie - Ajaccio (Hôtel de ville)", emails: "hdv@ajaccio.example.org" }),
    annuaireRow({ code: "97105", nom: "Mairie - Basse-Terre", phone: "05 90 00 00 12" }),
    annuaireRow({ code: "75056", nom: "Mairie - Paris", emails: "paris@example.org" }),
    annuaireRow({ code: "", nom: "Mairie - Sans code", emails: "orphan@example.org" }),
  ];

  it("creates communes and accounts for main town halls of communes with objets, then changes nothing", async () => {
    const file = files.write("annuaire.csv", csvText(ANNUAIRE_LABELS, rows));
    const first = await importAnnuaire(database, file);
    expect(first).toEqual({
      read: 11,
      in_scope: 4,
      out_of_scope: {
        pas_une_mairie_principale: 2,
        pas_une_mairie: 1,
        plusieurs_mairies_principales: 2,
        sans_objet: 1,
        sans_code_insee: 1,
      },
      created: 4,
      updated: 0,
      deleted: 0,
      errors: [],
    });
    const communes = await database.db
      .selectFrom("communes")
      .leftJoin("commune_users", "commune_users.commune_id", "communes.id")
      .select(["code_insee", "nom", "departement_code", "phone_number", "latitude", "longitude", "objets_count", "email"])
      .orderBy("code_insee")
      .execute();
    expect(communes).toEqual([
      {
        code_insee: "01004",
        nom: "Ambérieu-en-Bugey",
        departement_code: "01",
        phone_number: "04 00 00 00 01",
        latitude: 45.958,
        longitude: 5.357,
        objets_count: 2,
        email: "mairie@amberieu.example.org",
      },
      {
        code_insee: "52178",
        nom: "Doulevant-le-Château",
        departement_code: "52",
        phone_number: null,
        latitude: null,
        longitude: null,
        objets_count: 1,
        email: null,
      },
      {
        code_insee: "65123",
        nom: "Campan",
        departement_code: "65",
        phone_number: "05 00 00 00 02",
        latitude: 42.98,
        longitude: 0.18,
        objets_count: 1,
        email: "accueil@campan.example.org",
      },
      {
        code_insee: "97105",
        nom: "Basse-Terre",
        departement_code: "971",
        phone_number: "05 90 00 00 12",
        latitude: null,
        longitude: null,
        objets_count: 1,
        email: null,
      },
    ]);
    const ain = await database.db
      .selectFrom("departements")
      .select(["bbox_north", "bbox_west"])
      .where("code", "=", "01")
      .executeTakeFirstOrThrow();
    expect(ain).toEqual({ bbox_north: 45.958, bbox_west: 5.357 });

    const second = await importAnnuaire(database, file);
    expect(second).toMatchObject({ in_scope: 4, created: 0, updated: 0, deleted: 0, errors: [] });
  });

  it("updates changed communes, replaces changed accounts and deletes communes gone from scope unless they have dossiers", async () => {
    const campan = await database.db.selectFrom("communes").select("id").where("code_insee", "=", "65123").executeTakeFirstOrThrow();
    await database.db.insertInto("dossiers").values({ commune_id: campan.id }).execute();
    const next = [
      annuaireRow({
        code: "01004",
        nom: "Mairie - Ambérieu-en-Bugey",
        phone: "04 00 00 00 99",
        emails: "nouvelle@amberieu.example.org",
        latitude: "45.958",
        longitude: "5.357",
      }),
      annuaireRow({ code: "52178", nom: "Mairie - Doulevant-le-Château", emails: "mairie@amberieu.example.org" }),
      annuaireRow({ code: "97105", nom: "Mairie annexe - Basse-Terre" }),
    ];
    const summary = await importAnnuaire(database, files.write("annuaire-2.csv", csvText(ANNUAIRE_LABELS, next)));
    expect(summary).toMatchObject({ in_scope: 2, created: 0, updated: 1, deleted: 1, errors: [] });
    const communes = await database.db
      .selectFrom("communes")
      .leftJoin("commune_users", "commune_users.commune_id", "communes.id")
      .select(["code_insee", "phone_number", "email"])
      .orderBy("code_insee")
      .execute();
    expect(communes).toEqual([
      { code_insee: "01004", phone_number: "04 00 00 00 99", email: "nouvelle@amberieu.example.org" },
      { code_insee: "52178", phone_number: null, email: "mairie@amberieu.example.org" },
      { code_insee: "65123", phone_number: "05 00 00 00 02", email: "accueil@campan.example.org" },
    ]);
    const run = await database.db.selectFrom("import_runs").select("details").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(run.details).toEqual({ comptes_crees: 2, comptes_supprimes: 1, communes_conservees_avec_dossiers: 1 });
  });

  it("stops on a missing column before writing anything", async () => {
    const before = await database.db.selectFrom("communes").select("code_insee").execute();
    const labels = ANNUAIRE_LABELS.filter((l) => l !== "pivot");
    const error = await importAnnuaire(database, files.write("bad.csv", csvText(labels, rows))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFailedError);
    expect((error as Error).message).toContain("Colonne obligatoire absente du fichier : pivot");
    expect(await database.db.selectFrom("communes").select("code_insee").execute()).toEqual(before);
  });
});
