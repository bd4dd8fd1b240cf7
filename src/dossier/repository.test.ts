import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertDossier, insertObjet, insertRecensement } from "../../test/factories.ts";
import type { DossierStatus } from "../platform/db/schema.ts";
import { findEtatRecensementCommune, listRecensementsDuDossier, refreshCommunesStatut } from "./repository.ts";
import { communeStatusForDossier, compteursAlerte, statutGlobal, type DossierCourant } from "./rules.ts";

type Scenario = {
  label: string;
  /** The commune's dossiers, oldest first; an archived one is never current. */
  dossiers: { status: DossierStatus; replied?: boolean; analysed?: number; peril?: number; absent?: number }[];
};

const SCENARIOS: Scenario[] = [
  { label: "no dossier", dossiers: [] },
  { label: "construction", dossiers: [{ status: "construction", peril: 1 }] },
  { label: "submitted", dossiers: [{ status: "submitted", peril: 2, absent: 1 }] },
  { label: "submitted + automatic reply", dossiers: [{ status: "submitted", replied: true }] },
  { label: "submitted + automatic reply + analysed", dossiers: [{ status: "submitted", replied: true, analysed: 1 }] },
  { label: "submitted + analysed", dossiers: [{ status: "submitted", analysed: 2, absent: 1 }] },
  { label: "accepted", dossiers: [{ status: "accepted", analysed: 3, peril: 1 }] },
  { label: "archived only", dossiers: [{ status: "archived", analysed: 1, peril: 2, absent: 1 }] },
  { label: "archived, then construction", dossiers: [{ status: "archived", peril: 3 }, { status: "construction" }] },
];

describe("refreshCommunesStatut (stored statut global, RB §3.6)", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it("stores, for every dossier state, what the pure rules compute, in one bulk call", async () => {
    const expected = new Map<number, { status: string; statut_global: number; en_peril_count: number; disparus_count: number }>();
    for (const scenario of SCENARIOS) {
      // A stale stored state, to prove the refresh rewrites it.
      const commune = await insertCommune(database, { status: "started", statut_global: 4, en_peril_count: 9, disparus_count: 9 });
      let courant: DossierCourant | null = null;
      let recensements: Parameters<typeof compteursAlerte>[0] = [];
      for (const plan of scenario.dossiers) {
        const dossier = await insertDossier(database, {
          commune_id: commune.id,
          status: plan.status,
          replied_automatically_at: plan.replied ? new Date() : null,
        });
        const rows = [];
        const kinds = [
          ...Array.from({ length: plan.peril ?? 0 }, () => "peril" as const),
          ...Array.from({ length: plan.absent ?? 0 }, () => "absent" as const),
          "bon" as const,
        ];
        for (const [index, kind] of kinds.entries()) {
          const objet = await insertObjet(database, { lieu_actuel_code_insee: commune.code_insee });
          rows.push(
            await insertRecensement(database, {
              objet_id: objet.id,
              dossier_id: dossier.id,
              ...(kind === "absent" ? { localisation: "absent" } : { etat_sanitaire: kind }),
              analysed_at: index < (plan.analysed ?? 0) ? new Date() : null,
            }),
          );
        }
        // A soft-deleted recensement never counts.
        const parti = await insertObjet(database, { lieu_actuel_code_insee: commune.code_insee });
        await insertRecensement(database, {
          objet_id: parti.id,
          dossier_id: dossier.id,
          status: "deleted",
          deleted_at: new Date(),
          deleted_reason: "objet-devenu-hors-scope",
          etat_sanitaire: "peril",
          analysed_at: new Date(),
        });
        if (plan.status !== "archived") {
          courant = {
            status: plan.status,
            replied_automatically_at: plan.replied ? new Date() : null,
            recensementsAnalyses: rows.filter((r) => r.analysed_at !== null).length,
          };
          recensements = rows;
        }
      }
      const counts = courant ? compteursAlerte(recensements) : { en_peril_count: 0, disparus_count: 0 };
      expected.set(commune.id, { status: communeStatusForDossier(courant), statut_global: statutGlobal(courant), ...counts });
    }

    await refreshCommunesStatut(database.db, [...expected.keys()]);

    const stored = await database.db
      .selectFrom("communes")
      .select(["id", "status", "statut_global", "en_peril_count", "disparus_count"])
      .where("id", "in", [...expected.keys()])
      .execute();
    const byId = new Map(stored.map(({ id, ...rest }) => [id, rest]));
    for (const [index, scenario] of SCENARIOS.entries()) {
      const id = [...expected.keys()][index]!;
      expect(byId.get(id), scenario.label).toEqual(expected.get(id));
    }
    // Every statut global value is reached.
    expect(new Set([...expected.values()].map((e) => e.statut_global))).toEqual(new Set([0, 1, 2, 3, 4, 5]));
  });

  it("stamps completed_at with the dossier's submission and clears it when the dossier goes back", async () => {
    const commune = await insertCommune(database);
    const submittedAt = new Date("2025-02-03T10:00:00Z");
    const dossier = await insertDossier(database, { commune_id: commune.id, status: "submitted", submitted_at: submittedAt });
    await refreshCommunesStatut(database.db, [commune.id]);
    const read = () =>
      database.db
        .selectFrom("communes")
        .select(["status", "completed_at", "started_at"])
        .where("id", "=", commune.id)
        .executeTakeFirstOrThrow();
    expect(await read()).toMatchObject({ status: "completed", completed_at: submittedAt, started_at: dossier.created_at });
    await database.db.updateTable("dossiers").set({ status: "archived" }).where("id", "=", dossier.id).execute();
    await refreshCommunesStatut(database.db, [commune.id]);
    // started_at keeps the last start: the commune did start once.
    expect(await read()).toMatchObject({ status: "inactive", completed_at: null, started_at: dossier.created_at });
  });

  it("does nothing for an empty list or unknown ids", async () => {
    await expect(refreshCommunesStatut(database.db, [])).resolves.toBeUndefined();
    await expect(refreshCommunesStatut(database.db, [987654])).resolves.toBeUndefined();
  });
});

describe("dossier read side", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it("counts the commune's objets and those recensed in the current dossier (can_complete)", async () => {
    const commune = await insertCommune(database);
    const ailleurs = await insertCommune(database);
    const [a, b, c] = [
      await insertObjet(database, { lieu_actuel_code_insee: commune.code_insee }),
      await insertObjet(database, { lieu_actuel_code_insee: commune.code_insee }),
      await insertObjet(database, { lieu_actuel_code_insee: commune.code_insee }),
    ];
    const parti = await insertObjet(database, { lieu_actuel_code_insee: ailleurs.code_insee });
    const ids = { communeId: commune.id, codeInsee: commune.code_insee };
    expect(await findEtatRecensementCommune(database.db, ids)).toEqual({ dossier: undefined, objetsCount: 3, objetsRecensesCount: 0 });

    const ancien = await insertDossier(database, { commune_id: commune.id, status: "archived" });
    await insertRecensement(database, { objet_id: c.id, dossier_id: ancien.id });
    const dossier = await insertDossier(database, { commune_id: commune.id });
    await insertRecensement(database, { objet_id: a.id, dossier_id: dossier.id });
    await insertRecensement(database, { objet_id: b.id, dossier_id: dossier.id, status: "draft" });
    // An objet that moved to another commune does not count for this one.
    await insertRecensement(database, { objet_id: parti.id, dossier_id: dossier.id });
    const etat = await findEtatRecensementCommune(database.db, ids);
    expect(etat).toMatchObject({ objetsCount: 3, objetsRecensesCount: 1 });
    expect(etat.dossier).toMatchObject({ id: dossier.id, status: "construction" });
  });

  it("lists the recensements of a dossier with their objet, the other commune's name and the photos in order", async () => {
    const commune = await insertCommune(database);
    const autre = await insertCommune(database, { nom: "Bourg-en-Bresse" });
    const objet = await insertObjet(database, {
      lieu_actuel_code_insee: commune.code_insee,
      palissy_photos: [{ url: "https://example.test/a.jpg", name: null, credit: null }],
      lieu_actuel_edifice_nom: "église Saint-Pierre",
    });
    const deplace = await insertObjet(database, { lieu_actuel_code_insee: commune.code_insee });
    const dossier = await insertDossier(database, { commune_id: commune.id, status: "submitted" });
    const r1 = await insertRecensement(database, { objet_id: objet.id, dossier_id: dossier.id, analyse_fiches: ["securisation"] });
    await insertRecensement(database, {
      objet_id: deplace.id,
      dossier_id: dossier.id,
      localisation: "deplacement_autre_commune",
      autre_commune_code_insee: autre.code_insee,
      edifice_nom: "musée",
      recensable: false,
      etat_sanitaire: null,
      securisation: null,
    });
    const photo = (position: number) => ({
      recensement_id: r1.id,
      uploaded_by: "commune" as const,
      storage_key: `photos/${r1.id}/${position}`,
      content_type: "image/jpeg" as const,
      byte_size: 1000,
      width: 800,
      height: 600,
      sha256: `sha-${position}`,
      position,
    });
    const [second, first] = await database.db
      .insertInto("photos")
      .values([photo(2), photo(1)])
      .returning("id")
      .execute();
    const rows = await listRecensementsDuDossier(database.db, dossier.id);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      id: r1.id,
      objet_id: objet.id,
      palissy_ref: objet.palissy_ref,
      edifice_initial_nom: "église Saint-Pierre",
      palissy_photo: { url: "https://example.test/a.jpg" },
      analyse_fiches: ["securisation"],
      photos: [{ id: first!.id }, { id: second!.id }],
      photos_count: 2,
    });
    expect(rows[1]).toMatchObject({ autre_commune_nom: "Bourg-en-Bresse", edifice_nom: "musée", photos: [], photos_count: 0 });
  });
});
