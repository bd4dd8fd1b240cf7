import { sql, type Kysely } from "kysely";
import type { DB } from "../platform/db/schema.ts";

export const ADMIN_PAGE_SIZE = 20;

export type AdminCommuneRow = { code_insee: string; nom: string; departement_code: string; objets_count: number; email: string | null };

/** By name (accent-insensitive) or code INSEE; one extra row tells whether a next page exists. */
export async function searchCommunes(db: Kysely<DB>, query: string, page: number): Promise<AdminCommuneRow[]> {
  let select = db
    .selectFrom("communes as c")
    .leftJoin("commune_users as u", "u.commune_id", "c.id")
    .select(["c.code_insee", "c.nom", "c.departement_code", "c.objets_count", "u.email"]);
  if (/^[0-9][0-9AB][0-9]{3}$/.test(query)) select = select.where("c.code_insee", "=", query);
  else if (query) select = select.where(sql<boolean>`search_normalize(c.nom) like '%' || search_normalize(${query}) || '%'`);
  return select
    .orderBy("c.departement_code")
    .orderBy("c.nom")
    .limit(ADMIN_PAGE_SIZE + 1)
    .offset((page - 1) * ADMIN_PAGE_SIZE)
    .execute();
}

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
