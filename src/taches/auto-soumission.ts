import { sql, type Kysely } from "kysely";
import type { Config } from "../config.ts";
import { refreshCommuneStatut } from "../dossier/repository.ts";
import { dossierTransition } from "../dossier/rules.ts";
import { audit } from "../platform/audit.ts";
import type { DB } from "../platform/db/schema.ts";
import { enqueueMail } from "../platform/mail/outbox.ts";
import { dossierAutoSoumisMail } from "./mails.ts";

export const NOTE_AUTO_SOUMISSION =
  "Commentaire automatique : tous les objets avaient été recensés mais le dossier n’avait pas été envoyé ; il a été transmis automatiquement un mois après la dernière modification d’un recensement.";

/**
 * Construction dossiers that can be sent for the commune (RB §3.2 "auto-submittable", our version):
 * every objet of the commune has a completed recensement in the dossier, and no recensement of the
 * dossier (drafts included) changed during the last month.
 */
function dossiersAutoSoumettables(db: Kysely<DB>, now: Date, dossierId?: number) {
  return sql<{ id: number; commune_id: number; code_insee: string; nom: string }>`
    select d.id, d.commune_id, c.code_insee, c.nom
    from dossiers d
    join communes c on c.id = d.commune_id
    join lateral (
      select max(r.updated_at) as derniere,
             count(distinct r.objet_id) filter (where r.status = 'completed' and o.lieu_actuel_code_insee = c.code_insee) as recenses
      from recensements r
      left join objets o on o.id = r.objet_id
      where r.dossier_id = d.id and r.status in ('draft', 'completed')
    ) r on true
    join lateral (select count(*) as n from objets o where o.lieu_actuel_code_insee = c.code_insee) o on true
    where d.status = 'construction'
      ${dossierId === undefined ? sql`` : sql`and d.id = ${dossierId}`}
      and r.derniere < ${now}::timestamptz - interval '1 month'
      and o.n > 0 and r.recenses = o.n
    order by d.id
  `.execute(db);
}

/**
 * AutoSubmitDossiers (daily 09:00): each eligible dossier is submitted in its own transaction, with the
 * automatic comment, the commune's statut refreshed, an audit event and a mail to every commune user.
 * The dossier is locked and the rule checked again inside the transaction, so two runs submit once.
 */
export async function soumettreDossiersInactifs(
  db: Kysely<DB>,
  config: Pick<Config, "publicUrl" | "mailFrom">,
  now = new Date(),
): Promise<number[]> {
  const { rows } = await dossiersAutoSoumettables(db, now);
  const soumis: number[] = [];
  for (const candidat of rows) {
    const fait = await db.transaction().execute(async (trx) => {
      const dossier = await trx
        .selectFrom("dossiers")
        .select(["id", "status", "notes_commune"])
        .where("id", "=", candidat.id)
        .forUpdate()
        .executeTakeFirst();
      if (dossier?.status !== "construction") return false;
      const encore = await dossiersAutoSoumettables(trx, now, dossier.id);
      if (encore.rows.length === 0) return false;
      const status = dossierTransition(dossier.status, "submit");
      const notes = dossier.notes_commune ? `${dossier.notes_commune}\n\n${NOTE_AUTO_SOUMISSION}` : NOTE_AUTO_SOUMISSION;
      await trx
        .updateTable("dossiers")
        .set({ status, submitted_at: now, notes_commune: notes, updated_at: now })
        .where("id", "=", dossier.id)
        .execute();
      await refreshCommuneStatut(trx, candidat.commune_id);
      await audit(trx, {
        actor: { type: "system", id: null },
        action: "dossier.auto_submit",
        subject: { type: "dossier", id: dossier.id },
        communeId: candidat.commune_id,
        before: { status: dossier.status },
        after: { status, submitted_at: now.toISOString() },
      });
      const users = await trx
        .selectFrom("commune_users")
        .select("email")
        .where("commune_id", "=", candidat.commune_id)
        .orderBy("id")
        .execute();
      for (const user of users) {
        await enqueueMail(
          trx,
          dossierAutoSoumisMail(config, {
            to: user.email,
            dossierId: dossier.id,
            commune: { nom: candidat.nom, codeInsee: candidat.code_insee },
          }),
        );
      }
      return true;
    });
    if (fait) soumis.push(candidat.id);
  }
  return soumis;
}
