import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/platform/db/database.ts";
import { lockDataDir } from "../src/platform/db/lock.ts";
import { createTestDatabase, type TestDatabase } from "./database.ts";

describe("database", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it("searches accent-insensitively with unaccent and pg_trgm", async () => {
    await database.db.insertInto("communes").values({ code_insee: "01004", nom: "Ambérieu-en-Bugey", departement_code: "01" }).execute();
    const rows = await database.db
      .selectFrom("communes")
      .select("nom")
      .where(sql<boolean>`search_normalize(nom) like ${"%amberieu%"}`)
      .execute();
    expect(rows.map((r) => r.nom)).toEqual(["Ambérieu-en-Bugey"]);
    const similarity = await sql<{
      s: number;
    }>`select similarity(search_normalize('Église Saint-Étienne'), 'eglise saint etienne') as s`.execute(database.db);
    expect(similarity.rows[0]!.s).toBeGreaterThan(0.5);
  });

  it("enforces one current dossier per commune and state CHECK constraints", async () => {
    const commune = await database.db
      .insertInto("communes")
      .values({ code_insee: "02001", nom: "Abbécourt", departement_code: "02" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await database.db.insertInto("dossiers").values({ commune_id: commune.id }).execute();
    await expect(database.db.insertInto("dossiers").values({ commune_id: commune.id }).execute()).rejects.toThrow(
      /dossiers_current_per_commune/,
    );
    await expect(
      database.db
        .updateTable("communes")
        .set({ status: "bogus" as never })
        .where("id", "=", commune.id)
        .execute(),
    ).rejects.toThrow(/check/i);
    await expect(
      database.db.insertInto("communes").values({ code_insee: "02001", nom: "Doublon", departement_code: "02" }).execute(),
    ).rejects.toThrow(/unique|duplicate/i);
  });
});

describe("embedded database folder lock", () => {
  it("refuses a second process on the same folder with a clear message, and frees the folder on release", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "co-lock-"));
    const lock = lockDataDir(dir);
    const child = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "migrate"], {
      env: { ...process.env, DATA_DIR: dir, DATABASE_URL: "" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(child.status).not.toBe(0);
    expect(child.stderr).toContain("déjà utilisé par le processus");
    expect(child.stderr).toContain("already in use");
    expect(fs.existsSync(path.join(dir, "pgdata"))).toBe(false);
    lock.release();
    const second = lockDataDir(dir);
    second.release();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("takes over a lock left by a dead process", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "co-lock-"));
    fs.writeFileSync(path.join(dir, "collectif-objets.lock"), "999999");
    const lock = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, "collectif-objets.lock"), "utf8")).toBe(String(process.pid));
    lock.release();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("opens an embedded database persisted across restarts", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "co-persist-"));
    const first = await openDatabase({ dataDir: dir });
    await first.pool.query("create table t (v text)");
    await first.pool.query("insert into t values ('persisté')");
    await first.close();
    const second = await openDatabase({ dataDir: dir });
    const { rows } = await second.pool.query("select v from t");
    expect(rows).toEqual([{ v: "persisté" }]);
    await second.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
