import { sql, type Kysely } from "kysely";
import type { DB } from "../platform/db/schema.ts";
import type { Visite } from "./rules.ts";

/** "Mes actions": the communes flagged for a visit when their examen was sent (RB §5.16). */

export const TRIS_VISITES = ["commune", "departement", "objets", "prioritaires", "deplacement", "envoi", "par"] as const;
export type TriVisites = (typeof TRIS_VISITES)[number];
export type Ordre = "asc" | "desc";

/** The direction a column sorts in on a first click: figures, dates and priority from the highest. */
export const ORDRE_PAR_DEFAUT: Record<TriVisites, Ordre> = {
  commune: "asc",
  departement: "asc",
  objets: "desc",
  prioritaires: "desc",
  deplacement: "desc",
  envoi: "desc",
  par: "asc",
};

export type VisitePrevue = {
  code_insee: string;
  commune_nom: string;
  departement_code: string;
  departement_nom: string;
  objets_count: number;
  /** En péril + disparus of the current dossier (stored counters). */
  prioritaires: number;
  visit: Visite;
  accepted_at: Date | null;
  conservateur_nom: string | null;
};

const EXPRESSIONS: Record<TriVisites, ReturnType<typeof sql>> = {
  // Accent-insensitive: the databases may use the C collation, which sorts « É » after « z ».
  commune: sql`search_normalize(c.nom)`,
  departement: sql`c.departement_code`,
  objets: sql`c.objets_count`,
  prioritaires: sql`(c.en_peril_count + c.disparus_count)`,
  // Ascending puts "souhaitable" first, descending "prioritaire" first.
  deplacement: sql`(case d.visit when 'prioritaire' then 2 else 1 end)`,
  envoi: sql`d.accepted_at`,
  par: sql`search_normalize(nullif(trim(concat_ws(' ', k.first_name, k.last_name)), ''))`,
};

/**
 * The current dossiers with a visit of the communes of these départements, in one statement. Sorted in
 * SQL on a whitelisted expression, then by commune name: the order is total and stable between pages.
 */
export async function listVisitesPrevues(
  db: Kysely<DB>,
  departementCodes: readonly string[],
  tri: TriVisites,
  ordre: Ordre,
): Promise<VisitePrevue[]> {
  if (departementCodes.length === 0) return [];
  const direction = ordre === "asc" ? sql`asc nulls last` : sql`desc nulls last`;
  const { rows } = await sql<VisitePrevue>`
    select c.code_insee,
           c.nom as commune_nom,
           c.departement_code,
           dep.nom as departement_nom,
           c.objets_count,
           (c.en_peril_count + c.disparus_count)::int as prioritaires,
           d.visit,
           d.accepted_at,
           nullif(trim(concat_ws(' ', k.first_name, k.last_name)), '') as conservateur_nom
    from dossiers d
    join communes c on c.id = d.commune_id
    join departements dep on dep.code = c.departement_code
    left join conservateurs k on k.id = d.conservateur_id
    where d.status <> 'archived'
      and d.visit is not null
      and c.departement_code = any(${sql.val([...departementCodes])}::text[])
    order by ${EXPRESSIONS[tri]} ${direction}, search_normalize(c.nom) asc, c.code_insee asc`.execute(db);
  return rows;
}
