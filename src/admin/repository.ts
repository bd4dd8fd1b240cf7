import { sql, type Kysely } from "kysely";
import {
  RECENSEMENT_ACTIFS,
  type CampaignStatus,
  type CampaignStep,
  type DB,
  type DossierStatus,
  type EtatSanitaire,
  type Localisation,
  type Securisation,
} from "../platform/db/schema.ts";

export const ADMIN_PAGE_SIZE = 20;

export type AdminCommuneRow = { code_insee: string; nom: string; departement_code: string; objets_count: number; email: string | null };

export type AdminConservateurRow = {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  phone_number: string | null;
  departement_codes: string[];
};

export async function listConservateurs(db: Kysely<DB>, page: number): Promise<AdminConservateurRow[]> {
  return db
    .selectFrom("conservateurs as c")
    .select(["c.id", "c.email", "c.first_name", "c.last_name", "c.phone_number"])
    .select(
      sql<
        string[]
      >`coalesce((select array_agg(d.departement_code order by d.departement_code) from conservateur_departements d where d.conservateur_id = c.id), '{}')`.as(
        "departement_codes",
      ),
    )
    .orderBy("c.last_name")
    .orderBy("c.first_name")
    .orderBy("c.id")
    .limit(ADMIN_PAGE_SIZE + 1)
    .offset((page - 1) * ADMIN_PAGE_SIZE)
    .execute();
}

export type AdminDepartementRow = { code: string; nom: string; communes: number; objets: number };

/** Every département with its communes and objets (about a hundred rows: no pagination). */
export async function listDepartements(db: Kysely<DB>): Promise<AdminDepartementRow[]> {
  const rows = await db
    .selectFrom("departements as d")
    .leftJoin("communes as c", "c.departement_code", "d.code")
    .select(["d.code", "d.nom"])
    .select((eb) => [
      eb.fn.count<string>("c.id").as("communes"),
      eb.fn.coalesce(eb.fn.sum<string>("c.objets_count"), sql<string>`0`).as("objets"),
    ])
    .groupBy(["d.code", "d.nom"])
    .orderBy("d.code")
    .execute();
  return rows.map((r) => ({ code: r.code, nom: r.nom, communes: Number(r.communes), objets: Number(r.objets) }));
}

export type FiltresCommunes = { nom: string; insee: string; email: string; departement: string; statut: number | undefined };

export type AdminCommuneListRow = AdminCommuneRow & { statut_global: number; submitted_at: Date | null };

/**
 * Filters of the communes list (all optional, combined): name contains (accent-insensitive, trigram index),
 * code INSEE, user email contains, département, statut global. One extra row tells whether a next page exists.
 */
export async function filtrerCommunes(db: Kysely<DB>, f: FiltresCommunes, page: number): Promise<AdminCommuneListRow[]> {
  let select = db
    .selectFrom("communes as c")
    .leftJoin("commune_users as u", "u.commune_id", "c.id")
    .select(["c.code_insee", "c.nom", "c.departement_code", "c.objets_count", "c.statut_global", "u.email"])
    .select(
      sql<Date | null>`(select max(d.submitted_at) from dossiers d where d.commune_id = c.id and d.status <> 'archived')`.as(
        "submitted_at",
      ),
    );
  if (f.nom) select = select.where(sql<boolean>`search_normalize(c.nom) like '%' || search_normalize(${f.nom}) || '%'`);
  if (f.insee) select = select.where("c.code_insee", "=", f.insee);
  if (f.email) select = select.where(sql<boolean>`lower(u.email) like '%' || lower(${f.email}) || '%'`);
  if (f.departement) select = select.where("c.departement_code", "=", f.departement);
  if (f.statut !== undefined) select = select.where("c.statut_global", "=", f.statut);
  return select
    .orderBy("c.departement_code")
    .orderBy("c.nom")
    .orderBy("c.code_insee")
    .limit(ADMIN_PAGE_SIZE + 1)
    .offset((page - 1) * ADMIN_PAGE_SIZE)
    .execute();
}

export async function listCodesDepartements(db: Kysely<DB>): Promise<{ code: string; nom: string }[]> {
  return db.selectFrom("departements").select(["code", "nom"]).orderBy("code").execute();
}

export type AdminCommuneDetail = {
  id: number;
  code_insee: string;
  nom: string;
  departement_code: string;
  departement_nom: string | null;
  statut_global: number;
  objets_count: number;
  started_at: Date | null;
  completed_at: Date | null;
  user_id: number | null;
  email: string | null;
  last_sign_in_at: Date | null;
  messages: number;
};

export async function findCommuneAdmin(db: Kysely<DB>, codeInsee: string): Promise<AdminCommuneDetail | undefined> {
  const row = await db
    .selectFrom("communes as c")
    .leftJoin("commune_users as u", "u.commune_id", "c.id")
    .leftJoin("departements as dep", "dep.code", "c.departement_code")
    .select([
      "c.id",
      "c.code_insee",
      "c.nom",
      "c.departement_code",
      "dep.nom as departement_nom",
      "c.statut_global",
      "c.objets_count",
      "c.started_at",
      "c.completed_at",
      "u.id as user_id",
      "u.email",
      "u.last_sign_in_at",
    ])
    .select(sql<string>`(select count(*) from messages m where m.commune_id = c.id)`.as("messages"))
    .where("c.code_insee", "=", codeInsee)
    .executeTakeFirst();
  return row && { ...row, messages: Number(row.messages) };
}

export type AdminDossierRow = {
  id: number;
  status: DossierStatus;
  created_at: Date;
  submitted_at: Date | null;
  accepted_at: Date | null;
  archived_at: Date | null;
  conservateur: string | null;
  recensements: number;
};

/** Every dossier of the commune, the current one first, with its count of active (or archived) recensements. */
export async function listDossiersCommune(db: Kysely<DB>, communeId: number): Promise<AdminDossierRow[]> {
  const rows = await db
    .selectFrom("dossiers as d")
    .leftJoin("conservateurs as k", "k.id", "d.conservateur_id")
    .select(["d.id", "d.status", "d.created_at", "d.submitted_at", "d.accepted_at", "d.archived_at"])
    .select(sql<string | null>`nullif(trim(k.first_name || ' ' || k.last_name), '')`.as("conservateur"))
    .select(sql<string>`(select count(*) from recensements r where r.dossier_id = d.id and r.status <> 'deleted')`.as("recensements"))
    .where("d.commune_id", "=", communeId)
    .orderBy(sql`d.status = 'archived'`)
    .orderBy("d.id", "desc")
    .limit(50)
    .execute();
  return rows.map((r) => ({ ...r, recensements: Number(r.recensements) }));
}

export type AdminCampagneRow = {
  id: number;
  status: CampaignStatus;
  date_lancement: string;
  date_fin: string;
  current_step: CampaignStep | null;
  opt_out: boolean;
  opt_out_reason: string | null;
};

export async function listCampagnesCommune(db: Kysely<DB>, communeId: number): Promise<AdminCampagneRow[]> {
  const rows = await db
    .selectFrom("campaign_recipients as r")
    .innerJoin("campaigns as c", "c.id", "r.campaign_id")
    .select(["c.id", "c.status", "c.date_lancement", "c.date_fin", "r.current_step", "r.opt_out", "r.opt_out_reason"])
    .where("r.commune_id", "=", communeId)
    .orderBy("c.date_lancement", "desc")
    .limit(50)
    .execute();
  return rows.map((r) => ({ ...r, date_lancement: String(r.date_lancement), date_fin: String(r.date_fin) }));
}

export type AdminCommentRow = { id: number; body: string; created_at: Date; auteur: string | null };

export async function listCommentairesCommune(db: Kysely<DB>, communeId: number): Promise<AdminCommentRow[]> {
  const rows = await db
    .selectFrom("admin_comments as c")
    .leftJoin("admins as a", "a.id", "c.admin_id")
    .select(["c.id", "c.body", "c.created_at"])
    .select(sql<string | null>`nullif(trim(a.first_name || ' ' || a.last_name), '')`.as("auteur"))
    .where("c.commune_id", "=", communeId)
    .orderBy("c.id", "desc")
    .limit(200)
    .execute();
  return rows;
}

export type AdminObjetRow = {
  id: number;
  palissy_ref: string;
  palissy_tico: string | null;
  palissy_deno: string | null;
  palissy_cate: string | null;
  palissy_scle: string | null;
  palissy_empl: string | null;
  edifice_id: number | null;
  edifice_nom: string | null;
  lieu_actuel_edifice_nom: string | null;
  recensement_id: number | null;
  recensement_status: string | null;
  localisation: Localisation | null;
  recensable: boolean | null;
  etat_sanitaire: EtatSanitaire | null;
  securisation: Securisation | null;
  photos_count: number | null;
};

/**
 * The commune's objets with the answers of the current dossier's recensement, in one statement (RB §6.2:
 * support reads them to the mairie on the phone). Bounded: the largest commune has about a thousand objets.
 */
export async function listObjetsAdminCommune(db: Kysely<DB>, commune: { id: number; code_insee: string }): Promise<AdminObjetRow[]> {
  return db
    .selectFrom("objets as o")
    .leftJoin("edifices as e", "e.id", "o.edifice_id")
    .leftJoin("recensements as r", (join) =>
      join
        .onRef("r.objet_id", "=", "o.id")
        .on(
          sql<boolean>`r.dossier_id = (select d.id from dossiers d where d.commune_id = ${commune.id} and d.status <> 'archived' limit 1)`,
        )
        .on("r.status", "in", [...RECENSEMENT_ACTIFS]),
    )
    .select([
      "o.id",
      "o.palissy_ref",
      "o.palissy_tico",
      "o.palissy_deno",
      "o.palissy_cate",
      "o.palissy_scle",
      "o.palissy_empl",
      "o.edifice_id",
      "e.nom as edifice_nom",
      "o.lieu_actuel_edifice_nom",
      "r.id as recensement_id",
      "r.status as recensement_status",
      "r.localisation",
      "r.recensable",
      "r.etat_sanitaire",
      "r.securisation",
      "r.photos_count",
    ])
    .where("o.lieu_actuel_code_insee", "=", commune.code_insee)
    .orderBy("o.id")
    .limit(5000)
    .execute();
}

/** Active conservateurs of a département, to impersonate from the commune page (RB §6.2). */
export async function listConservateursDuDepartement(db: Kysely<DB>, code: string): Promise<{ id: number; nom: string }[]> {
  return db
    .selectFrom("conservateurs as k")
    .innerJoin("conservateur_departements as cd", "cd.conservateur_id", "k.id")
    .select(["k.id", sql<string>`coalesce(nullif(trim(k.first_name || ' ' || k.last_name), ''), k.email)`.as("nom")])
    .where("cd.departement_code", "=", code)
    .where("k.deactivated_at", "is", null)
    .orderBy("k.last_name")
    .orderBy("k.first_name")
    .execute();
}
