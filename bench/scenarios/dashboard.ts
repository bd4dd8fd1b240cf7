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
import { BenchBrowser, Recorder, runClients, type LatencySummary } from "../http-load.ts";
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
const LOAD = { clients: 10, warmupSeconds: 5, seconds: 20 };
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
    const recorder = new Recorder();
    return timed(async () => {
      const seconds = await runClients(browsers.length, Number(args.seconds), async (c) => {
        await recorder.time(
          "page",
          () => browsers[c]!.get(String(args.path)),
          (r) => r.status === 200 && (!args.html || r.body.includes("</html>")),
        );
      });
      browsers.forEach((b) => b.close());
      return recorder.summary("page", seconds);
    });
  },
};

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
              measureInChild<LatencySummary>("dashboard:load", {
                baseUrl: bench.baseUrl,
                cookies,
                path: pagePath,
                seconds,
                html: pagePath !== "/health",
              }),
            );
          const measure = async (pagePath: string) => {
            context.log(`${label} : ${pagePath}, ${LOAD.clients} clients, ${LOAD.warmupSeconds} s d’échauffement puis ${LOAD.seconds} s…`);
            await drive(pagePath, LOAD.warmupSeconds);
            const run = await drive(pagePath, LOAD.seconds);
            return { summary: run.result.result, cpuMs: run.cpuMs, statements: run.statements, load: run.result.loadAverage };
          };
          const dashboard = await measure(`/conservateurs/departements/${code}`);
          const all = await measure(`/conservateurs/departements/${code}?statut=tous&tri=activite&ordre=desc&page=2`);
          const trivial = await measure(TRIVIAL_PAGE);
          const health = await measure("/health");

          const share = dashboard.summary.perSecond / trivial.summary.perSecond;
          const cost = (m: typeof dashboard) =>
            `${ms(m.cpuMs / m.summary.count)} CPU (load ${m.load.toFixed(1)}), ${(m.statements / m.summary.count).toFixed(1)} SQL statements`;
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
      `${LOAD.clients} clients, each a signed-in conservateur of the département (forged session cookie) on its own keep-alive connection, read the page in a closed loop (no think time) from a child process: ${LOAD.warmupSeconds} s of warm-up, then ${LOAD.seconds} s measured; the trivial page (${TRIVIAL_PAGE}: static text through the same layout, session and access checks) and /health are read the same way just after.`,
      "The dashboard page: the account, the département of the URL, the header (campaign, statistics, counts per statut) and one page of 15 communes with its total, whatever the size of the département.",
      "Server cost: CPU time of the process running the app during the measured run (for PGlite it includes the embedded database; PostgreSQL's own processes are not counted) and SQL statements it sent, per page.",
      "The national dataset only holds objets and communes: bench/dashboard.ts simulates examen activity on it (35% of the communes without dossier, 15% recensing, 30% sent, 20% examined; 4% absent, 5% en péril) so that the dashboard has dossiers to show.",
    );
    return { rows, notes };
  },
};
