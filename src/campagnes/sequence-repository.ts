import { sql, type Kysely } from "kysely";
import type { CampaignStep, CommuneStatus, DB } from "../platform/db/schema.ts";
import type { MailCampagneInput } from "./mails.ts";
import type { DatesCampagne } from "./rules.ts";

/** A campaign as the daily sequence reads it (dates as 'YYYY-MM-DD'). */
export type CampagneSequence = MailCampagneInput["campagne"] & {
  departement_code: string;
  departement: MailCampagneInput["departement"];
};

/** One recipient of a batch, with everything the step-up decision and the mail need. */
export type DestinataireLot = {
  recipientId: number;
  communeId: number;
  currentStep: CampaignStep | null;
  optOut: boolean;
  unsubscribeToken: string;
  commune: { nom: string; code_insee: string; status: CommuneStatus; objetsCount: number; inbound_email_token: string };
  /** The commune's first user (RB §7.3: "first user"); null when the commune has none. */
  email: string | null;
  recensementsCompletes: number;
  /** Paris day of the last change of a recensement of the commune's current dossier. */
  derniereModificationRecensement: string | null;
  objetMisEnAvant: MailCampagneInput["objetMisEnAvant"] | null;
};

const CHAMPS_CAMPAGNE = sql`
  c.id, c.departement_code, c.status,
  to_char(c.date_lancement, 'YYYY-MM-DD') as date_lancement, to_char(c.date_relance1, 'YYYY-MM-DD') as date_relance1,
  to_char(c.date_relance2, 'YYYY-MM-DD') as date_relance2, to_char(c.date_relance3, 'YYYY-MM-DD') as date_relance3,
  to_char(c.date_fin, 'YYYY-MM-DD') as date_fin,
  c.nom_drac, c.sender_name, c.signature, c.custom_message,
  (select count(*)::int from campaign_recipients r where r.campaign_id = c.id) as communes_count,
  d.code as dep_code, d.nom as dep_nom, d.dans_nom as dep_dans_nom, d.concordataire as dep_concordataire`;

type CampagneRow = DatesCampagne & {
  id: number;
  departement_code: string;
  status: string;
  nom_drac: string | null;
  sender_name: string | null;
  signature: string | null;
  custom_message: string | null;
  communes_count: number;
  dep_code: string;
  dep_nom: string;
  dep_dans_nom: string;
  dep_concordataire: boolean;
};

function versCampagne(row: CampagneRow): CampagneSequence {
  return {
    id: Number(row.id),
    departement_code: row.departement_code,
    date_lancement: row.date_lancement,
    date_relance1: row.date_relance1,
    date_relance2: row.date_relance2,
    date_relance3: row.date_relance3,
    date_fin: row.date_fin,
    nom_drac: row.nom_drac,
    sender_name: row.sender_name,
    signature: row.signature,
    custom_message: row.custom_message,
    communesCount: row.communes_count,
    departement: { code: row.dep_code, nom: row.dep_nom, dans_nom: row.dep_dans_nom, concordataire: row.dep_concordataire },
  };
}

/** Ongoing campaigns (one statement). */
export async function campagnesEnCours(db: Kysely<DB>): Promise<CampagneSequence[]> {
  const { rows } = await sql<CampagneRow>`
    select ${CHAMPS_CAMPAGNE} from campaigns c join departements d on d.code = c.departement_code
    where c.status = 'ongoing' order by c.id`.execute(db);
  return rows.map(versCampagne);
}

/**
 * The next batch of recipients at `etapePrecedente` (keyset on the recipient id), locked for the
 * transaction, with their commune's state, first user, counts and the objet shown in the launch mail.
 * Opted-out recipients and completed communes are left out: they never advance.
 */
export async function lotDeDestinataires(
  db: Kysely<DB>,
  campaignId: number,
  etapePrecedente: CampaignStep | null,
  apresId: number,
  taille: number,
  avecObjetMisEnAvant: boolean,
): Promise<DestinataireLot[]> {
  const { rows } = await sql<{
    recipient_id: number;
    commune_id: number;
    current_step: CampaignStep | null;
    opt_out: boolean;
    unsubscribe_token: string;
    nom: string;
    code_insee: string;
    status: CommuneStatus;
    objets_count: number;
    inbound_email_token: string;
    email: string | null;
    completes: number;
    derniere_modif: string | null;
    objet: { titre: string; edifice: string | null; emplacement: string | null; photoUrl: string | null; credit: string | null } | null;
  }>`
    with lot as (
      select r.id, r.commune_id, r.current_step, r.opt_out, r.unsubscribe_token
      from campaign_recipients r
      join communes co on co.id = r.commune_id
      where r.campaign_id = ${campaignId}
        and r.id > ${apresId}
        and r.current_step is not distinct from ${etapePrecedente}::text
        and not r.opt_out
        and co.status <> 'completed'
      order by r.id
      limit ${taille}
      for update of r
    )
    select lot.id as recipient_id, lot.commune_id, lot.current_step, lot.opt_out, lot.unsubscribe_token,
           co.nom, co.code_insee, co.status, co.objets_count, co.inbound_email_token,
           (select u.email from commune_users u where u.commune_id = co.id order by u.id limit 1) as email,
           coalesce(rec.completes, 0)::int as completes,
           to_char(rec.derniere at time zone 'Europe/Paris', 'YYYY-MM-DD') as derniere_modif,
           ${
             avecObjetMisEnAvant
               ? sql`(select json_build_object(
                    'titre', coalesce(o.palissy_tico, o.palissy_deno, o.palissy_ref),
                    'edifice', o.lieu_actuel_edifice_nom,
                    'emplacement', o.palissy_empl,
                    'photoUrl', o.palissy_photos -> 0 ->> 'url',
                    'credit', o.palissy_photos -> 0 ->> 'credit')
                  from objets o
                  where o.lieu_actuel_code_insee = co.code_insee and jsonb_array_length(o.palissy_photos::jsonb) > 0
                  order by o.palissy_ref limit 1)`
               : sql`null::json`
           } as objet
    from lot
    join communes co on co.id = lot.commune_id
    left join dossiers d on d.commune_id = co.id and d.status <> 'archived'
    left join lateral (
      select count(*) filter (where status = 'completed') as completes, max(updated_at) as derniere
      from recensements where dossier_id = d.id and status in ('draft', 'completed')
    ) rec on true
    order by lot.id`.execute(db);
  return rows.map((row) => ({
    recipientId: Number(row.recipient_id),
    communeId: Number(row.commune_id),
    currentStep: row.current_step,
    optOut: row.opt_out,
    unsubscribeToken: row.unsubscribe_token,
    commune: {
      nom: row.nom,
      code_insee: row.code_insee,
      status: row.status,
      objetsCount: row.objets_count,
      inbound_email_token: row.inbound_email_token,
    },
    email: row.email,
    recensementsCompletes: row.completes,
    derniereModificationRecensement: row.derniere_modif,
    objetMisEnAvant: row.objet,
  }));
}

/**
 * Moves the recipients from `precedente` to `etape`, only those still at `precedente` (a re-run or a
 * concurrent run finds them moved already and gets nothing back). Returns the recipients moved.
 */
export async function avancerDestinataires(
  db: Kysely<DB>,
  recipientIds: readonly number[],
  precedente: CampaignStep | null,
  etape: CampaignStep,
): Promise<Set<number>> {
  if (recipientIds.length === 0) return new Set();
  const { rows } = await sql<{ id: number }>`
    update campaign_recipients set current_step = ${etape}, updated_at = now()
    where id = any(${sql.val([...recipientIds])}::int[])
      and current_step is not distinct from ${precedente}::text
    returning id`.execute(db);
  return new Set(rows.map((row) => Number(row.id)));
}

/** One campaign_emails row per (recipient, step); a second insert for the same pair does nothing. */
export async function enregistrerMailsCampagne(
  db: Kysely<DB>,
  lignes: readonly { recipientId: number; etape: CampaignStep; emailName: string; outboxMailId: number }[],
): Promise<void> {
  if (lignes.length === 0) return;
  await db
    .insertInto("campaign_emails")
    .values(
      lignes.map((l) => ({ campaign_recipient_id: l.recipientId, step: l.etape, email_name: l.emailName, outbox_mail_id: l.outboxMailId })),
    )
    .onConflict((oc) => oc.columns(["campaign_recipient_id", "step"]).doNothing())
    .execute();
}
