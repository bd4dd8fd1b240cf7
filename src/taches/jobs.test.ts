import { describe, expect, it } from "vitest";
import type { AppContext } from "../context.ts";
import { tachesJobs } from "./jobs.ts";

describe("maintenance jobs registry (RB §7.1, crons in Europe/Paris)", () => {
  it("schedules every maintenance job once, at its time", () => {
    const jobs = tachesJobs({ database: { db: {} }, config: {}, files: {} } as unknown as AppContext);
    expect(Object.fromEntries(jobs.map((j) => [j.name, j.cron]))).toEqual({
      "cleanup-expired-login-codes": "15 3 * * *",
      "purge-fichiers-orphelins": "0 2 * * *",
      "verification-coherence": "0 5 * * *",
      "auto-soumission-dossiers": "0 9 * * *",
      "relance-dossiers-incomplets": "0 8 1 * *",
      "recapitulatif-conservateurs": "30 8 * * 1",
      "rgpd-effacement-recenseurs": "30 4 * * *",
    });
  });
});
