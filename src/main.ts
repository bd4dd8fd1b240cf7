import { buildApp } from "./app.tsx";
import { bootstrap } from "./bootstrap.ts";
import { jobDefinitions } from "./jobs.ts";
import { startJobs, type Jobs } from "./platform/jobs/boss.ts";
import { smtpTransport, startOutboxPoller, type OutboxPoller } from "./platform/mail/delivery.ts";
import { isDatabaseEmpty, seedDemo } from "./seed/demo.ts";
import { startInboundSmtp, type InboundSmtp } from "./messagerie/inbound/smtp.ts";

export type StartOptions = { web: boolean; worker: boolean };

/** `npm start`: web + worker in one process on the embedded database, demo data on first start. */
export async function start(options: StartOptions = { web: true, worker: true }): Promise<void> {
  const ctx = await bootstrap();
  const { config, database } = ctx;

  if (options.web && config.env !== "production" && !config.databaseUrl && (await isDatabaseEmpty(database))) {
    process.stdout.write("Base vide : création des données de démonstration…\n");
    const report = await seedDemo(database);
    if (report.personas.length > 0) {
      process.stdout.write("\nComptes de démonstration :\n");
      for (const persona of report.personas) process.stdout.write(`  - ${persona.role} : ${persona.login} — ${persona.how}\n`);
      process.stdout.write("\n");
    }
  }

  let jobs: Jobs | undefined;
  if (options.worker && !config.disableWorker) {
    jobs = await startJobs(database, jobDefinitions(ctx), {
      work: true,
      onError: (error) => process.stderr.write(`job error: ${error.message}\n`),
    });
  }
  // Without SMTP the mails stay in the outbox, readable at /dev/mails.
  let outboxPoller: OutboxPoller | undefined;
  if (options.worker && !config.disableWorker && config.smtpUrl) {
    outboxPoller = startOutboxPoller(database, smtpTransport(config.smtpUrl), {
      onError: (error) => process.stderr.write(`mail delivery error: ${error.message}\n`),
    });
  }

  // Replies by mail land in the messagerie; the listener runs with the worker (so in the single default process).
  let inboundSmtp: InboundSmtp | undefined;
  if (options.worker && config.inboundSmtpPort !== undefined) {
    inboundSmtp = await startInboundSmtp(ctx);
    if (inboundSmtp) process.stdout.write(`Réception des réponses par mail : SMTP sur le port ${inboundSmtp.port}\n`);
  }

  const app = options.web ? await buildApp(ctx) : undefined;
  if (app) {
    await app.listen({ port: config.port, host: config.host });
    process.stdout.write(
      `Collectif Objets est prêt : ${config.publicUrl} (base ${database.kind === "pglite" ? `embarquée dans ${config.dataDir}` : "PostgreSQL"})\n`,
    );
  } else {
    process.stdout.write("Worker démarré.\n");
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`Arrêt (${signal})…\n`);
    await app?.close();
    await inboundSmtp?.close();
    await outboxPoller?.stop();
    await jobs?.stop();
    await database.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await start();
}
