import { sql } from "kysely";
import { refreshCommunesStatut } from "../src/dossier/repository.ts";
import type { Database } from "../src/platform/db/database.ts";

/**
 * Examen activity over an imported national dataset, which only holds objets and communes: without it
 * every commune is "Non recensé" and the département dashboard has nothing to show. Set-based SQL,
 * deterministic for a seed (each commune and objet draws from an MD5 of its code and the seed):
 *
 * - 35% of the communes with objets have no dossier, 15% are recensing (about half their objets, some
 *   still drafts), 10% sent a dossier answered automatically, 12% sent one nobody examined yet, 8% sent
 *   one partly examined, 20% were examined;
 * - each recensement draws its answer: 4% absent, 5% en péril, 10% mauvais, 30% moyen, 51% bon;
 * - dossiers were sent in the last 90 days; one commune with a dossier in seven wrote 1–3 messages.
 *
 * Used by the dashboard benchmark and by the dashboard's integration test.
 */
export type SimulationExamen = { seed: number; now?: Date };
export type BilanSimulation = { dossiers: number; recensements: number; messages: number };

export async function simulerActiviteExamen(database: Pick<Database, "db">, options: SimulationExamen): Promise<BilanSimulation> {
  const now = options.now ?? new Date();
  const seed = String(options.seed);
  return database.db.transaction().execute(async (trx) => {
    const conservateur = await trx
      .insertInto("conservateurs")
      .values({ email: `simulation-${seed}-${now.getTime()}@example.test`, first_name: "Claire", last_name: "Simulée" })
      .returning("id")
      .executeTakeFirstOrThrow();

    const dossiers = await sql<{ id: number; commune_id: number }>`
      with tirage as (
        select c.id,
               ('x' || substr(md5(c.code_insee || ':' || ${seed}), 1, 7))::bit(28)::int % 100 as profil,
               ('x' || substr(md5(c.code_insee || ':' || ${seed}), 8, 4))::bit(16)::int % 90 as jours
        from communes c
        where c.objets_count > 0
          and not exists (select 1 from dossiers d where d.commune_id = c.id and d.status <> 'archived')
      )
      insert into dossiers (commune_id, status, submitted_at, accepted_at, replied_automatically_at, conservateur_id, created_at, updated_at)
      select id,
             case when profil < 50 then 'construction' when profil < 80 then 'submitted' else 'accepted' end,
             case when profil >= 50 then ${now}::timestamptz - make_interval(days => jours, hours => profil % 24) end,
             case when profil >= 80 then ${now}::timestamptz - make_interval(days => jours / 2) end,
             case when profil between 50 and 59 then ${now}::timestamptz - make_interval(days => jours, hours => profil % 24) + interval '1 hour' end,
             case when profil >= 80 then ${conservateur.id}::int end,
             ${now}::timestamptz - make_interval(days => jours + 20),
             ${now}::timestamptz - make_interval(days => jours / 2)
      from tirage
      where profil >= 35
      returning id, commune_id
    `.execute(trx);

    const recensements = await sql`
      with cible as (
        select d.id as dossier_id, d.status, d.created_at, d.submitted_at, d.accepted_at, d.replied_automatically_at,
               ('x' || substr(md5(c.code_insee || ':' || ${seed}), 1, 7))::bit(28)::int % 100 as profil,
               o.id as objet_id,
               ('x' || substr(md5(o.id || ':' || ${seed}), 1, 7))::bit(28)::int % 100 as tirage
        from dossiers d
        join communes c on c.id = d.commune_id
        join objets o on o.lieu_actuel_code_insee = c.code_insee
        where d.id = any(${sql.val(dossiers.rows.map((d) => d.id))}::int[])
      ), reponse as (
        select *,
               case when status = 'construction' and tirage % 4 = 0 then 'draft' else 'completed' end as statut,
               tirage < 4 as absent,
               case when tirage < 4 then null when tirage < 9 then 'peril' when tirage < 19 then 'mauvais' when tirage < 49 then 'moyen' else 'bon' end as etat,
               (status = 'accepted' or (profil between 72 and 79 and tirage % 3 = 0)) as examine,
               coalesce(submitted_at, created_at + interval '10 days') - make_interval(hours => tirage) as termine
        from cible
        where status <> 'construction' or tirage % 2 = 0
      )
      insert into recensements (objet_id, dossier_id, status, localisation, recensable, etat_sanitaire, securisation,
                                analysed_at, analyse_etat_sanitaire, conservateur_id, completed_at, etape_courante, created_at, updated_at)
      select objet_id, dossier_id, statut,
             case when absent then 'absent' else 'edifice_initial' end,
             not absent,
             etat,
             case when absent then null when tirage % 5 = 0 then 'en_danger' else 'en_securite' end,
             case when examine then coalesce(accepted_at, submitted_at + interval '1 day') end,
             case when examine and etat = 'mauvais' and tirage % 2 = 0 then 'peril' end,
             case when examine then ${conservateur.id}::int end,
             case when statut = 'completed' then termine end,
             case when statut = 'completed' then 7 else 5 end,
             created_at,
             case when examine then coalesce(accepted_at, submitted_at + interval '1 day') else termine end
      from reponse
    `.execute(trx);

    const messages = await sql`
      insert into messages (commune_id, origin, author_type, author_id, text, created_at)
      select d.commune_id, 'web', 'commune', u.id, 'Bonjour, nous avons une question sur le recensement de nos objets.',
             ${now}::timestamptz - make_interval(days => (n * 7 + d.id) % 30, hours => n)
      from dossiers d
      join communes c on c.id = d.commune_id
      cross join lateral (select id from commune_users where commune_id = d.commune_id order by id limit 1) u
      cross join lateral generate_series(1, 1 + ('x' || substr(md5(c.code_insee || ':' || ${seed}), 12, 2))::bit(8)::int % 3) n
      where d.id = any(${sql.val(dossiers.rows.map((d) => d.id))}::int[])
        and ('x' || substr(md5(c.code_insee || ':' || ${seed}), 1, 7))::bit(28)::int % 7 = 0
    `.execute(trx);

    await refreshCommunesStatut(
      trx,
      dossiers.rows.map((d) => d.commune_id),
    );
    return {
      dossiers: dossiers.rows.length,
      recensements: Number(recensements.numAffectedRows ?? 0),
      messages: Number(messages.numAffectedRows ?? 0),
    };
  });
}
