import { type Kysely, sql } from "kysely";
import type { ActorType, DB } from "../platform/db/schema.ts";

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
