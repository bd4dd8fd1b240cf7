import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import type { FastifyInstance } from "fastify";
import { importAnnuaire } from "../../src/import/annuaire.ts";
import { FILES } from "../../src/import/generate/national.ts";
import { importPalissy } from "../../src/import/palissy.ts";
import type { ImportSummary } from "../../src/import/summary.ts";
import { SESSION_COOKIE } from "../../src/platform/http/session.ts";
import { startBenchApp, type BenchApp } from "../app-server.ts";
import { simulerActiviteExamen, type BilanSimulation } from "../dashboard.ts";
import { describeTarget, withFreshDatabase } from "../databases.ts";
import { BenchBrowser, percentile, runClients, type LatencySummary } from "../http-load.ts";
import { measureInChild, timed } from "../measure.ts";
import { timedOnDatabase } from "../steps.ts";
import type { DatabaseLocation } from "../databases.ts";
import type { ResultRow, Scenario, ScenarioContext, ScenarioReport, Step } from "./types.ts";

/**
 * SPEC §12, the département dashboard: the communes table of the largest département, read by 10
 * conservateurs at once on the real application, next to a trivial page and the health route of the
 * same server, read the same way just after.
 */

const TARGETS = { p95Ms: 50, shareOfTrivial: 0.25 };
const LOAD = { clients: 10, warmupSeconds: 5, rounds: 4, sliceSeconds: 5 };
/** A static page through the same layout, session and access checks: the "trivial page" of SPEC §12. */
const TRIVIAL_PAGE = "/plan";

type Cookies = Record<string, string>;
type Imported = { palissy: ImportSummary; annuaire: ImportSummary; simulation: BilanSimulation };

const ms = (value: number): string => `${value.toFixed(1)} ms`;
const latency = (s: LatencySummary): string =>
  `p95 ${ms(s.p95)} (p50 ${ms(s.p50)}, max ${ms(s.max)}; ${s.perSecond.toFixed(0)} req/s; ${s.count} requests, ${s.errors} errors)`;

const steps: Record<string, Step> = {
  /** Untimed set-up: Palissy and annuaire of the dataset, then examen activity on every commune with objets. */
  async "import-dataset"(args) {
    const file = (name: string) => path.join(String(args.dir), name);
    return timedOnDatabase(args.location as DatabaseLocation, async (database) => {
      const palissy = await importPalissy(database, file(FILES.palissy));
      const annuaire = await importAnnuaire(database, file(FILES.annuaire));
      const simulation = await simulerActiviteExamen(database, { seed: Number(args.seed) });
      if (database.kind === "postgres") await sql`vacuum analyze`.execute(database.db);
      return { palissy, annuaire, simulation } satisfies Imported;
    });
  },

  /** `clients` conservateurs, each on its own keep-alive connection, reading `path` in a loop for `seconds`. */
  async load(args) {
    const baseUrl = new URL(String(args.baseUrl));
    const cookies = args.cookies as Cookies[];
    const browsers = cookies.map((c) => new BenchBrowser(baseUrl, c));
    const slice: Slice = { ms: [], errors: 0, errorSamples: [], seconds: 0 };
    return timed(async () => {
      slice.seconds = await runClients(browsers.length, Number(args.seconds), async (c) => {
        const started = performance.now();
        try {
          const response = await browsers[c]!.get(String(args.path));
          slice.ms.push(performance.now() - started);
          if (response.status !== 200 || (args.html && !response.body.includes("</html>"))) {
            slice.errors += 1;
            if (slice.errorSamples.length < 5) slice.errorSamples.push(`HTTP ${response.status}`);
          }
        } catch (error) {
          slice.ms.push(performance.now() - started);
          slice.errors += 1;
          if (slice.errorSamples.length < 5) slice.errorSamples.push(error instanceof Error ? error.message : String(error));
        }
      });
      browsers.forEach((b) => b.close());
      return slice;
    });
  },
};

/** The latencies of one measured slice of a page, to merge the slices of the alternating rounds. */
type Slice = { ms: number[]; errors: number; errorSamples: string[]; seconds: number };

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

function conservateurCookie(app: FastifyInstance, conservateurId: number): Cookies {
  const now = Date.now();
  const session = app.createSecureSession({ account: { type: "conservateur", id: conservateurId, signedInAt: now, seenAt: now } });
  return { [SESSION_COOKIE]: encodeURIComponent(app.encodeSecureSession(session)) };
}

/** Server-side cost of a measured child step: this process's CPU (PGlite's included) and SQL statements. */
async function serverSide<T>(bench: BenchApp, work: () => Promise<T>): Promise<{ result: T; cpuMs: number; statements: number }> {
  const cpu = process.cpuUsage();
  const statements = bench.statements();
  const result = await work();
  const used = process.cpuUsage(cpu);
  return { result, cpuMs: (used.user + used.system) / 1000, statements: bench.statements() - statements };
}

/**
 * CPU time used so far by the PostgreSQL backends serving the app's pool (a local server only: read from
 * /proc), in ms; null for PGlite, whose work is already in the app process's CPU time.
 */
async function backendsCpu(bench: BenchApp): Promise<(() => number) | null> {
  if (bench.database.kind !== "postgres") return null;
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity where datname = current_database() and application_name = 'collectif-objets'`.execute(
    bench.database.db,
  );
  const msPerTick = 10; // USER_HZ is 100 on Linux
  return () =>
    rows.reduce((total, { pid }) => {
      try {
        const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
        return total + (Number(fields[11]) + Number(fields[12])) * msPerTick;
      } catch {
        return total;
      }
    }, 0);
}

function row(database: string, figure: string, value: string, extra: Partial<ResultRow> = {}): ResultRow {
  return { database, figure, value, baseline: "—", ratio: "—", target: "—", pass: null, ...extra };
}

export const dashboardScenario: Scenario = {
  name: "dashboard",
  title: "Département dashboard, largest département, 10 concurrent conservateurs",
  steps,

  async run(context: ScenarioContext): Promise<ScenarioReport> {
    const rows: ResultRow[] = [];
    const notes: string[] = [];
    for (const target of context.databases) {
      const label = describeTarget(target);
      await withFreshDatabase(target, async (location) => {
        context.log(`${label} : import du jeu national (Palissy, annuaire) et activité d’examen simulée (non mesuré)…`);
        const imported = await measureInChild<Imported>("dashboard:import-dataset", {
          dir: context.dataset.dir,
          location,
          seed: context.seed,
        });
        context.log(`${label} : prêt en ${(imported.ms / 1000).toFixed(1)} s ; démarrage de l’application…`);
        const bench = await startBenchApp(location);
        try {
          const db = bench.database.db;
          const largest = await db
            .selectFrom("communes")
            .select((eb) => [
              "departement_code",
              eb.fn.countAll<number>().as("communes"),
              eb.fn.sum<number>("objets_count").as("objets"),
              sql<number>`count(*) filter (where statut_global in (2, 3, 4))`.as("a_examiner"),
            ])
            .where("objets_count", ">", 0)
            .groupBy("departement_code")
            .orderBy("communes", "desc")
            .limit(1)
            .executeTakeFirstOrThrow();
          const code = largest.departement_code;
          const conservateur = await db
            .insertInto("conservateurs")
            .values({ email: `bench-conservateur-${Date.now()}@example.test`, first_name: "Camille", last_name: "Bench" })
            .returning("id")
            .executeTakeFirstOrThrow();
          await db.insertInto("conservateur_departements").values({ conservateur_id: conservateur.id, departement_code: code }).execute();
          const { simulation, palissy, annuaire } = imported.result;
          notes.push(
            `${label}: imported ${palissy.created.toLocaleString("en")} objets and ${annuaire.created.toLocaleString("en")} communes, simulated ${simulation.dossiers.toLocaleString("en")} dossiers, ${simulation.recensements.toLocaleString("en")} recensements, ${simulation.messages.toLocaleString("en")} messages (set-up, ${(imported.ms / 1000).toFixed(0)} s); largest département ${code}: ${Number(largest.communes)} communes with objets, ${Number(largest.objets).toLocaleString("en")} objets, ${Number(largest.a_examiner)} dossiers to examine.`,
          );

          // Each client is a conservateur of the département with its own session (the filter is remembered per session).
          const cookies = Array.from({ length: LOAD.clients }, () => conservateurCookie(bench.app, conservateur.id));
          const drive = (pagePath: string, seconds: number) =>
            serverSide(bench, () =>
              measureInChild<Slice>("dashboard:load", {
                baseUrl: bench.baseUrl,
                cookies,
                path: pagePath,
                seconds,
                html: pagePath !== "/health",
              }),
            );
          const pages = {
            dashboard: `/conservateurs/departements/${code}`,
            all: `/conservateurs/departements/${code}?statut=tous&tri=activite&ordre=desc&page=2`,
            trivial: TRIVIAL_PAGE,
            health: "/health",
          };
          type Measured = { summary: LatencySummary; cpuMs: number; databaseCpuMs: number; statements: number; load: number };
          const measured = {} as Record<keyof typeof pages, Measured>;
          const slices = Object.fromEntries(Object.keys(pages).map((key) => [key, [] as Slice[]])) as Record<keyof typeof pages, Slice[]>;
          const totals = Object.fromEntries(
            Object.keys(pages).map((key) => [key, { cpuMs: 0, databaseCpuMs: 0, statements: 0, load: 0 }]),
          ) as Record<keyof typeof pages, { cpuMs: number; databaseCpuMs: number; statements: number; load: number }>;
          for (const pagePath of Object.values(pages)) await drive(pagePath, LOAD.warmupSeconds);
          // After the warm-up every connection of the pool is open: their backends do the database's share of the work.
          const databaseCpu = await backendsCpu(bench);
          // The pages take turns, slice after slice, so that each sees the same share of whatever else the machine does.
          for (let round = 0; round < LOAD.rounds; round++) {
            context.log(`${label} : tour ${round + 1}/${LOAD.rounds}, ${LOAD.clients} clients, ${LOAD.sliceSeconds} s par page…`);
            for (const [key, pagePath] of Object.entries(pages) as [keyof typeof pages, string][]) {
              const before = databaseCpu?.() ?? 0;
              const run = await drive(pagePath, LOAD.sliceSeconds);
              totals[key].databaseCpuMs += (databaseCpu?.() ?? 0) - before;
              slices[key].push(run.result.result);
              totals[key].cpuMs += run.cpuMs;
              totals[key].statements += run.statements;
              totals[key].load += run.result.loadAverage / LOAD.rounds;
            }
          }
          for (const key of Object.keys(pages) as (keyof typeof pages)[])
            measured[key] = { summary: summarize(slices[key]), ...totals[key] };
          const { dashboard, all, trivial, health } = measured;

          const share = dashboard.summary.perSecond / trivial.summary.perSecond;
          const cost = (m: typeof dashboard) =>
            `${ms(m.cpuMs / m.summary.count)} app CPU${target.kind === "postgres" ? ` + ${ms(m.databaseCpuMs / m.summary.count)} PostgreSQL CPU` : ""} (load ${m.load.toFixed(1)}), ${(m.statements / m.summary.count).toFixed(1)} SQL statements`;
          rows.push(
            row(label, `Dashboard ${code}, default view (dossiers to examine), ${LOAD.clients} clients`, latency(dashboard.summary), {
              baseline: `trivial page ${TRIVIAL_PAGE}: ${latency(trivial.summary)}`,
              ratio: `${(share * 100).toFixed(0)}% of its req/s`,
              target: `p95 ≤ ${TARGETS.p95Ms} ms and ≥ ${TARGETS.shareOfTrivial * 100}% of the trivial page's req/s, 0 errors`,
              pass:
                dashboard.summary.p95 <= TARGETS.p95Ms &&
                share >= TARGETS.shareOfTrivial &&
                dashboard.summary.errors === 0 &&
                trivial.summary.errors === 0,
            }),
            row(label, "Dashboard, default view: server cost per page", cost(dashboard), { baseline: `trivial page: ${cost(trivial)}` }),
            row(label, `Dashboard ${code}, all statuts sorted by last activity, page 2, ${LOAD.clients} clients`, latency(all.summary), {
              ratio: `${((all.summary.perSecond / trivial.summary.perSecond) * 100).toFixed(0)}% of the trivial page's req/s`,
            }),
            row(label, "Dashboard, all statuts by activity: server cost per page", cost(all)),
            row(label, `Health route /health (select 1), ${LOAD.clients} clients`, latency(health.summary), {
              ratio: `dashboard at ${((dashboard.summary.perSecond / health.summary.perSecond) * 100).toFixed(0)}% of its req/s`,
            }),
          );
          const samples = [dashboard, all, trivial, health].flatMap((m) => m.summary.errorSamples);
          if (samples.length > 0) notes.push(`${label}: first errors: ${samples.slice(0, 5).join("; ")}.`);
        } finally {
          await bench.close();
        }
      });
    }
    notes.push(
      `${LOAD.clients} clients, each a signed-in conservateur of the département (forged session cookie) on its own keep-alive connection, read a page in a closed loop (no think time) from a child process. After ${LOAD.warmupSeconds} s of warm-up per page, the four pages (dashboard, its all-statuts variant, the trivial page ${TRIVIAL_PAGE}: static text through the same layout, session and access checks, and /health) take turns in ${LOAD.rounds} rounds of ${LOAD.sliceSeconds} s each, so that each sees the same share of the machine; figures merge a page's ${LOAD.rounds} slices.`,
      "The dashboard page reads 2 statements whatever the size of the département: the signed-in account, then the header (campaign, statistics, counts per statut) with one page of 15 communes and their total, prepared once per connection. The figures drawn from the recensements (objets recensés, état sanitaire) are kept 30 s per département, so the clients of a run read them from memory after the first page; everything else is read live.",
      "On this 2-core machine the closed loop of 10 clients makes p95 a queueing figure: mean latency = 10 / throughput, so p95 ≤ 50 ms needs about 300 pages/s. The load average of each row tells how much of the machine other work took during the run.",
      "Server cost: CPU time of the process running the app during the measured slices (for PGlite it includes the embedded database), of the PostgreSQL backends serving its pool (read from /proc), and SQL statements it sent, per page.",
      "The national dataset only holds objets and communes: bench/dashboard.ts simulates examen activity on it (35% of the communes without dossier, 15% recensing, 30% sent, 20% examined; 4% absent, 5% en péril) so that the dashboard has dossiers to show.",
    );
    return { rows, notes };
  },
};
