import fs from "node:fs";
import type { ResultRow, ScenarioReport } from "./scenarios/types.ts";

const TITLE = `# Benchmark results

Written by \`npm run bench\` (SPEC §12). Each scenario rewrites its own section and keeps the others.
`;

const start = (name: string): string => `<!-- scenario:${name}:start -->`;
const end = (name: string): string => `<!-- scenario:${name}:end -->`;

export type SectionHeader = { name: string; title: string; context: string[] };

export function renderSection(header: SectionHeader, report: ScenarioReport): string {
  const cell = (value: string): string => value.replaceAll("|", "\\|");
  const verdict = (pass: boolean | null): string => (pass === null ? "—" : pass ? "pass" : "**FAIL**");
  const lines = [
    start(header.name),
    `## ${header.title} (\`--scenario ${header.name}\`)`,
    "",
    ...header.context.map((line) => `- ${line}`),
    "",
    "| Scenario | Database | Figure | Value | Baseline | Ratio | Target | Result |",
    "|---|---|---|---|---|---|---|---|",
    ...report.rows.map(
      (row: ResultRow) =>
        `| ${header.name} | ${cell(row.database)} | ${cell(row.figure)} | ${cell(row.value)} | ${cell(row.baseline)} | ${cell(row.ratio)} | ${cell(row.target)} | ${verdict(row.pass)} |`,
    ),
  ];
  if (report.notes.length > 0) lines.push("", ...report.notes.map((note) => `- ${note}`));
  lines.push(end(header.name));
  return lines.join("\n");
}

/** Replaces the scenario's section of results.md (or appends it), leaving the other sections as they are. */
export function writeSection(file: string, name: string, section: string): void {
  const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : TITLE;
  const from = current.indexOf(start(name));
  const to = current.indexOf(end(name));
  const next =
    from >= 0 && to > from
      ? `${current.slice(0, from)}${section}${current.slice(to + end(name).length)}`
      : `${current.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(file, next);
}
