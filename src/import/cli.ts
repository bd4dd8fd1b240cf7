import fs from "node:fs";
import path from "node:path";
import { bootstrap } from "../bootstrap.ts";
import type { Database } from "../platform/db/database.ts";
import { importAnnuaire } from "./annuaire.ts";
import { importMemoire } from "./memoire.ts";
import { importMerimee } from "./merimee.ts";
import { importPalissy } from "./palissy.ts";
import { ImportFailedError } from "./runs.ts";
import type { ImportSummary } from "./summary.ts";

type Importer = (database: Database, file: string, options: { onProgress?: (read: number) => void }) => Promise<ImportSummary>;

const IMPORTERS: Record<string, Importer> = {
  palissy: importPalissy,
  merimee: importMerimee,
  annuaire: importAnnuaire,
  memoire: (database, file, options) =>
    importMemoire(database, file, { ...options, photosBaseUrl: process.env.MEMOIRE_PHOTOS_BASE_URL || undefined }),
};

const USAGE = "Usage : npm run co -- import palissy|merimee|annuaire|memoire <fichier> [--json]";

function usageError(message: string): number {
  process.stderr.write(`${message}\n${USAGE}\n`);
  return 2;
}

/** `co import <kind> <file> [--json]`: 0 when done, 1 when the import failed, 2 on bad usage. */
export async function runImportCommand(args: string[]): Promise<number> {
  const json = args.includes("--json");
  const options = args.filter((arg) => arg.startsWith("--") && arg !== "--json");
  if (options.length > 0) return usageError(`Option inconnue : ${options.join(" ")}.`);
  const [kind, file, ...extra] = args.filter((arg) => !arg.startsWith("--"));
  if (kind === undefined) return usageError("Précisez le type d’import.");
  const importer = IMPORTERS[kind];
  if (!importer) return usageError(`Type d’import inconnu : « ${kind} ». Types possibles : ${Object.keys(IMPORTERS).join(", ")}.`);
  if (file === undefined) return usageError("Précisez le fichier à importer.");
  if (extra.length > 0) return usageError(`Argument en trop : ${extra.join(" ")}.`);
  const absolute = path.resolve(file);
  if (!fs.statSync(absolute, { throwIfNoEntry: false })?.isFile()) return usageError(`Fichier introuvable : ${file}`);

  const { database } = await bootstrap();
  const progress = process.stderr.isTTY ? progressLine(kind) : undefined;
  const started = Date.now();
  try {
    const summary = await importer(database, absolute, { onProgress: progress?.update });
    progress?.end();
    process.stdout.write(json ? `${JSON.stringify(summary)}\n` : frenchSummary(kind, summary, Date.now() - started));
    return 0;
  } catch (error) {
    progress?.end();
    if (json && error instanceof ImportFailedError) process.stdout.write(`${JSON.stringify(error.summary)}\n`);
    process.stderr.write(`Échec de l’import ${kind} : ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await database.close();
  }
}

const number = new Intl.NumberFormat("fr-FR");

function frenchSummary(kind: string, summary: ImportSummary, durationMs: number): string {
  const lines = [
    `Import ${kind} terminé en ${(durationMs / 1000).toFixed(1).replace(".", ",")} s : ${number.format(summary.read)} lignes lues, ${number.format(summary.in_scope)} dans le périmètre.`,
    `  créés : ${number.format(summary.created)} · mis à jour : ${number.format(summary.updated)} · supprimés : ${number.format(summary.deleted)}`,
  ];
  const outOfScope = Object.entries(summary.out_of_scope);
  if (outOfScope.length > 0)
    lines.push(`  hors périmètre : ${outOfScope.map(([reason, n]) => `${reason} ${number.format(n)}`).join(", ")}`);
  if (summary.errors.length > 0) {
    lines.push(`  ${summary.errors.length} erreur${summary.errors.length > 1 ? "s" : ""} :`);
    for (const error of summary.errors.slice(0, 20)) lines.push(`    - ${error}`);
    if (summary.errors.length > 20) lines.push("    … (toutes les erreurs : --json)");
  }
  return `${lines.join("\n")}\n`;
}

/** A one-line counter on an interactive stderr, refreshed at most 5 times a second. */
function progressLine(kind: string): { update: (read: number) => void; end: () => void } {
  const started = Date.now();
  let last = 0;
  let shown = false;
  return {
    update(read) {
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      shown = true;
      const rate = Math.round(read / Math.max((now - started) / 1000, 0.001));
      process.stderr.write(`\rImport ${kind} : ${number.format(read)} lignes lues (${number.format(rate)} lignes/s)`);
    },
    end() {
      if (shown) process.stderr.write("\n");
    },
  };
}
