import { bootstrap, fail } from "./bootstrap.ts";
import { runGenerateCommand } from "./import/generate/cli.ts";
import { runImportCommand } from "./import/cli.ts";
import { start } from "./main.ts";
import { seedDemo } from "./seed/demo.ts";
import { adressageDe } from "./messagerie/adresses.ts";
import { renouvelerAdressesReponse } from "./messagerie/adresses-repository.ts";

const USAGE = `Usage : npm run co -- <commande>
  migrate                                         met la base à jour
  seed demo                                       crée les données de démonstration
  import palissy|merimee|annuaire|memoire <fichier> [--json]
  generate national --out <dossier> [--seed N] [--scale F]
  messagerie renouveler-adresses <code INSEE>     change les adresses de réponse par mail d’une commune
  web                                             serveur web seul
  worker                                          tâches de fond seules`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "migrate": {
      const ctx = await bootstrap();
      await ctx.database.close();
      process.stdout.write("Base de données à jour.\n");
      return 0;
    }
    case "seed": {
      if (rest[0] !== "demo") fail(`Jeu de données inconnu : ${rest[0] ?? "(aucun)"}. Seul « demo » existe.\n${USAGE}`);
      const ctx = await bootstrap();
      if (ctx.config.env === "production") fail("Les données de démonstration ne sont jamais créées en production.");
      const report = await seedDemo(ctx.database);
      await ctx.database.close();
      process.stdout.write(
        report.created ? "Données de démonstration créées.\n" : "Les données de démonstration existaient déjà : rien n’a été modifié.\n",
      );
      for (const persona of report.personas) process.stdout.write(`${persona.role} : ${persona.login} — ${persona.how}\n`);
      return 0;
    }
    case "import":
      return runImportCommand(rest);
    case "generate":
      return runGenerateCommand(rest);
    case "messagerie": {
      if (rest[0] !== "renouveler-adresses" || !rest[1]) fail(`Usage : messagerie renouveler-adresses <code INSEE>\n${USAGE}`);
      const ctx = await bootstrap();
      const adresses = await renouvelerAdressesReponse(ctx.database.db, adressageDe(ctx), rest[1], { type: "system", id: null });
      await ctx.database.close();
      if (!adresses) fail(`Aucune commune n’a le code INSEE ${rest[1]}.`);
      process.stdout.write(
        `Nouvelles adresses de réponse de ${adresses.commune} (${adresses.codeInsee}) ; les anciennes sont désormais refusées.\n` +
          `  côté mairie : ${adresses.mairie}\n  côté conservateurs : ${adresses.conservateurs}\n`,
      );
      return 0;
    }
    case "web":
      await start({ web: true, worker: false });
      return -1;
    case "worker":
      await start({ web: false, worker: true });
      return -1;
    case undefined:
    case "help":
    case "--help":
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`Commande inconnue : ${command}\n${USAGE}\n`);
      return 2;
  }
}

const code = await main(process.argv.slice(2));
if (code >= 0) process.exit(code);
