import fs from "node:fs";
import path from "node:path";
import { FILES, GENERATOR_VERSION, generateNational, type ExpectedCounts } from "../src/import/generate/national.ts";

export const DATA_DIR = path.join(import.meta.dirname, "data");
const MANIFEST = "manifest.json";

type Manifest = { version: number; seed: number; scale: number; sizes: Record<string, number> };

export type Dataset = { dir: string; expected: ExpectedCounts; generatedInMs: number | null };

/**
 * The national synthetic dataset in bench/data/, generated once per (generator version, seed, scale):
 * a manifest records what the files are, and their sizes catch a half-written or edited folder.
 */
export async function ensureDataset(seed: number, scale: number): Promise<Dataset> {
  const manifestFile = path.join(DATA_DIR, MANIFEST);
  const wanted = { version: GENERATOR_VERSION, seed, scale };
  if (fs.existsSync(manifestFile)) {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as Manifest;
    const same = manifest.version === wanted.version && manifest.seed === seed && manifest.scale === scale;
    const intact = Object.entries(manifest.sizes).every(
      ([name, size]) => fs.statSync(path.join(DATA_DIR, name), { throwIfNoEntry: false })?.size === size,
    );
    if (same && intact) {
      const expected = JSON.parse(fs.readFileSync(path.join(DATA_DIR, FILES.expected), "utf8")) as ExpectedCounts;
      return { dir: DATA_DIR, expected, generatedInMs: null };
    }
  }
  fs.rmSync(DATA_DIR, { recursive: true, force: true });
  const started = performance.now();
  const expected = await generateNational({ out: DATA_DIR, seed, scale });
  const generatedInMs = performance.now() - started;
  const sizes = Object.fromEntries(Object.values(FILES).map((name) => [name, fs.statSync(path.join(DATA_DIR, name)).size]));
  fs.writeFileSync(manifestFile, `${JSON.stringify({ ...wanted, sizes } satisfies Manifest, null, 2)}\n`);
  return { dir: DATA_DIR, expected, generatedInMs };
}
