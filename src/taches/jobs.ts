import type { AppContext } from "../context.ts";
import type { JobDefinition } from "../platform/jobs/boss.ts";
import { soumettreDossiersInactifs } from "./auto-soumission.ts";
import { verifierCoherence } from "./coherence.ts";
import { nettoyerConnexions, supprimerFichiersOrphelins } from "./nettoyage.ts";
import { envoyerRecapitulatifs } from "./recapitulatif.ts";
import { relancerDossiersIncomplets } from "./relances.ts";
import { effacerRecenseursAnciens } from "./rgpd.ts";

/**
 * Scheduled maintenance jobs (RB §7.1). Crons are read in Europe/Paris (startJobs passes the time zone
 * to pg-boss). Every job is idempotent: a second run (a retry, or two workers) changes and sends nothing more.
 */
export function tachesJobs(ctx: AppContext): JobDefinition[] {
  const db = ctx.database.db;
  return [
    { name: "cleanup-expired-login-codes", cron: "15 3 * * *", handler: () => nettoyerConnexions(db) },
    {
      name: "purge-fichiers-orphelins",
      cron: "0 2 * * *",
      handler: async () => {
        await supprimerFichiersOrphelins(db, ctx.files);
      },
    },
    {
      name: "verification-coherence",
      cron: "0 5 * * *",
      handler: async () => {
        await verifierCoherence(db, ctx.config);
      },
    },
    {
      name: "auto-soumission-dossiers",
      cron: "0 9 * * *",
      handler: async () => {
        await soumettreDossiersInactifs(db, ctx.config);
      },
    },
    {
      name: "relance-dossiers-incomplets",
      cron: "0 8 1 * *",
      handler: async () => {
        await relancerDossiersIncomplets(db, ctx.config);
      },
    },
    {
      name: "recapitulatif-conservateurs",
      cron: "30 8 * * 1",
      handler: async () => {
        await envoyerRecapitulatifs(db, ctx.config);
      },
    },
    {
      name: "rgpd-effacement-recenseurs",
      cron: "30 4 * * *",
      handler: async () => {
        await effacerRecenseursAnciens(db);
      },
    },
  ];
}
