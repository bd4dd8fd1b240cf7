import { sql, type Kysely, type RawBuilder } from "kysely";
import type { DB } from "../platform/db/schema.ts";

export const RECHERCHE_MIN = 2;
export const RECHERCHE_MAX = 100;
/** Words beyond this are ignored: each one is a LIKE condition on the trigram index. */
const MOTS_MAX = 6;

export type Recherche = { q: string; mots: string[] };
export type ValidationRecherche = { ok: true; recherche: Recherche } | { ok: false; message: string | null };

/** What was typed in the search box: blank means "nothing asked yet", too short or too long gets a French message. */
export function validerRecherche(saisie: string | undefined): ValidationRecherche {
  const q = (saisie ?? "").replace(/\s+/g, " ").trim();
  if (q === "") return { ok: false, message: null };
  if (q.length < RECHERCHE_MIN) return { ok: false, message: `Saisissez au moins ${RECHERCHE_MIN} caractères pour lancer la recherche.` };
  if (q.length > RECHERCHE_MAX) return { ok: false, message: `Votre recherche est trop longue : ${RECHERCHE_MAX} caractères au plus.` };
  return { ok: true, recherche: { q, mots: q.split(" ").slice(0, MOTS_MAX) } };
}

function echapperLike(mot: string): string {
  return mot.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Every word must appear in the normalised text (accent- and case-insensitive). The pattern is
 * normalised by the same SQL function as the indexed expression, so "eglise" finds "Église"; a LIKE
 * '%…%' on that expression is served by its trigram (gin_trgm_ops) index.
 */
function contientTousLesMots(expression: RawBuilder<string>, mots: string[]): RawBuilder<boolean> {
  return sql<boolean>`(${sql.join(
    mots.map((mot) => sql`${expression} like '%' || search_normalize(${echapperLike(mot)}) || '%'`),
    sql` and `,
  )})`;
}

export type CommuneTrouvee = {
  code_insee: string;
  nom: string;
  departement_code: string;
  departement_nom: string;
  statut_global: number;
  objets_count: number;
};

const NOM_NORMALISE = sql<string>`search_normalize(c.nom)`;

/** The communes of the départements whose name contains the words, the closest names first (trigram similarity). */
export function requeteCommunes(departementCodes: readonly string[], recherche: Recherche, limit: number): RawBuilder<CommuneTrouvee> {
  return sql<CommuneTrouvee>`
    select c.code_insee, c.nom, c.departement_code, d.nom as departement_nom, c.statut_global, c.objets_count
    from communes c
    join departements d on d.code = c.departement_code
    where c.departement_code = any(${sql.val([...departementCodes])}::text[])
      and ${contientTousLesMots(NOM_NORMALISE, recherche.mots)}
    order by similarity(${NOM_NORMALISE}, search_normalize(${recherche.q})) desc, c.nom, c.code_insee
    limit ${limit}
  `;
}

export async function rechercherCommunes(
  db: Kysely<DB>,
  departementCodes: readonly string[],
  recherche: Recherche,
  limit: number,
): Promise<CommuneTrouvee[]> {
  if (departementCodes.length === 0) return [];
  return (await requeteCommunes(departementCodes, recherche, limit).execute(db)).rows;
}

export type ObjetTrouve = {
  palissy_ref: string;
  palissy_tico: string | null;
  palissy_deno: string | null;
  palissy_cate: string | null;
  palissy_scle: string | null;
  code_insee: string;
  commune_nom: string | null;
};

/**
 * Exactly the expression of the `objets_recherche` trigram index (migration 0005): the planner uses the
 * index only for this very expression.
 */
const OBJET_NORMALISE = sql<string>`search_normalize(o.palissy_ref || ' ' || coalesce(o.palissy_tico, '') || ' ' || coalesce(o.palissy_deno, ''))`;

/** "PM01", "pm2a0001", "PM01000123": the start of a Palissy REF. */
const DEBUT_DE_REF = /^pm[0-9ab]*$/i;

/**
 * The objets located in the départements whose REF starts with the query, or whose REF, title or
 * dénomination contain every word. A REF prefix ("PM31") matches a whole département: those are read in
 * REF order, with no per-row ranking. Words are ranked by trigram similarity, then title.
 */
export function requeteObjets(
  departementCodes: readonly string[],
  recherche: Recherche,
  limit: number,
): RawBuilder<Omit<ObjetTrouve, "commune_nom">> {
  const colonnes = sql`o.palissy_ref, o.palissy_tico, o.palissy_deno, o.palissy_cate, o.palissy_scle, o.lieu_actuel_code_insee as code_insee`;
  const departements = sql`o.lieu_actuel_departement_code = any(${sql.val([...departementCodes])}::text[])`;
  if (DEBUT_DE_REF.test(recherche.q)) {
    return sql`
      select ${colonnes}
      from objets o
      where ${departements} and o.palissy_ref like ${`${recherche.q.toUpperCase()}%`}
      order by o.palissy_ref
      limit ${limit}
    `;
  }
  return sql`
    select ${colonnes}
    from objets o
    where ${departements} and ${contientTousLesMots(OBJET_NORMALISE, recherche.mots)}
    order by similarity(${OBJET_NORMALISE}, search_normalize(${recherche.q})) desc,
             coalesce(o.palissy_tico, o.palissy_deno) nulls last,
             o.palissy_ref
    limit ${limit}
  `;
}

/** Two statements: the objets, then the names of their communes (never a join over every commune before the limit). */
export async function rechercherObjets(
  db: Kysely<DB>,
  departementCodes: readonly string[],
  recherche: Recherche,
  limit: number,
): Promise<ObjetTrouve[]> {
  if (departementCodes.length === 0) return [];
  const { rows } = await requeteObjets(departementCodes, recherche, limit).execute(db);
  if (rows.length === 0) return [];
  const communes = await db
    .selectFrom("communes")
    .select(["code_insee", "nom"])
    .where("code_insee", "in", [...new Set(rows.map((r) => r.code_insee))])
    .execute();
  const noms = new Map(communes.map((c) => [c.code_insee, c.nom]));
  return rows.map((row) => ({ ...row, commune_nom: noms.get(row.code_insee) ?? null }));
}
