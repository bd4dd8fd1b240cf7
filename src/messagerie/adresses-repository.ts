import type { Kysely } from "kysely";
import { audit, type AuditActor } from "../platform/audit.ts";
import type { DB } from "../platform/db/schema.ts";
import { adresseReponse, nouveauSecretCommune } from "./adresses.ts";

export type AdressesCommune = { commune: string; codeInsee: string; mairie: string; conservateurs: string };

/**
 * Gives the commune a new secret: both of its reply addresses change at once and mails sent to the old
 * ones are refused from then on (an address leaked, a former employee still writes…). Audited.
 */
export async function renouvelerAdressesReponse(
  db: Kysely<DB>,
  reponses: { cle: Buffer; domaine: string },
  codeInsee: string,
  actor: AuditActor,
): Promise<AdressesCommune | null> {
  return db.transaction().execute(async (trx) => {
    const commune = await trx
      .updateTable("communes")
      .set({ inbound_email_token: nouveauSecretCommune(), inbound_email_token_rotated_at: new Date() })
      .where("code_insee", "=", codeInsee.toUpperCase())
      .returning(["id", "nom", "code_insee", "inbound_email_token"])
      .executeTakeFirst();
    if (!commune) return null;
    await audit(trx, {
      actor,
      action: "messagerie.adresses_renouvelees",
      subject: { type: "commune", id: commune.id },
      communeId: commune.id,
    });
    return {
      commune: commune.nom,
      codeInsee: commune.code_insee,
      mairie: adresseReponse(reponses.cle, reponses.domaine, commune, "commune"),
      conservateurs: adresseReponse(reponses.cle, reponses.domaine, commune, "conservateur"),
    };
  });
}
