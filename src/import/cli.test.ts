import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it, vi } from "vitest";
import { runImportCommand } from "./cli.ts";
import { fixtureDir, palissyCsv, palissyRow } from "./fixtures/files.ts";

const files = fixtureDir();

function co(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
    env: { ...process.env, DATABASE_URL: "", DATA_DIR: files.dir + "/var", ...env },
    encoding: "utf8",
    timeout: 240_000,
  });
}

describe("co import", () => {
  afterAll(() => files.remove());

  it("prints exactly one JSON summary with --json, and nothing changes on a second run", () => {
    const file = files.write(
      "palissy.csv",
      palissyCsv([palissyRow({ Reference: "PM01000001" }), palissyRow({ Reference: "PM01000002", Statut_juridique_de_l_objet: "volé" })]),
    );
    const first = co(["import", "palissy", file, "--json"]);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    const summary = JSON.parse(first.stdout) as Record<string, unknown>;
    expect(Object.keys(summary)).toEqual(["read", "in_scope", "out_of_scope", "created", "updated", "deleted", "errors"]);
    expect(summary).toEqual({
      read: 2,
      in_scope: 1,
      out_of_scope: { manquant_ou_vole: 1 },
      created: 1,
      updated: 0,
      deleted: 0,
      errors: [],
    });

    const second = co(["import", "palissy", file]);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(
      /^Import palissy terminé en [\d,]+ s : 2 lignes lues, 1 dans le périmètre\.\n {2}créés : 0 · mis à jour : 0 · supprimés : 0\n/,
    );
  }, 480_000);

  it("exits 1 with a French message when a required column is missing", () => {
    const file = files.write("bad.csv", "Reference;COG_Insee\nPM01000001;01004\n");
    const result = co(["import", "palissy", file, "--json"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Colonnes obligatoires absentes du fichier : typologie_du_dossier");
    expect(JSON.parse(result.stdout)).toMatchObject({ read: 0, created: 0 });
  }, 240_000);

  it("exits 2 on bad usage or a missing file, before opening the database", async () => {
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      expect(await runImportCommand(["inventaire", "x.csv"])).toBe(2);
      expect(await runImportCommand(["palissy", "/nonexistent/palissy.csv", "--json"])).toBe(2);
      expect(await runImportCommand([])).toBe(2);
      expect(await runImportCommand(["palissy"])).toBe(2);
      expect(await runImportCommand(["palissy", "a.csv", "--force"])).toBe(2);
      const messages = stderr.mock.calls.map((call) => String(call[0]));
      expect(messages[0]).toContain("Type d’import inconnu : « inventaire »");
      expect(messages[1]).toContain("Fichier introuvable : /nonexistent/palissy.csv");
      expect(messages[3]).toContain("Précisez le fichier");
      expect(messages[4]).toContain("Option inconnue : --force");
      expect(stdout).not.toHaveBeenCalled();
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
    }
  });
});
