import path from "node:path";
import { FILES, generateNational } from "./national.ts";

const USAGE = `Usage : npm run co -- generate national --out <dossier> [--seed N] [--scale F]
  --out    dossier où écrire ${Object.values(FILES).join(", ")}
  --seed   graine entière (défaut 1) : même graine et même échelle → mêmes fichiers, octet pour octet
  --scale  facteur du nombre de lignes (défaut 1 ≈ 300 000 notices Palissy, ~300 Mo ; 0.01 ≈ 3 000)`;

export type GenerateArguments = { out: string; seed: number; scale: number };

/** Parses `national --out DIR [--seed N] [--scale F]`; returns a French message when the arguments are wrong. */
export function parseGenerateArguments(args: readonly string[]): GenerateArguments | string {
  const [dataset, ...rest] = args;
  if (dataset !== "national") return `Jeu de données inconnu : ${dataset ?? "(aucun)"}. Seul « national » existe.`;
  let out: string | undefined;
  let seed = 1;
  let scale = 1;
  for (let i = 0; i < rest.length; i++) {
    const option = rest[i];
    const value = rest[i + 1];
    if (option !== "--out" && option !== "--seed" && option !== "--scale") return `Option inconnue : ${option}.`;
    if (value === undefined || value.startsWith("--")) return `L'option ${option} attend une valeur.`;
    i += 1;
    if (option === "--out") out = value;
    else if (option === "--seed") {
      if (!/^\d+$/.test(value) || Number(value) > 0xffffffff) return `--seed attend un entier entre 0 et 4294967295, pas « ${value} ».`;
      seed = Number(value);
    } else {
      scale = Number(value);
      if (!Number.isFinite(scale) || scale <= 0 || scale > 10)
        return `--scale attend un nombre strictement positif et au plus 10, pas « ${value} ».`;
    }
  }
  if (!out) return "L'option --out <dossier> est obligatoire.";
  return { out: path.resolve(out), seed, scale };
}

export async function runGenerateCommand(args: string[]): Promise<number> {
  const parsed = parseGenerateArguments(args);
  if (typeof parsed === "string") {
    process.stderr.write(`${parsed}\n${USAGE}\n`);
    return 2;
  }
  const started = performance.now();
  const expected = await generateNational(parsed);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const lines = Object.entries(expected.files).map(
    ([name, file]) => `  ${name.padEnd(9)} ${String(file.rows).padStart(8)} lignes  ${(file.bytes / 1e6).toFixed(1).padStart(7)} Mo`,
  );
  process.stdout.write(
    `Jeu national généré dans ${parsed.out} en ${seconds} s (graine ${parsed.seed}, échelle ${parsed.scale}) :\n${lines.join("\n")}\n` +
      `  Palissy : ${expected.palissy.in_scope} objets dans le périmètre, ${expected.palissy.read - expected.palissy.in_scope} hors périmètre ; ` +
      `${expected.palissy.communes_with_objets} communes avec objets, ${expected.annuaire.in_scope} communes importées de l'annuaire.\n`,
  );
  return 0;
}
