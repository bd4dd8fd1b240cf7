import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { chargerAnalyse, objetsNonVus } from "../../src/analyse/repository.ts";
import { SESSION_COOKIE } from "../../src/platform/http/session.ts";
import { startBenchApp, type BenchApp } from "../app-server.ts";
import type { BilanSimulation } from "../dashboard.ts";
import { describeTarget, withFreshDatabase } from "../databases.ts";
import { percentile, type LatencySummary } from "../http-load.ts";
import { measureInChild, timed } from "../measure.ts";
import type { ImportSummary } from "../../src/import/summary.ts";
import { dashboardScenario } from "./dashboard.ts";
import type { ResultRow, Scenario, ScenarioContext, ScenarioReport, Step } from "./types.ts";

/**
 * Issue 10, the analysis: the Analyse tab of the largest département and the national figures of /stats, read
 * by 10 clients at once on the real application next to a trivial page; and the computation of the figures,
 * timed alone: it runs off the request path (kept ANALYSE_TTL_MS, then recomputed in the background while
 * readers get the kept figures), so only the very first reader of a process waits for it.
 */

const TARGETS = { p95Ms: 50 };
const LOAD = { clients: 10, warmupSeconds: 3, rounds: 3, sliceSeconds: 4 };
const TRIVIAL_PAGE = "/plan";
const COMPUTE_RUNS = 3;

type Cookies = Record<string, string>;
type Imported = { palissy: ImportSummary; annuaire: ImportSummary; simulation: BilanSimulation };
type Slice = { ms: number[]; errors: number; errorSamples: string[]; seconds: number };

const steps: Record<string, Step> = {
  // Same set-up and load loop as the dashboard scenario: national Palissy and annuaire, simulated examen activity.
  "import-dataset": dashboardScenario.steps["import-dataset"]!,
  load: dashboardScenario.steps.load!,
};

const ms = (value: number): string => `${value.toFixed(1)} ms`;
const latency = (s: LatencySummary): string =>
  `p95 ${ms(s.p95)} (p50 ${ms(s.p50)}, max ${ms(s.max)}; ${s.perSecond.toFixed(0)} req/s; ${s.count} requests, ${s.errors} errors)`;

function summarize(slices: readonly Slice[]): LatencySummary {
  const sorted = slices.flatMap((slice) => slice.ms).sort((a, b) => a - b);
  const seconds = slices.reduce((n, slice) => n + slice.seconds, 0);
  return {
    count: sorted.length,
    errors: slices.reduce((n, slice) => n + slice.errors, 0),
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    max: sorted.at(-1) ?? 0,
    perSecond: sorted.length / seconds,
    errorSamples: slices.flatMap((slice) => slice.errorSamples).slice(0, 5),
  };
}

function row(database: string, figure: string, value: string, extra: Partial<ResultRow> = {}): ResultRow {
  return { database, figure, value, baseline: "—", ratio: "—", target: "—", pass: null, ...extra };
}

function conservateurCookie(app: FastifyInstance, conservateurId: number): Cookies {
  const now = Date.now();
  const session = app.createSecureSession({ account: { type: "conservateur", id: conservateurId, signedInAt: now, seenAt: now } });
  return { [SESSION_COOKIE]: encodeURIComponent(app.encodeSecureSession(session)) };
}

/** Median wall time and statements of `work` run alone `COMPUTE_RUNS` times in this process (the app's). */
async function computeTime(bench: BenchApp, work: () => Promise<unknown>): Promise<{ ms: number; statements: number }> {
  const times: number[] = [];
  let statements = 0;
  for (let i = 0; i < COMPUTE_RUNS; i++) {
    const before = bench.statements();
    times.push((await timed(work)).ms);
    statements = bench.statements() - before;
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)] ?? 0, statements };
}

export const analyseScenario: Scenario = {
  name: "analyse",
  title: "Analysis tab of the largest département and national /stats, 10 concurrent clients",
  steps,

  async run(context: ScenarioContext): Promise<ScenarioReport> {
    const rows: ResultRow[] = [];
    const notes: string[] = [];
    for (const target of context.databases) {
      const label = describeTarget(target);
      await withFreshDatabase(target, async (location) => {
        context.log(`${label} : import du jeu national et activité d’examen simulée (non mesuré)…`);
        const imported = await measureInChild<Imported>("analyse:import-dataset", {
          dir: context.dataset.dir,
          location,
          seed: context.seed,
        });
        const bench = await startBenchApp(location);
        try {
          const db = bench.database.db;
          const largest = await db
            .selectFrom("objets")
            .select(["lieu_actuel_departement_code as code", sql<number>`count(*)::int`.as("objets")])
            .groupBy("lieu_actuel_departement_code")
            .orderBy("objets", "desc")
            .limit(1)
            .executeTakeFirstOrThrow();
          const code = largest.code;
          const conservateur = await db
            .insertInto("conservateurs")
            .values({ email: `bench-analyse-${Date.now()}@example.test`, first_name: "Camille", last_name: "Bench" })
            .returning("id")
            .executeTakeFirstOrThrow();
          await db.insertInto("conservateur_departements").values({ conservateur_id: conservateur.id, departement_code: code }).execute();
          const { palissy, annuaire, simulation } = imported.result;
          notes.push(
            `${label}: ${palissy.created.toLocaleString("en")} objets, ${annuaire.created.toLocaleString("en")} communes, ${simulation.dossiers.toLocaleString("en")} simulated dossiers and ${simulation.recensements.toLocaleString("en")} recensements; largest département ${code} (${largest.objets.toLocaleString("en")} objets).`,
          );

          context.log(`${label} : calcul sans cache (${COMPUTE_RUNS} fois)…`);
          const national = await computeTime(bench, () => chargerAnalyse(db, null));
          const departement = await computeTime(bench, () => chargerAnalyse(db, code));
          const liste = await computeTime(bench, () => objetsNonVus(db, code, null));
          rows.push(
            row(
              label,
              "National analysis of /stats computed without cache (median)",
              `${ms(national.ms)}, ${national.statements} SQL statements`,
              { target: "off the request path, at most every 5 min" },
            ),
            row(
              label,
              `Analysis of département ${code} computed without cache (median)`,
              `${ms(departement.ms)}, ${departement.statements} SQL statements`,
              { target: "off the request path, at most every 5 min per département" },
            ),
            row(
              label,
              `Objets seen longest ago, ${code}, every objet by last visit, computed without cache (median)`,
              `${ms(liste.ms)}, ${liste.statements} SQL statement`,
            ),
          );

          const cookies = Array.from({ length: LOAD.clients }, () => conservateurCookie(bench.app, conservateur.id));
          const pages = {
            analyse: `/conservateurs/departements/${code}/analyse`,
            stats: "/stats",
            trivial: TRIVIAL_PAGE,
          };
          const drive = (pagePath: string, seconds: number) =>
            measureInChild<Slice>("analyse:load", { baseUrl: bench.baseUrl, cookies, path: pagePath, seconds, html: true });
          for (const pagePath of Object.values(pages)) await drive(pagePath, LOAD.warmupSeconds);
          const slices = { analyse: [] as Slice[], stats: [] as Slice[], trivial: [] as Slice[] };
          const statements = { analyse: 0, stats: 0, trivial: 0 };
          for (let round = 0; round < LOAD.rounds; round++) {
            context.log(`${label} : tour ${round + 1}/${LOAD.rounds}, ${LOAD.clients} clients, ${LOAD.sliceSeconds} s par page…`);
            for (const [key, pagePath] of Object.entries(pages) as [keyof typeof pages, string][]) {
              const before = bench.statements();
              const run = await drive(pagePath, LOAD.sliceSeconds);
              statements[key] += bench.statements() - before;
              slices[key].push(run.result);
            }
          }
          const summary = { analyse: summarize(slices.analyse), stats: summarize(slices.stats), trivial: summarize(slices.trivial) };
          const perPage = (key: keyof typeof pages) => (statements[key] / Math.max(1, summary[key].count)).toFixed(1);
          rows.push(
            row(label, `Analyse tab ${code}, ${LOAD.clients} clients`, latency(summary.analyse), {
              baseline: `trivial page ${TRIVIAL_PAGE}: ${latency(summary.trivial)}`,
              ratio: `${((summary.analyse.perSecond / summary.trivial.perSecond) * 100).toFixed(0)}% of its req/s; ${perPage("analyse")} SQL statements per page`,
              target: `p95 ≤ ${TARGETS.p95Ms} ms, 0 errors`,
              pass: summary.analyse.p95 <= TARGETS.p95Ms && summary.analyse.errors === 0,
            }),
            row(label, `/stats with the national analysis, ${LOAD.clients} clients`, latency(summary.stats), {
              ratio: `${((summary.stats.perSecond / summary.trivial.perSecond) * 100).toFixed(0)}% of the trivial page's req/s; ${perPage("stats")} SQL statements per page`,
              target: `p95 ≤ ${TARGETS.p95Ms} ms, 0 errors`,
              pass: summary.stats.p95 <= TARGETS.p95Ms && summary.stats.errors === 0,
            }),
          );
          const samples = [summary.analyse, summary.stats, summary.trivial].flatMap((s) => s.errorSamples);
          if (samples.length > 0) notes.push(`${label}: first errors: ${samples.slice(0, 5).join("; ")}.`);
        } finally {
          await bench.close();
        }
      });
    }
    notes.push(
      `${LOAD.clients} clients (signed-in conservateurs of the département, forged session cookies) read each page in a closed loop from a child process: ${LOAD.warmupSeconds} s of warm-up per page, then ${LOAD.rounds} rounds of ${LOAD.sliceSeconds} s where the pages take turns.`,
      "The aggregates (états by catégorie, siècle and édifice, weekly progress and campaigns, coverage) are computed in SQL with a bounded number of statements, kept 5 minutes (per département for the tab, once for /stats) and then recomputed in the background while readers get the kept ones: no reader waits for them but the first of a process. The département's objets ordered by last visit are kept with them; the body of each page of the tab is rendered once per set of figures and sent as bytes.",
      "The clients accept compressed pages like a browser (Accept-Encoding: br, gzip) and inflate them; the app compresses pages of 32 kB and more with brotli at quality 1 (the tab and /stats), not the trivial page.",
    );
    return { rows, notes };
  },
};
