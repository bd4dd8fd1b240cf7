import crypto from "node:crypto";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { executerSequenceQuotidienne } from "../../src/campagnes/sequence.ts";
import { loadConfig } from "../../src/config.ts";
import { createContext } from "../../src/context.ts";
import { deliverDueMails, smtpTransport } from "../../src/platform/mail/delivery.ts";
import { describeTarget, withFreshDatabase, type DatabaseLocation } from "../databases.ts";
import { measureInChild, timed } from "../measure.ts";
import { timedOnDatabase } from "../steps.ts";
import type { ResultRow, Scenario, ScenarioContext, ScenarioReport, Step } from "./types.ts";

/**
 * SPEC §12 "Campaign launch": a planned campaign of 1,000 communes started by the daily run (dossiers
 * archived, step-up in batches, outbox filled), then the outbox delivered into an SMTP sink on loopback
 * running in the parent process (so the sink's work is not on the sender's event loop).
 */

const RECIPIENTS = 1000;
const TARGETS = { outboxSeconds: 10, mailsPerSecond: 100 };
const LANCEMENT = "2027-01-04";

type LaunchResult = { outboxMs: number; mails: number; deliveryMs: number; report: { sent: number; retried: number; failed: number } };

const steps: Record<string, Step> = {
  async "campaign-launch"(args) {
    return timedOnDatabase(args.location as DatabaseLocation, async (database): Promise<LaunchResult> => {
      const ctx = createContext({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
      // Untimed set-up: communes with a user and one objet each, half of them with a sent dossier to archive.
      const communes = await database.db
        .insertInto("communes")
        .values(
          Array.from({ length: RECIPIENTS }, (_, i) => ({
            code_insee: `${String(10 + Math.floor(i / 900)).padStart(2, "0")}${String(100 + (i % 900)).padStart(3, "0")}`,
            nom: `Commune ${i}`,
            departement_code: String(10 + Math.floor(i / 900)).padStart(2, "0"),
            objets_count: 1,
          })),
        )
        .returning("id")
        .execute();
      await database.db
        .insertInto("commune_users")
        .values(communes.map((c, i) => ({ commune_id: c.id, email: `mairie-${i}@communes.test` })))
        .execute();
      await database.db
        .insertInto("dossiers")
        .values(
          communes.filter((_, i) => i % 2 === 0).map((c) => ({ commune_id: c.id, status: "submitted" as const, submitted_at: new Date() })),
        )
        .execute();
      const campagne = await database.db
        .insertInto("campaigns")
        .values({
          departement_code: "10",
          status: "planned",
          date_lancement: LANCEMENT,
          date_relance1: "2027-01-18",
          date_relance2: "2027-02-01",
          date_relance3: "2027-02-15",
          date_fin: "2027-03-01",
          sender_name: "Bench",
          signature: "Bench",
          nom_drac: "Grand Est",
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await database.db
        .insertInto("campaign_recipients")
        .values(
          communes.map((c) => ({ campaign_id: campagne.id, commune_id: c.id, unsubscribe_token: crypto.randomBytes(12).toString("hex") })),
        )
        .execute();

      const launch = await timed(() => executerSequenceQuotidienne(ctx, LANCEMENT));
      const mails = launch.result.etapes.reduce((n, e) => n + e.envoyes, 0);
      const transport = smtpTransport(String(args.smtpUrl));
      const delivery = await timed(() => deliverDueMails(database, transport, { maxBatches: 1000 }));
      transport.close();
      return { outboxMs: launch.ms, mails, deliveryMs: delivery.ms, report: delivery.result };
    });
  },
};

async function startSink(): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    // A sink: no reverse DNS of the loopback client (smtp-server's default), which would dominate the timing.
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      stream.on("data", () => undefined);
      stream.on("end", () => {
        received++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    count: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function run(context: ScenarioContext): Promise<ScenarioReport> {
  const rows: ResultRow[] = [];
  for (const target of context.databases) {
    const database = describeTarget(target);
    const sink = await startSink();
    try {
      const measurement = await withFreshDatabase(target, (location) =>
        measureInChild<LaunchResult>("campagne:campaign-launch", { location, smtpUrl: sink.url }),
      );
      const result = measurement.result;
      const outboxSeconds = result.outboxMs / 1000;
      const perSecond = result.report.sent / (result.deliveryMs / 1000);
      context.log(`${database} : outbox ${outboxSeconds.toFixed(2)} s, ${perSecond.toFixed(0)} mails/s, ${sink.count()} reçus`);
      rows.push(
        {
          database,
          figure: `Campaign start + launch step, ${RECIPIENTS.toLocaleString("en")} recipients: outbox filled (${result.mails} mails)`,
          value: `${outboxSeconds.toFixed(2)} s`,
          baseline: "—",
          ratio: "—",
          target: `≤ ${TARGETS.outboxSeconds} s`,
          pass: outboxSeconds <= TARGETS.outboxSeconds && result.mails === RECIPIENTS,
        },
        {
          database,
          figure: `Delivery into a local SMTP sink (${sink.count()} received, ${result.report.retried} retried, ${result.report.failed} failed)`,
          value: `${perSecond.toFixed(0)} mails/s (${(result.deliveryMs / 1000).toFixed(2)} s)`,
          baseline: "—",
          ratio: "—",
          target: `≥ ${TARGETS.mailsPerSecond} mails/s`,
          pass: perSecond >= TARGETS.mailsPerSecond && sink.count() === RECIPIENTS,
        },
      );
    } finally {
      await sink.close();
    }
  }
  return {
    rows,
    notes: [
      "The step runs in its own Node process; the SMTP sink runs in the bench's process on loopback. Half of the communes have a sent dossier, archived by the start.",
      "Delivery is one sequential sender (one claim of 50, then per mail: claim renewal, SMTP send on a new connection, markSent), as the worker's outbox poller does.",
    ],
  };
}

export const campagneScenario: Scenario = {
  name: "campagne",
  title: "Campaign launch, 1,000 recipients: outbox filled, then delivered into a local SMTP sink",
  steps,
  run,
};
