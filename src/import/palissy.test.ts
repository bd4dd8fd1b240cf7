import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { fixtureDir, palissyCsv, palissyRow, PALISSY_LABELS } from "./fixtures/files.ts";
import { importPalissy, readPalissyRows } from "./palissy.ts";
import { ImportFailedError } from "./runs.ts";
import { refreshCommuneStatut } from "../dossier/repository.ts";

const rows = [
  palissyRow({
    Reference: "PM01000001",
    Reference_a_une_notice_Merimee_MH: "https://www.pop.culture.gouv.fr/notice/merimee/PA00113792",
    Nom_de_l_edifice: "chapelle des Allymes",
  }),
  palissyRow({
    Reference: "PM01000002",
    Nom_de_l_edifice: "Chapelle des Allymes",
    Reference_a_une_notice_Merimee_MH: "PA00113792",
    Titre_editorial: "",
  }),
  palissyRow({ Reference: "PM01000003", Nom_de_l_edifice: "église paroissiale Saint-Martin", Historique: 'ligne 1\r\nligne 2 ; "citée"' }),
  palissyRow({ Reference: "PM01000004", Nom_de_l_edifice: "Eglise Saint Martin" }),
  palissyRow({ Reference: "PM01000005", COG_Insee: "01340", Code_INSEE_commune_actuelle: "01015" }),
  palissyRow({
    Reference: "PM01000006",
    Code_INSEE_commune_actuelle: "01384",
    Lieu_de_deplacement_de_l_objet: "déposé en 1995",
    Edifice_actuel: "église Saint-Rambert ; PA00116543",
    Reference_a_une_notice_Merimee_MH: "PA00113792",
  }),
  // The REF's édifice is in 01004: a new édifice without REF is created in 01015.
  palissyRow({
    Reference: "PM01000007",
    COG_Insee: "01015",
    Nom_de_l_edifice: "chapelle annexe",
    Reference_a_une_notice_Merimee_MH: "PA00113792",
  }),
  palissyRow({ Reference: "PM01000008", Statut_juridique_du_proprietaire: "propriété de l'Etat" }),
  palissyRow({ Reference: "PM01000009", Typologie_du_dossier: "sous-dossier" }),
  palissyRow({ Reference: "PM01000010", COG_Insee: "" }),
  palissyRow({ Reference: "PM01000011", Statut_juridique_de_l_objet: "volé" }),
  palissyRow({ Reference: "PM01000012", Titre_editorial: "Traitement en cours" }),
  palissyRow({ Reference: "PM01000013", Date_et_typologie_de_la_protection: "1908 : classé au titre objet ; 1930 : déclassé" }),
];

describe("Palissy import", () => {
  let database: TestDatabase;
  const files = fixtureDir();

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
    files.remove();
  });
  beforeEach(async () => {
    await database.pool.query("truncate objets, edifices, recensements, dossiers, communes, import_runs restart identity cascade");
  });

  it("imports the rows in scope, counts the others by reason, and changes nothing on a second run", async () => {
    const file = files.write("palissy.csv", palissyCsv(rows));
    const first = await importPalissy(database, file);
    expect(first).toEqual({
      read: 13,
      in_scope: 7,
      out_of_scope: {
        propriete_de_l_etat: 1,
        pas_dossier_individuel: 1,
        sans_code_insee: 1,
        manquant_ou_vole: 1,
        en_cours_de_traitement: 1,
        declasse: 1,
      },
      created: 7,
      updated: 0,
      deleted: 0,
      errors: [],
    });
    const objets = await database.db
      .selectFrom("objets")
      .leftJoin("edifices", "edifices.id", "objets.edifice_id")
      .select([
        "palissy_ref",
        "lieu_actuel_code_insee",
        "lieu_actuel_departement_code",
        "edifices.merimee_ref",
        "edifices.slug",
        "edifices.code_insee",
        "edifice_id",
      ])
      .orderBy("palissy_ref")
      .execute();
    const byRef = Object.fromEntries(objets.map((o) => [o.palissy_ref, o]));
    expect(byRef.PM01000001).toMatchObject({ merimee_ref: "PA00113792", slug: "chapelle-des-allymes", code_insee: "01004" });
    expect(byRef.PM01000002!.edifice_id).toBe(byRef.PM01000001!.edifice_id);
    expect(byRef.PM01000003).toMatchObject({ merimee_ref: null, slug: "eglise-saint-martin" });
    expect(byRef.PM01000004!.edifice_id).toBe(byRef.PM01000003!.edifice_id);
    expect(byRef.PM01000005).toMatchObject({ lieu_actuel_code_insee: "01015", code_insee: "01015", slug: "eglise-saint-martin" });
    expect(byRef.PM01000006).toMatchObject({ lieu_actuel_code_insee: "01384", merimee_ref: "PA00116543", slug: "eglise-saint-rambert" });
    expect(byRef.PM01000007).toMatchObject({ lieu_actuel_code_insee: "01015", merimee_ref: null, slug: "chapelle-annexe" });
    expect(
      await database.db
        .selectFrom("edifices")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirst(),
    ).toEqual({ n: 5 });

    const second = await importPalissy(database, file);
    expect(second).toMatchObject({ read: 13, in_scope: 7, created: 0, updated: 0, deleted: 0, errors: [] });

    const runs = await database.db.selectFrom("import_runs").selectAll().orderBy("id").execute();
    expect(runs.map((r) => [r.kind, r.status, r.created, r.read])).toEqual([
      ["palissy", "succeeded", 7, 13],
      ["palissy", "succeeded", 0, 13],
    ]);
    expect(runs[0]!.out_of_scope).toMatchObject({ declasse: 1 });
    expect(runs[0]!.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it("archives recensements of objets leaving the scope or changing commune, deletes drafts, keeps counts right", async () => {
    const base = [
      palissyRow({ Reference: "PM01000001" }),
      palissyRow({ Reference: "PM01000002" }),
      palissyRow({ Reference: "PM01000003", Titre_editorial: "ciboire" }),
    ];
    await importPalissy(database, files.write("v1.csv", palissyCsv(base)));
    const commune = await database.db
      .insertInto("communes")
      .values({ code_insee: "01004", nom: "Ambérieu-en-Bugey", departement_code: "01" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const dossier = await database.db.insertInto("dossiers").values({ commune_id: commune.id }).returning("id").executeTakeFirstOrThrow();
    const objets = await database.db.selectFrom("objets").select(["id", "palissy_ref"]).orderBy("palissy_ref").execute();
    const completed = {
      dossier_id: dossier.id,
      status: "completed" as const,
      localisation: "edifice_initial" as const,
      recensable: true,
      etat_sanitaire: "bon" as const,
      securisation: "en_securite" as const,
    };
    await database.db
      .insertInto("recensements")
      .values([
        { ...completed, objet_id: objets[0]!.id },
        { ...completed, objet_id: objets[1]!.id },
        { dossier_id: dossier.id, objet_id: objets[2]!.id },
      ])
      .execute();

    const v2 = [
      palissyRow({
        Reference: "PM01000001",
        Statut_juridique_de_l_objet: "manquant",
        Statut_juridique_du_proprietaire: "propriété de l'Etat",
      }),
      palissyRow({ Reference: "PM01000002", Code_INSEE_commune_actuelle: "01015" }),
      palissyRow({ Reference: "PM01000003", Titre_editorial: "ciboire", Typologie_du_dossier: "sous-dossier" }),
    ];
    const summary = await importPalissy(database, files.write("v2.csv", palissyCsv(v2)));
    expect(summary).toMatchObject({
      in_scope: 1,
      created: 0,
      updated: 1,
      deleted: 2,
      out_of_scope: { manquant_ou_vole: 1, pas_dossier_individuel: 1 },
    });

    const recensements = await database.db.selectFrom("recensements").selectAll().orderBy("id").execute();
    expect(recensements).toHaveLength(2);
    expect(recensements[0]).toMatchObject({
      status: "deleted",
      objet_id: null,
      deleted_reason: "objet-devenu-hors-scope",
      deleted_message: "l’objet est manquant ou volé, l’objet est propriété de l’État",
      deleted_objet_snapshot: {
        palissy_ref: "PM01000001",
        palissy_tico: "calice",
        lieu_actuel_code_insee: "01004",
        lieu_actuel_edifice_nom: "église Saint-Martin",
      },
    });
    expect(recensements[0]!.deleted_at).not.toBeNull();
    expect(recensements[1]).toMatchObject({
      status: "deleted",
      objet_id: null,
      deleted_reason: "changement-de-commune",
      deleted_message: "changement de commune appliqué 01004 → 01015",
    });
    expect(await database.db.selectFrom("objets").select("palissy_ref").execute()).toEqual([{ palissy_ref: "PM01000002" }]);
    const communeAfter = await database.db
      .selectFrom("communes")
      .select("objets_count")
      .where("id", "=", commune.id)
      .executeTakeFirstOrThrow();
    expect(communeAfter.objets_count).toBe(0);
    const run = await database.db.selectFrom("import_runs").select("details").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(run.details).toMatchObject({ recensements_archives: 2, recensements_brouillons_supprimes: 1, changements_de_commune: 1 });

    const again = await importPalissy(database, files.write("v2bis.csv", palissyCsv(v2)));
    expect(again).toMatchObject({ created: 0, updated: 0, deleted: 0 });
  });

  it("refreshes the statut global and alert counters of the communes whose recensements it archives, in the same run", async () => {
    const base = [
      palissyRow({ Reference: "PM01000001" }),
      palissyRow({ Reference: "PM01000002" }),
      palissyRow({ Reference: "PM01000003" }),
    ];
    await importPalissy(database, files.write("statut-v1.csv", palissyCsv(base)));
    const commune = await database.db
      .insertInto("communes")
      .values({ code_insee: "01004", nom: "Ambérieu-en-Bugey", departement_code: "01" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const dossier = await database.db
      .insertInto("dossiers")
      .values({ commune_id: commune.id, status: "submitted", submitted_at: new Date() })
      .returning("id")
      .executeTakeFirstOrThrow();
    const objets = await database.db.selectFrom("objets").select(["id", "palissy_ref"]).orderBy("palissy_ref").execute();
    const completed = { dossier_id: dossier.id, status: "completed" as const, recensable: true, securisation: "en_securite" as const };
    await database.db
      .insertInto("recensements")
      .values([
        // En péril, and the only recensement the conservateur has examined so far.
        { ...completed, objet_id: objets[0]!.id, localisation: "edifice_initial", etat_sanitaire: "peril", analysed_at: new Date() },
        { ...completed, objet_id: objets[1]!.id, localisation: "absent", recensable: false, securisation: null },
        { ...completed, objet_id: objets[2]!.id, localisation: "edifice_initial", etat_sanitaire: "bon" },
      ])
      .execute();
    await refreshCommuneStatut(database.db, commune.id);
    const statut = () =>
      database.db
        .selectFrom("communes")
        .select(["status", "statut_global", "en_peril_count", "disparus_count"])
        .where("id", "=", commune.id)
        .executeTakeFirstOrThrow();
    expect(await statut()).toEqual({ status: "completed", statut_global: 4, en_peril_count: 1, disparus_count: 1 });

    const v2 = [
      palissyRow({ Reference: "PM01000001", Statut_juridique_de_l_objet: "volé" }),
      palissyRow({ Reference: "PM01000002", Code_INSEE_commune_actuelle: "01015" }),
      palissyRow({ Reference: "PM01000003" }),
    ];
    await importPalissy(database, files.write("statut-v2.csv", palissyCsv(v2)));
    // The examined péril recensement left with its objet: nothing examined any more, nothing en péril or disparu.
    expect(await statut()).toEqual({ status: "completed", statut_global: 3, en_peril_count: 0, disparus_count: 0 });
  });

  it("stops before any write when a required column is missing, naming it", async () => {
    const labels = PALISSY_LABELS.filter((l) => l !== "COG_Insee" && l !== "Typologie_du_dossier");
    const file = files.write("missing.csv", palissyCsv([palissyRow({ Reference: "PM01000001" })], {}, labels));
    const error = await importPalissy(database, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFailedError);
    expect((error as Error).message).toMatch(/Colonnes obligatoires absentes du fichier : cog_insee, typologie_du_dossier/);
    expect(await database.db.selectFrom("objets").selectAll().execute()).toEqual([]);
    expect(await database.db.selectFrom("edifices").selectAll().execute()).toEqual([]);
    const run = await database.db.selectFrom("import_runs").selectAll().executeTakeFirstOrThrow();
    expect(run.status).toBe("failed");
    expect(run.errors).toEqual([expect.stringContaining("cog_insee")]);
  });

  it("reads LF and CRLF files, a BOM, quoted multi-line cells and headers in any case", async () => {
    const sample = [
      palissyRow({ Reference: "PM01000001", Historique: 'première ligne\nseconde ; avec "guillemets"', Titre_editorial: "  tableau  " }),
      palissyRow({ Reference: "PM01000002", Description: "a\r\nb" }),
    ];
    const variants = [
      palissyCsv(sample, { eol: "\n" }),
      palissyCsv(sample, { eol: "\r\n", bom: true }),
      palissyCsv(sample, { headerCase: "lower" }),
      palissyCsv(sample, { headerCase: "upper", eol: "\n" }),
    ];
    for (const [i, text] of variants.entries()) {
      const read = [];
      for await (const row of readPalissyRows(files.write(`variant-${i}.csv`, text))) read.push(row);
      expect(read.map((r) => [r.reference, r.titre_editorial, r.cog_insee])).toEqual([
        ["PM01000001", "tableau", "01004"],
        ["PM01000002", "calice", "01004"],
      ]);
    }
    const summary = await importPalissy(database, files.write("variant-import.csv", variants[3]!));
    expect(summary).toMatchObject({ read: 2, created: 2, errors: [] });
  });

  it("reports unusable rows as errors without stopping", async () => {
    const file = files.write(
      "errors.csv",
      palissyCsv([
        palissyRow({ Reference: "" }),
        palissyRow({ Reference: "PM01000001", COG_Insee: "1004" }),
        palissyRow({ Reference: "PM01000002" }),
        palissyRow({ Reference: "PM01000002", Titre_editorial: "doublon" }),
      ]),
    );
    const summary = await importPalissy(database, file);
    expect(summary.created).toBe(1);
    expect(summary.errors).toEqual([
      expect.stringMatching(/^ligne 2 : référence Palissy absente/),
      expect.stringMatching(/PM01000001\) : code INSEE du lieu actuel invalide « 1004 »/),
      expect.stringMatching(/PM01000002\) : référence déjà lue/),
    ]);
  });
});
