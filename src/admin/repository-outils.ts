import { sql, type Kysely } from "kysely";
import type { CampaignStep, DB, ImportKind, ImportRunStatus } from "../platform/db/schema.ts";

/** Queries of the back office's tools: dashboard, mails, background jobs. Bounded statements, PGlite and PostgreSQL. */

// ——— Dashboard ———

export type Comptes = {
  communesAvecObjets: number;
  parStatut: Record<number, number>;
  dossiersAExaminer: number;
  recensementsDuMois: number;
};

export type CampagneEnCours = {
  id: number;
  departement_code: string;
  departement_nom: string | null;
  date_lancement: string;
  date_relance1: string;
  date_relance2: string;
  date_relance3: string;
  date_fin: string;
  destinataires: number;
};

export type ImportResume = {
  id: number;
  kind: ImportKind;
  source_file: string;
  status: ImportRunStatus;
  started_at: Date;
  finished_at: Date | null;
  read: number;
  created: number;
  updated: number;
  deleted: number;
  erreurs: number;
};

export type TacheEchouee = { id: string; name: string; created_on: Date; completed_on: Date | null; output: unknown; retry_count: number };

export type MailAttention = {
  id: number;
  to_address: string;
  subject: string;
  category: string;
  status: MailStatus;
  attempts: number;
  last_error: string | null;
  created_at: Date;
};

export type TableauDeBord = {
  comptes: Comptes;
  campagnes: CampagneEnCours[];
  imports: ImportResume[];
  tachesEchouees: { total: number; dernieres: TacheEchouee[] } | null;
  mails: { echoues: number; enDifficulte: number; derniers: MailAttention[] };
};

const DEBUT_DU_MOIS = sql<Date>`(date_trunc('month', now() at time zone 'Europe/Paris') at time zone 'Europe/Paris')`;

/** Whether pg-boss has created its tables (not in a web process started before any worker, nor in most tests). */
export async function fileDeTachesPresente(db: Kysely<DB>): Promise<boolean> {
  const { rows } = await sql<{ present: boolean }>`select to_regclass('pgboss.job') is not null as present`.execute(db);
  return rows[0]?.present === true;
}

/** Everything the dashboard shows, in 7 statements at most whatever the volume. */
export async function chargerTableauDeBord(db: Kysely<DB>, limite = 5): Promise<TableauDeBord> {
  const comptesRow = await sql<{ communes: string | number; dossiers: string | number; recensements: string | number }>`
    select
      (select count(*) from communes where objets_count > 0) as communes,
      (select count(*) from dossiers where status = 'submitted') as dossiers,
      (select count(*) from recensements where status in ('draft', 'completed') and created_at >= ${DEBUT_DU_MOIS}) as recensements
  `.execute(db);
  const statuts = await db
    .selectFrom("communes")
    .select(["statut_global", (eb) => eb.fn.countAll<string | number>().as("n")])
    .where("objets_count", ">", 0)
    .groupBy("statut_global")
    .execute();
  const parStatut: Record<number, number> = {};
  for (const s of statuts) parStatut[Number(s.statut_global)] = Number(s.n);
  const c = comptesRow.rows[0]!;

  const campagnes = await db
    .selectFrom("campaigns as c")
    .leftJoin("departements as d", "d.code", "c.departement_code")
    .select([
      "c.id",
      "c.departement_code",
      "d.nom as departement_nom",
      "c.date_lancement",
      "c.date_relance1",
      "c.date_relance2",
      "c.date_relance3",
      "c.date_fin",
      (eb) =>
        eb
          .selectFrom("campaign_recipients as r")
          .select((eb2) => eb2.fn.countAll<string | number>().as("n"))
          .whereRef("r.campaign_id", "=", "c.id")
          .as("destinataires"),
    ])
    .where("c.status", "=", "ongoing")
    .orderBy("c.date_lancement", "desc")
    .orderBy("c.id", "desc")
    .limit(50)
    .execute();

  const imports = await derniersImports(db, limite, 0);
  const mails = await mailsAttention(db, limite);
  const tachesEchouees = (await fileDeTachesPresente(db)) ? await tachesEnEchec(db, limite) : null;

  return {
    comptes: {
      communesAvecObjets: Number(c.communes),
      parStatut,
      dossiersAExaminer: Number(c.dossiers),
      recensementsDuMois: Number(c.recensements),
    },
    campagnes: campagnes.map((r) => ({
      ...r,
      id: Number(r.id),
      departement_nom: r.departement_nom ?? null,
      destinataires: Number(r.destinataires ?? 0),
    })),
    imports,
    tachesEchouees,
    mails,
  };
}

export async function derniersImports(db: Kysely<DB>, limite: number, offset: number): Promise<ImportResume[]> {
  const rows = await db
    .selectFrom("import_runs")
    .select([
      "id",
      "kind",
      "source_file",
      "status",
      "started_at",
      "finished_at",
      "read",
      "created",
      "updated",
      "deleted",
      sql<number>`jsonb_array_length(errors)`.as("erreurs"),
    ])
    .orderBy("started_at", "desc")
    .orderBy("id", "desc")
    .limit(limite)
    .offset(offset)
    .execute();
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    read: Number(r.read),
    created: Number(r.created),
    updated: Number(r.updated),
    deleted: Number(r.deleted),
    erreurs: Number(r.erreurs),
  }));
}

/** Mails given up, or still pending after a failed attempt: 2 statements. */
export async function mailsAttention(
  db: Kysely<DB>,
  limite: number,
): Promise<{ echoues: number; enDifficulte: number; derniers: MailAttention[] }> {
  const { rows } = await sql<{ echoues: string | number; difficulte: string | number }>`
    select count(*) filter (where status = 'failed') as echoues,
           count(*) filter (where status = 'pending' and attempts > 1) as difficulte
    from outbox_mails where status = 'failed' or (status = 'pending' and attempts > 1)
  `.execute(db);
  const derniers = await db
    .selectFrom("outbox_mails")
    .select(["id", "to_address", "subject", "category", "status", "attempts", "last_error", "created_at"])
    .where((eb) => eb.or([eb("status", "=", "failed"), eb.and([eb("status", "=", "pending"), eb("attempts", ">", 1)])]))
    .orderBy("id", "desc")
    .limit(limite)
    .execute();
  return {
    echoues: Number(rows[0]?.echoues ?? 0),
    enDifficulte: Number(rows[0]?.difficulte ?? 0),
    derniers: derniers.map((m) => ({ ...m, id: Number(m.id), attempts: Number(m.attempts) })),
  };
}

// ——— Background jobs (pg-boss 10: schema pgboss, table job partitioned by name) ———

export async function tachesEnEchec(db: Kysely<DB>, limite: number, name?: string): Promise<{ total: number; dernieres: TacheEchouee[] }> {
  const filtre = name ? sql`and name = ${name}` : sql``;
  const total = await sql<{ n: string | number }>`select count(*) as n from pgboss.job where state = 'failed' ${filtre}`.execute(db);
  const dernieres = await sql<TacheEchouee>`
    select id::text as id, name, created_on, completed_on, output, retry_count
    from pgboss.job where state = 'failed' ${filtre}
    order by completed_on desc nulls last, created_on desc
    limit ${limite}`.execute(db);
  return {
    total: Number(total.rows[0]?.n ?? 0),
    dernieres: dernieres.rows.map((r) => ({
      ...r,
      created_on: new Date(r.created_on),
      completed_on: r.completed_on ? new Date(r.completed_on) : null,
    })),
  };
}

export const ETATS_TACHE = ["created", "retry", "active", "completed", "cancelled", "failed"] as const;
export type EtatTache = (typeof ETATS_TACHE)[number];

/** Counts by state of every queue (one statement). */
export async function etatDesFiles(db: Kysely<DB>): Promise<Map<string, Record<EtatTache, number>>> {
  const { rows } = await sql<{ name: string; state: EtatTache; n: string | number }>`
    select name, state::text as state, count(*) as n from pgboss.job group by name, state`.execute(db);
  const result = new Map<string, Record<EtatTache, number>>();
  for (const r of rows) {
    const compte = result.get(r.name) ?? { created: 0, retry: 0, active: 0, completed: 0, cancelled: 0, failed: 0 };
    compte[r.state] = Number(r.n);
    result.set(r.name, compte);
  }
  return result;
}

export async function trouverTache(db: Kysely<DB>, id: string): Promise<{ id: string; name: string; state: EtatTache } | null> {
  const { rows } = await sql<{ id: string; name: string; state: EtatTache }>`
    select id::text as id, name, state::text as state from pgboss.job where id = ${id}::uuid`.execute(db);
  return rows[0] ?? null;
}

/** Same effect as pg-boss 10 `retry(name, id)`: a failed job goes back to 'retry' with one more attempt allowed. */
export async function relancerTache(db: Kysely<DB>, name: string, id: string): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`
    update pgboss.job set state = 'retry', retry_limit = retry_limit + 1
    where name = ${name} and id = ${id}::uuid and state = 'failed'
    returning id::text as id`.execute(db);
  return rows.length > 0;
}

// ——— Mails ———

export type MailStatus = "pending" | "sending" | "sent" | "failed";
export const MAIL_STATUS_LABELS: Record<MailStatus, string> = {
  pending: "En attente",
  sending: "En cours d’envoi",
  sent: "Envoyé",
  failed: "Échec définitif",
};
export const ETAPE_CAMPAGNE: Record<CampaignStep, string> = {
  lancement: "Lancement",
  relance1: "Relance 1",
  relance2: "Relance 2",
  relance3: "Relance 3",
  fin: "Fin",
};

export type FiltreMails = { etat?: MailStatus | "difficulte"; destinataire?: string; avant?: number };

export const MAILS_PAR_PAGE = 50;

/** Keyset pagination by descending id: one statement, MAILS_PAR_PAGE + 1 rows to know whether a next page exists. */
export async function listerMails(db: Kysely<DB>, filtre: FiltreMails): Promise<{ mails: MailAttention[]; suivant: number | null }> {
  let query = db
    .selectFrom("outbox_mails")
    .select(["id", "to_address", "subject", "category", "status", "attempts", "last_error", "created_at"]);
  if (filtre.etat === "difficulte") query = query.where("status", "=", "pending").where("attempts", ">", 1);
  else if (filtre.etat) query = query.where("status", "=", filtre.etat);
  if (filtre.destinataire)
    query = query.where(sql<boolean>`lower(to_address) like ${`%${filtre.destinataire.toLowerCase().replace(/[\\%_]/g, "\\$&")}%`}`);
  if (filtre.avant) query = query.where("id", "<", filtre.avant);
  const rows = await query
    .orderBy("id", "desc")
    .limit(MAILS_PAR_PAGE + 1)
    .execute();
  const mails = rows.slice(0, MAILS_PAR_PAGE).map((m) => ({ ...m, id: Number(m.id), attempts: Number(m.attempts) }));
  return { mails, suivant: rows.length > MAILS_PAR_PAGE ? (mails[mails.length - 1]?.id ?? null) : null };
}
