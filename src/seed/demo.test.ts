import argon2 from "argon2";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { communeStatusForDossier, compteursAlerte, statutGlobal } from "../dossier/rules.ts";
import { DEMO_COMMUNE_PUBLIQUE, DEMO_DEPARTEMENTS, DEMO_OBJET_PUBLIC, DEMO_PASSWORD, demoCommuneEmail } from "./demo-data.ts";
import { isDatabaseEmpty, seedDemo, type DemoSeedReport } from "./demo.ts";

const TABLES = [
  "communes",
  "commune_users",
  "admins",
  "conservateurs",
  "conservateur_departements",
  "edifices",
  "objets",
  "campaigns",
  "campaign_recipients",
  "dossiers",
  "recensements",
  "messages",
] as const;

async function counts(database: TestDatabase): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of TABLES) {
    const { rows } = await database.pool.query<{ n: number }>(`select count(*)::int as n from ${table}`);
    result[table] = rows[0]!.n;
  }
  return result;
}

describe("seed demo", () => {
  let database: TestDatabase;
  let first: DemoSeedReport;
  let second: DemoSeedReport;
  let countsAfterFirst: Record<string, number>;
  const now = new Date("2025-03-12T10:00:00Z");

  beforeAll(async () => {
    database = await createTestDatabase();
    expect(await isDatabaseEmpty(database)).toBe(true);
    first = await seedDemo(database, { now });
    countsAfterFirst = await counts(database);
    second = await seedDemo(database, { now });
  });
  afterAll(async () => {
    await database.drop();
  });

  it("is idempotent: a second run creates nothing and reports it", async () => {
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(await counts(database)).toEqual(countsAfterFirst);
    expect(await isDatabaseEmpty(database)).toBe(false);
    expect(second.personas).toEqual(first.personas);
  });

  it("creates 2–3 départements of real communes, one account each, and 100–300 objets with right counters", async () => {
    const expectedCommunes = DEMO_DEPARTEMENTS.flatMap((d) => d.communes);
    expect(countsAfterFirst.communes).toBe(expectedCommunes.length);
    expect(countsAfterFirst.objets).toBeGreaterThanOrEqual(100);
    expect(countsAfterFirst.objets).toBeLessThanOrEqual(300);
    const mismatches = await sql<{ code_insee: string }>`
      select c.code_insee from communes c
      where c.objets_count <> (select count(*) from objets o where o.lieu_actuel_code_insee = c.code_insee)`.execute(database.db);
    expect(mismatches.rows).toEqual([]);
    const users = await database.db
      .selectFrom("commune_users")
      .innerJoin("communes", "communes.id", "commune_users.commune_id")
      .select(["email", "code_insee"])
      .execute();
    for (const user of users) expect(user.email).toBe(demoCommuneEmail(user.code_insee));
    const withoutCoordinates = await database.db.selectFrom("communes").select("code_insee").where("latitude", "is", null).execute();
    expect(withoutCoordinates).toEqual([]);
    const bbox = await database.db
      .selectFrom("departements")
      .select(["code", "bbox_north"])
      .where(
        "code",
        "in",
        DEMO_DEPARTEMENTS.map((d) => d.code),
      )
      .execute();
    expect(bbox.every((d) => d.bbox_north !== null)).toBe(true);
  });

  it("gives objets Palissy-like fields and Mémoire photos", async () => {
    const objet = await database.db
      .selectFrom("objets")
      .selectAll()
      .where("palissy_ref", "=", DEMO_OBJET_PUBLIC.palissy_ref)
      .executeTakeFirstOrThrow();
    expect(objet.palissy_tico).toBe(DEMO_OBJET_PUBLIC.titre);
    expect(objet.lieu_actuel_code_insee).toBe(DEMO_COMMUNE_PUBLIQUE.code_insee);
    expect(objet.palissy_photos.length).toBeGreaterThan(0);
    expect(objet.palissy_photos[0]!.url).toMatch(
      /^https:\/\/popcorn-prd-perf-assets\.s3\.gra\.io\.cloud\.ovh\.net\/memoire\/AP56L\d{6}\/ap56l\d{6}_p\.jpg$/,
    );
    const protections = await database.db.selectFrom("objets").select("palissy_prot").distinct().execute();
    expect(protections.map((p) => p.palissy_prot).sort()).toEqual(["classé au titre objet", "inscrit au titre objet"]);
    const badDpro = await database.db
      .selectFrom("objets")
      .select("palissy_ref")
      .where("palissy_dpro", "!~", "^\\d{4}/\\d{2}/\\d{2} : (classé|inscrit) au titre objet")
      .execute();
    expect(badDpro).toEqual([]);
    const edificesAvecRef = await database.db.selectFrom("edifices").select("id").where("merimee_ref", "is not", null).execute();
    expect(edificesAvecRef.length).toBeGreaterThan(10);
    const deplaces = await database.db
      .selectFrom("objets")
      .select(["palissy_web", "palissy_depl"])
      .where("palissy_web", "is not", null)
      .execute();
    expect(deplaces.some((o) => o.palissy_depl)).toBe(true);
    expect(deplaces.some((o) => !o.palissy_depl)).toBe(true);
  });

  it("has dossiers in every state and recensements covering every answer", async () => {
    const dossiers = await database.db
      .selectFrom("dossiers")
      .select(["status", "replied_automatically_at", "conservateur_id", "accepted_at"])
      .execute();
    expect(new Set(dossiers.map((d) => d.status))).toEqual(new Set(["construction", "submitted", "accepted", "archived"]));
    expect(dossiers.some((d) => d.status === "submitted" && d.replied_automatically_at)).toBe(true);
    for (const d of dossiers.filter((d) => d.status === "accepted")) expect(d.conservateur_id && d.accepted_at).toBeTruthy();

    const recensements = await database.db.selectFrom("recensements").selectAll().execute();
    const values = (key: "localisation" | "etat_sanitaire" | "securisation" | "status") =>
      new Set(recensements.map((r) => r[key]).filter((v) => v !== null));
    expect(values("localisation")).toEqual(
      new Set(["edifice_initial", "autre_edifice", "deplacement_autre_commune", "deplacement_temporaire", "absent"]),
    );
    expect(values("etat_sanitaire")).toEqual(new Set(["bon", "moyen", "mauvais", "peril"]));
    expect(values("securisation")).toEqual(new Set(["en_securite", "en_danger"]));
    expect(values("status")).toEqual(new Set(["draft", "completed"]));
    expect(recensements.some((r) => r.analyse_fiches.length > 0 && r.analyse_etat_sanitaire !== null)).toBe(true);
    for (const r of recensements.filter((r) => r.status === "completed" && !r.recensable)) {
      expect([r.etat_sanitaire, r.securisation]).toEqual([null, null]);
    }
  });

  it("stores commune statuses consistent with their current dossier (RB §3.6)", async () => {
    const communes = await database.db.selectFrom("communes").selectAll().execute();
    const statuts = new Set<number>();
    for (const commune of communes) {
      const dossier = await database.db
        .selectFrom("dossiers")
        .select(["id", "status", "replied_automatically_at"])
        .where("commune_id", "=", commune.id)
        .where("status", "<>", "archived")
        .executeTakeFirst();
      const recensements = dossier
        ? await database.db.selectFrom("recensements").selectAll().where("dossier_id", "=", dossier.id).execute()
        : [];
      const courant =
        dossier && dossier.status !== "archived"
          ? {
              status: dossier.status,
              replied_automatically_at: dossier.replied_automatically_at,
              recensementsAnalyses: recensements.filter((r) => r.analysed_at).length,
            }
          : null;
      expect({ code: commune.code_insee, status: commune.status, statut: commune.statut_global, ...compteursAlerte(recensements) }).toEqual(
        {
          code: commune.code_insee,
          status: communeStatusForDossier(courant),
          statut: statutGlobal(courant),
          en_peril_count: commune.en_peril_count,
          disparus_count: commune.disparus_count,
        },
      );
      statuts.add(commune.statut_global);
    }
    expect([...statuts].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(communes.some((c) => c.en_peril_count > 0)).toBe(true);
    expect(communes.some((c) => c.disparus_count > 0)).toBe(true);
  });

  it("runs an ongoing campaign on weekdays with recipients", async () => {
    const campaign = await database.db.selectFrom("campaigns").selectAll().where("status", "=", "ongoing").executeTakeFirstOrThrow();
    const dates = [campaign.date_lancement, campaign.date_relance1, campaign.date_relance2, campaign.date_relance3, campaign.date_fin];
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(dates).size).toBe(5);
    for (const date of dates) expect([0, 6]).not.toContain(new Date(`${date}T12:00:00Z`).getUTCDay());
    expect(campaign.date_lancement <= "2025-03-12" && campaign.date_fin > "2025-03-12").toBe(true);
    const recipients = await database.db.selectFrom("campaign_recipients").selectAll().where("campaign_id", "=", campaign.id).execute();
    expect(recipients.length).toBeGreaterThan(10);
    expect(recipients.some((r) => r.opt_out)).toBe(true);
  });

  it("hashes the demo passwords with argon2id", async () => {
    const admin = await database.db.selectFrom("admins").select("password_hash").executeTakeFirstOrThrow();
    const conservateur = await database.db.selectFrom("conservateurs").select(["id", "password_hash"]).executeTakeFirstOrThrow();
    for (const hash of [admin.password_hash!, conservateur.password_hash!]) {
      expect(hash).toMatch(/^\$argon2id\$/);
      expect(await argon2.verify(hash, DEMO_PASSWORD)).toBe(true);
    }
    const departements = await database.db
      .selectFrom("conservateur_departements")
      .select("departement_code")
      .where("conservateur_id", "=", conservateur.id)
      .execute();
    expect(departements.map((d) => d.departement_code).sort()).toEqual(DEMO_DEPARTEMENTS.map((d) => d.code).sort());
  });
});
