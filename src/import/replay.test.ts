import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { importAnnuaire } from "./annuaire.ts";
import { importMemoire } from "./memoire.ts";
import { importMerimee } from "./merimee.ts";
import { importPalissy, readPalissyRows } from "./palissy.ts";
import { edificeSlug, lieuActuel, palissyScopeReasons, scopeMessage } from "./rules.ts";

/** Replays the shared sample exports against their expected outcome (skipped in a plain clone). */
const dataDir = path.resolve(process.env.CO_SHARED_DATA_DIR ?? "../shared/data");
const available = fs.existsSync(path.join(dataDir, "palissy-sample.expected.csv"));
if (!available) console.info(`Rejeu des échantillons ignoré : dossier ${dataDir} absent (CO_SHARED_DATA_DIR).`);

const sample = (name: string) => path.join(dataDir, name);
const expectedRows = (name: string) =>
  parse<Record<string, string>>(fs.readFileSync(sample(name), "utf8"), { columns: true, delimiter: ";", bom: true });

const ANNUAIRE_REASONS: Record<string, string> = {
  "pas une mairie principale": "pas_une_mairie_principale",
  "pivot[0] n'est pas mairie": "pas_une_mairie",
  "plusieurs mairies principales pour ce code INSEE": "plusieurs_mairies_principales",
  "aucun objet en base pour ce code INSEE": "sans_objet",
  "code_insee absent": "sans_code_insee",
};

describe.runIf(available)("replay of the shared samples", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it("derives scope, reasons, lieu actuel, département and édifice slug of every Palissy sample row", async () => {
    const expected = new Map(expectedRows("palissy-sample.expected.csv").map((row) => [row.reference!, row]));
    let count = 0;
    for await (const row of readPalissyRows(sample("palissy-sample.csv"))) {
      const want = expected.get(row.reference)!;
      const reasons = palissyScopeReasons(row);
      const lieu = lieuActuel(row);
      expect(
        {
          ref: row.reference,
          scope: reasons.length === 0 ? "in" : "out",
          reasons: scopeMessage(reasons),
          code: lieu.code_insee ?? "",
          departement: lieu.departement_code ?? "",
          nom: lieu.edifice_nom ?? "",
          edificeRef: lieu.edifice_ref ?? "",
          slug: edificeSlug(lieu.edifice_nom),
        },
        want.note,
      ).toEqual({
        ref: want.reference,
        scope: want.expected_scope,
        reasons: want.out_of_scope_reasons,
        code: want.lieu_actuel_code_insee,
        departement: want.lieu_actuel_departement_code,
        nom: want.lieu_actuel_edifice_nom,
        edificeRef: want.lieu_actuel_edifice_ref,
        slug: want.edifice_slug,
      });
      count += 1;
    }
    expect(count).toBe(expected.size);
  });

  it("imports the Palissy sample into objets and édifices as expected, idempotently", async () => {
    const expected = expectedRows("palissy-sample.expected.csv");
    const inScope = expected.filter((row) => row.expected_scope === "in");
    const summary = await importPalissy(database, sample("palissy-sample.csv"));
    expect(summary).toMatchObject({ read: expected.length, in_scope: inScope.length, created: inScope.length, errors: [] });
    const objets = await database.db
      .selectFrom("objets")
      .innerJoin("edifices", "edifices.id", "objets.edifice_id")
      .select([
        "palissy_ref",
        "lieu_actuel_code_insee",
        "lieu_actuel_departement_code",
        "lieu_actuel_edifice_nom",
        "edifices.merimee_ref",
        "edifices.slug",
        "edifices.code_insee",
      ])
      .orderBy("palissy_ref")
      .execute();
    expect(objets).toEqual(
      inScope
        .map((row) => ({
          palissy_ref: row.reference,
          lieu_actuel_code_insee: row.lieu_actuel_code_insee,
          lieu_actuel_departement_code: row.lieu_actuel_departement_code,
          lieu_actuel_edifice_nom: row.lieu_actuel_edifice_nom,
          merimee_ref: row.lieu_actuel_edifice_ref || null,
          slug: row.edifice_slug,
          code_insee: row.lieu_actuel_code_insee,
        }))
        .sort((a, b) => a.palissy_ref!.localeCompare(b.palissy_ref!)),
    );
    expect(await importPalissy(database, sample("palissy-sample.csv"))).toMatchObject({ created: 0, updated: 0, deleted: 0 });
  });

  it("imports the annuaire sample as expected", async () => {
    const expected = expectedRows("annuaire-mairies-sample.expected.csv");
    const summary = await importAnnuaire(database, sample("annuaire-mairies-sample.csv"));
    const reasons: Record<string, number> = {};
    for (const row of expected.filter((r) => r.outcome === "skip")) {
      const key = ANNUAIRE_REASONS[row.reason!]!;
      reasons[key] = (reasons[key] ?? 0) + 1;
    }
    expect(summary).toMatchObject({ read: expected.length, out_of_scope: reasons, errors: [] });
    const communes = await database.db
      .selectFrom("communes")
      .leftJoin("commune_users", "commune_users.commune_id", "communes.id")
      .select(["code_insee", "nom", "phone_number", "email", "departement_code"])
      .orderBy("code_insee")
      .execute();
    expect(communes).toEqual(
      expected
        .filter((row) => row.outcome === "upsert")
        .map((row) => ({
          code_insee: row.code_insee_commune,
          nom: row.commune_nom,
          phone_number: row.phone_number || null,
          email: row.user_email || null,
          departement_code: row.departement_code,
        }))
        .sort((a, b) => a.code_insee!.localeCompare(b.code_insee!)),
    );
    expect(await importAnnuaire(database, sample("annuaire-mairies-sample.csv"))).toMatchObject({ created: 0, updated: 0, deleted: 0 });
  });

  it("applies the Mérimée sample to existing édifices only", async () => {
    const before = await database.db.selectFrom("edifices").select("id").execute();
    const summary = await importMerimee(database, sample("merimee-sample.csv"));
    expect(summary).toMatchObject({ read: 6, created: 0, errors: [] });
    expect(summary.out_of_scope.sans_code_insee).toBe(1);
    const allymes = await database.db
      .selectFrom("edifices")
      .select(["nom", "code_insee"])
      .where("merimee_ref", "=", "PA00113792")
      .executeTakeFirstOrThrow();
    expect(allymes).toEqual({ nom: "Chapelle des Allymes", code_insee: "01004" });
    expect((await database.db.selectFrom("edifices").select("id").execute()).length).toBe(before.length);
  });

  it("attaches the Mémoire sample photos from the CSV and from the JSON page identically", async () => {
    const csv = await importMemoire(database, sample("palissy_to_memoire-sample.csv"));
    expect(csv).toMatchObject({ read: 12, out_of_scope: { objet_inconnu: 1 }, errors: [] });
    const photos = await database.db.selectFrom("objets").select(["palissy_ref", "palissy_photos"]).orderBy("palissy_ref").execute();
    const withPhotos = photos.filter((o) => o.palissy_photos.length > 0);
    expect(withPhotos.map((o) => o.palissy_ref)).toContain("PM65001516");
    expect(withPhotos.flatMap((o) => o.palissy_photos).every((p) => /^https:\/\/[^/]+\/memoire\//.test(p.url))).toBe(true);
    const json = await importMemoire(database, sample("palissy_to_memoire-page-sample.json"));
    expect(json).toMatchObject({ read: 12, in_scope: csv.in_scope, updated: 0, errors: [] });
  });
});

describe.skipIf(available)("replay of the shared samples (skipped)", () => {
  it.skip(`needs the shared sample folder ${dataDir} (set CO_SHARED_DATA_DIR)`, () => undefined);
});
