import type { FastifyInstance } from "fastify";
import { sql, type Kysely } from "kysely";
import { z } from "zod";
import { LOGIN_CODE_MAX_FAILURES } from "../comptes/rules.ts";
import type { AppContext } from "../context.ts";
import type { DB } from "../platform/db/schema.ts";
import { parseInput } from "../platform/http/params.ts";
import { Pagination, Table } from "../ui/components.tsx";
import { ADMIN_PAGE_SIZE } from "./repository.ts";
import { sendAdminPage } from "./views/page.tsx";

const adminRule = { access: { kind: "admin" } } as const;

/** The statistics cover the codes of the last 30 days: what support needs to see whether mails arrive. */
export const PERIODE_JOURS = 30;

type EtatCode = "valide" | "utilise" | "expire" | "bloque";
const ETATS: { cle: EtatCode; label: string }[] = [
  { cle: "valide", label: "En cours de validité" },
  { cle: "utilise", label: "Utilisés" },
  { cle: "expire", label: "Expirés sans être utilisés" },
  { cle: "bloque", label: "Bloqués (trop d’essais erronés)" },
];

const etatSql = sql<EtatCode>`case
  when lc.used_at is not null then 'utilise'
  when lc.failed_attempts >= ${LOGIN_CODE_MAX_FAILURES} then 'bloque'
  when lc.expires_at <= now() then 'expire'
  else 'valide' end`;

type LigneCode = {
  id: number;
  created_at: Date;
  expires_at: Date;
  etat: EtatCode;
  send_count: number;
  failed_attempts: number;
  email: string;
  code_insee: string;
  nom: string;
};

async function statistiques(db: Kysely<DB>): Promise<Record<EtatCode, number>> {
  const rows = await db
    .selectFrom("login_codes as lc")
    .select([etatSql.as("etat"), sql<string>`count(*)`.as("n")])
    .where(sql<boolean>`lc.created_at > now() - make_interval(days => ${PERIODE_JOURS})`)
    .groupBy(sql`1`)
    .execute();
  const stats: Record<EtatCode, number> = { valide: 0, utilise: 0, expire: 0, bloque: 0 };
  for (const row of rows) stats[row.etat] = Number(row.n);
  return stats;
}

/** The latest codes, newest first; the code itself is never listed (the commune page reveals it, audited). */
async function derniersCodes(db: Kysely<DB>, commune: string, page: number): Promise<LigneCode[]> {
  let query = db
    .selectFrom("login_codes as lc")
    .innerJoin("commune_users as u", "u.id", "lc.commune_user_id")
    .innerJoin("communes as c", "c.id", "u.commune_id")
    .select([
      "lc.id",
      "lc.created_at",
      "lc.expires_at",
      etatSql.as("etat"),
      "lc.send_count",
      "lc.failed_attempts",
      "u.email",
      "c.code_insee",
      "c.nom",
    ]);
  if (/^[0-9][0-9AB][0-9]{3}$/.test(commune)) query = query.where("c.code_insee", "=", commune);
  else if (commune) query = query.where(sql<boolean>`search_normalize(c.nom) like '%' || search_normalize(${commune}) || '%'`);
  return query
    .orderBy("lc.id", "desc")
    .limit(ADMIN_PAGE_SIZE + 1)
    .offset((page - 1) * ADMIN_PAGE_SIZE)
    .execute();
}

const querySchema = z.object({
  commune: z.string().trim().max(100).default(""),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});

const pourcent = (n: number, total: number): string =>
  total === 0 ? "0 %" : `${((n / total) * 100).toLocaleString("fr-FR", { maximumFractionDigits: 1 })} %`;

/** RB §6.8: are login codes getting through? Figures of the last 30 days and the latest codes sent. */
export async function adminCodesRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  app.get("/admin/codes-connexion", { config: adminRule }, async (request, reply) => {
    const q = parseInput(querySchema, request.query);
    const [stats, lignes] = await Promise.all([statistiques(db), derniersCodes(db, q.commune, q.page)]);
    const total = ETATS.reduce((n, e) => n + stats[e.cle], 0);
    const heure = (d: Date) => new Date(d).toLocaleString("fr-FR", { timeZone: "Europe/Paris", dateStyle: "short", timeStyle: "short" });
    return sendAdminPage(
      request,
      reply,
      { title: "Codes de connexion", section: "codes", breadcrumbs: [{ label: "Codes de connexion" }] },
      <>
        <h1>Codes de connexion</h1>
        <p>
          Les communes se connectent avec un code à 6 chiffres reçu par email. Un taux élevé de codes expirés sans être utilisés signale
          souvent des emails qui n’arrivent pas : vérifiez alors les <a href="/admin/mails?etat=failed">mails en échec</a>.
        </p>
        <Table>
          <table>
            <caption>Codes créés ces {PERIODE_JOURS} derniers jours</caption>
            <thead>
              <tr>
                <th scope="col">État</th>
                <th scope="col">Nombre</th>
                <th scope="col">Part</th>
              </tr>
            </thead>
            <tbody>
              {ETATS.map((e) => (
                <tr key={e.cle}>
                  <td>{e.label}</td>
                  <td>{stats[e.cle].toLocaleString("fr-FR")}</td>
                  <td>{pourcent(stats[e.cle], total)}</td>
                </tr>
              ))}
              <tr>
                <td>Total</td>
                <td>{total.toLocaleString("fr-FR")}</td>
                <td>{total === 0 ? "" : "100 %"}</td>
              </tr>
            </tbody>
          </table>
        </Table>

        <h2>Derniers codes envoyés</h2>
        <form method="get" action="/admin/codes-connexion" class="fr-mb-3w">
          <div class="fr-search-bar" role="search">
            <label class="fr-label" for="codes-commune">
              Chercher une commune (nom ou code INSEE)
            </label>
            <input class="fr-input" type="search" id="codes-commune" name="commune" value={q.commune} />
            <button class="fr-btn" type="submit">
              Chercher
            </button>
          </div>
        </form>
        {lignes.length === 0 ? (
          <p>Aucun code de connexion {q.commune ? "pour cette recherche" : "pour l’instant"}.</p>
        ) : (
          <Table small>
            <table>
              <caption>Codes de connexion, les plus récents d’abord, page {q.page}</caption>
              <thead>
                <tr>
                  <th scope="col">Commune</th>
                  <th scope="col">Email</th>
                  <th scope="col">Créé le</th>
                  <th scope="col">Valable jusqu’au</th>
                  <th scope="col">État</th>
                  <th scope="col">Envois</th>
                  <th scope="col">Essais erronés</th>
                </tr>
              </thead>
              <tbody>
                {lignes.slice(0, ADMIN_PAGE_SIZE).map((l) => (
                  <tr key={l.id}>
                    <td>
                      <a href={`/admin/communes/${l.code_insee}#code-de-connexion`}>
                        {l.nom} ({l.code_insee})
                      </a>
                    </td>
                    <td>{l.email}</td>
                    <td>{heure(l.created_at)}</td>
                    <td>{heure(l.expires_at)}</td>
                    <td>{ETATS.find((e) => e.cle === l.etat)?.label}</td>
                    <td>{l.send_count}</td>
                    <td>{l.failed_attempts}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Table>
        )}
        <Pagination
          base={`/admin/codes-connexion?${q.commune ? `commune=${encodeURIComponent(q.commune)}&` : ""}`}
          page={q.page}
          hasNext={lignes.length > ADMIN_PAGE_SIZE}
        />
        <p class="fr-text--sm">
          Les codes ne sont pas affichés ici : pour aider une mairie au téléphone, ouvrez la page de la commune et demandez l’affichage de
          son code, inscrit au journal.
        </p>
      </>,
    );
  });
}
