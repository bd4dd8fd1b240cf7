import { adressageDe, reponseCommune } from "../messagerie/adresses.ts";
import { sql } from "kysely";
import type { AppContext } from "../context.ts";
import { refreshCommunesStatut } from "../dossier/repository.ts";
import { enqueueMail } from "../platform/mail/outbox.ts";
import type { CampaignStep } from "../platform/db/schema.ts";
import { mailCampagne } from "./mails.ts";
import { repondreObjetsVerts } from "./objets-verts.ts";
import { CHAMP_DATE, decisionEtape, etapeDuJour, etapePrecedente, varianteMail } from "./rules.ts";
import {
  avancerDestinataires,
  campagnesEnCours,
  enregistrerMailsCampagne,
  lotDeDestinataires,
  type CampagneSequence,
} from "./sequence-repository.ts";

/** Recipients handled per transaction by the step-up. */
export const TAILLE_LOT = 100;

const jourParisFormat = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" });

/** Today as a 'YYYY-MM-DD' day in Europe/Paris. */
export function jourParis(date: Date = new Date()): string {
  return jourParisFormat.format(date);
}

export type RapportEtape = { campaignId: number; etape: CampaignStep; envoyes: number; sautes: number; ignores: number };
export type RapportSequence = {
  demarrees: number[];
  etapes: RapportEtape[];
  terminees: number[];
  objetsVerts: number;
};

/**
 * The daily campaign run (RB §7.4), safe to run again the same day or concurrently: start the planned
 * campaigns whose launch has come, step up the ongoing ones, finish those past their end, then send the
 * automatic "objets verts" replies. Every mail is written to the outbox in the transaction that moves
 * its recipient, so a crash at any point leaves either both or neither.
 */
export async function executerSequenceQuotidienne(ctx: AppContext, today: string = jourParis()): Promise<RapportSequence> {
  const demarrees = await demarrerCampagnes(ctx, today);
  const etapes: RapportEtape[] = [];
  for (const campagne of await campagnesEnCours(ctx.database.db)) {
    const rapport = await avancerCampagne(ctx, campagne, today);
    if (rapport) etapes.push(rapport);
  }
  const terminees = await terminerCampagnes(ctx, today);
  const objetsVerts = await repondreObjetsVerts(ctx, today);
  return { demarrees, etapes, terminees, objetsVerts };
}

/**
 * Starts each planned campaign whose launch is today or past, one transaction per campaign: the
 * recipients' current dossiers are archived (not those in construction; their drafts are kept as they
 * are) and the communes' stored statut is refreshed, so they become inactive together with the start.
 */
export async function demarrerCampagnes(ctx: AppContext, today: string): Promise<number[]> {
  const candidates = await ctx.database.db
    .selectFrom("campaigns")
    .select("id")
    .where("status", "=", "planned")
    .where("date_lancement", "<=", today)
    .orderBy("id")
    .execute();
  const demarrees: number[] = [];
  for (const { id } of candidates) {
    const started = await ctx.database.db.transaction().execute(async (trx) => {
      const moved = await trx
        .updateTable("campaigns")
        .set({ status: "ongoing", updated_at: new Date() })
        .where("id", "=", id)
        .where("status", "=", "planned")
        .returning("id")
        .executeTakeFirst();
      if (!moved) return false; // started meanwhile by another run
      const { rows } = await sql<{ commune_id: number }>`
        select commune_id from campaign_recipients where campaign_id = ${id}`.execute(trx);
      const communeIds = rows.map((row) => Number(row.commune_id));
      if (communeIds.length > 0) {
        await sql`
          update dossiers set status = 'archived', archived_at = now(), updated_at = now()
          where commune_id = any(${sql.val(communeIds)}::int[]) and status in ('submitted', 'accepted')`.execute(trx);
        await refreshCommunesStatut(trx, communeIds);
      }
      return true;
    });
    if (started) demarrees.push(Number(id));
  }
  return demarrees;
}

/**
 * Today's step of one ongoing campaign for its recipients at the previous step, in batches of
 * `TAILLE_LOT`, one transaction per batch: decision and variant from the state read in the
 * transaction, the recipient's step moved only if still at the previous one, then its mail written to
 * the outbox (key `campagne:<recipient>:<step>`) and its campaign_emails row.
 */
export async function avancerCampagne(
  ctx: AppContext,
  campagne: CampagneSequence,
  today: string,
  taille: number = TAILLE_LOT,
): Promise<RapportEtape | null> {
  const etape = etapeDuJour(campagne, today);
  if (!etape) return null;
  const precedente = etapePrecedente(etape);
  const dateEtape = campagne[CHAMP_DATE[etape]];
  const rapport: RapportEtape = { campaignId: campagne.id, etape, envoyes: 0, sautes: 0, ignores: 0 };
  let apresId = 0;
  const adressage = adressageDe(ctx);
  for (;;) {
    const fin = await ctx.database.db.transaction().execute(async (trx) => {
      const lot = await lotDeDestinataires(trx, campagne.id, precedente, apresId, taille, etape === "lancement");
      if (lot.length === 0) return true;
      apresId = lot[lot.length - 1]!.recipientId;
      const aEnvoyer = new Map<number, (typeof lot)[number]>();
      const aSauter: number[] = [];
      for (const destinataire of lot) {
        const decision = decisionEtape({
          etape,
          dateEtape,
          etapeActuelle: destinataire.currentStep,
          optOut: destinataire.optOut,
          communeStatus: destinataire.commune.status,
          derniereModificationRecensement: destinataire.derniereModificationRecensement,
        });
        // Without a user the commune cannot be mailed (RB §7.4: the step-up fails): it stays where it is.
        if (decision === "envoyer" && destinataire.email) aEnvoyer.set(destinataire.recipientId, destinataire);
        else if (decision === "sauter") aSauter.push(destinataire.recipientId);
        else rapport.ignores++;
      }
      const avances = await avancerDestinataires(trx, [...aEnvoyer.keys(), ...aSauter], precedente, etape);
      rapport.sautes += aSauter.filter((id) => avances.has(id)).length;
      const lignes: Parameters<typeof enregistrerMailsCampagne>[1][number][] = [];
      for (const [recipientId, destinataire] of aEnvoyer) {
        if (!avances.has(recipientId)) continue;
        const variante = varianteMail(etape, {
          status: destinataire.commune.status,
          objetsCount: destinataire.commune.objetsCount,
          recensementsCompletes: destinataire.recensementsCompletes,
        });
        if (!variante) continue;
        const mail = mailCampagne(ctx.config, {
          campagne,
          departement: campagne.departement,
          commune: {
            nom: destinataire.commune.nom,
            code_insee: destinataire.commune.code_insee,
            objetsCount: destinataire.commune.objetsCount,
          },
          destinataire: { recipientId, email: destinataire.email!, unsubscribeToken: destinataire.unsubscribeToken },
          etape,
          variante,
          ...(destinataire.objetMisEnAvant ? { objetMisEnAvant: destinataire.objetMisEnAvant } : {}),
          replyTo: reponseCommune(adressage, destinataire.commune),
        });
        const { id } = await enqueueMail(trx, mail);
        lignes.push({ recipientId, etape, emailName: mail.category, outboxMailId: id });
        rapport.envoyes++;
      }
      await enregistrerMailsCampagne(trx, lignes);
      return false;
    });
    if (fin) break;
  }
  return rapport;
}

/** Finishes the ongoing campaigns whose end date is before today (the fin mail went out on that date). */
export async function terminerCampagnes(ctx: AppContext, today: string): Promise<number[]> {
  const rows = await ctx.database.db
    .updateTable("campaigns")
    .set({ status: "finished", updated_at: new Date() })
    .where("status", "=", "ongoing")
    .where("date_fin", "<", today)
    .returning("id")
    .execute();
  return rows.map((row) => Number(row.id));
}
