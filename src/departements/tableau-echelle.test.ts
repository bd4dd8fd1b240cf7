import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simulerActiviteExamen } from "../../bench/dashboard.ts";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertConservateur } from "../../test/factories.ts";
import { Browser } from "../../test/factories-comptes.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { importAnnuaire } from "../import/annuaire.ts";
import { FILES, generateNational } from "../import/generate/national.ts";
import { importPalissy } from "../import/palissy.ts";
import { COMMUNES_PAR_PAGE, libelleStatutGlobal } from "./rules.ts";

/**
 * The dashboard on the national synthetic dataset at scale 0.2 (≈50,000 objets), with examen activity
 * simulated on every commune: the number of SQL statements of a page is the same small constant for the
 * largest and for a small département, whatever the filter, sort or page; the rows are the right ones.
 */

type Ligne = { code: string; statut: string; date: string | null };

function lignes(html: string): Ligne[] {
  const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? "";
  return [...tbody.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, tr]) => {
    const cells = [...tr!.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]!);
    return {
      code: /href="\/conservateurs\/communes\/([0-9AB]{5})"/.exec(tr!)?.[1] ?? "",
      statut: />([^<]+)<\/p>$/.exec(cells[3] ?? "")?.[1] ?? "",
      date: /^\d{2}\/\d{2}\/\d{4}$/.test(cells[4] ?? "") ? cells[4]! : null,
    };
  });
}

function total(html: string): number {
  const match = /role="status">([\d\u202f]+) communes?/.exec(html);
  return match ? Number(match[1]!.replace(/\u202f/g, "")) : 0;
}

/** dd/mm/yyyy → yyyymmdd, comparable as numbers. */
function jour(date: string): number {
  const [d, m, y] = date.split("/");
  return Number(`${y}${m}${d}`);
}

/**
 * Counts every statement sent through the pool, whichever way it goes: Kysely's queries and the
 * dashboard's prepared statement alike (pool.query checks a client out with a callback).
 */
function compterRequetes(pool: pg.Pool, compter: () => void): void {
  type Rappel = (error: Error | undefined, client?: pg.PoolClient, done?: unknown) => void;
  const comptes = new WeakSet<pg.PoolClient>();
  const compte = (client: pg.PoolClient): pg.PoolClient => {
    if (!comptes.has(client)) {
      comptes.add(client);
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        compter();
        return query(...args);
      };
    }
    return client;
  };
  const connect = pool.connect.bind(pool) as (rappel?: Rappel) => unknown;
  (pool as { connect: unknown }).connect = (rappel?: Rappel) =>
    rappel
      ? connect((error, client, done) => rappel(error, client && compte(client), done))
      : (connect() as Promise<pg.PoolClient>).then(compte);
}

describe("département dashboard on the national dataset at scale 0.2", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "co-dashboard-"));
  let database: TestDatabase;
  let app: FastifyInstance;
  let browser: Browser;
  let statements = 0;
  let grand: { code: string; communes: number };
  let petit: { code: string; communes: number };

  beforeAll(async () => {
    await generateNational({ out, seed: 11, scale: 0.2 });
    database = await createTestDatabase();
    await importPalissy(database, path.join(out, FILES.palissy));
    await importAnnuaire(database, path.join(out, FILES.annuaire));
    const bilan = await simulerActiviteExamen(database, { seed: 11 });
    expect(bilan.dossiers).toBeGreaterThan(1000);

    const tailles = await sql<{ code: string; communes: number; a_examiner: number }>`
      select departement_code as code, count(*)::int as communes,
             count(*) filter (where statut_global in (2, 3, 4))::int as a_examiner
      from communes where objets_count > 0 group by 1 order by 2 desc, 1`.execute(database.db);
    grand = tailles.rows[0]!;
    // A small département that still has dossiers to examine and more than one page when unfiltered is not needed.
    petit = tailles.rows.filter((t) => t.a_examiner >= 1 && t.communes >= 3).at(-1)!;
    expect(grand.communes).toBeGreaterThan(100);
    expect(petit.communes).toBeLessThan(20);

    compterRequetes(database.pool, () => (statements += 1));
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    const conservateur = await insertConservateur(database, { departement_codes: [grand.code, petit.code] });
    browser = new Browser(app, "203.0.113.77").withSession({ account: { type: "conservateur", id: conservateur.id } });
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    fs.rmSync(out, { recursive: true, force: true });
  });

  async function page(url: string): Promise<{ html: string; statements: number }> {
    const before = statements;
    const response = await browser.get(url);
    expect(response.statusCode, url).toBe(200);
    return { html: response.body, statements: statements - before };
  }

  it("reads every page of the table in the same number of statements, large or small département", async () => {
    const counts = new Map<string, number>();
    for (const { code, communes } of [grand, petit]) {
      const last = Math.ceil(communes / COMMUNES_PAR_PAGE);
      const base = `/conservateurs/departements/${code}`;
      for (const query of [
        "",
        "?statut=tous",
        `?statut=tous&page=${last}`,
        "?statut=tous&tri=activite&ordre=desc",
        "?statut=tous&tri=activite&ordre=asc&page=2",
        "?statut=tous&tri=commune&ordre=desc",
        "?statut=5&tri=objets&ordre=desc",
        "?statut=3&tri=examen",
        "?statut=tous&q=saint&tri=disparus&ordre=asc",
        "?statut=0&q=zzzz",
      ]) {
        counts.set(`${code}${query}`, (await page(`${base}${query}`)).statements);
      }
      counts.set(`${code}/activite`, (await page(`${base}/activite?du=2000-01-01&au=2100-01-01`)).statements);
    }
    const tableau = [...counts].filter(([key]) => !key.endsWith("/activite"));
    // The account, then the header with the page of the table (the département is one of the account's).
    expect(new Set(tableau.map(([, n]) => n))).toEqual(new Set([2]));
    // The account, the header, then the dossiers, recensements and messages of the period.
    expect(counts.get(`${grand.code}/activite`)).toBe(3);
    expect(counts.get(`${petit.code}/activite`)).toBe(3);
    // Both départements at once: the account, the list of départements, the three lists.
    expect((await page("/conservateurs/departements/activite?du=2000-01-01&au=2100-01-01")).statements).toBe(3);
    expect((await page("/conservateurs/departements")).statements).toBe(2);
  });

  it("lists every commune with objets exactly once, in the default order, page after page", async () => {
    for (const { code, communes } of [grand, petit]) {
      const expected = await sql<{ code_insee: string; en_peril_count: number; disparus_count: number; nom_tri: string; nom: string }>`
        select code_insee, en_peril_count, disparus_count, search_normalize(nom) as nom_tri, nom
        from communes where departement_code = ${code} and objets_count > 0`.execute(database.db);
      const ordre = [...expected.rows].sort(
        (a, b) =>
          b.en_peril_count - a.en_peril_count ||
          b.disparus_count - a.disparus_count ||
          (a.nom_tri < b.nom_tri ? -1 : a.nom_tri > b.nom_tri ? 1 : 0) ||
          (a.nom < b.nom ? -1 : a.nom > b.nom ? 1 : 0) ||
          (a.code_insee < b.code_insee ? -1 : 1),
      );
      const seen: string[] = [];
      const pages = Math.ceil(communes / COMMUNES_PAR_PAGE);
      for (let n = 1; n <= pages; n++) {
        const { html } = await page(`/conservateurs/departements/${code}?statut=tous&page=${n}`);
        expect(total(html)).toBe(communes);
        seen.push(...lignes(html).map((l) => l.code));
      }
      expect(seen).toEqual(ordre.map((c) => c.code_insee));
    }
  });

  it("keeps only the dossiers to examine by default and the chosen statut otherwise", async () => {
    const { rows } = await sql<{ statut_global: number; n: number }>`
      select statut_global, count(*)::int as n from communes
      where departement_code = ${grand.code} and objets_count > 0 group by 1`.execute(database.db);
    const count = (statuts: number[]) => rows.filter((r) => statuts.includes(r.statut_global)).reduce((n, r) => n + r.n, 0);
    const defaut = await browser
      .get(`/conservateurs/departements/${grand.code}?reinitialiser=1`)
      .then(() => page(`/conservateurs/departements/${grand.code}`));
    expect(total(defaut.html)).toBe(count([2, 3, 4]));
    const labels = new Set([2, 3, 4].map(libelleStatutGlobal));
    for (const ligne of lignes(defaut.html)) expect(labels.has(ligne.statut), ligne.statut).toBe(true);
    for (const statut of [0, 1, 5]) {
      const { html } = await page(`/conservateurs/departements/${grand.code}?statut=${statut}`);
      expect(total(html)).toBe(count([statut]));
      for (const ligne of lignes(html)) expect(ligne.statut).toBe(libelleStatutGlobal(statut));
    }
  });

  it("sorts by date of last activity, communes without a dossier last", async () => {
    const { html } = await page(`/conservateurs/departements/${grand.code}?statut=tous&tri=activite&ordre=desc`);
    const dates = lignes(html).map((l) => l.date);
    expect(dates.every((d) => d !== null)).toBe(true);
    const jours = dates.map((d) => jour(d!));
    expect(jours).toEqual([...jours].sort((a, b) => b - a));
    const pages = Math.ceil(grand.communes / COMMUNES_PAR_PAGE);
    const last = lignes((await page(`/conservateurs/departements/${grand.code}?statut=tous&tri=activite&ordre=desc&page=${pages}`)).html);
    expect(last.at(-1)?.date).toBeNull();
  });
});
