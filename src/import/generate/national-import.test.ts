import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/database.ts";
import { importAnnuaire } from "../annuaire.ts";
import { importPalissy } from "../palissy.ts";
import { FILES, generateNational, type ExpectedCounts } from "./national.ts";

function withoutZeros(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

/** The generator's expected counts are computed from each row's intent; the importers must find them. */
describe("importing the national synthetic dataset (scale 0.01)", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "co-national-"));
  let database: TestDatabase;
  let expected: ExpectedCounts;

  beforeAll(async () => {
    expected = await generateNational({ out, seed: 3, scale: 0.01 });
    database = await createTestDatabase();
  }, 120_000);
  afterAll(async () => {
    await database?.drop();
    fs.rmSync(out, { recursive: true, force: true });
  });

  it("imports Palissy with the expected counts, objets per département, communes and édifices", async () => {
    const summary = await importPalissy(database, path.join(out, FILES.palissy));
    expect(summary.errors).toEqual([]);
    expect(summary.read).toBe(expected.palissy.read);
    expect(summary.in_scope).toBe(expected.palissy.in_scope);
    expect(summary.out_of_scope).toEqual(withoutZeros(expected.palissy.out_of_scope));
    expect(summary.created).toBe(expected.palissy.in_scope);
    expect({ updated: summary.updated, deleted: summary.deleted }).toEqual({ updated: 0, deleted: 0 });

    const byDepartement = await sql<{ code: string; n: number }>`
      select lieu_actuel_departement_code as code, count(*)::int as n from objets group by 1`.execute(database.db);
    expect(Object.fromEntries(byDepartement.rows.map((r) => [r.code, r.n]))).toEqual(expected.palissy.objets_by_departement);
    const communes = await sql<{ n: number }>`select count(distinct lieu_actuel_code_insee)::int as n from objets`.execute(database.db);
    expect(communes.rows[0]?.n).toBe(expected.palissy.communes_with_objets);
    const edifices = await sql<{ n: number }>`select count(*)::int as n from edifices`.execute(database.db);
    expect(edifices.rows[0]?.n).toBe(expected.palissy.edifices);
  });

  it("re-imports the same file without changing anything", async () => {
    const summary = await importPalissy(database, path.join(out, FILES.palissy));
    expect({ created: summary.created, updated: summary.updated, deleted: summary.deleted }).toEqual({
      created: 0,
      updated: 0,
      deleted: 0,
    });
    expect(summary.in_scope).toBe(expected.palissy.in_scope);
  });

  it("imports the annuaire: one commune per code with objets and a single mairie principale", async () => {
    const summary = await importAnnuaire(database, path.join(out, FILES.annuaire));
    expect(summary.errors).toEqual([]);
    expect(summary.read).toBe(expected.annuaire.read);
    expect(summary.in_scope).toBe(expected.annuaire.in_scope);
    expect(summary.created).toBe(expected.annuaire.in_scope);
    expect(summary.out_of_scope).toEqual(withoutZeros(expected.annuaire.out_of_scope));
    const users = await sql<{ n: number }>`select count(*)::int as n from commune_users`.execute(database.db);
    expect(users.rows[0]?.n).toBe(expected.annuaire.users);
    const orphans = await sql<{ n: number }>`
      select count(distinct o.lieu_actuel_code_insee)::int as n from objets o
      where not exists (select 1 from communes c where c.code_insee = o.lieu_actuel_code_insee)`.execute(database.db);
    expect(orphans.rows[0]?.n).toBe(expected.annuaire.communes_avec_objets_sans_mairie);
  });
});
