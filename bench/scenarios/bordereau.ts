import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { genererBordereau } from "../../src/bordereau/jobs.ts";
import { listEdificesBordereaux } from "../../src/bordereau/repository.ts";
import { loadConfig } from "../../src/config.ts";
import { createContext } from "../../src/context.ts";
import { variantKey } from "../../src/platform/images/stored.ts";
import { LocalFileStore } from "../../src/platform/storage/local.ts";
import { describeTarget, withFreshDatabase, type DatabaseLocation } from "../databases.ts";
import { measureInChild, timed } from "../measure.ts";
import { timedOnDatabase } from "../steps.ts";
import type { ResultRow, Scenario, ScenarioContext, ScenarioReport, Step } from "./types.ts";

/**
 * SPEC §12 "Bordereau": one édifice of an accepted dossier with 100 protected objets and 200 recensement
 * photos (2 per objet; the bordereau prints the first), the PDF generated as the job does (read the
 * lines, resize each photo's 1600-px display variant with sharp, lay out, store the file).
 */

const OBJETS = 100;
const PHOTOS_PAR_OBJET = 2;
const TARGETS = { seconds: 5, rssMb: 300 };
/** Distinct source images (a photo is 1600 × 1200, like the display variants of uploads). */
const IMAGES = 8;

type Setup = { bordereauId: number; dossierId: number; photos: number; photoBytes: number };
type Generation = { ms: number; bytes: number; pages: number };

/** A textured 1600 × 1200 JPEG (gradients and noise, so that its size is that of a photo, not of a flat colour). */
async function photo(seed: number): Promise<Buffer> {
  const width = 1600;
  const height = 1200;
  const pixels = Buffer.alloc(width * height * 3);
  let state = seed * 2654435761;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      state = (state * 1103515245 + 12345) >>> 0;
      const noise = (state >>> 24) & 0x1f;
      const i = (y * width + x) * 3;
      pixels[i] = ((x * 255) / width + noise + seed * 30) & 0xff;
      pixels[i + 1] = ((y * 255) / height + noise) & 0xff;
      pixels[i + 2] = (((x + y) * 128) / width + noise * 2) & 0xff;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 82 })
    .toBuffer();
}

const steps: Record<string, Step> = {
  /** Untimed set-up in its own process: the dossier, 100 objets and recensements, 200 stored photos. */
  async setup(args) {
    return timedOnDatabase(args.location as DatabaseLocation, async (database): Promise<Setup> => {
      const files = new LocalFileStore(String(args.filesDir));
      const images = await Promise.all(Array.from({ length: IMAGES }, (_, i) => photo(i + 1)));
      const db = database.db;
      const commune = await db
        .insertInto("communes")
        .values({ code_insee: "68078", nom: "Eguisheim", departement_code: "68" })
        .returning("id")
        .executeTakeFirstOrThrow();
      const edifice = await db
        .insertInto("edifices")
        .values({ code_insee: "68078", nom: "église Saints-Pierre-et-Paul", slug: "eglise-saints-pierre-et-paul" })
        .returning("id")
        .executeTakeFirstOrThrow();
      const conservateur = await db
        .insertInto("conservateurs")
        .values({ email: "conservateur@bench.test", first_name: "Jeanne", last_name: "Martin" })
        .returning("id")
        .executeTakeFirstOrThrow();
      const dossier = await db
        .insertInto("dossiers")
        .values({
          commune_id: commune.id,
          status: "accepted",
          submitted_at: new Date(),
          accepted_at: new Date(),
          conservateur_id: conservateur.id,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const objets = await db
        .insertInto("objets")
        .values(
          Array.from({ length: OBJETS }, (_, i) => ({
            palissy_ref: `PM68${String(100000 + i)}`,
            palissy_tico: `Objet mobilier numéro ${i + 1} : retable de l’autel latéral, bois sculpté et doré`,
            palissy_deno: "retable",
            palissy_cate: "sculpture ; menuiserie",
            palissy_scle: "2e moitié 17e siècle",
            palissy_prot: i % 3 === 0 ? "inscrit au titre objet" : "classé au titre objet",
            palissy_dpro: "1908/07/25 : classé au titre objet",
            palissy_empl: String(i).padStart(3, "0"),
            lieu_actuel_code_insee: "68078",
            lieu_actuel_departement_code: "68",
            lieu_actuel_edifice_nom: "église Saints-Pierre-et-Paul",
            edifice_id: edifice.id,
            palissy_photos: JSON.stringify([]),
          })),
        )
        .returning("id")
        .execute();
      const recensements = await db
        .insertInto("recensements")
        .values(
          objets.map((objet, i) => ({
            objet_id: objet.id,
            dossier_id: dossier.id,
            status: "completed" as const,
            localisation: i % 10 === 9 ? ("absent" as const) : ("edifice_initial" as const),
            recensable: i % 10 !== 9,
            etat_sanitaire: i % 10 === 9 ? null : (["bon", "moyen", "mauvais", "peril"] as const)[i % 4],
            securisation: i % 10 === 9 ? null : i % 5 === 0 ? ("en_danger" as const) : ("en_securite" as const),
            notes: i % 2 === 0 ? "La dorure s’écaille sur le côté gauche ; une planche du socle est fendue." : null,
            analyse_notes: i % 3 === 0 ? "Prévoir un constat d’état par un restaurateur agréé." : null,
            photos_count: i % 10 === 9 ? 0 : PHOTOS_PAR_OBJET,
            completed_at: new Date(),
          })),
        )
        .returning("id")
        .execute();
      let photoBytes = 0;
      let count = 0;
      const rows = [];
      for (const [i, recensement] of recensements.entries()) {
        if (i % 10 === 9) continue;
        for (let p = 0; p < PHOTOS_PAR_OBJET; p++) {
          const data = images[(i + p) % IMAGES] as Buffer;
          const key = `photos/bench-${i}-${p}`;
          await files.put(variantKey(key, "display"), data, "image/jpeg");
          photoBytes += data.length;
          count++;
          rows.push({
            recensement_id: recensement.id,
            uploaded_by: "commune" as const,
            storage_key: key,
            content_type: "image/jpeg" as const,
            byte_size: data.length,
            width: 1600,
            height: 1200,
            sha256: `${String(i).padStart(32, "0")}${String(p).padStart(32, "0")}`,
            position: p,
          });
        }
      }
      // Photos of the absent objets' neighbours make up the 200: the first objets get a third photo.
      for (let i = 0; count < OBJETS * PHOTOS_PAR_OBJET; i++) {
        const recensement = recensements[i];
        if (!recensement || i % 10 === 9) continue;
        const key = `photos/bench-${i}-extra`;
        const data = images[i % IMAGES] as Buffer;
        await files.put(variantKey(key, "display"), data, "image/jpeg");
        photoBytes += data.length;
        count++;
        rows.push({
          recensement_id: recensement.id,
          uploaded_by: "commune" as const,
          storage_key: key,
          content_type: "image/jpeg" as const,
          byte_size: data.length,
          width: 1600,
          height: 1200,
          sha256: `${String(i).padStart(32, "0")}${"e".repeat(32)}`,
          position: PHOTOS_PAR_OBJET,
        });
      }
      await db.insertInto("photos").values(rows).execute();
      const bordereau = await db
        .insertInto("bordereaux")
        .values({
          dossier_id: dossier.id,
          edifice_id: edifice.id,
          edifice_nom: "Église Saints-Pierre-et-Paul",
          state: "en_cours",
          requested_at: new Date(),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return { bordereauId: bordereau.id, dossierId: dossier.id, photos: count, photoBytes };
    });
  },

  /** Baseline of the RSS: the same process opening the database and reading the bordereau's lines, without the PDF. */
  async baseline(args) {
    return timedOnDatabase(args.location as DatabaseLocation, async (database) => {
      const edifices = await listEdificesBordereaux(database.db, Number(args.dossierId), "Eguisheim");
      return { lignes: edifices[0]?.lignes.length ?? 0 };
    });
  },

  /** The measured generation, in a fresh process (its peak RSS is the generation's, plus opening the database). */
  async generate(args) {
    const measured = await timedOnDatabase(args.location as DatabaseLocation, async (database): Promise<Generation> => {
      const ctx = createContext({
        config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }),
        database,
        files: new LocalFileStore(String(args.filesDir)),
      });
      const run = await timed(() => genererBordereau(ctx, Number(args.bordereauId)));
      if (!run.result) throw new Error("génération du bordereau en échec");
      const pdf = await ctx.files.get(run.result.storage_key);
      const pages = (pdf?.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      return { ms: run.ms, bytes: run.result.byte_size, pages };
    });
    return measured;
  },
};

async function run(context: ScenarioContext): Promise<ScenarioReport> {
  const rows: ResultRow[] = [];
  const notes: string[] = [];
  for (const target of context.databases) {
    const database = describeTarget(target);
    const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), "co-bench-bordereau-"));
    try {
      await withFreshDatabase(target, async (location) => {
        const setup = await measureInChild<Setup>("bordereau:setup", { location, filesDir });
        const baseline = await measureInChild<{ lignes: number }>("bordereau:baseline", { location, dossierId: setup.result.dossierId });
        const measurement = await measureInChild<Generation>("bordereau:generate", {
          location,
          filesDir,
          bordereauId: setup.result.bordereauId,
        });
        const generation = measurement.result;
        const seconds = generation.ms / 1000;
        context.log(
          `${database} : ${seconds.toFixed(2)} s, pic RSS ${measurement.peakRssMb.toFixed(0)} Mo, PDF ${(generation.bytes / 1e6).toFixed(1)} Mo, ${generation.pages} pages`,
        );
        rows.push(
          {
            database,
            figure: `Bordereau of ${OBJETS} objets, ${setup.result.photos} photos (${(setup.result.photoBytes / 1e6).toFixed(0)} MB of 1600-px JPEGs): generation, PDF stored (${(generation.bytes / 1e6).toFixed(1)} MB, ${generation.pages} pages)`,
            value: `${seconds.toFixed(2)} s (CPU ${(measurement.cpuMs / 1000).toFixed(2)} s)`,
            baseline: "—",
            ratio: "—",
            target: `≤ ${TARGETS.seconds} s`,
            pass: seconds <= TARGETS.seconds,
          },
          {
            database,
            figure: "Peak RSS of the generating process (includes opening the database)",
            value: `${measurement.peakRssMb.toFixed(0)} MB`,
            baseline: `${baseline.peakRssMb.toFixed(0)} MB (open the database, read the ${baseline.result.lignes} lines)`,
            ratio: `${measurement.peakRssMb >= baseline.peakRssMb ? "+" : "−"}${Math.abs(measurement.peakRssMb - baseline.peakRssMb).toFixed(0)} MB`,
            target: `≤ ${TARGETS.rssMb} MB`,
            pass: measurement.peakRssMb <= TARGETS.rssMb,
          },
        );
        notes.push(`${database}: load average ${measurement.loadAverage.toFixed(1)} when the generation started.`);
      });
    } finally {
      fs.rmSync(filesDir, { recursive: true, force: true });
    }
  }
  return {
    rows,
    notes: [
      "Set-up (objets, recensements, photo files) runs in one child process, the generation alone in another: its time is genererBordereau (read the lines, then for each objet read the first photo's display variant, resize it to 240 px with sharp and embed it, the next photo being resized while the current row is laid out (two in memory at most); lay out; store the file; record it). 10 objets are absent (no photo); each other objet has 2 or 3 photos.",
      "The baseline process opens the same database and reads the same lines without drawing the PDF: with PGlite the embedded database lives in the process (its WebAssembly heap), which alone exceeds the target; the generation itself adds what the Ratio column shows.",
      ...notes,
    ],
  };
}

export const bordereauScenario: Scenario = {
  name: "bordereau",
  title: "Bordereau de récolement, 100 objets and 200 photos: PDF generation",
  steps,
  run,
};
