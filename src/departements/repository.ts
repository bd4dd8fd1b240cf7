import { sql, type Kysely } from "kysely";
import type { DB } from "../platform/db/schema.ts";

export type DepartementSummary = { code: string; nom: string; communes: number; objets: number };

export async function departementSummaries(db: Kysely<DB>, codes: string[]): Promise<DepartementSummary[]> {
  if (codes.length === 0) return [];
  return db
    .selectFrom("departements as d")
    .select(["d.code", "d.nom"])
    .select(sql<number>`(select count(*) from communes c where c.departement_code = d.code)`.as("communes"))
    .select(sql<number>`(select coalesce(sum(c.objets_count), 0) from communes c where c.departement_code = d.code)`.as("objets"))
    .where("d.code", "in", codes)
    .orderBy("d.code")
    .execute();
}
