import path from "node:path";
import { sql } from "kysely";
import { importAnnuaire } from "../../src/import/annuaire.ts";
import { FILES } from "../../src/import/generate/national.ts";
import { createRandom } from "../../src/import/generate/random.ts";
import { importMemoire } from "../../src/import/memoire.ts";
import { importPalissy } from "../../src/import/palissy.ts";
import type { ImportSummary } from "../../src/import/summary.ts";
import { communeSessionCookie, ensureCommuneUsers, startBenchApp, type BenchApp } from "../app-server.ts";
import { describeTarget, withFreshDatabase, type DatabaseLocation, type DatabaseTarget } from "../databases.ts";
import { BenchBrowser, Recorder, runClients, sleep, type HttpResponse, type LatencySummary } from "../http-load.ts";
import { measureInChild, timed, type Measurement } from "../measure.ts";
import { timedOnDatabase } from "../steps.ts";
import type { ResultRow, Scenario, ScenarioContext, ScenarioReport, Step } from "./types.ts";

/**
 * SPEC §12, the commune's journey: its objets list and the questionnaire's step saves, on the real
 * application listening on loopback, driven over keep-alive HTTP by a client in a child process (so the
 * client's own work is not done on the server's event loop).
 */

const TARGETS = { listP95Ms: 50, saveP95Ms: 30 };
const LIST = { warmup: 30, requests: 200 };
/** Think time between two saves of one commune: 5 s on average, already far quicker than a person filling the form. */
const QUESTIONNAIRE = { communes: 50, objetsPerCommune: 3, warmupSeconds: 10, seconds: 60, saturationSeconds: 10, thinkMs: [2000, 8000] };

type Cookies = Record<string, string>;
type Client = { cookies: Cookies; codeInsee: string; objetIds: number[] };
type ImportedDataset = { palissy: ImportSummary; annuaire: ImportSummary; memoire: ImportSummary };

const thinkTime = `${QUESTIONNAIRE.thinkMs[0]! / 1000}–${QUESTIONNAIRE.thinkMs[1]! / 1000} s`;
const ms = (value: number): string => `${value.toFixed(1)} ms`;
const latency = (s: LatencySummary): string =>
  `p95 ${ms(s.p95)} (p50 ${ms(s.p50)}, max ${ms(s.max)}; ${s.perSecond.toFixed(0)} req/s; ${s.count} requests, ${s.errors} errors)`;
const objetsUrl = (codeInsee: string): string => `/communes/${codeInsee}/objets`;
const recensementUrl = (codeInsee: string, objetId: number): string => `/communes/${codeInsee}/objets/${objetId}/recensement`;
const etapeUrl = (codeInsee: string, objetId: number, etape: number): string => `${recensementUrl(codeInsee, objetId)}/etapes/${etape}`;
const redirected = (to: string) => (response: HttpResponse) => response.status === 303 && (response.location ?? "").endsWith(to);
const isOk = (response: HttpResponse) => response.status === 200;

/** Reads a page for its CSRF token (any page of the session carries one), then opens a draft recensement of each objet at step 1. */
async function prepareClient(browser: BenchBrowser, client: Client, recorder: Recorder): Promise<void> {
  await recorder.time(
    "setup",
    () => browser.get(objetsUrl(client.codeInsee)),
    (r) => isOk(r) && browser.csrf !== "",
  );
  for (const objetId of client.objetIds) {
    await recorder.time("setup", () => browser.post(recensementUrl(client.codeInsee, objetId)), redirected("/recensement"));
    await recorder.time(
      "setup",
      () => browser.post(etapeUrl(client.codeInsee, objetId, 1), { localisation: "edifice_initial" }),
      redirected("/etapes/3"),
    );
  }
}

const steps: Record<string, Step> = {
  /** Untimed set-up of a run: the dataset's Palissy, annuaire (communes and their accounts) and Mémoire photos. */
  async "import-dataset"(args) {
    const file = (name: string) => path.join(String(args.dir), name);
    return timedOnDatabase(args.location as DatabaseLocation, async (database) => {
      const imported = {
        palissy: await importPalissy(database, file(FILES.palissy)),
        annuaire: await importAnnuaire(database, file(FILES.annuaire)),
        memoire: await importMemoire(database, file(FILES.memoire)),
      };
      // PostgreSQL's autovacuum would do this within a minute or two of the import; PGlite has no autovacuum.
      if (database.kind === "postgres") await sql`vacuum analyze`.execute(database.db);
      return imported;
    });
  },

  /** Opens recensements of the given objets (untimed state for the list), then reads the pages to warm up. */
  async "list-warmup"(args) {
    const client = args.client as Client;
    const browser = new BenchBrowser(new URL(String(args.baseUrl)), client.cookies);
    const recorder = new Recorder();
    return timed(async () => {
      await prepareClient(browser, client, recorder);
      for (let i = 0; i < Number(args.requests); i++) {
        await recorder.time("warmup", () => browser.get(objetsUrl(client.codeInsee)), isOk);
        await recorder.time("warmup", () => browser.get("/health"), isOk);
      }
      browser.close();
      return { setup: recorder.summary("setup", 1), warmup: recorder.summary("warmup", 1) };
    });
  },

  /** One client reading a page again and again: the page's own latency, without contention. */
  async "read-page"(args) {
    const browser = new BenchBrowser(new URL(String(args.baseUrl)), args.cookies as Cookies);
    const recorder = new Recorder();
    return timed(async () => {
      const started = performance.now();
      for (let i = 0; i < Number(args.requests); i++) await recorder.time("page", () => browser.get(String(args.path)), isOk);
      browser.close();
      return recorder.summary("page", (performance.now() - started) / 1000);
    });
  },

  /**
   * Each client is one commune saving steps 5 (état, which refreshes the commune's statut global) and
   * 6 (comments) in turn on its objets, following each 303 to the next step's page like a browser.
   * Every save changes something, so each one writes the recensement and its audit event.
   */
  async questionnaire(args) {
    const clients = args.clients as Client[];
    const offsets = (args.offsets as number[] | undefined) ?? clients.map(() => 0);
    const think = args.thinkMs as [number, number] | null;
    const baseUrl = new URL(String(args.baseUrl));
    const browsers = clients.map((client) => new BenchBrowser(baseUrl, client.cookies));
    const recorder = new Recorder();
    const iterations = clients.map(() => 0);
    return timed(async () => {
      await Promise.all(
        clients.map(async (client, c) => {
          const browser = browsers[c]!;
          if (args.setup) await prepareClient(browser, client, recorder);
          else
            await recorder.time(
              "setup",
              () => browser.get(objetsUrl(client.codeInsee)),
              (r) => isOk(r) && browser.csrf !== "",
            );
        }),
      );
      const randoms = clients.map((_, c) => createRandom(Number(args.seed) * 1000 + c));
      const seconds = await runClients(clients.length, Number(args.seconds), async (c, i) => {
        const client = clients[c]!;
        const browser = browsers[c]!;
        // Spread the first saves over one think time: the communes do not all click at the same instant.
        if (think && i === 0) await sleep(randoms[c]!.next() * think[1]);
        const g = offsets[c]! + i;
        const objetId = client.objetIds[Math.floor(g / 2) % client.objetIds.length]!;
        const visit = Math.floor(g / (2 * client.objetIds.length));
        const etape = g % 2 === 0 ? 5 : 6;
        const form: Record<string, string> =
          etape === 5
            ? { etat_sanitaire: visit % 2 === 0 ? "bon" : "moyen", securisation: visit % 2 === 0 ? "en_securite" : "en_danger" }
            : { notes: `Remarque ${g} : objet vu, rien à signaler.` };
        const expected = `/etapes/${etape + 1}`;
        const save = () => browser.post(etapeUrl(client.codeInsee, objetId, etape), form);
        const response = await recorder.time(`save${etape}`, save, redirected(expected));
        iterations[c] = i + 1;
        if (response?.location && response.status === 303) await recorder.time("next", () => browser.get(response.location!), isOk);
        if (think) await sleep(think[0] + randoms[c]!.next() * (think[1] - think[0]));
      });
      browsers.forEach((browser) => browser.close());
      const save5 = recorder.summary("save5", seconds);
      const save6 = recorder.summary("save6", seconds);
      return {
        setup: recorder.summary("setup", seconds),
        save: recorder.summaryOf(["save5", "save6"], seconds),
        save5,
        save6,
        next: recorder.summary("next", seconds),
        iterations: iterations.map((n, c) => offsets[c]! + n),
      };
    });
  },
};

type QuestionnaireResult = {
  setup: LatencySummary;
  save: LatencySummary;
  save5: LatencySummary;
  save6: LatencySummary;
  next: LatencySummary;
  iterations: number[];
};

/** A fresh database of the target with the national dataset imported, and the app started on it. */
async function withImportedApp<T>(
  context: ScenarioContext,
  scenario: string,
  target: DatabaseTarget,
  run: (bench: BenchApp, imported: Measurement<ImportedDataset>) => Promise<T>,
): Promise<T> {
  const label = describeTarget(target);
  return withFreshDatabase(target, async (location) => {
    context.log(`${label} : import du jeu national (Palissy, annuaire, Mémoire ; non mesuré)…`);
    const imported = await measureInChild<ImportedDataset>(`${scenario}:import-dataset`, { dir: context.dataset.dir, location });
    context.log(`${label} : importé en ${(imported.ms / 1000).toFixed(1)} s ; démarrage de l’application…`);
    const bench = await startBenchApp(location);
    try {
      return await run(bench, imported);
    } finally {
      await bench.close();
    }
  });
}

/** Server-side cost of a measured child step: this process's CPU (PGlite's included) and SQL statements. */
async function serverSide<T>(bench: BenchApp, work: () => Promise<T>): Promise<{ result: T; cpuMs: number; statements: number }> {
  const cpu = process.cpuUsage();
  const statements = bench.statements();
  const result = await work();
  const used = process.cpuUsage(cpu);
  return { result, cpuMs: (used.user + used.system) / 1000, statements: bench.statements() - statements };
}

function row(database: string, figure: string, value: string, extra: Partial<ResultRow> = {}): ResultRow {
  return { database, figure, value, baseline: "—", ratio: "—", target: "—", pass: null, ...extra };
}

function importNote(imported: Measurement<ImportedDataset>): string {
  const { palissy, annuaire, memoire } = imported.result;
  const errors = palissy.errors.length + annuaire.errors.length + memoire.errors.length;
  const counts = `${palissy.created.toLocaleString("en")} objets, ${annuaire.created.toLocaleString("en")} communes, ${memoire.in_scope.toLocaleString("en")} Mémoire photos`;
  return `imported ${counts} (set-up, ${(imported.ms / 1000).toFixed(0)} s${errors > 0 ? `, ${errors} import errors` : ""})`;
}

export const communeObjetsScenario: Scenario = {
  name: "commune-objets",
  title: "Commune objets list, commune with most objets",
  steps,

  async run(context: ScenarioContext): Promise<ScenarioReport> {
    const rows: ResultRow[] = [];
    const notes: string[] = [];
    const expected = context.dataset.expected.palissy.largest_commune;
    for (const target of context.databases) {
      const label = describeTarget(target);
      await withImportedApp(context, "commune-objets", target, async (bench, imported) => {
        const db = bench.database.db;
        const commune = await db
          .selectFrom("communes as c")
          .innerJoin("objets as o", "o.lieu_actuel_code_insee", "c.code_insee")
          .select((eb) => ["c.id", "c.code_insee", "c.nom", eb.fn.countAll<number>().as("objets")])
          .groupBy(["c.id", "c.code_insee", "c.nom"])
          .orderBy("objets", "desc")
          .limit(1)
          .executeTakeFirstOrThrow();
        if (commune.code_insee !== expected.code_insee)
          notes.push(
            `${label}: the generator's largest commune ${expected.code_insee} (${expected.objets} objets) has no commune row (no mairie in the annuaire); measured ${commune.code_insee} instead.`,
          );
        const users = await ensureCommuneUsers(bench.database, [commune.id]);
        const cookies = communeSessionCookie(bench.app, users.get(commune.id)!);
        const objetIds = (
          await db.selectFrom("objets").select("id").where("lieu_actuel_code_insee", "=", commune.code_insee).orderBy("id").execute()
        ).map((o) => o.id);
        const who = `${commune.nom} (${commune.code_insee}), ${Number(commune.objets)} objets`;
        notes.push(`${label}: ${importNote(imported)}; page 1 of the list of ${who}.`);

        const health = { path: "/health", label: "Trivial route /health (select 1)" };
        for (const state of [
          { name: "not started (no dossier)", recenser: [] as number[] },
          { name: "in progress (draft recensement on every other objet)", recenser: objetIds.filter((_, i) => i % 2 === 0) },
        ]) {
          context.log(`${label} : liste des objets, commune ${state.name}…`);
          const client: Client = { cookies, codeInsee: commune.code_insee, objetIds: state.recenser };
          const warm = await measureInChild<{ setup: LatencySummary; warmup: LatencySummary }>("commune-objets:list-warmup", {
            baseUrl: bench.baseUrl,
            client,
            requests: LIST.warmup,
          });
          const setupErrors = warm.result.setup.errors + warm.result.warmup.errors;
          if (setupErrors > 0)
            notes.push(
              `${label}: ${setupErrors} errors while preparing (${[...warm.result.setup.errorSamples, ...warm.result.warmup.errorSamples].join("; ")}).`,
            );

          const read = (pagePath: string) =>
            serverSide(bench, () =>
              measureInChild<LatencySummary>("commune-objets:read-page", {
                baseUrl: bench.baseUrl,
                cookies,
                path: pagePath,
                requests: LIST.requests,
              }),
            );
          const list = await read(objetsUrl(commune.code_insee));
          const trivial = await read(health.path);
          const page = list.result.result;
          const base = trivial.result.result;
          rows.push(
            row(label, `List page, ${state.name}, 1 client`, latency(page), {
              baseline: `${health.label} p95 ${ms(base.p95)}`,
              ratio: `${(page.p95 / base.p95).toFixed(1)}×`,
              target: `p95 ≤ ${TARGETS.listP95Ms} ms, 0 errors`,
              pass: page.p95 <= TARGETS.listP95Ms && page.errors === 0 && page.count === LIST.requests,
            }),
            row(
              label,
              `List page, ${state.name}: server cost per page`,
              `${ms(list.cpuMs / page.count)} CPU (load ${list.result.loadAverage.toFixed(1)}), ${(list.statements / page.count).toFixed(1)} SQL statements`,
              { baseline: `${ms(trivial.cpuMs / base.count)} CPU, ${(trivial.statements / base.count).toFixed(1)} statements` },
            ),
          );
        }
      });
    }
    notes.push(
      `One client reads page 1 of the list ${LIST.requests} times in a row after ${LIST.warmup} warm-up reads; the trivial route is read the same way just after, as a baseline of the machine's state.`,
      "Server cost: CPU time of the process running the app during the measured reads (for PGlite it includes the embedded database; PostgreSQL's own processes are not counted), and SQL statements it sent per page (BEGIN/COMMIT included).",
      "The app runs in the bench process with production settings (request logs off); the client runs in a child process over keep-alive HTTP, signed in with a forged session cookie.",
    );
    return { rows, notes };
  },
};

export const questionnaireScenario: Scenario = {
  name: "questionnaire",
  title: "Questionnaire step save, 50 concurrent communes",
  steps,

  async run(context: ScenarioContext): Promise<ScenarioReport> {
    const rows: ResultRow[] = [];
    const notes: string[] = [];
    for (const target of context.databases) {
      const label = describeTarget(target);
      await withImportedApp(context, "questionnaire", target, async (bench, imported) => {
        const db = bench.database.db;
        // A stable sample of communes with objets, the same for a given seed.
        const communes = await db
          .selectFrom("communes")
          .select(["id", "code_insee"])
          .where("objets_count", ">", 0)
          .orderBy(sql`md5(code_insee || ${String(context.seed)})`)
          .limit(QUESTIONNAIRE.communes)
          .execute();
        const users = await ensureCommuneUsers(
          bench.database,
          communes.map((c) => c.id),
        );
        const clients: Client[] = [];
        for (const commune of communes) {
          const objets = await db
            .selectFrom("objets")
            .select("id")
            .where("lieu_actuel_code_insee", "=", commune.code_insee)
            .orderBy("id")
            .limit(QUESTIONNAIRE.objetsPerCommune)
            .execute();
          clients.push({
            cookies: communeSessionCookie(bench.app, users.get(commune.id)!),
            codeInsee: commune.code_insee,
            objetIds: objets.map((o) => o.id),
          });
        }
        notes.push(
          `${label}: ${importNote(imported)}; ${clients.length} communes, ${clients.reduce((n, c) => n + c.objetIds.length, 0)} objets.`,
        );
        const drive = (args: Record<string, unknown>) =>
          serverSide(bench, () =>
            measureInChild<QuestionnaireResult>("questionnaire:questionnaire", {
              baseUrl: bench.baseUrl,
              clients,
              seed: context.seed,
              ...args,
            }),
          );

        context.log(
          `${label} : ${clients.length} communes ouvrent leurs recensements, puis ${QUESTIONNAIRE.warmupSeconds} s d’échauffement…`,
        );
        const warm = await drive({ setup: true, seconds: QUESTIONNAIRE.warmupSeconds, thinkMs: QUESTIONNAIRE.thinkMs });
        context.log(`${label} : ${QUESTIONNAIRE.seconds} s mesurées, ${clients.length} communes…`);
        const paced = await drive({
          seconds: QUESTIONNAIRE.seconds,
          thinkMs: QUESTIONNAIRE.thinkMs,
          offsets: warm.result.result.iterations,
        });
        context.log(`${label} : ${QUESTIONNAIRE.saturationSeconds} s sans temps de réflexion…`);
        const closed = await drive({ seconds: QUESTIONNAIRE.saturationSeconds, thinkMs: null, offsets: paced.result.result.iterations });

        const measured = paced.result.result;
        const errors = [warm, paced, closed].reduce(
          (n, run) => n + run.result.result.setup.errors + run.result.result.save.errors + run.result.result.next.errors,
          0,
        );
        const samples = [warm, paced, closed].flatMap((run) => [
          ...run.result.result.setup.errorSamples,
          ...run.result.result.save.errorSamples,
          ...run.result.result.next.errorSamples,
        ]);
        if (samples.length > 0) notes.push(`${label}: first errors: ${samples.slice(0, 5).join("; ")}.`);
        const perIteration = measured.save.count;
        const saturation = closed.result.result;
        rows.push(
          row(label, `Step save (5 and 6 in turn), ${clients.length} communes, think time ${thinkTime}`, latency(measured.save), {
            target: `p95 ≤ ${TARGETS.saveP95Ms} ms`,
            pass: measured.save.p95 <= TARGETS.saveP95Ms,
          }),
          row(label, "Errors, every request of the run (set-up and saturation included)", String(errors), {
            target: "0",
            pass: errors === 0,
          }),
          row(label, "Step 5 save (état: statut global refreshed)", latency(measured.save5)),
          row(label, "Step 6 save (comments)", latency(measured.save6)),
          row(label, "Next step page (GET after the 303)", latency(measured.next)),
          row(
            label,
            "Server cost per save + next page",
            `${ms(paced.cpuMs / perIteration)} CPU (load ${paced.result.loadAverage.toFixed(1)}), ${(paced.statements / perIteration).toFixed(1)} SQL statements`,
          ),
          row(label, `Saturation: same clients without think time, ${QUESTIONNAIRE.saturationSeconds} s`, latency(saturation.save), {
            baseline: `next page ${latency(saturation.next)}`,
          }),
        );
      });
    }
    notes.push(
      `Each commune is one client with its own signed-in session (forged cookie) and keep-alive connection; it opens draft recensements of up to ${QUESTIONNAIRE.objetsPerCommune} objets (Recenser, then step 1 “edifice_initial”), then saves step 5 and step 6 in turn, each time with a changed answer, follows the 303 to the next step's page, and thinks ${thinkTime} (uniform) before the next save: about ${(QUESTIONNAIRE.communes / ((QUESTIONNAIRE.thinkMs[0]! + QUESTIONNAIRE.thinkMs[1]!) / 2000)).toFixed(0)} saves/s in all, a busier form than people fill.`,
      `${QUESTIONNAIRE.warmupSeconds} s of warm-up, then ${QUESTIONNAIRE.seconds} s measured; the saturation line (no think time: latency there is queueing behind the other clients) is for context only.`,
      "Server cost: CPU time of the process running the app (for PGlite it includes the embedded database; PostgreSQL's own processes are not counted) and SQL statements it sent, per save and its next page, BEGIN/COMMIT included.",
      "The app runs in the bench process with production settings (request logs off); the clients run in a child process over HTTP.",
    );
    return { rows, notes };
  },
};
