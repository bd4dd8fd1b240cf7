import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import sharp, { type Sharp } from "sharp";
import { buildApp } from "../../src/app.tsx";
import { loadConfig } from "../../src/config.ts";
import { JPEG_QUALITY, VARIANT_SIZES, type ImageVariant } from "../../src/platform/images/photo.ts";
import { LocalFileStore } from "../../src/platform/storage/local.ts";
import { insertCommune, insertDossier, insertObjet, insertRecensement } from "../../test/factories.ts";
import { insertCommuneUser, sessionCookie } from "../../test/factories-comptes.ts";
import { describeTarget, openBenchDatabase, withFreshDatabase, type DatabaseLocation } from "../databases.ts";
import { measureInChild, timed, type Measurement } from "../measure.ts";
import type { ResultRow, Scenario } from "./types.ts";

/** SPEC §12: "Photo upload 12 MP JPEG → stored + variants ≤ 1.3× raw sharp time; web RSS ≤ 400 MB with 4 parallel uploads". */
const TARGETS = { uploadVsSharp: 1.3, parallelRssMb: 400 };
const RUNS = 5;
const PARALLEL = 4;
const PARALLEL_ROUNDS = 3;

const ms = (value: number): string => `${Math.round(value)} ms`;
const megabytes = (mb: number): string => `${Math.round(mb)} MB`;
const times = (ratio: number): string => `${ratio.toFixed(2)}×`;
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * A 12-megapixel camera JPEG (4000 × 3000, quality 92): gradients with grain, about 6 MB like a phone
 * photo (flat colours would compress to almost nothing, pure noise to three times a real photo's size).
 */
async function cameraJpeg(): Promise<Buffer> {
  const width = 4000;
  const height = 3000;
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 42;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const grain = (seed >> 16) & 31;
      const i = (y * width + x) * 3;
      pixels[i] = Math.min(255, Math.floor((x * 224) / width) + grain);
      pixels[i + 1] = Math.min(255, Math.floor((y * 224) / height) + grain);
      pixels[i + 2] = Math.min(255, Math.floor(((x + y) * 192) / (width + height)) + 2 * grain);
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 92 })
    .toBuffer();
}

/** The sharp work of an upload and nothing else: decode, orient, encode the original, then both smaller variants. */
async function rawSharp(input: Buffer): Promise<void> {
  const jpeg = async (image: Sharp, variant: ImageVariant) => {
    const size = VARIANT_SIZES[variant];
    return image
      .autoOrient()
      .resize({ width: size, height: size, fit: "inside", withoutEnlargement: true })
      .jpeg({ quality: JPEG_QUALITY[variant] })
      .toBuffer();
  };
  const original = await jpeg(sharp(input), "original");
  await Promise.all([jpeg(sharp(original), "display"), jpeg(sharp(original), "thumbnail")]);
}

type SharpResult = { runsMs: number[]; bytes: number };
type UploadResult = { sequentialMs: number[]; parallelRoundsMs: number[]; stored: number; bytes: number };

/** A signed-in commune with enough recensements for every upload (10 photos at most each). */
async function prepareCommune(app: FastifyInstance, database: Awaited<ReturnType<typeof openBenchDatabase>>, objets: number) {
  const commune = await insertCommune(database, { code_insee: "01053", nom: "Bourg-en-Bresse", status: "started" });
  const user = await insertCommuneUser(database, commune.id);
  const dossier = await insertDossier(database, { commune_id: commune.id });
  const objetIds: number[] = [];
  for (let i = 0; i < objets; i++) {
    const objet = await insertObjet(database, { lieu_actuel_code_insee: commune.code_insee });
    await insertRecensement(database, { objet_id: objet.id, dossier_id: dossier.id, status: "draft" });
    objetIds.push(objet.id);
  }
  return {
    codeInsee: commune.code_insee,
    objetIds,
    cookie: `co_session=${encodeURIComponent(sessionCookie(app, { account: { type: "commune", id: user.id } }))}`,
  };
}

export const photosScenario: Scenario = {
  name: "photos",
  title: "Photo upload, 12 MP JPEG → stored + variants",
  steps: {
    async "raw-sharp"() {
      const input = await cameraJpeg();
      await rawSharp(input);
      return timed(async () => {
        const runsMs: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          const started = performance.now();
          await rawSharp(input);
          runsMs.push(performance.now() - started);
        }
        return { runsMs, bytes: input.length } satisfies SharpResult;
      });
    },

    /** The web server and its client in one process: the client's copies of the photo count in the RSS (conservative). */
    async upload(args) {
      const database = await openBenchDatabase(args.location as DatabaseLocation);
      const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), "co-bench-files-"));
      const app = await buildApp({
        config: loadConfig({ NODE_ENV: "production", SESSION_SECRET: "bench-".repeat(8), LOG_LEVEL: "warn" }),
        database,
        files: new LocalFileStore(filesDir),
      });
      try {
        const uploads = 1 + RUNS + PARALLEL * PARALLEL_ROUNDS;
        const commune = await prepareCommune(app, database, uploads);
        const base = await app.listen({ host: "127.0.0.1", port: 0 });
        const page = await fetch(`${base}/communes/${commune.codeInsee}/preferences`, { headers: { cookie: commune.cookie } });
        const body = await page.text();
        const csrf = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
        const cookie = page.headers
          .getSetCookie()
          .find((c) => c.startsWith("co_session="))
          ?.split(";")[0];
        if (!csrf || !cookie) throw new Error(`no session for the bench commune (HTTP ${page.status})`);
        const input = await cameraJpeg();
        const photo = new Blob([new Uint8Array(input)], { type: "image/jpeg" });
        let next = 0;
        const upload = async () => {
          const objetId = commune.objetIds[next++]!;
          const form = new FormData();
          form.append("photos", photo, "IMG_0001.JPG");
          const response = await fetch(`${base}/communes/${commune.codeInsee}/objets/${objetId}/recensement/photos?_csrf=${csrf}`, {
            method: "POST",
            body: form,
            headers: { cookie, accept: "application/json" },
          });
          if (response.status !== 201) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
          await response.arrayBuffer();
        };
        await upload();
        return await timed(async () => {
          const sequentialMs: number[] = [];
          for (let i = 0; i < RUNS; i++) {
            const started = performance.now();
            await upload();
            sequentialMs.push(performance.now() - started);
          }
          const parallelRoundsMs: number[] = [];
          for (let round = 0; round < PARALLEL_ROUNDS; round++) {
            const started = performance.now();
            await Promise.all(Array.from({ length: PARALLEL }, upload));
            parallelRoundsMs.push(performance.now() - started);
          }
          const stored = await database.db
            .selectFrom("photos")
            .select((eb) => eb.fn.countAll<string>().as("n"))
            .executeTakeFirstOrThrow();
          return { sequentialMs, parallelRoundsMs, stored: Number(stored.n), bytes: input.length } satisfies UploadResult;
        });
      } finally {
        await app.close();
        await database.close();
        fs.rmSync(filesDir, { recursive: true, force: true });
      }
    },
  },

  async run(context) {
    const rows: ResultRow[] = [];
    const notes: string[] = [];
    context.log("sharp seul : 12 MP → original, affichage, vignette…");
    const sharpRun = await measureInChild<SharpResult>("photos:raw-sharp", {});
    const sharpMs = median(sharpRun.result.runsMs);
    rows.push({
      database: "—",
      figure: `Raw sharp, ${(sharpRun.result.bytes / 1e6).toFixed(1)} MB JPEG → 3 variants (median of ${RUNS})`,
      value: `${ms(sharpMs)} (load ${sharpRun.loadAverage.toFixed(1)})`,
      baseline: "—",
      ratio: "—",
      target: "—",
      pass: null,
    });

    for (const target of context.databases) {
      const label = describeTarget(target);
      context.log(`${label} : envois de photos (${RUNS} à la suite, puis ${PARALLEL_ROUNDS} × ${PARALLEL} en parallèle)…`);
      const run: Measurement<UploadResult> = await withFreshDatabase(target, (location) =>
        measureInChild<UploadResult>("photos:upload", { location }),
      );
      const uploadMs = median(run.result.sequentialMs);
      const ratio = uploadMs / sharpMs;
      const postgres = target.kind === "postgres";
      const expected = 1 + RUNS + PARALLEL * PARALLEL_ROUNDS;
      rows.push(
        {
          database: label,
          figure: `Upload → stored + variants, HTTP multipart (median of ${RUNS})`,
          value: `${ms(uploadMs)} (load ${run.loadAverage.toFixed(1)})`,
          baseline: ms(sharpMs),
          ratio: times(ratio),
          target: `≤ ${TARGETS.uploadVsSharp}× raw sharp`,
          pass: ratio <= TARGETS.uploadVsSharp,
        },
        {
          database: label,
          figure: `${PARALLEL} parallel uploads, wall time of a round (median of ${PARALLEL_ROUNDS})`,
          value: ms(median(run.result.parallelRoundsMs)),
          baseline: "—",
          ratio: "—",
          target: "—",
          pass: null,
        },
        {
          database: label,
          figure: `Peak RSS of the web process, ${PARALLEL} parallel uploads`,
          value: megabytes(run.peakRssMb),
          baseline: "—",
          ratio: "—",
          target: postgres ? `≤ ${TARGETS.parallelRssMb} MB` : "—",
          pass: postgres ? run.peakRssMb <= TARGETS.parallelRssMb : null,
        },
        {
          database: label,
          figure: "Photos stored = uploads",
          value: `${run.result.stored} / ${expected}`,
          baseline: "—",
          ratio: "—",
          target: "equal",
          pass: run.result.stored === expected,
        },
      );
    }
    notes.push(
      "Raw sharp: the same three encodes as an upload (decode, EXIF orientation, original ≤ 4000 px, then display 1600 px and thumbnail 400 px from it), nothing else. Upload: real HTTP from a client in the same process through multipart parsing, format and size checks, the same encodes, SHA-256, three files written with fsync, and the database transaction.",
      "The web process's peak RSS includes its client's copies of the photo; on PGlite it also includes the embedded database, so the 400 MB target applies to PostgreSQL. Photo processing is limited to one photo per core at a time: the other uploads wait with their file in memory.",
    );
    return { rows, notes };
  },
};
