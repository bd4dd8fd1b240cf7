import { sql, type Expression, type Kysely, type RawBuilder } from "kysely";
import type { Database } from "../platform/db/database.ts";
import { executePrepared } from "../platform/db/prepared.ts";
import type { CampaignStatus, DB } from "../platform/db/schema.ts";
import { COMMUNES_PAR_PAGE, motsRecherche, ordreSql, statutsDuFiltre, type FiltresTableau, type CleTri, type Periode } from "./rules.ts";

/**
 * Queries of the départements list and the département dashboard. Each page reads a fixed number of
 * statements whatever the size of the département: aggregates are computed in SQL, the communes table
 * is paginated in SQL, and the activity lists read every département of the conservateur at once.
 */

// ——— Départements list ———

export type DepartementSummary = { code: string; nom: string; communes: number; objets: number };

/** The given départements with their objets and the communes holding them. */
export async function departementSummaries(db: Kysely<DB>, codes: readonly string[]): Promise<DepartementSummary[]> {
  if (codes.length === 0) return [];
  return db
    .selectFrom("departements as d")
    .leftJoin("communes as c", (join) => join.onRef("c.departement_code", "=", "d.code").on("c.objets_count", ">", 0))
    .select(["d.code", "d.nom"])
    .select(sql<number>`count(c.id)::int`.as("communes"))
    .select(sql<number>`coalesce(sum(c.objets_count), 0)::int`.as("objets"))
    .where("d.code", "in", [...codes])
    .groupBy(["d.code", "d.nom"])
    .orderBy("d.code")
    .execute();
}

// ——— Header of the dashboard ———

export type StatistiquesDepartement = {
  /** Communes holding at least one objet: the dashboard's communes. */
  communes: number;
  /** Among them, communes that sent their dossier (status completed). */
  communesRecenseuses: number;
  objets: number;
  /**
   * Objets recensed by a commune of the département, whatever the dossier (drafts and archived dossiers
   * included, RB §5.3); read from the communes' dossiers, a few hundred index reads, not one per objet.
   */
  objetsRecenses: number;
  /** État sanitaire of each objet's latest recensement, as the commune answered it (overrides ignored). */
  etats: { peril: number; mauvais: number; moyen: number; bon: number };
  /** Communes per statut global (0..5), for the filter's options. */
  parStatut: [number, number, number, number, number, number];
  /** Sent dossiers nobody examined yet with neither objet en péril nor disparu: candidates for the batch acceptance. */
  acceptablesEnLot: number;
};

export type DonneesEntete = {
  code: string;
  nom: string;
  campagne: { status: Exclude<CampaignStatus, "finished">; date_lancement: string } | null;
  statistiques: StatistiquesDepartement;
};

type LigneEntete = {
  code: string;
  nom: string;
  campagne_status: Exclude<CampaignStatus, "finished"> | null;
  campagne_date: string | null;
  communes: number;
  communes_recenseuses: number;
  objets: number;
  acceptables: number;
  par_statut: number[];
  objets_recenses: number;
  peril: number;
  mauvais: number;
  moyen: number;
  bon: number;
};

type StatistiquesRecensements = Pick<LigneEntete, "objets_recenses" | "peril" | "mauvais" | "moyen" | "bon">;

/**
 * The figures drawn from the recensements (objets recensés, état sanitaire) read a few thousand rows in
 * a large département, several times the cost of the rest of the page: they are kept 30 seconds per
 * département and database, a delay nobody notices on figures that move by the day. Everything else
 * (statuts, counts, campaign, the table) is read live.
 */
const STATISTIQUES_TTL_MS = 30_000;
const statistiquesEnCache = new WeakMap<object, Map<string, { valeur: StatistiquesRecensements; expire: number }>>();

function statistiquesConnues(db: Kysely<DB>, code: string): StatistiquesRecensements | undefined {
  const entree = statistiquesEnCache.get(db)?.get(code);
  return entree && entree.expire > Date.now() ? entree.valeur : undefined;
}

function retenirStatistiques(db: Kysely<DB>, row: LigneEntete): void {
  let parDepartement = statistiquesEnCache.get(db);
  if (!parDepartement) {
    parDepartement = new Map();
    statistiquesEnCache.set(db, parDepartement);
  }
  const { objets_recenses, peril, mauvais, moyen, bon } = row;
  parDepartement.set(row.code, { valeur: { objets_recenses, peril, mauvais, moyen, bon }, expire: Date.now() + STATISTIQUES_TTL_MS });
}

/** Objets recensés and their état sanitaire: each objet's latest recensement, whatever its dossier. */
const statistiquesRecensementsSql = sql`
  select count(*)::int as objets_recenses,
         count(*) filter (where dernier.etat_sanitaire = 'peril')::int as peril,
         count(*) filter (where dernier.etat_sanitaire = 'mauvais')::int as mauvais,
         count(*) filter (where dernier.etat_sanitaire = 'moyen')::int as moyen,
         count(*) filter (where dernier.etat_sanitaire = 'bon')::int as bon
  from (
    select distinct on (r.objet_id) r.etat_sanitaire
    from communes c
    join dossiers dd on dd.commune_id = c.id
    join recensements r on r.dossier_id = dd.id
    where c.departement_code = d.code and r.status <> 'deleted' and r.objet_id is not null
    order by r.objet_id, dd.created_at desc, r.created_at desc
  ) dernier
`;

/** One row: the département, its current campaign, its communes' figures and (unless known) the recensements' ones. */
function enteteSql(code: string, connues: StatistiquesRecensements | undefined): RawBuilder<LigneEntete> {
  const recensements = connues
    ? sql`select ${connues.objets_recenses}::int as objets_recenses, ${connues.peril}::int as peril, ${connues.mauvais}::int as mauvais,
                 ${connues.moyen}::int as moyen, ${connues.bon}::int as bon`
    : statistiquesRecensementsSql;
  return sql<LigneEntete>`
    select d.code, d.nom,
           camp.status as campagne_status, camp.date_lancement as campagne_date,
           s.communes, s.communes_recenseuses, s.objets, s.acceptables,
           array[s.statut0, s.statut1, s.statut2, s.statut3, s.statut4, s.statut5] as par_statut,
           r.objets_recenses, r.peril, r.mauvais, r.moyen, r.bon
    from departements d
    left join lateral (
      select status, date_lancement from campaigns
      where departement_code = d.code and status <> 'finished'
      order by case status when 'ongoing' then 0 when 'planned' then 1 else 2 end, date_lancement, id
      limit 1
    ) camp on true
    cross join lateral (
      select count(*)::int as communes,
             count(*) filter (where status = 'completed')::int as communes_recenseuses,
             coalesce(sum(objets_count), 0)::int as objets,
             count(*) filter (where statut_global in (2, 3) and en_peril_count = 0 and disparus_count = 0)::int as acceptables,
             count(*) filter (where statut_global = 0)::int as statut0,
             count(*) filter (where statut_global = 1)::int as statut1,
             count(*) filter (where statut_global = 2)::int as statut2,
             count(*) filter (where statut_global = 3)::int as statut3,
             count(*) filter (where statut_global = 4)::int as statut4,
             count(*) filter (where statut_global = 5)::int as statut5
      from communes
      where departement_code = d.code and objets_count > 0
    ) s
    cross join lateral (${recensements}) r
    where d.code = ${code}
  `;
}

function donneesEntete(db: Kysely<DB>, row: LigneEntete, connues: StatistiquesRecensements | undefined): DonneesEntete {
  if (!connues) retenirStatistiques(db, row);
  const parStatut = [0, 1, 2, 3, 4, 5].map((i) => row.par_statut[i] ?? 0) as StatistiquesDepartement["parStatut"];
  return {
    code: row.code,
    nom: row.nom,
    campagne: row.campagne_status && row.campagne_date ? { status: row.campagne_status, date_lancement: row.campagne_date } : null,
    statistiques: {
      communes: row.communes,
      communesRecenseuses: row.communes_recenseuses,
      objets: row.objets,
      objetsRecenses: row.objets_recenses,
      etats: { peril: row.peril, mauvais: row.mauvais, moyen: row.moyen, bon: row.bon },
      parStatut,
      acceptablesEnLot: row.acceptables,
    },
  };
}

/** Everything the dashboard header shows, in one statement. */
export async function findDonneesEntete(db: Kysely<DB>, code: string): Promise<DonneesEntete | undefined> {
  const connues = statistiquesConnues(db, code);
  const [row] = await executePrepared(db, "entete", enteteSql(code, connues).compile(db));
  return row ? donneesEntete(db, row, connues) : undefined;
}

// ——— Communes table ———

export type LigneCommune = {
  code_insee: string;
  nom: string;
  objets_count: number;
  en_peril_count: number;
  disparus_count: number;
  statut_global: number;
  /** Latest of the current dossier's sending, acceptance and recensement changes; null without a current dossier. */
  derniere_activite: Date | null;
};

export type PageCommunes = { lignes: LigneCommune[]; total: number; page: number };

/** Date of last activity of a commune: its current dossier's sending, acceptance and latest recensement change. */
function derniereActivite(communeId: Expression<number>): RawBuilder<Date | null> {
  return sql<Date | null>`(
    select greatest(d.submitted_at, d.accepted_at, (
      select max(r.updated_at) from recensements r where r.dossier_id = d.id and r.status in ('draft', 'completed')
    ))
    from dossiers d
    where d.commune_id = ${communeId} and d.status <> 'archived'
  )`;
}

type LigneJson = Omit<LigneCommune, "derniere_activite"> & { derniere_activite: string | null };

type LigneTableau = LigneEntete & {
  total: number;
  debut: number;
  /** The page's communes as one JSON array: a single row to read, not the header repeated on fifteen. */
  lignes: LigneJson[] | string;
};

/**
 * The header and one page of the communes holding objets, filtered, searched and sorted, with the number
 * of matches: one statement. A page past the end (a stale link after a filter change) gives the last
 * page. The date of last activity is computed for the page's rows only, unless it is the sort.
 */
export async function findTableauDepartement(
  database: Pick<Database, "db">,
  code: string,
  filtres: FiltresTableau,
): Promise<{ entete: DonneesEntete; resultat: PageCommunes } | undefined> {
  const db = database.db;
  const statuts = statutsDuFiltre(filtres.statut);
  const mots = motsRecherche(filtres.q);
  const conditions: RawBuilder<unknown>[] = [sql`c.departement_code = ${code}`, sql`c.objets_count > 0`];
  if (statuts) conditions.push(sql`c.statut_global = any(${sql.val([...statuts])}::smallint[])`);
  for (const mot of mots) conditions.push(sql`search_normalize(c.nom) like '%' || search_normalize(${mot}) || '%'`);
  // Names in alphabetical order whatever their accents (the databases collate in C: "É" would come after "Z"),
  // with search_normalize()'s body called directly: its SQL wrappers cost twice the work on every row sorted.
  const colonne = (cle: CleTri) => (cle === "nom" ? "nom_tri" : cle);
  const ordre = (table: string) =>
    sql.join([
      ...ordreSql(filtres.tri, filtres.sens).map(
        ({ cle, sens }) => sql`${sql.ref(`${table}.${colonne(cle)}`)} ${sql.raw(sens === "asc" ? "asc" : "desc")} nulls last`,
      ),
      sql.ref(`${table}.nom`),
      sql.ref(`${table}.code_insee`),
    ]);
  const activite = filtres.tri === "activite" ? derniereActivite(sql.ref("c.id")) : sql`null::timestamptz`;
  const connues = statistiquesConnues(db, code);
  const query = sql<LigneTableau>`
    with entete as (${enteteSql(code, connues)}),
    filtrees as (
      select c.id, c.code_insee, c.nom, c.objets_count, c.en_peril_count, c.disparus_count, c.statut_global,
             lower(public.unaccent('public.unaccent'::regdictionary, c.nom)) as nom_tri, ${activite} as activite
      from communes c
      where ${sql.join(conditions, sql` and `)}
    ),
    n as (
      select count(*)::int as total,
             least(${(filtres.page - 1) * COMMUNES_PAR_PAGE}, greatest(count(*)::int - 1, 0) / ${COMMUNES_PAR_PAGE} * ${COMMUNES_PAR_PAGE}) as debut
      from filtrees
    ),
    page as (
      select f.* from filtrees f
      order by ${ordre("f")}
      limit ${COMMUNES_PAR_PAGE} offset (select debut from n)
    )
    select e.*, n.total, n.debut,
           coalesce((
             select json_agg(json_build_object(
                      'code_insee', p.code_insee, 'nom', p.nom, 'objets_count', p.objets_count,
                      'en_peril_count', p.en_peril_count, 'disparus_count', p.disparus_count, 'statut_global', p.statut_global,
                      'derniere_activite', ${derniereActivite(sql.ref("p.id"))}
                    ) order by ${ordre("p")})
             from page p
           ), '[]') as lignes
    from entete e
    cross join n
  `.compile(db);
  // Planning this statement costs a quarter of its execution: prepared once per connection, except with search
  // words (texts that would pile up); a few dozen texts otherwise (filter × sort × known figures).
  const rows = mots.length === 0 ? await executePrepared(db, "tableau", query) : (await db.executeQuery(query)).rows;
  const first = rows[0];
  if (!first) return undefined;
  const lignes = (typeof first.lignes === "string" ? JSON.parse(first.lignes) : first.lignes) as LigneJson[];
  return {
    entete: donneesEntete(db, first, connues),
    resultat: {
      lignes: lignes.map((ligne) => ({ ...ligne, derniere_activite: ligne.derniere_activite ? new Date(ligne.derniere_activite) : null })),
      total: first.total,
      page: Math.floor(first.debut / COMMUNES_PAR_PAGE) + 1,
    },
  };
}

// ——— Activity ———

/** At most this many rows per list and département; the titles give the full count. */
export const ACTIVITE_LIMITE = 100;

export type DossierTransmis = {
  code_insee: string;
  nom: string;
  submitted_at: Date;
  en_peril_count: number;
  disparus_count: number;
};

export type RecensementRecent = {
  id: number;
  code_insee: string;
  commune: string;
  objet_id: number | null;
  palissy_ref: string | null;
  palissy_tico: string | null;
  palissy_deno: string | null;
  palissy_cate: string | null;
  palissy_scle: string | null;
  completed_at: Date;
};

export type MessagesCommune = { code_insee: string; nom: string; messages: number; dernier: Date };

export type ActiviteDepartement = {
  dossiers: { total: number; lignes: DossierTransmis[] };
  recensements: { total: number; lignes: RecensementRecent[] };
  /** `total` counts the communes that wrote, `messages` their messages. */
  messages: { total: number; messages: number; lignes: MessagesCommune[] };
};

/** Bounds of a period of Paris days, as timestamps: [du 00:00, au + 1 day 00:00). */
function bornes(periode: Periode): { debut: RawBuilder<Date>; fin: RawBuilder<Date> } {
  return {
    debut: sql<Date>`(${periode.du}::date)::timestamp at time zone 'Europe/Paris'`,
    fin: sql<Date>`(${periode.au}::date + 1)::timestamp at time zone 'Europe/Paris'`,
  };
}

type Compte = { departement_code: string; total: number };

/**
 * What happened in the départements during the period (RB §5.3 "Activité", §5.4): dossiers sent,
 * recensements completed, communes that wrote. One statement whatever the number of départements.
 */
export async function activiteDesDepartements(
  db: Kysely<DB>,
  codes: readonly string[],
  periode: Periode,
): Promise<Map<string, ActiviteDepartement>> {
  const result = new Map<string, ActiviteDepartement>(
    codes.map((code) => [
      code,
      { dossiers: { total: 0, lignes: [] }, recensements: { total: 0, lignes: [] }, messages: { total: 0, messages: 0, lignes: [] } },
    ]),
  );
  if (codes.length === 0) return result;
  const { debut, fin } = bornes(periode);
  const departements = sql.val([...codes]);

  type Ligne<T> = Omit<T, "submitted_at" | "completed_at" | "dernier"> & Compte & { date: string; rang: number; total_messages?: number };
  type Listes = {
    dossiers: Ligne<DossierTransmis>[] | null;
    recensements: Ligne<RecensementRecent>[] | null;
    messages: Ligne<MessagesCommune>[] | null;
  };
  // One statement for the three lists: each a JSON array of its first lines per département, with the totals.
  const { rows } = await sql<{ [K in keyof Listes]: Listes[K] | string }>`
    with transmis as (
      select c.departement_code, c.code_insee, c.nom, d.submitted_at as date, c.en_peril_count, c.disparus_count,
             count(*) over (partition by c.departement_code)::int as total,
             row_number() over (partition by c.departement_code order by d.submitted_at desc, c.nom) as rang
      from dossiers d
      join communes c on c.id = d.commune_id
      where d.status in ('submitted', 'accepted')
        and d.submitted_at >= ${debut} and d.submitted_at < ${fin}
        and c.departement_code = any(${departements}::text[])
    ),
    recenses as (
      select c.departement_code, r.id, c.code_insee, c.nom as commune, r.objet_id, r.completed_at as date,
             o.palissy_ref, o.palissy_tico, o.palissy_deno, o.palissy_cate, o.palissy_scle,
             count(*) over (partition by c.departement_code)::int as total,
             row_number() over (partition by c.departement_code order by r.completed_at desc, r.id desc) as rang
      from communes c
      join dossiers d on d.commune_id = c.id and d.status <> 'archived'
      join recensements r on r.dossier_id = d.id
      left join objets o on o.id = r.objet_id
      where c.departement_code = any(${departements}::text[])
        and r.status = 'completed'
        and r.completed_at >= ${debut} and r.completed_at < ${fin}
    ),
    ecrits as (
      select c.departement_code, c.code_insee, c.nom, m.messages, m.dernier as date,
             count(*) over (partition by c.departement_code)::int as total,
             sum(m.messages) over (partition by c.departement_code)::int as total_messages,
             row_number() over (partition by c.departement_code order by m.dernier desc, c.nom) as rang
      from communes c
      cross join lateral (
        select count(*)::int as messages, max(created_at) as dernier
        from messages
        where commune_id = c.id and author_type = 'commune' and created_at >= ${debut} and created_at < ${fin}
      ) m
      where c.departement_code = any(${departements}::text[]) and m.messages > 0
    )
    select (select json_agg(t order by t.departement_code, t.rang) from transmis t where t.rang <= ${ACTIVITE_LIMITE}) as dossiers,
           (select json_agg(t order by t.departement_code, t.rang) from recenses t where t.rang <= ${ACTIVITE_LIMITE}) as recensements,
           (select json_agg(t order by t.departement_code, t.rang) from ecrits t where t.rang <= ${ACTIVITE_LIMITE}) as messages
  `.execute(db);
  const lire = <T>(value: T[] | string | null | undefined): T[] => (typeof value === "string" ? (JSON.parse(value) as T[]) : (value ?? []));
  const row = rows[0];
  for (const { departement_code, total, date, rang: _rang, ...ligne } of lire(row?.dossiers as Listes["dossiers"])) {
    const activite = result.get(departement_code);
    if (!activite) continue;
    activite.dossiers.total = total;
    activite.dossiers.lignes.push({ ...ligne, submitted_at: new Date(date) });
  }
  for (const { departement_code, total, date, rang: _rang, ...ligne } of lire(row?.recensements as Listes["recensements"])) {
    const activite = result.get(departement_code);
    if (!activite) continue;
    activite.recensements.total = total;
    activite.recensements.lignes.push({ ...ligne, completed_at: new Date(date) });
  }
  for (const { departement_code, total, total_messages, date, rang: _rang, ...ligne } of lire(row?.messages as Listes["messages"])) {
    const activite = result.get(departement_code);
    if (!activite) continue;
    activite.messages.total = total;
    activite.messages.messages = total_messages ?? 0;
    activite.messages.lignes.push({ ...ligne, dernier: new Date(date) });
  }
  return result;
}
