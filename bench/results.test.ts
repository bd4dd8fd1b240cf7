import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderSection, writeSection } from "./results.ts";

describe("bench/results.md", () => {
  it("rewrites a scenario's section and keeps the other scenarios' sections", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "co-bench-results-")), "results.md");
    const section = (name: string, value: string) =>
      renderSection(
        { name, title: `Scénario ${name}`, context: ["Date: aujourd'hui"] },
        {
          rows: [
            { database: "PostgreSQL", figure: "temps | total", value, baseline: "—", ratio: "—", target: "≤ 60 s", pass: value === "1 s" },
          ],
          notes: [],
        },
      );
    writeSection(file, "import", section("import", "90 s"));
    writeSection(file, "search", section("search", "1 s"));
    writeSection(file, "import", section("import", "1 s"));
    const text = fs.readFileSync(file, "utf8");
    expect(text.match(/scenario:import:start/g)).toHaveLength(1);
    expect(text).toContain("| import | PostgreSQL | temps \\| total | 1 s | — | — | ≤ 60 s | pass |");
    expect(text).not.toContain("90 s");
    expect(text).toContain("| search | PostgreSQL | temps \\| total | 1 s |");
    expect(text.indexOf("scenario:import:start")).toBeLessThan(text.indexOf("scenario:search:start"));
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});
