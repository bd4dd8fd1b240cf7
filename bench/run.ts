import os from "node:os";
import path from "node:path";
import { ensureDataset } from "./dataset.ts";
import { describeTarget, serverVersion, type DatabaseTarget } from "./databases.ts";
import { renderSection, writeSection } from "./results.ts";
import { scenarios } from "./scenarios/index.ts";

const USAGE = `Usage : npm run bench -- [--scale F] [--seed N] [--scenario ${scenarios.map((s) => s.name).join("|")}] [--pg URL]
  --scale     taille du jeu national synthétique (défaut 1 ≈ 300 000 notices Palissy)
  --seed      graine du générateur (défaut 1)
  --scenario  un seul scénario (défaut : tous)
  --pg URL    mesure aussi sur ce PostgreSQL, à côté de PGlite
Sans --pg : PostgreSQL si DATABASE_URL est défini, sinon PGlite embarqué.`;

type Options = { scale: number; seed: number; scenario: string | undefined; pg: string | undefined };

function parseOptions(args: readonly string[]): Options | string {
  const options: Options = { scale: 1, seed: 1, scenario: undefined, pg: undefined };
  for (let i = 0; i < args.length; i += 2) {
    const [option, value] = [args[i], args[i + 1]];
    if (value === undefined) return `L'option ${option} attend une valeur.`;
    if (option === "--scale") options.scale = Number(value);
    else if (option === "--seed") options.seed = Number(value);
    else if (option === "--scenario") options.scenario = value;
    else if (option === "--pg") options.pg = value;
    else return `Option inconnue : ${option}.`;
  }
  if (!(options.scale > 0 && options.scale <= 10)) return "--scale attend un nombre strictement positif et au plus 10.";
  if (!Number.isInteger(options.seed) || options.seed < 0) return "--seed attend un entier positif.";
  if (options.scenario !== undefined && !scenarios.some((s) => s.name === options.scenario))
    return `Scénario inconnu : ${options.scenario}.`;
  return options;
}

function databasesFor(options: Options): DatabaseTarget[] {
  if (options.pg) return [{ kind: "pglite" }, { kind: "postgres", url: options.pg }];
  const url = process.env.DATABASE_URL;
  return url ? [{ kind: "postgres", url }] : [{ kind: "pglite" }];
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (typeof options === "string") {
    process.stderr.write(`${options}\n${USAGE}\n`);
    return 2;
  }
  const log = (message: string): void => {
    process.stdout.write(`[bench] ${message}\n`);
  };
  log(`jeu national synthétique (graine ${options.seed}, échelle ${options.scale})…`);
  const dataset = await ensureDataset(options.seed, options.scale);
  log(
    dataset.generatedInMs === null
      ? `réutilisé depuis ${dataset.dir}`
      : `généré en ${(dataset.generatedInMs / 1000).toFixed(1)} s dans ${dataset.dir}`,
  );

  const databases = databasesFor(options);
  const versions = await Promise.all(databases.map(async (target) => `${describeTarget(target)}: ${await serverVersion(target)}`));
  const cpus = os.cpus();
  const { palissy } = dataset.expected.files;
  const context = [
    `Date: ${new Date().toISOString().replace(/\.\d+Z$/, "Z")}`,
    `Machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? "?"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}, load average ${os.loadavg()[0]?.toFixed(1)} at start`,
    `Databases: ${versions.join("; ")}`,
    `Dataset: national synthetic, seed ${options.seed}, scale ${options.scale} (palissy.csv: ${palissy.rows.toLocaleString("en")} rows, ${(palissy.bytes / 1e6).toFixed(0)} MB)`,
  ];

  let failed = false;
  for (const scenario of scenarios.filter((s) => options.scenario === undefined || s.name === options.scenario)) {
    log(`scénario ${scenario.name} : ${scenario.title}`);
    const report = await scenario.run({ scale: options.scale, seed: options.seed, dataset, databases, log });
    writeSection(
      path.join(import.meta.dirname, "results.md"),
      scenario.name,
      renderSection({ name: scenario.name, title: scenario.title, context }, report),
    );
    for (const row of report.rows) {
      const verdict = row.pass === null ? "" : row.pass ? "  ✔" : "  ✘ (cible manquée)";
      log(
        `${row.database} · ${row.figure} : ${row.value}${row.ratio !== "—" ? ` (${row.ratio})` : ""}${row.target !== "—" ? ` cible ${row.target}` : ""}${verdict}`,
      );
      if (row.pass === false) failed = true;
    }
  }
  log("résultats écrits dans bench/results.md");
  return failed ? 1 : 0;
}

process.exit(await main());
