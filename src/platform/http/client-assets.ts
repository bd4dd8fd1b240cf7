import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import type { FastifyInstance } from "fastify";
import { h } from "preact";
import { publicAccess } from "./access.ts";
import { NotFoundError } from "./errors.ts";

/** The browser modules: every `src/client/<name>.ts` (or `.js` once compiled to dist/) is one script. */
export const CLIENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../client");
const URL_PREFIX = "/assets/js/";

type Bundle = { name: string; file: string; code: Buffer };
type Bundles = { byName: Map<string, Bundle>; byFile: Map<string, Bundle> };

let bundles: Bundles | undefined;

function isEntry(file: string): boolean {
  return /\.(ts|js)$/.test(file) && !/\.(test|d)\.(ts|js)$/.test(file);
}

/**
 * Bundles every client module once per process, in memory, on first use (a few tens of milliseconds:
 * tests and pages without scripts never pay it). File names carry a content hash, so the scripts are
 * cached for a year and a new version is a new URL.
 */
function clientBundles(): Bundles {
  if (bundles) return bundles;
  const entries = fs.existsSync(CLIENT_DIR) ? fs.readdirSync(CLIENT_DIR).filter(isEntry) : [];
  const result = buildSync({
    entryPoints: entries.map((file) => path.join(CLIENT_DIR, file)),
    bundle: true,
    minify: true,
    format: "esm",
    target: ["es2020"],
    write: false,
    outdir: "/client-assets",
    entryNames: "[name].[hash]",
    legalComments: "none",
    logLevel: "silent",
  });
  const built: Bundles = { byName: new Map(), byFile: new Map() };
  for (const output of result.outputFiles) {
    const file = path.basename(output.path);
    const bundle = { name: file.slice(0, file.indexOf(".")), file, code: Buffer.from(output.contents) };
    built.byName.set(bundle.name, bundle);
    built.byFile.set(file, bundle);
  }
  bundles = built;
  return built;
}

/** URL of the bundled `src/client/<name>.ts`. */
export function clientScriptUrl(name: string): string {
  const bundle = clientBundles().byName.get(name);
  if (!bundle) throw new Error(`unknown client script: ${name}`);
  return `${URL_PREFIX}${bundle.file}`;
}

/**
 * `<script type="module">` of a client module, for the pages it enhances. Module scripts run after the
 * page is parsed, so the tag can sit next to the markup it works on.
 */
export function ClientScript(props: { name: string; nonce: string }) {
  return h("script", { type: "module", src: clientScriptUrl(props.name), nonce: props.nonce || undefined });
}

export async function clientAssetRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { file: string } }>(`${URL_PREFIX}:file`, { config: publicAccess }, async (request, reply) => {
    const bundle = clientBundles().byFile.get(request.params.file);
    if (!bundle) throw new NotFoundError();
    return reply
      .header("content-type", "text/javascript; charset=utf-8")
      .header("cache-control", "public, max-age=31536000, immutable")
      .header("x-content-type-options", "nosniff")
      .send(bundle.code);
  });
}
