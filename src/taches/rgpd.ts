import type { Kysely } from "kysely";
import { audit } from "../platform/audit.ts";
import type { DB } from "../platform/db/schema.ts";

/** How long the contact details of the person who did the recensement are kept (RB §7.1). */
export const RETENTION_RECENSEUR_ANS = 6;

/**
 * RGPD erasure (RB §7.1, scheduled here where the reference only ran it by hand): the `recenseur`
 * field — the name and contact of the person who carried out the recensement, the only personal data of
 * recenseurs the schema holds — is emptied on dossiers created more than 6 years ago. One statement and,
 * when something was erased, one audit event with the count; a second run finds nothing left.
 */
export async function effacerRecenseursAnciens(db: Kysely<DB>, now = new Date()): Promise<number> {
  const limite = new Date(now);
  limite.setUTCFullYear(limite.getUTCFullYear() - RETENTION_RECENSEUR_ANS);
  return db.transaction().execute(async (trx) => {
    const effaces = await trx
      .updateTable("dossiers")
      .set({ recenseur: null })
      .where("created_at", "<", limite)
      .where("recenseur", "is not", null)
      .returning("id")
      .execute();
    if (effaces.length > 0) {
      await audit(trx, {
        actor: { type: "system", id: null },
        action: "rgpd.recenseur_efface",
        after: { dossiers: effaces.length, crees_avant: limite.toISOString() },
      });
    }
    return effaces.length;
  });
}
