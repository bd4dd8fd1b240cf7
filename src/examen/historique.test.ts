import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ACTION_LABELS } from "./historique.ts";

/** Every `action: "area.verb"` written to the audit log by the application code. */
function actionsAuditees(): Set<string> {
  const actions = new Set<string>();
  const visiter = (dossier: string): void => {
    for (const entree of fs.readdirSync(dossier, { withFileTypes: true })) {
      const chemin = path.join(dossier, entree.name);
      if (entree.isDirectory()) visiter(chemin);
      else if (/\.tsx?$/.test(entree.name) && !/\.test\.tsx?$/.test(entree.name)) {
        const source = fs.readFileSync(chemin, "utf8");
        if (!source.includes("audit(")) continue;
        for (const m of source.matchAll(/\baction: "([a-z_]+\.[a-z_]+)"/g)) actions.add(m[1]!);
      }
    }
  };
  visiter(path.resolve(import.meta.dirname, ".."));
  return actions;
}

describe("audit action labels", () => {
  it("gives a French label to every action the application audits, so the journal never shows a raw name", () => {
    const actions = actionsAuditees();
    expect(actions.size).toBeGreaterThan(40);
    const sansLibelle = [...actions].filter((action) => !(action in ACTION_LABELS));
    expect(sansLibelle).toEqual([]);
  });
});
