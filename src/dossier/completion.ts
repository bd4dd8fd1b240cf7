import type { Kysely } from "kysely";
import type { Config } from "../config.ts";
import { audit, type AuditActor } from "../platform/audit.ts";
import { type DB, RECENSEMENT_ACTIFS } from "../platform/db/schema.ts";
import { enqueueMail } from "../platform/mail/outbox.ts";
import { reponseCommune, type AdressageReponses } from "../messagerie/adresses.ts";
import { dossierEnvoyeMail } from "./mails.ts";
import { refreshCommuneStatut } from "./repository.ts";
import { dossierTransition, etatFinalisation, type FinalisationImpossible } from "./rules.ts";

export type EnvoiDossier = {
  actor: AuditActor;
  commune: { communeId: number; codeInsee: string; nom: string };
  /** The signed-in commune user, who receives the thank-you mail. */
  email: string;
  notes_commune: string | null;
  recenseur: string | null;
  ip?: string | null;
};

export type ResultatEnvoi = { ok: true; dossierId: number; submittedAt: Date } | { ok: false; raison: FinalisationImpossible };

/**
 * "Je valide le recensement des objets de ma commune" (RB §3.2 `submit`, §4.6), in one transaction:
 * the dossier goes construction → submitted with the commune's comment and recenseur, the commune's
 * status and statut global follow, the change is audited and the thank-you mail is written to the
 * outbox. The dossier row is locked first and its state checked again, so a double click (or two
 * tabs) sends once: the second request finds the dossier already submitted.
 */
export async function envoyerDossier(
  db: Kysely<DB>,
  config: Pick<Config, "publicUrl" | "mailFrom">,
  reponses: AdressageReponses,
  envoi: EnvoiDossier,
): Promise<ResultatEnvoi> {
  const { communeId, codeInsee } = envoi.commune;
  return db.transaction().execute(async (trx): Promise<ResultatEnvoi> => {
    const dossier = await trx
      .selectFrom("dossiers")
      .select(["id", "status"])
      .where("commune_id", "=", communeId)
      .where("status", "<>", "archived")
      .forUpdate()
      .executeTakeFirst();
    if (!dossier) return { ok: false, raison: "sans_dossier" };
    // Locking the recensements makes a concurrent edit of the questionnaire either finish first (and be
    // seen below) or wait for the dossier to be sent.
    const recensements = await trx
      .selectFrom("recensements as r")
      .innerJoin("objets as o", "o.id", "r.objet_id")
      .select(["r.objet_id", "r.status", "o.lieu_actuel_code_insee"])
      .where("r.dossier_id", "=", dossier.id)
      .where("r.status", "in", RECENSEMENT_ACTIFS)
      .forUpdate("r")
      .execute();
    const objets = await trx
      .selectFrom("objets")
      .select((eb) => [
        eb.fn.countAll<string>().as("n"),
        eb.selectFrom("communes").select("inbound_email_token").where("id", "=", communeId).$asScalar().as("inbound_email_token"),
      ])
      .where("lieu_actuel_code_insee", "=", codeInsee)
      .executeTakeFirstOrThrow();
    const recenses = new Set(
      recensements.filter((r) => r.status === "completed" && r.lieu_actuel_code_insee === codeInsee).map((r) => r.objet_id),
    );
    const etat = etatFinalisation({
      dossierStatus: dossier.status,
      objetsCount: Number(objets.n),
      objetsRecensesCount: recenses.size,
    });
    if (!etat.ok) return etat;

    const submittedAt = new Date();
    const status = dossierTransition(dossier.status, "submit");
    await trx
      .updateTable("dossiers")
      .set({ status, submitted_at: submittedAt, notes_commune: envoi.notes_commune, recenseur: envoi.recenseur, updated_at: submittedAt })
      .where("id", "=", dossier.id)
      .execute();
    await refreshCommuneStatut(trx, communeId);
    await audit(trx, {
      actor: envoi.actor,
      action: "dossier.submit",
      subject: { type: "dossier", id: dossier.id },
      communeId,
      before: { status: dossier.status },
      after: { status, submitted_at: submittedAt.toISOString(), notes_commune: envoi.notes_commune, recenseur: envoi.recenseur },
      ip: envoi.ip ?? null,
    });
    const replyTo = objets.inbound_email_token
      ? reponseCommune(reponses, { code_insee: codeInsee, inbound_email_token: objets.inbound_email_token })
      : undefined;
    await enqueueMail(
      trx,
      dossierEnvoyeMail(config, {
        to: envoi.email,
        dossierId: dossier.id,
        submittedAt,
        commune: envoi.commune,
        ...(replyTo ? { replyTo } : {}),
      }),
    );
    return { ok: true, dossierId: dossier.id, submittedAt };
  });
}
