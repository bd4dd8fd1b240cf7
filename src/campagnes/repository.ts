import crypto from "node:crypto";
import { sql, type Kysely, type Transaction } from "kysely";
import type { CampaignStatus, CampaignStep, CommuneStatus, DB, DossierStatus } from "../platform/db/schema.ts";
import type { MailCampagneInput } from "./mails.ts";
import type { DatesCampagne, VarianteMail, AutreCampagne } from "./rules.ts";
import type { CommuneCandidate } from "./destinataires.ts";

/** Queries of the conservateur's campaign pages (RB §5.15) and of the campaign mails' input (RB §7.4). */

export type DepartementCampagne = { code: string; nom: string; dans_nom: string; region: string; concordataire: boolean };

export type Configuration = {
  sender_name: string | null;
  nom_drac: string | null;
  signature: string | null;
  custom_message: string | null;
};

export type Campagne = DatesCampagne &
  Configuration & {
    id: number;
    departement_code: string;
    status: CampaignStatus;
    created_at: Date;
  };

const COLONNES = [
  "id",
  "departement_code",
  "status",
  "date_lancement",
  "date_relance1",
  "date_relance2",
  "date_relance3",
  "date_fin",
  "sender_name",
  "nom_drac",
  "signature",
  "custom_message",
  "created_at",
] as const;

export async function findDepartement(db: Kysely<DB>, code: string): Promise<DepartementCampagne | undefined> {
  return db
    .selectFrom("departements")
    .select(["code", "nom", "dans_nom", "region", "concordataire"])
    .where("code", "=", code)
    .executeTakeFirst();
}

export async function findCampagne(db: Kysely<DB>, id: number): Promise<Campagne | undefined> {
  return db.selectFrom("campaigns").select(COLONNES).where("id", "=", id).executeTakeFirst();
}

/** The département's most recent campaign, for the configuration of a new one. */
export async function derniereCampagne(db: Kysely<DB>, code: string): Promise<Campagne | undefined> {
  return db
    .selectFrom("campaigns")
    .select(COLONNES)
    .where("departement_code", "=", code)
    .orderBy("date_lancement", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** The campaign the département header shows: ongoing, else planned, else draft (not finished ones). */
export async function campagneCourante(db: Kysely<DB>, code: string): Promise<number | undefined> {
  const row = await db
    .selectFrom("campaigns")
    .select("id")
    .where("departement_code", "=", code)
    .where("status", "<>", "finished")
    .orderBy(sql`case status when 'ongoing' then 0 when 'planned' then 1 else 2 end`)
    .orderBy("date_lancement")
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

/** The other campaigns of the département (overlap check). */
export async function autresCampagnes(db: Kysely<DB>, code: string, exceptId: number): Promise<AutreCampagne[]> {
  return db
    .selectFrom("campaigns")
    .select(["id", "status", "date_lancement", "date_fin"])
    .where("departement_code", "=", code)
    .where("id", "<>", exceptId)
    .execute();
}

export type SaisieCampagne = DatesCampagne & Configuration;

export async function insertCampagne(db: Kysely<DB>, code: string, saisie: SaisieCampagne): Promise<number> {
  const row = await db
    .insertInto("campaigns")
    .values({ departement_code: code, ...saisie })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Updates a draft; false when it is no longer one. */
export async function updateBrouillon(db: Kysely<DB>, id: number, saisie: SaisieCampagne): Promise<boolean> {
  const result = await db
    .updateTable("campaigns")
    .set({ ...saisie, updated_at: new Date() })
    .where("id", "=", id)
    .where("status", "=", "draft")
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteBrouillon(db: Kysely<DB>, id: number): Promise<boolean> {
  const result = await db.deleteFrom("campaigns").where("id", "=", id).where("status", "=", "draft").executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Moves a campaign from one status to another; false when it was not in `from` any more. */
export async function changerStatut(db: Kysely<DB>, id: number, from: CampaignStatus, to: CampaignStatus): Promise<boolean> {
  const result = await db
    .updateTable("campaigns")
    .set({ status: to, updated_at: new Date() })
    .where("id", "=", id)
    .where("status", "=", from)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

// ——— Campaign page ———

export type DestinataireVue = {
  recipient_id: number;
  commune_id: number;
  code_insee: string;
  nom: string;
  statut_global: number;
  commune_status: CommuneStatus;
  dossier_status: DossierStatus | null;
  current_step: CampaignStep | null;
  opt_out: boolean;
};

export async function destinatairesDeLaCampagne(db: Kysely<DB>, campaignId: number): Promise<DestinataireVue[]> {
  return db
    .selectFrom("campaign_recipients as r")
    .innerJoin("communes as c", "c.id", "r.commune_id")
    .select((eb) => [
      "r.id as recipient_id",
      "c.id as commune_id",
      "c.code_insee",
      "c.nom",
      "c.statut_global",
      "c.status as commune_status",
      "r.current_step",
      "r.opt_out",
      eb
        .selectFrom("dossiers as d")
        .select("d.status")
        .whereRef("d.commune_id", "=", "c.id")
        .where("d.status", "<>", "archived")
        .orderBy("d.id", "desc")
        .limit(1)
        .as("dossier_status"),
    ])
    .where("r.campaign_id", "=", campaignId)
    .orderBy("c.nom")
    .orderBy("c.code_insee")
    .execute();
}

export type CompteEtape = { etape: CampaignStep; envoyes: number; echoues: number; enAttente: number };

/** Mails of each step by delivery status (campaign_emails joined to the outbox). */
export async function mailsParEtape(db: Kysely<DB>, campaignId: number): Promise<CompteEtape[]> {
  const rows = await db
    .selectFrom("campaign_emails as e")
    .innerJoin("campaign_recipients as r", "r.id", "e.campaign_recipient_id")
    .leftJoin("outbox_mails as o", "o.id", "e.outbox_mail_id")
    .select(["e.step", sql<string>`coalesce(o.status, 'none')`.as("status"), sql<string>`count(*)`.as("n")])
    .where("r.campaign_id", "=", campaignId)
    .groupBy(["e.step", sql`coalesce(o.status, 'none')`])
    .execute();
  const parEtape = new Map<CampaignStep, CompteEtape>();
  for (const row of rows) {
    const compte = parEtape.get(row.step) ?? { etape: row.step, envoyes: 0, echoues: 0, enAttente: 0 };
    const n = Number(row.n);
    if (row.status === "sent") compte.envoyes += n;
    else if (row.status === "failed") compte.echoues += n;
    else if (row.status === "pending" || row.status === "sending") compte.enAttente += n;
    parEtape.set(row.step, compte);
  }
  return [...parEtape.values()];
}

export async function communesDuDepartementAvecObjets(db: Kysely<DB>, code: string): Promise<number> {
  const row = await db
    .selectFrom("communes")
    .select(sql<string>`count(*)`.as("n"))
    .where("departement_code", "=", code)
    .where("objets_count", ">", 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ——— Recipients ———

export type Candidat = CommuneCandidate & {
  code_insee: string;
  nom: string;
  statut_global: number;
  destinataire: boolean;
  jamaisContactee: boolean;
  derniereCampagne: boolean;
};

/** Every commune of the département with objets, with what the recipients page needs (one statement). */
export async function candidatsDestinataires(db: Kysely<DB>, campagne: Pick<Campagne, "id" | "departement_code">): Promise<Candidat[]> {
  const precedente = await db
    .selectFrom("campaigns")
    .select("id")
    .where("departement_code", "=", campagne.departement_code)
    .where("id", "<>", campagne.id)
    .where("status", "<>", "draft")
    .orderBy("date_lancement", "desc")
    .limit(1)
    .executeTakeFirst();
  const rows = await db
    .selectFrom("communes as c")
    .select((eb) => [
      "c.id",
      "c.code_insee",
      "c.nom",
      "c.statut_global",
      "c.status",
      eb.exists(eb.selectFrom("commune_users as u").select("u.id").whereRef("u.commune_id", "=", "c.id")).as("a_un_email"),
      eb
        .selectFrom("dossiers as d")
        .select("d.status")
        .whereRef("d.commune_id", "=", "c.id")
        .where("d.status", "<>", "archived")
        .orderBy("d.id", "desc")
        .limit(1)
        .as("dossier_status"),
      eb
        .exists(
          eb
            .selectFrom("campaign_recipients as r")
            .select("r.id")
            .whereRef("r.commune_id", "=", "c.id")
            .where("r.campaign_id", "=", campagne.id),
        )
        .as("destinataire"),
      eb
        .exists(
          eb
            .selectFrom("campaign_recipients as r")
            .select("r.id")
            .innerJoin("campaigns as autre", "autre.id", "r.campaign_id")
            .whereRef("r.commune_id", "=", "c.id")
            .where("autre.status", "in", ["ongoing", "finished"]),
        )
        .as("deja_contactee"),
      eb
        .exists(
          eb
            .selectFrom("campaign_recipients as r")
            .select("r.id")
            .whereRef("r.commune_id", "=", "c.id")
            .where("r.campaign_id", "=", precedente?.id ?? 0),
        )
        .as("derniere_campagne"),
    ])
    .where("c.departement_code", "=", campagne.departement_code)
    .where("c.objets_count", ">", 0)
    .orderBy("c.nom")
    .orderBy("c.code_insee")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    code_insee: row.code_insee,
    nom: row.nom,
    statut_global: row.statut_global,
    status: row.status,
    aUnEmail: Boolean(row.a_un_email),
    dossierStatus: row.dossier_status === "archived" ? null : (row.dossier_status ?? null),
    destinataire: Boolean(row.destinataire),
    jamaisContactee: !row.deja_contactee,
    derniereCampagne: Boolean(row.derniere_campagne),
  }));
}

export function nouveauJetonDesinscription(): string {
  return crypto.randomBytes(24).toString("base64url");
}

const LOT = 500;

/** Removes and adds recipients of a draft in one transaction (statements bounded by lots of 500). */
export async function enregistrerDestinataires(
  trx: Transaction<DB>,
  campaignId: number,
  changement: { ajouter: readonly number[]; retirer: readonly number[] },
): Promise<void> {
  for (let i = 0; i < changement.retirer.length; i += LOT) {
    await trx
      .deleteFrom("campaign_recipients")
      .where("campaign_id", "=", campaignId)
      .where("commune_id", "in", changement.retirer.slice(i, i + LOT))
      .execute();
  }
  for (let i = 0; i < changement.ajouter.length; i += LOT) {
    await trx
      .insertInto("campaign_recipients")
      .values(
        changement.ajouter
          .slice(i, i + LOT)
          .map((communeId) => ({ campaign_id: campaignId, commune_id: communeId, unsubscribe_token: nouveauJetonDesinscription() })),
      )
      .execute();
  }
}

/** Locks the campaign row for the rest of the transaction; undefined when it is gone. */
export async function verrouillerCampagne(trx: Transaction<DB>, id: number): Promise<{ status: CampaignStatus } | undefined> {
  return trx.selectFrom("campaigns").select("status").where("id", "=", id).forUpdate().executeTakeFirst();
}

// ——— Mails ———

/**
 * Everything `mailCampagne` needs for one recipient, step and variant (2 statements). Undefined when
 * the recipient does not exist or its commune has no user with an email.
 */
export async function findMailCampagneInput(
  db: Kysely<DB>,
  recipientId: number,
  etape: CampaignStep,
  variante: VarianteMail,
): Promise<MailCampagneInput | undefined> {
  const row = await db
    .selectFrom("campaign_recipients as r")
    .innerJoin("campaigns as camp", "camp.id", "r.campaign_id")
    .innerJoin("communes as c", "c.id", "r.commune_id")
    .innerJoin("departements as dep", "dep.code", "camp.departement_code")
    .select((eb) => [
      "r.id as recipient_id",
      "r.unsubscribe_token",
      "camp.id as campaign_id",
      "camp.date_lancement",
      "camp.date_relance1",
      "camp.date_relance2",
      "camp.date_relance3",
      "camp.date_fin",
      "camp.nom_drac",
      "camp.sender_name",
      "camp.signature",
      "camp.custom_message",
      "dep.code as dep_code",
      "dep.nom as dep_nom",
      "dep.dans_nom",
      "dep.concordataire",
      "c.nom as commune_nom",
      "c.code_insee",
      "c.objets_count",
      eb
        .selectFrom("campaign_recipients as r2")
        .select(sql<string>`count(*)`.as("n"))
        .whereRef("r2.campaign_id", "=", "r.campaign_id")
        .as("communes_count"),
      eb.selectFrom("commune_users as u").select("u.email").whereRef("u.commune_id", "=", "c.id").orderBy("u.id").limit(1).as("email"),
    ])
    .where("r.id", "=", recipientId)
    .executeTakeFirst();
  if (!row?.email) return undefined;
  const objet = await db
    .selectFrom("objets as o")
    .select([
      "o.palissy_tico",
      "o.palissy_deno",
      "o.palissy_ref",
      "o.palissy_edif",
      "o.lieu_actuel_edifice_nom",
      "o.palissy_empl",
      "o.palissy_photos",
    ])
    .where("o.lieu_actuel_code_insee", "=", row.code_insee)
    .where(sql<boolean>`o.palissy_photos @> '[{}]'::jsonb`)
    .orderBy("o.palissy_ref")
    .limit(1)
    .executeTakeFirst();
  const photo = Array.isArray(objet?.palissy_photos) ? objet.palissy_photos[0] : undefined;
  return {
    campagne: {
      id: row.campaign_id,
      date_lancement: row.date_lancement,
      date_relance1: row.date_relance1,
      date_relance2: row.date_relance2,
      date_relance3: row.date_relance3,
      date_fin: row.date_fin,
      nom_drac: row.nom_drac,
      sender_name: row.sender_name,
      signature: row.signature,
      custom_message: row.custom_message,
      communesCount: Number(row.communes_count ?? 0),
    },
    departement: { code: row.dep_code, nom: row.dep_nom, dans_nom: row.dans_nom, concordataire: row.concordataire },
    commune: { nom: row.commune_nom, code_insee: row.code_insee, objetsCount: row.objets_count },
    destinataire: { recipientId: row.recipient_id, email: row.email, unsubscribeToken: row.unsubscribe_token },
    etape,
    variante,
    ...(objet
      ? {
          objetMisEnAvant: {
            titre: objet.palissy_tico ?? objet.palissy_deno ?? objet.palissy_ref,
            edifice: objet.lieu_actuel_edifice_nom ?? objet.palissy_edif,
            emplacement: objet.palissy_empl,
            photoUrl: photo?.url ?? null,
            credit: photo?.credit ?? null,
          },
        }
      : {}),
  };
}

// ——— Calendar ———

export async function campagnesDuCalendrier(db: Kysely<DB>, codes: readonly string[] | "tous") {
  if (codes !== "tous" && codes.length === 0) return [];
  let query = db
    .selectFrom("campaigns as camp")
    .innerJoin("departements as dep", "dep.code", "camp.departement_code")
    .select([
      "camp.id",
      "camp.status",
      "camp.departement_code",
      "dep.nom as departement_nom",
      "camp.date_lancement",
      "camp.date_relance1",
      "camp.date_relance2",
      "camp.date_relance3",
      "camp.date_fin",
    ])
    .where("camp.status", "<>", "draft")
    .orderBy("camp.date_lancement")
    .orderBy("camp.id");
  if (codes !== "tous") query = query.where("camp.departement_code", "in", codes);
  return query.execute();
}
