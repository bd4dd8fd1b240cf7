import type { Kysely } from "kysely";
import type { DB } from "../platform/db/schema.ts";

export async function communeObjetsCount(db: Kysely<DB>, communeId: number): Promise<number> {
  const row = await db.selectFrom("communes").select("objets_count").where("id", "=", communeId).executeTakeFirstOrThrow();
  return row.objets_count;
}
