import { sql, type Kysely, type RawBuilder } from "kysely";
import type { CampaignStatus, DB } from "../platform/db/schema.ts";
import {
  ANNEES_COUVERTURE,
  EDIFICES_AFFICHES,
  OBJETS_NON_VUS_PAR_PAGE,
  ajouterALaRepartition,
  anneeDeParis,
  cleSiecle,
  clesCategorie,
  cumulerParSemaine,
  jourDeParis,
  regrouperRepartitions,
  repartitionVide,
  type ClasseEtat,
  type EtapeProgression,
  type LigneRepartition,
  type Repartition,
  type SemaineProgression,
} from "./rules.ts";

/**
 * Figures of the analysis tab (one département) and of /stats (the whole country). Everything is grouped in
 * SQL: each function runs one or two statements whatever the number of objets, and the rows it returns are
 * bounded by the number of distinct Palissy values, weeks, campaigns or départements, never by objets.
 */

/** A département code, or null for the whole country. */
export type Perimetre = string | null;

const objetsDuPerimetre = (perimetre: Perimetre, alias: "o"): RawBuilder<boolean> =>
  perimetre === null ? sql<boolean>`true` : sql<boolean>`${sql.ref(`${alias}.lieu_actuel_departement_code`)} = ${perimetre}`;

/**
 * Each recensed objet once, with its latest completed recensement: the état retained is the conservateur's
 * when they corrected it, else the commune's (etatSanitaireRetenu); the same for the security.
 */
function derniersRecensements(perimetre: Perimetre): RawBuilder<unknown> {
  return sql`
    select distinct on (r.objet_id) r.objet_id,
      case
        when r.localisation = 'absent' then 'disparu'
        when r.recensable is false then 'non_recensable'
        else coalesce(r.analyse_etat_sanitaire, r.etat_sanitaire, 'inconnu')
      end as etat,
      case
        when r.localisation = 'absent' or r.recensable is false then null
        else coalesce(r.analyse_securisation, r.securisation)
      end as securite
    from recensements r
    join objets o on o.id = r.objet_id
    where r.status = 'completed' and ${objetsDuPerimetre(perimetre, "o")}
    order by r.objet_id, r.completed_at desc nulls last, r.id desc
  `;
}

export type RepartitionEdifice = { edifice: string; commune: string; code_insee: string; repartition: Repartition };

export type Etats = {
  ensemble: Repartition;
  parCategorie: { cle: string; repartition: Repartition }[];
  parSiecle: { cle: string; repartition: Repartition }[];
  parEdifice: RepartitionEdifice[];
};

type LigneGroupee = LigneRepartition & { dimension: number; cate: string | null; scle: string | null };

/** Condition and security of the recensed objets, overall, by catégorie, by siècle and for the édifices holding the most. */
export async function etatsDesObjets(db: Kysely<DB>, perimetre: Perimetre): Promise<Etats> {
  // grouping(cate, scle): 3 = overall, 1 = by catégorie (scle not grouped), 2 = by siècle.
  const groupes = sql<LigneGroupee>`
    with derniers as (${derniersRecensements(perimetre)})
    select grouping(o.palissy_cate, o.palissy_scle)::int as dimension, o.palissy_cate as cate, o.palissy_scle as scle,
      d.etat, d.securite, count(*)::int as n
    from derniers d join objets o on o.id = d.objet_id
    group by grouping sets ((d.etat, d.securite), (o.palissy_cate, d.etat, d.securite), (o.palissy_scle, d.etat, d.securite))
  `.execute(db);
  const edifices = sql<{
    edifice: string;
    commune: string;
    code_insee: string;
    etat: ClasseEtat;
    securite: LigneRepartition["securite"];
    n: number;
    rang: number;
  }>`
    with derniers as (${derniersRecensements(perimetre)}),
    par_edifice as (
      select coalesce(o.edifice_id::text, o.lieu_actuel_code_insee || ':' || coalesce(o.lieu_actuel_edifice_nom, '')) as cle,
        min(coalesce(e.nom, o.lieu_actuel_edifice_nom, 'Édifice non renseigné')) as edifice,
        min(o.lieu_actuel_code_insee) as code_insee, d.etat, d.securite, count(*)::int as n
      from derniers d join objets o on o.id = d.objet_id left join edifices e on e.id = o.edifice_id
      group by 1, d.etat, d.securite
    ),
    classement as (
      select cle, row_number() over (order by sum(n) desc, min(edifice), cle)::int as rang
      from par_edifice group by cle
    )
    select p.edifice, coalesce(c.nom, p.code_insee) as commune, p.code_insee, p.etat, p.securite, p.n, k.rang
    from par_edifice p
    join classement k on k.cle = p.cle and k.rang <= ${EDIFICES_AFFICHES}
    left join communes c on c.code_insee = p.code_insee
    order by k.rang
  `.execute(db);
  const [{ rows }, { rows: lignesEdifices }] = await Promise.all([groupes, edifices]);
  const ensemble = repartitionVide();
  for (const ligne of rows) if (ligne.dimension === 3) ajouterALaRepartition(ensemble, ligne);
  const parEdifice = new Map<number, RepartitionEdifice>();
  for (const ligne of lignesEdifices) {
    let edifice = parEdifice.get(ligne.rang);
    if (!edifice) {
      edifice = { edifice: ligne.edifice, commune: ligne.commune, code_insee: ligne.code_insee, repartition: repartitionVide() };
      parEdifice.set(ligne.rang, edifice);
    }
    ajouterALaRepartition(edifice.repartition, ligne);
  }
  return {
    ensemble,
    parCategorie: regrouperRepartitions(
      rows.filter((ligne) => ligne.dimension === 1).map((ligne) => ({ ...ligne, valeur: ligne.cate })),
      clesCategorie,
    ),
    parSiecle: regrouperRepartitions(
      rows.filter((ligne) => ligne.dimension === 2).map((ligne) => ({ ...ligne, valeur: ligne.scle })),
      cleSiecle,
    ).sort((a, b) => a.cle.localeCompare(b.cle)),
    parEdifice: [...parEdifice.entries()].sort(([a], [b]) => a - b).map(([, edifice]) => edifice),
  };
}

// ——— Census progress ———

export type ProgressionCampagne = {
  id: number;
  status: CampaignStatus;
  date_lancement: string;
  date_fin: string;
  departement_code: string;
} & Record<EtapeProgression, number>;

export type Progression = { semaines: SemaineProgression[]; campagnes: ProgressionCampagne[] };

const communesDuPerimetre = (perimetre: Perimetre): RawBuilder<boolean> =>
  perimetre === null ? sql<boolean>`true` : sql<boolean>`c.departement_code = ${perimetre}`;

/**
 * Communes reaching each step, week by week (Monday, Paris time): contacted (recipient of a launched campaign,
 * at its launch date), started (first recensement), sent (first submitted dossier), examined (first accepted
 * dossier). Per campaign: its recipients, and among them those who started, sent or got an examen since its launch.
 */
export async function progression(db: Kysely<DB>, perimetre: Perimetre, maintenant: Date = new Date()): Promise<Progression> {
  const dansPerimetre = communesDuPerimetre(perimetre);
  const semaines = sql<{ etape: EtapeProgression; semaine: string; n: number }>`
    with premiers as (
      select 'contactees' as etape, min(ca.date_lancement)::date as jour
      from campaign_recipients cr join campaigns ca on ca.id = cr.campaign_id join communes c on c.id = cr.commune_id
      where ca.status in ('ongoing', 'finished') and ${dansPerimetre}
      group by cr.commune_id
      union all
      select 'commencees', min(r.created_at at time zone 'Europe/Paris')::date
      from recensements r join dossiers d on d.id = r.dossier_id join communes c on c.id = d.commune_id
      where ${dansPerimetre}
      group by d.commune_id
      union all
      select 'envoyees', min(d.submitted_at at time zone 'Europe/Paris')::date
      from dossiers d join communes c on c.id = d.commune_id
      where d.submitted_at is not null and ${dansPerimetre}
      group by d.commune_id
      union all
      select 'examinees', min(d.accepted_at at time zone 'Europe/Paris')::date
      from dossiers d join communes c on c.id = d.commune_id
      where d.accepted_at is not null and ${dansPerimetre}
      group by d.commune_id
    )
    select etape, to_char(date_trunc('week', jour), 'YYYY-MM-DD') as semaine, count(*)::int as n
    from premiers group by 1, 2
  `.execute(db);
  const campagnes = sql<ProgressionCampagne>`
    select ca.id, ca.status, ca.date_lancement, ca.date_fin, ca.departement_code,
      count(cr.id)::int as contactees,
      count(cr.id) filter (where exists (
        select 1 from dossiers d join recensements r on r.dossier_id = d.id
        where d.commune_id = cr.commune_id and r.created_at >= ca.date_lancement))::int as commencees,
      count(cr.id) filter (where exists (
        select 1 from dossiers d where d.commune_id = cr.commune_id and d.submitted_at >= ca.date_lancement))::int as envoyees,
      count(cr.id) filter (where exists (
        select 1 from dossiers d where d.commune_id = cr.commune_id and d.accepted_at >= ca.date_lancement))::int as examinees
    from campaigns ca left join campaign_recipients cr on cr.campaign_id = ca.id
    where ca.status in ('ongoing', 'finished') and ${perimetre === null ? sql`true` : sql`ca.departement_code = ${perimetre}`}
    group by ca.id
    order by ca.date_lancement desc, ca.id desc
  `.execute(db);
  const [{ rows: lignes }, { rows: parCampagne }] = await Promise.all([semaines, campagnes]);
  return { semaines: cumulerParSemaine(lignes, jourDeParis(maintenant)), campagnes: parCampagne };
}

// ——— Récolement coverage ———

export type Couverture = {
  code: string;
  objets: number;
  /** Seen on this platform or by Palissy's récolement in the last 5 years. */
  vus: number;
  vusPlateforme: number;
  vusPalissy: number;
};

/** Per département (all of them for the country), the objets seen in the last 5 years. */
export async function couvertures(db: Kysely<DB>, perimetre: Perimetre, maintenant: Date = new Date()): Promise<Couverture[]> {
  const anneeCourante = anneeDeParis(maintenant);
  const depuis = new Date(maintenant);
  depuis.setUTCFullYear(depuis.getUTCFullYear() - ANNEES_COUVERTURE);
  const { rows } = await sql<{ code: string; objets: number; vus: number; vus_plateforme: number; vus_palissy: number }>`
    with recents as (
      select distinct r.objet_id from recensements r join objets o on o.id = r.objet_id
      where r.status = 'completed' and r.completed_at >= ${depuis} and ${objetsDuPerimetre(perimetre, "o")}
    ),
    objets_vus as (
      select o.lieu_actuel_departement_code as code, rc.objet_id is not null as plateforme,
        coalesce(palissy_annee_recolement(o.palissy_denq, ${anneeCourante}::int) >= ${anneeCourante - ANNEES_COUVERTURE}::int, false) as palissy
      from objets o left join recents rc on rc.objet_id = o.id
      where ${objetsDuPerimetre(perimetre, "o")}
    )
    select code, count(*)::int as objets,
      count(*) filter (where plateforme or palissy)::int as vus,
      count(*) filter (where plateforme)::int as vus_plateforme,
      count(*) filter (where palissy)::int as vus_palissy
    from objets_vus group by code order by code
  `.execute(db);
  return rows.map((row) => ({
    code: row.code,
    objets: row.objets,
    vus: row.vus,
    vusPlateforme: row.vus_plateforme,
    vusPalissy: row.vus_palissy,
  }));
}

export function totalCouverture(lignes: readonly Couverture[], code = "total"): Couverture {
  return lignes.reduce(
    (total, ligne) => ({
      code,
      objets: total.objets + ligne.objets,
      vus: total.vus + ligne.vus,
      vusPlateforme: total.vusPlateforme + ligne.vusPlateforme,
      vusPalissy: total.vusPalissy + ligne.vusPalissy,
    }),
    { code, objets: 0, vus: 0, vusPlateforme: 0, vusPalissy: 0 },
  );
}

export type ObjetNonVu = {
  palissy_ref: string;
  titre: string;
  commune: string;
  code_insee: string;
  edifice: string | null;
  dernier_recensement: Date | null;
  annee_palissy: number | null;
};

/**
 * The département's objets seen longest ago: never seen first, then by the year last seen (the latest of the
 * platform's recensement and Palissy's récolement); `page` of 20, or every objet when `page` is null (CSV).
 */
export async function objetsNonVus(
  db: Kysely<DB>,
  departement: string,
  page: number | null,
  maintenant: Date = new Date(),
): Promise<ObjetNonVu[]> {
  const anneeCourante = anneeDeParis(maintenant);
  const limite = page === null ? sql`` : sql`limit ${OBJETS_NON_VUS_PAR_PAGE} offset ${(page - 1) * OBJETS_NON_VUS_PAR_PAGE}`;
  const { rows } = await sql<ObjetNonVu>`
    with vus as (
      select r.objet_id, max(r.completed_at) as dernier
      from recensements r join objets o on o.id = r.objet_id
      where r.status = 'completed' and o.lieu_actuel_departement_code = ${departement}
      group by r.objet_id
    ),
    objets_du_departement as (
      select o.id, o.palissy_ref, coalesce(o.palissy_tico, o.palissy_deno, o.palissy_ref) as titre, o.lieu_actuel_code_insee as code_insee,
        o.lieu_actuel_edifice_nom as edifice, v.dernier as dernier_recensement,
        palissy_annee_recolement(o.palissy_denq, ${anneeCourante}::int) as annee_palissy
      from objets o left join vus v on v.objet_id = o.id
      where o.lieu_actuel_departement_code = ${departement}
    )
    select x.palissy_ref, x.titre, coalesce(c.nom, x.code_insee) as commune, x.code_insee, x.edifice, x.dernier_recensement, x.annee_palissy
    from objets_du_departement x left join communes c on c.code_insee = x.code_insee
    order by greatest(extract(year from x.dernier_recensement at time zone 'Europe/Paris')::int, x.annee_palissy) asc nulls first,
      x.dernier_recensement asc nulls first, x.palissy_ref
    ${limite}
  `.execute(db);
  return rows;
}

// ——— Everything at once ———

export type Analyse = { etats: Etats; progression: Progression; couvertures: Couverture[]; couverture: Couverture };

/** The figures of the analysis page: five statements (three for the états, one for the weeks and campaigns, one for the coverage). */
export async function chargerAnalyse(db: Kysely<DB>, perimetre: Perimetre, maintenant: Date = new Date()): Promise<Analyse> {
  const [etats, avancement, lignes] = await Promise.all([
    etatsDesObjets(db, perimetre),
    progression(db, perimetre, maintenant),
    couvertures(db, perimetre, maintenant),
  ]);
  return { etats, progression: avancement, couvertures: lignes, couverture: totalCouverture(lignes, perimetre ?? "total") };
}
