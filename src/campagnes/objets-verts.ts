import { adressageDe, reponseCommune } from "../messagerie/adresses.ts";
import { sql } from "kysely";
import type { AppContext } from "../context.ts";
import { refreshCommunesStatut } from "../dossier/repository.ts";
import { enqueueMail } from "../platform/mail/outbox.ts";
import { mailObjetsVerts } from "./mails-objets-verts.ts";
import { ajouterJours, estUnJourOuvre } from "./rules.ts";

const TAILLE_LOT = 100;

/**
 * The automatic "objets verts" reply (RB §7.4 point 4), on weekdays: for the communes of finished
 * campaigns whose statut global is "À examiner en priorité" (submitted, nothing analysed, no automatic
 * reply yet), without any objet in peril or missing, submitted before yesterday (Paris days) and with a
 * user: stamp `replied_automatically_at`, refresh the statut (→ "À examiner") and write the mail to the
 * outbox, in one transaction per batch. Returns the number of dossiers answered.
 */
export async function repondreObjetsVerts(ctx: AppContext, today: string): Promise<number> {
  if (!estUnJourOuvre(today)) return 0;
  const hier = ajouterJours(today, -1);
  let total = 0;
  let apresId = 0;
  for (;;) {
    const lot = await ctx.database.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{
        dossier_id: number;
        commune_id: number;
        nom: string;
        code_insee: string;
        dans_nom: string;
        email: string;
        inbound_email_token: string;
      }>`
        select d.id as dossier_id, co.id as commune_id, co.nom, co.code_insee, co.inbound_email_token, dep.dans_nom,
               (select u.email from commune_users u where u.commune_id = co.id order by u.id limit 1) as email
        from communes co
        join departements dep on dep.code = co.departement_code
        join dossiers d on d.commune_id = co.id and d.status = 'submitted'
        where co.id > ${apresId}
          and co.statut_global = 3 and co.en_peril_count = 0 and co.disparus_count = 0
          and d.replied_automatically_at is null
          and (d.submitted_at at time zone 'Europe/Paris')::date < ${hier}::date
          and exists (select 1 from commune_users u where u.commune_id = co.id)
          and exists (
            select 1 from campaign_recipients r join campaigns c on c.id = r.campaign_id
            where r.commune_id = co.id and c.status = 'finished')
        order by co.id
        limit ${TAILLE_LOT}
        for update of d`.execute(trx);
      if (rows.length === 0) return null;
      const stamped = await sql<{ id: number }>`
        update dossiers set replied_automatically_at = now(), updated_at = now()
        where id = any(${sql.val(rows.map((r) => r.dossier_id))}::int[]) and replied_automatically_at is null
        returning id`.execute(trx);
      const ids = new Set(stamped.rows.map((r) => Number(r.id)));
      const faits = rows.filter((r) => ids.has(Number(r.dossier_id)));
      await refreshCommunesStatut(
        trx,
        faits.map((r) => Number(r.commune_id)),
      );
      for (const r of faits) {
        await enqueueMail(
          trx,
          mailObjetsVerts(ctx.config, {
            to: r.email,
            dossierId: Number(r.dossier_id),
            commune: { nom: r.nom, codeInsee: r.code_insee },
            departement: { dans_nom: r.dans_nom },
            replyTo: reponseCommune(adressageDe(ctx), r),
          }),
        );
      }
      return { dernier: Number(rows[rows.length - 1]!.commune_id), faits: faits.length };
    });
    if (!lot) break;
    apresId = lot.dernier;
    total += lot.faits;
  }
  return total;
}
