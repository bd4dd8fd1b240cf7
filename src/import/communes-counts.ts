import { sql } from "kysely";
import type { Database } from "../platform/db/database.ts";

/** `communes.objets_count` from the objets' current commune, in one set-based statement. */
export async function refreshObjetsCounts(database: Database): Promise<void> {
  await sql`
    update communes c set objets_count = coalesce(n.count, 0)
    from communes c2
    left join (select lieu_actuel_code_insee, count(*)::int as count from objets group by lieu_actuel_code_insee) n
      on n.lieu_actuel_code_insee = c2.code_insee
    where c.id = c2.id and c.objets_count <> coalesce(n.count, 0)`.execute(database.db);
}
