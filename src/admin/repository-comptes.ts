import { sql, type Kysely } from "kysely";
import type { DB } from "../platform/db/schema.ts";
import { ADMIN_PAGE_SIZE } from "./repository.ts";

export type ConservateurAdminRow = {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  phone_number: string | null;
  deactivated_at: Date | null;
  last_sign_in_at: Date | null;
  departement_codes: string[];
};

const departementsDe = sql<
  string[]
>`coalesce((select array_agg(d.departement_code order by d.departement_code) from conservateur_departements d where d.conservateur_id = c.id), '{}')`;

/** Name contains (first or last, accent-insensitive) and département; one extra row tells whether a next page exists. */
export async function filtrerConservateurs(
  db: Kysely<DB>,
  f: { nom: string; departement: string },
  page: number,
): Promise<ConservateurAdminRow[]> {
  let select = db
    .selectFrom("conservateurs as c")
    .select(["c.id", "c.email", "c.first_name", "c.last_name", "c.phone_number", "c.deactivated_at", "c.last_sign_in_at"])
    .select(departementsDe.as("departement_codes"));
  if (f.nom)
    select = select.where(
      sql<boolean>`search_normalize(c.first_name || ' ' || c.last_name || ' ' || c.email) like '%' || search_normalize(${f.nom}) || '%'`,
    );
  if (f.departement)
    select = select.where((eb) =>
      eb.exists(
        eb
          .selectFrom("conservateur_departements as d")
          .select("d.conservateur_id")
          .whereRef("d.conservateur_id", "=", "c.id")
          .where("d.departement_code", "=", f.departement),
      ),
    );
  return select
    .orderBy(sql`c.deactivated_at is not null`)
    .orderBy("c.last_name")
    .orderBy("c.first_name")
    .orderBy("c.id")
    .limit(ADMIN_PAGE_SIZE + 1)
    .offset((page - 1) * ADMIN_PAGE_SIZE)
    .execute();
}

export async function findConservateurAdmin(db: Kysely<DB>, id: number): Promise<ConservateurAdminRow | undefined> {
  return db
    .selectFrom("conservateurs as c")
    .select(["c.id", "c.email", "c.first_name", "c.last_name", "c.phone_number", "c.deactivated_at", "c.last_sign_in_at"])
    .select(departementsDe.as("departement_codes"))
    .where("c.id", "=", id)
    .executeTakeFirst();
}

export async function emailConservateurPris(db: Kysely<DB>, email: string, saufId?: number): Promise<boolean> {
  let q = db
    .selectFrom("conservateurs")
    .select("id")
    .where(sql`lower(email)`, "=", email.toLowerCase());
  if (saufId !== undefined) q = q.where("id", "<>", saufId);
  return (await q.executeTakeFirst()) !== undefined;
}

export type ConservateurSaisie = {
  email: string;
  first_name: string;
  last_name: string;
  phone_number: string | null;
  departements: string[];
};

export async function setDepartementsConservateur(db: Kysely<DB>, id: number, codes: string[]): Promise<void> {
  await db.deleteFrom("conservateur_departements").where("conservateur_id", "=", id).execute();
  if (codes.length > 0)
    await db
      .insertInto("conservateur_departements")
      .values(codes.map((code) => ({ conservateur_id: id, departement_code: code })))
      .execute();
}

export type AdminAdminRow = {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  deactivated_at: Date | null;
  last_sign_in_at: Date | null;
};

export async function listAdmins(db: Kysely<DB>): Promise<AdminAdminRow[]> {
  return db
    .selectFrom("admins")
    .select(["id", "email", "first_name", "last_name", "deactivated_at", "last_sign_in_at"])
    .orderBy(sql`deactivated_at is not null`)
    .orderBy("last_name")
    .orderBy("first_name")
    .orderBy("id")
    .limit(500)
    .execute();
}
