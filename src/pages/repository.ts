import { sql, type Kysely } from "kysely";
import type { DB } from "../platform/db/schema.ts";

/**
 * A dossier "ever submitted" keeps its submitted_at after archiving; a completed commune counts even if its
 * dossier was reopened.
 */
const COMMUNES_ENGAGEES = sql<boolean>`(
  c.status = 'completed'
  or exists (select 1 from dossiers d where d.commune_id = c.id and (d.submitted_at is not null or d.status in ('submitted', 'accepted')))
)`;

export type HomeCounters = { communesEngagees: number; objetsRecenses: number; objetsProteges: number };

/** Three aggregates in one round trip; each one reads an index or a small table. */
export async function homeCounters(db: Kysely<DB>): Promise<HomeCounters> {
  const { rows } = await sql<{ communes_engagees: number; objets_recenses: number; objets_proteges: number }>`
    select
      (select count(*) from communes c where ${COMMUNES_ENGAGEES})::int as communes_engagees,
      (select count(distinct objet_id) from recensements where status = 'completed' and objet_id is not null)::int as objets_recenses,
      (select count(*) from objets)::int as objets_proteges
  `.execute(db);
  const row = rows[0];
  return {
    communesEngagees: row?.communes_engagees ?? 0,
    objetsRecenses: row?.objets_recenses ?? 0,
    objetsProteges: row?.objets_proteges ?? 0,
  };
}

export type DepartementStats = {
  code: string;
  nom: string;
  region: string;
  objets: number;
  communes_avec_objets: number;
  objets_recenses: number;
  communes_engagees: number;
};

export type EtatCounts = { bon: number; moyen: number; mauvais: number; peril: number; non_recensable: number; absent: number };

export type NationalStats = {
  departements: DepartementStats[];
  totals: Omit<DepartementStats, "code" | "nom" | "region"> & { departements_avec_objets: number };
  etats: EtatCounts;
  campagnes: { en_cours: number; terminees: number; departements: number };
};

/**
 * Per-département figures from grouped aggregates joined onto the 101 départements; national totals are their
 * sums (a commune or an objet belongs to a single département).
 */
export async function nationalStats(db: Kysely<DB>): Promise<NationalStats> {
  const departementsQuery = sql<DepartementStats>`
    select d.code, d.nom, d.region,
      coalesce(o.objets, 0)::int as objets,
      coalesce(o.communes, 0)::int as communes_avec_objets,
      coalesce(r.objets_recenses, 0)::int as objets_recenses,
      coalesce(e.communes_engagees, 0)::int as communes_engagees
    from departements d
    left join (
      select lieu_actuel_departement_code as code, count(*) as objets, count(distinct lieu_actuel_code_insee) as communes
      from objets group by 1
    ) o on o.code = d.code
    left join (
      select o.lieu_actuel_departement_code as code, count(distinct r.objet_id) as objets_recenses
      from recensements r join objets o on o.id = r.objet_id
      where r.status = 'completed'
      group by 1
    ) r on r.code = d.code
    left join (
      select c.departement_code as code, count(*) as communes_engagees
      from communes c where ${COMMUNES_ENGAGEES}
      group by 1
    ) e on e.code = d.code
    order by d.code
  `.execute(db);
  // The conservateur's assessment wins over the commune's answer (RB §0, objets prioritaires).
  const etatsQuery = sql<{ etat: keyof EtatCounts; n: number }>`
    select
      case
        when localisation = 'absent' then 'absent'
        when recensable is false then 'non_recensable'
        else coalesce(analyse_etat_sanitaire, etat_sanitaire)
      end as etat,
      count(*)::int as n
    from recensements r
    where status = 'completed'
      and exists (select 1 from dossiers d where d.id = r.dossier_id and d.status <> 'archived')
    group by 1
  `.execute(db);
  const campagnesQuery = sql<{ en_cours: number; terminees: number; departements: number }>`
    select
      count(*) filter (where status = 'ongoing')::int as en_cours,
      count(*) filter (where status = 'finished')::int as terminees,
      count(distinct departement_code) filter (where status in ('ongoing', 'finished'))::int as departements
    from campaigns
  `.execute(db);
  const [departements, etats, campagnes] = await Promise.all([departementsQuery, etatsQuery, campagnesQuery]);
  const rows = departements.rows;
  const sum = (key: "objets" | "communes_avec_objets" | "objets_recenses" | "communes_engagees") =>
    rows.reduce((total, row) => total + row[key], 0);
  const etatCounts: EtatCounts = { bon: 0, moyen: 0, mauvais: 0, peril: 0, non_recensable: 0, absent: 0 };
  for (const row of etats.rows) if (row.etat in etatCounts) etatCounts[row.etat] = row.n;
  return {
    departements: rows,
    totals: {
      objets: sum("objets"),
      communes_avec_objets: sum("communes_avec_objets"),
      objets_recenses: sum("objets_recenses"),
      communes_engagees: sum("communes_engagees"),
      departements_avec_objets: rows.filter((row) => row.objets > 0).length,
    },
    etats: etatCounts,
    campagnes: campagnes.rows[0] ?? { en_cours: 0, terminees: 0, departements: 0 },
  };
}
