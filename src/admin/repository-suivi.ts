import { type Kysely, sql } from "kysely";
import { CHAMP_DATE, DATE_LABELS, ETAPES, validerCampagne, type AutreCampagne, type DatesCampagne } from "../campagnes/rules.ts";
import { refreshCommunesStatut } from "../dossier/repository.ts";
import { canTransition, DOSSIER_TRANSITIONS, dossierTransition } from "../dossier/rules.ts";
import { audit, type AuditActor } from "../platform/audit.ts";
import type { ActorType, CampaignStatus, CampaignStep, DB, DossierStatus } from "../platform/db/schema.ts";
import { ConflictError, NotFoundError } from "../platform/http/errors.ts";

// ——— Journal des actions (audit log browser) ———

export const JOURNAL_PAR_PAGE = 50;
/** At most this many accounts match an email search; the support team types enough to narrow it. */
export const PERSONNES_MAX = 50;

export type FiltresJournal = {
  acteurType?: ActorType | undefined;
  acteurId?: number | undefined;
  /** Part of an email: the events of every account (commune user, conservateur, admin) whose email contains it. */
  personne?: string | undefined;
  communeId?: number | undefined;
  action?: string | undefined;
  /** Paris calendar days, inclusive, "YYYY-MM-DD". */
  du?: string | undefined;
  au?: string | undefined;
  /** Keyset cursor: the last row shown (its occurred_at as PostgreSQL text, exact to the microsecond, and its id). */
  avant?: { date: string; id: number } | undefined;
};

export type EvenementJournal = {
  id: number;
  occurred_at: Date;
  curseur_date: string;
  actor_type: ActorType;
  actor_id: number | null;
  actor_nom: string | null;
  actor_email: string | null;
  impersonator_admin_id: number | null;
  impersonator_nom: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  commune_code_insee: string | null;
  commune_nom: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  ip: string | null;
};

/** Accounts whose email contains `q` (bounded), as (actor_type, actor_id) pairs. */
async function comptesParEmail(db: Kysely<DB>, q: string): Promise<{ type: ActorType; id: number }[]> {
  const motif = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await sql<{ type: ActorType; id: number }>`
    (select 'commune' as type, id from commune_users where email ilike ${motif} limit ${PERSONNES_MAX})
    union all
    (select 'conservateur' as type, id from conservateurs where email ilike ${motif} limit ${PERSONNES_MAX})
    union all
    (select 'admin' as type, id from admins where email ilike ${motif} limit ${PERSONNES_MAX})
  `.execute(db);
  return rows.rows.map((r) => ({ type: r.type, id: Number(r.id) }));
}

/**
 * One page of audit events, newest first, with keyset pagination on (occurred_at, id) (index
 * audit_events_occurred, or audit_events_commune when a commune is chosen). Names of the people, the
 * impersonating admin and the commune come in the same statement: two statements per page at most.
 */
export async function listJournal(db: Kysely<DB>, filtres: FiltresJournal): Promise<{ evenements: EvenementJournal[]; suivante: boolean }> {
  let comptes: { type: ActorType; id: number }[] | undefined;
  if (filtres.personne) {
    comptes = await comptesParEmail(db, filtres.personne);
    if (comptes.length === 0) return { evenements: [], suivante: false };
  }
  let query = db
    .selectFrom("audit_events as a")
    .leftJoin("conservateurs as k", (join) => join.onRef("k.id", "=", "a.actor_id").on("a.actor_type", "=", "conservateur"))
    .leftJoin("commune_users as u", (join) => join.onRef("u.id", "=", "a.actor_id").on("a.actor_type", "=", "commune"))
    .leftJoin("admins as ad", (join) => join.onRef("ad.id", "=", "a.actor_id").on("a.actor_type", "=", "admin"))
    .leftJoin("admins as imp", "imp.id", "a.impersonator_admin_id")
    .leftJoin("communes as c", "c.id", "a.commune_id")
    .select([
      sql<number>`a.id::integer`.as("id"),
      "a.occurred_at",
      sql<string>`a.occurred_at::text`.as("curseur_date"),
      "a.actor_type",
      "a.actor_id",
      sql<string | null>`coalesce(
        nullif(trim(concat_ws(' ', k.first_name, k.last_name)), ''),
        nullif(trim(concat_ws(' ', ad.first_name, ad.last_name)), ''),
        u.email
      )`.as("actor_nom"),
      sql<string | null>`coalesce(k.email, u.email, ad.email)`.as("actor_email"),
      "a.impersonator_admin_id",
      sql<string | null>`coalesce(nullif(trim(concat_ws(' ', imp.first_name, imp.last_name)), ''), imp.email)`.as("impersonator_nom"),
      "a.action",
      "a.subject_type",
      "a.subject_id",
      "c.code_insee as commune_code_insee",
      "c.nom as commune_nom",
      "a.before",
      "a.after",
      "a.ip",
    ]);
  if (filtres.acteurType) query = query.where("a.actor_type", "=", filtres.acteurType);
  if (filtres.acteurId !== undefined) query = query.where("a.actor_id", "=", filtres.acteurId);
  if (comptes) {
    const paires = comptes;
    query = query.where((eb) => eb.or(paires.map((p) => eb.and([eb("a.actor_type", "=", p.type), eb("a.actor_id", "=", p.id)]))));
  }
  if (filtres.communeId !== undefined) query = query.where("a.commune_id", "=", filtres.communeId);
  if (filtres.action) query = query.where("a.action", "=", filtres.action);
  if (filtres.du) query = query.where(sql<boolean>`a.occurred_at >= (${filtres.du}::date::timestamp at time zone 'Europe/Paris')`);
  if (filtres.au) query = query.where(sql<boolean>`a.occurred_at < ((${filtres.au}::date + 1)::timestamp at time zone 'Europe/Paris')`);
  if (filtres.avant) {
    query = query.where(sql<boolean>`(a.occurred_at, a.id) < (${filtres.avant.date}::timestamptz, ${filtres.avant.id}::bigint)`);
  }
  const rows = await query
    .orderBy("a.occurred_at", "desc")
    .orderBy("a.id", "desc")
    .limit(JOURNAL_PAR_PAGE + 1)
    .execute();
  return { evenements: rows.slice(0, JOURNAL_PAR_PAGE), suivante: rows.length > JOURNAL_PAR_PAGE };
}

/** The commune's id for an INSEE code, or undefined. */
export async function communeIdParInsee(db: Kysely<DB>, codeInsee: string): Promise<{ id: number; nom: string } | undefined> {
  return db.selectFrom("communes").select(["id", "nom"]).where("code_insee", "=", codeInsee).executeTakeFirst();
}

// ——— Dossiers ———

export const DOSSIERS_PAR_PAGE = 20;

export type DossierListe = {
  id: number;
  status: DossierStatus;
  submitted_at: Date | null;
  accepted_at: Date | null;
  archived_at: Date | null;
  created_at: Date;
  code_insee: string;
  commune_nom: string;
  departement_code: string;
  recensements_count: number;
};

/** Dossiers whose commune's name contains `q` (accents and case ignored) or whose INSEE code is `q`; newest first. */
export async function listDossiers(
  db: Kysely<DB>,
  filtres: { q?: string | undefined; status?: DossierStatus | undefined; page: number },
): Promise<{ dossiers: DossierListe[]; suivante: boolean }> {
  let query = db
    .selectFrom("dossiers as d")
    .innerJoin("communes as c", "c.id", "d.commune_id")
    .select([
      "d.id",
      "d.status",
      "d.submitted_at",
      "d.accepted_at",
      "d.archived_at",
      "d.created_at",
      "c.code_insee",
      "c.nom as commune_nom",
      "c.departement_code",
      sql<number>`(select count(*)::integer from recensements r where r.dossier_id = d.id and r.status in ('draft', 'completed'))`.as(
        "recensements_count",
      ),
    ]);
  if (filtres.q) {
    const q = filtres.q;
    if (/^\d[\dAB]\d{3}$/i.test(q)) query = query.where("c.code_insee", "=", q.toUpperCase());
    else query = query.where(sql<boolean>`search_normalize(c.nom) like '%' || search_normalize(${q}) || '%'`);
  }
  if (filtres.status) query = query.where("d.status", "=", filtres.status);
  const rows = await query
    .orderBy("d.id", "desc")
    .limit(DOSSIERS_PAR_PAGE + 1)
    .offset((filtres.page - 1) * DOSSIERS_PAR_PAGE)
    .execute();
  return { dossiers: rows.slice(0, DOSSIERS_PAR_PAGE), suivante: rows.length > DOSSIERS_PAR_PAGE };
}

export type DossierAdmin = DossierListe & {
  commune_id: number;
  updated_at: Date;
  notes_commune: string | null;
  recenseur: string | null;
  notes_conservateur: string | null;
  conservateur_nom: string | null;
  conservateur_email: string | null;
  archive_reason: string | null;
  campaign_id: number | null;
  dossier_courant_id: number | null;
};

export async function findDossierAdmin(db: Kysely<DB>, dossierId: number): Promise<DossierAdmin | undefined> {
  return db
    .selectFrom("dossiers as d")
    .innerJoin("communes as c", "c.id", "d.commune_id")
    .leftJoin("conservateurs as k", "k.id", "d.conservateur_id")
    .select([
      "d.id",
      "d.status",
      "d.submitted_at",
      "d.accepted_at",
      "d.archived_at",
      "d.created_at",
      "d.updated_at",
      "d.commune_id",
      "d.notes_commune",
      "d.recenseur",
      "d.notes_conservateur",
      "d.campaign_id",
      "c.code_insee",
      "c.nom as commune_nom",
      "c.departement_code",
      sql<string | null>`nullif(trim(concat_ws(' ', k.first_name, k.last_name)), '')`.as("conservateur_nom"),
      "k.email as conservateur_email",
      sql<string | null>`d.archive_reason`.as("archive_reason"),
      sql<number>`(select count(*)::integer from recensements r where r.dossier_id = d.id and r.status in ('draft', 'completed'))`.as(
        "recensements_count",
      ),
      sql<number | null>`(select o.id from dossiers o where o.commune_id = d.commune_id and o.status <> 'archived' limit 1)`.as(
        "dossier_courant_id",
      ),
    ])
    .where("d.id", "=", dossierId)
    .executeTakeFirst();
}

export type PhotoAdmin = { id: number; recensement_id: number; exportable: boolean; pop_export_id: number | null; sha256: string };

/** Every photo of the dossier's recensements with its export state, in one statement. */
export async function listPhotosDossier(db: Kysely<DB>, dossierId: number): Promise<PhotoAdmin[]> {
  return db
    .selectFrom("photos as p")
    .innerJoin("recensements as r", "r.id", "p.recensement_id")
    .select(["p.id", "p.recensement_id", "p.exportable", "p.pop_export_id", "p.sha256"])
    .where("r.dossier_id", "=", dossierId)
    .orderBy("p.recensement_id")
    .orderBy("p.position")
    .orderBy("p.id")
    .execute();
}

export const MESSAGE_ARCHIVAGE_IMPOSSIBLE = "Ce dossier est déjà archivé.";

/**
 * "Archiver" from the back office: the dossier's transition `archive` (any non-archived state), the reason
 * kept on the dossier and in the audit, the commune's stored statut refreshed in the same transaction.
 */
export async function archiverDossier(
  db: Kysely<DB>,
  input: { dossierId: number; raison: string; actor: AuditActor; ip: string | null },
  now = new Date(),
): Promise<{ communeId: number }> {
  return db.transaction().execute(async (trx) => {
    const dossier = await trx
      .selectFrom("dossiers")
      .select(["id", "status", "commune_id"])
      .where("id", "=", input.dossierId)
      .forUpdate()
      .executeTakeFirst();
    if (!dossier) throw new NotFoundError();
    if (!canTransition(DOSSIER_TRANSITIONS, dossier.status, "archive")) throw new ConflictError(MESSAGE_ARCHIVAGE_IMPOSSIBLE);
    const status = dossierTransition(dossier.status, "archive");
    await sql`update dossiers set status = ${status}, archived_at = ${now}, updated_at = ${now}, archive_reason = ${input.raison}
      where id = ${dossier.id}`.execute(trx);
    await refreshCommunesStatut(trx, [dossier.commune_id]);
    await audit(trx, {
      actor: input.actor,
      action: "dossier.archive",
      subject: { type: "dossier", id: dossier.id },
      communeId: dossier.commune_id,
      before: { status: dossier.status },
      after: { status, archive_reason: input.raison },
      ip: input.ip,
    });
    return { communeId: dossier.commune_id };
  });
}

/** The photo when it belongs to this dossier, with the département code `changerExportabilite` checks. */
export async function findPhotoDuDossier(
  db: Kysely<DB>,
  dossierId: number,
  photoId: number,
): Promise<{ departement_code: string } | undefined> {
  return db
    .selectFrom("photos as p")
    .innerJoin("recensements as r", "r.id", "p.recensement_id")
    .innerJoin("dossiers as d", "d.id", "r.dossier_id")
    .innerJoin("communes as c", "c.id", "d.commune_id")
    .select("c.departement_code")
    .where("p.id", "=", photoId)
    .where("d.id", "=", dossierId)
    .executeTakeFirst();
}

// ——— Campagnes ———

export const CAMPAGNES_PAR_PAGE = 20;
export const TRIS_CAMPAGNES = { lancement: "c.date_lancement", departement: "c.departement_code", fin: "c.date_fin" } as const;
export type TriCampagnes = keyof typeof TRIS_CAMPAGNES;

export type CampagneListe = {
  id: number;
  departement_code: string;
  departement_nom: string;
  status: CampaignStatus;
  date_lancement: string;
  date_fin: string;
  destinataires: number;
};

export async function listCampagnes(
  db: Kysely<DB>,
  filtres: { status?: CampaignStatus | undefined; departement?: string | undefined; tri: TriCampagnes; page: number },
): Promise<{ campagnes: CampagneListe[]; suivante: boolean }> {
  let query = db
    .selectFrom("campaigns as c")
    .innerJoin("departements as dep", "dep.code", "c.departement_code")
    .select([
      "c.id",
      "c.departement_code",
      "dep.nom as departement_nom",
      "c.status",
      sql<string>`c.date_lancement::text`.as("date_lancement"),
      sql<string>`c.date_fin::text`.as("date_fin"),
      sql<number>`(select count(*)::integer from campaign_recipients r where r.campaign_id = c.id)`.as("destinataires"),
    ]);
  if (filtres.status) query = query.where("c.status", "=", filtres.status);
  if (filtres.departement) query = query.where("c.departement_code", "=", filtres.departement);
  const rows = await query
    .orderBy(sql.ref(TRIS_CAMPAGNES[filtres.tri]), filtres.tri === "departement" ? "asc" : "desc")
    .orderBy("c.id", "desc")
    .limit(CAMPAGNES_PAR_PAGE + 1)
    .offset((filtres.page - 1) * CAMPAGNES_PAR_PAGE)
    .execute();
  return { campagnes: rows.slice(0, CAMPAGNES_PAR_PAGE), suivante: rows.length > CAMPAGNES_PAR_PAGE };
}

export type MailDestinataire = {
  recipient_id: number;
  step: CampaignStep;
  email_name: string;
  created_at: Date;
  to_address: string | null;
  status: "pending" | "sending" | "sent" | "failed" | null;
  sent_at: Date | null;
  last_error: string | null;
  attempts: number | null;
  outbox_mail_id: number | null;
};

/** Every mail of the campaign's recipients with its delivery state, in one statement. */
export async function mailsDesDestinataires(db: Kysely<DB>, campaignId: number): Promise<MailDestinataire[]> {
  return db
    .selectFrom("campaign_emails as e")
    .innerJoin("campaign_recipients as r", "r.id", "e.campaign_recipient_id")
    .leftJoin("outbox_mails as m", "m.id", "e.outbox_mail_id")
    .select([
      "e.campaign_recipient_id as recipient_id",
      "e.step",
      "e.email_name",
      "e.created_at",
      "m.to_address",
      "m.status",
      "m.sent_at",
      "m.last_error",
      "m.attempts",
      "e.outbox_mail_id",
    ])
    .where("r.campaign_id", "=", campaignId)
    .orderBy("e.campaign_recipient_id")
    .orderBy("e.created_at")
    .orderBy("e.id")
    .execute();
}

// ——— Campaign dates fixed by the support team ———

export const MESSAGE_CAMPAGNE_TERMINEE = "Cette campagne est terminée : ses dates ne peuvent plus changer.";

export type ErreursDates = Partial<Record<`date_${CampaignStep}`, string>>;

/**
 * The campaign rules (validerCampagne) applied to new dates: a draft keeps the draft rules, a planned or
 * ongoing campaign also may not overlap another planned or ongoing campaign of its département. For an
 * ongoing campaign, the steps whose day has come are history: their dates must stay, and the steps still
 * to come must stay in the future (the daily sequence would otherwise skip their mails).
 */
export function validerNouvellesDates(
  campagne: DatesCampagne & { id: number; status: CampaignStatus },
  saisie: DatesCampagne,
  aujourdhui: string,
  autres: readonly AutreCampagne[],
): ErreursDates {
  const passees = new Set(campagne.status === "ongoing" ? ETAPES.filter((e) => campagne[CHAMP_DATE[e]] <= aujourdhui) : []);
  const erreurs: ErreursDates = {};
  const regles = validerCampagne(
    { ...saisie, id: campagne.id, sender_name: "-", signature: "-", nom_drac: "-" },
    campagne.status === "draft" ? "draft" : "planned",
    aujourdhui,
    autres,
  );
  for (const etape of ETAPES) {
    const champ = CHAMP_DATE[etape];
    if (passees.has(etape)) {
      if (saisie[champ] !== campagne[champ]) {
        erreurs[champ] =
          `${DATE_LABELS[etape]} est passée (${campagne[champ].split("-").reverse().join("/")}) : elle ne peut plus changer.`;
      }
      continue;
    }
    const erreur = regles[champ];
    if (erreur) erreurs[champ] = erreur;
    else if (campagne.status === "ongoing" && saisie[champ] <= aujourdhui)
      erreurs[champ] = `${DATE_LABELS[etape]} doit être dans le futur.`;
  }
  return erreurs;
}

/**
 * Changes the dates of a campaign that is not finished, with the rules above; audited
 * (`campagne.dates_modifiees`). The campaign row is locked so that the daily sequence and a status change
 * see either the old or the new dates. Returns the errors (nothing changed) or null.
 */
export async function modifierDatesCampagne(
  db: Kysely<DB>,
  input: { campaignId: number; saisie: DatesCampagne; aujourdhui: string; actor: AuditActor; ip: string | null },
): Promise<ErreursDates | null> {
  return db.transaction().execute(async (trx) => {
    const campagne = await trx
      .selectFrom("campaigns")
      .select(["id", "departement_code", "status", "date_lancement", "date_relance1", "date_relance2", "date_relance3", "date_fin"])
      .where("id", "=", input.campaignId)
      .forUpdate()
      .executeTakeFirst();
    if (!campagne) throw new NotFoundError();
    if (campagne.status === "finished") throw new ConflictError(MESSAGE_CAMPAGNE_TERMINEE);
    const autres = await trx
      .selectFrom("campaigns")
      .select(["id", "status", "date_lancement", "date_fin"])
      .where("departement_code", "=", campagne.departement_code)
      .where("id", "<>", campagne.id)
      .execute();
    const erreurs = validerNouvellesDates(campagne, input.saisie, input.aujourdhui, autres);
    if (Object.keys(erreurs).length > 0) return erreurs;
    const avant = Object.fromEntries(ETAPES.map((e) => [CHAMP_DATE[e], campagne[CHAMP_DATE[e]]]));
    const apres = Object.fromEntries(ETAPES.map((e) => [CHAMP_DATE[e], input.saisie[CHAMP_DATE[e]]]));
    await trx
      .updateTable("campaigns")
      .set({ ...apres, updated_at: sql<Date>`now()` })
      .where("id", "=", campagne.id)
      .execute();
    await audit(trx, {
      actor: input.actor,
      action: "campagne.dates_modifiees",
      subject: { type: "campaign", id: campagne.id },
      before: avant,
      after: apres,
      ip: input.ip,
    });
    return null;
  });
}
