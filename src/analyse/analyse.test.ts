import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertConservateur, insertDossier, insertEdifice, insertObjet, insertRecensement } from "../../test/factories.ts";
import { Browser } from "../../test/factories-comptes.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { chargerAnalyse, objetsNonVus } from "./repository.ts";
import { anneeDeParis, lundiDe, jourDeParis } from "./rules.ts";

const BASE = "/conservateurs/departements/29/analyse";
const NBSP = "\u00a0";

/**
 * A known Finistère: 10 objets, 6 of them recensed (one 6 years ago), with chosen états, catégories, siècles
 * and Palissy récolement dates; 6 are seen in the last 5 years (5 recensed here, 1 récolé) → 60 %.
 */
describe("analysis tab of a département", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let conservateur: Browser;
  let autre: Browser;
  const annee = anneeDeParis(new Date());
  const ilYA6Ans = new Date(Date.now() - 6 * 365 * 24 * 3600 * 1000);
  const refs: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    const alpha = await insertCommune(database, { code_insee: "29001", nom: "Alpha" });
    const beta = await insertCommune(database, { code_insee: "29002", nom: "Beta" });
    const eglise = await insertEdifice(database, { code_insee: "29001", nom: "église Notre-Dame" });
    const objet = async (n: number, code: string, values: { cate?: string | null; scle?: string | null; denq?: string | null }) => {
      const row = await insertObjet(database, {
        lieu_actuel_code_insee: code,
        palissy_ref: `PM29${String(n).padStart(6, "0")}`,
        palissy_tico: `Objet ${n}`,
        palissy_cate: values.cate ?? null,
        palissy_scle: values.scle ?? null,
        palissy_denq: values.denq ?? null,
        ...(code === "29001" ? { edifice: eglise } : {}),
      });
      refs[`o${n}`] = row.palissy_ref;
      return row;
    };
    const o1 = await objet(1, "29001", { cate: "sculpture", scle: "15e siècle", denq: "1999/01/01" });
    const o2 = await objet(2, "29001", { cate: "menuiserie ; sculpture", scle: "1er quart 17e siècle;18e siècle" });
    const o3 = await objet(3, "29001", { cate: "peinture", scle: "18e siècle" });
    const o4 = await objet(4, "29001", { cate: "orfèvrerie", scle: null });
    const o5 = await objet(5, "29001", { cate: "peinture", scle: "17e siècle" });
    const o6 = await objet(6, "29002", { cate: "sculpture", scle: "16e siècle" });
    const o7 = await objet(7, "29002", { cate: "sculpture", denq: `${annee - 2}/05/10` });
    await objet(8, "29002", { cate: "sculpture", denq: "20022" });
    await objet(9, "29002", { cate: "sculpture", denq: String(annee - 11) });
    await objet(10, "29002", { cate: null });
    // Another département's recensed objet stays out of the Finistère's figures.
    const ailleurs = await insertCommune(database, { code_insee: "22001", nom: "Ailleurs" });
    const o22 = await insertObjet(database, { lieu_actuel_code_insee: "22001" });
    await insertRecensement(database, {
      objet_id: o22.id,
      dossier_id: (await insertDossier(database, { commune_id: ailleurs.id, status: "submitted" })).id,
      etat_sanitaire: "peril",
    });

    const dossierAlpha = await insertDossier(database, { commune_id: alpha.id, status: "submitted" });
    await insertRecensement(database, { objet_id: o1.id, dossier_id: dossierAlpha.id, etat_sanitaire: "bon", securisation: "en_securite" });
    await insertRecensement(database, {
      objet_id: o2.id,
      dossier_id: dossierAlpha.id,
      etat_sanitaire: "moyen",
      analyse_etat_sanitaire: "peril",
      securisation: "en_danger",
    });
    await insertRecensement(database, {
      objet_id: o3.id,
      dossier_id: dossierAlpha.id,
      etat_sanitaire: "mauvais",
      securisation: "en_danger",
    });
    await insertRecensement(database, { objet_id: o4.id, dossier_id: dossierAlpha.id, localisation: "absent" });
    await insertRecensement(database, {
      objet_id: o5.id,
      dossier_id: dossierAlpha.id,
      recensable: false,
      etat_sanitaire: null,
      securisation: null,
    });
    // A draft does not count.
    await insertRecensement(database, { objet_id: o7.id, dossier_id: dossierAlpha.id, status: "draft", etat_sanitaire: "peril" });
    const dossierBeta = await insertDossier(database, {
      commune_id: beta.id,
      status: "accepted",
      submitted_at: ilYA6Ans,
      accepted_at: ilYA6Ans,
      created_at: ilYA6Ans,
    });
    await insertRecensement(database, {
      objet_id: o6.id,
      dossier_id: dossierBeta.id,
      etat_sanitaire: "bon",
      securisation: "en_securite",
      completed_at: ilYA6Ans,
      created_at: ilYA6Ans,
    });
    const lancement = lundiDe(jourDeParis(new Date(Date.now() - 21 * 24 * 3600 * 1000)));
    const campagne = await database.db
      .insertInto("campaigns")
      .values({
        departement_code: "29",
        status: "ongoing",
        date_lancement: lancement,
        date_relance1: lancement,
        date_relance2: lancement,
        date_relance3: lancement,
        date_fin: "2099-01-01",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto("campaign_recipients")
      .values([alpha, beta].map((c) => ({ campaign_id: campagne.id, commune_id: c.id, unsubscribe_token: `jeton-${c.id}` })))
      .execute();
    const c29 = await insertConservateur(database, { departement_codes: ["29"] });
    const c22 = await insertConservateur(database, { departement_codes: ["22"] });
    conservateur = new Browser(app, "198.51.100.10").withSession({ account: { type: "conservateur", id: c29.id } });
    autre = new Browser(app, "198.51.100.11").withSession({ account: { type: "conservateur", id: c22.id } });
  });

  afterAll(async () => {
    await app.close();
    await database.close();
  });

  it("computes the condition and security of the recensed objets, by catégorie and by siècle", async () => {
    const { etats } = await chargerAnalyse(database.db, "29");
    expect(etats.ensemble.total).toBe(6);
    expect(etats.ensemble.etats).toEqual({ bon: 2, moyen: 0, mauvais: 1, peril: 1, non_recensable: 1, disparu: 1, inconnu: 0 });
    expect(etats.ensemble.securite).toEqual({ en_securite: 2, en_danger: 2, inconnu: 0 });
    const categories = Object.fromEntries(etats.parCategorie.map((c) => [c.cle, c.repartition.total]));
    expect(categories).toEqual({ sculpture: 3, peinture: 2, menuiserie: 1, orfèvrerie: 1 });
    expect(etats.parCategorie.find((c) => c.cle === "menuiserie")!.repartition.etats.peril).toBe(1);
    const siecles = etats.parSiecle.map((s) => [s.cle, s.repartition.total]);
    expect(siecles).toEqual([
      ["15", 1],
      ["16", 1],
      ["17", 2],
      ["18", 1],
      ["zz", 1],
    ]);
    expect(etats.parEdifice[0]).toMatchObject({ edifice: "église Notre-Dame", commune: "Alpha", code_insee: "29001" });
    expect(etats.parEdifice[0]!.repartition.total).toBe(5);
  });

  it("computes the récolement coverage and lists the objets seen longest ago, never seen first", async () => {
    const { couverture } = await chargerAnalyse(database.db, "29");
    expect(couverture).toEqual({ code: "29", objets: 10, vus: 6, vusPlateforme: 5, vusPalissy: 1 });
    const liste = await objetsNonVus(database.db, "29", 1);
    expect(liste).toHaveLength(10);
    expect(liste.slice(0, 5).map((o) => o.palissy_ref)).toEqual([refs.o8, refs.o10, refs.o9, refs.o6, refs.o7]);
    expect(liste[2]!.annee_palissy).toBe(annee - 11);
    expect(liste[0]!.annee_palissy).toBeNull();
  });

  it("counts the communes reaching each step week by week and per campaign", async () => {
    const { progression } = await chargerAnalyse(database.db, "29");
    expect(progression.semaines).toHaveLength(26);
    expect(progression.semaines[0]).toMatchObject({ contactees: 0, commencees: 1, envoyees: 1, examinees: 1 });
    expect(progression.semaines.at(-1)).toMatchObject({ contactees: 2, commencees: 2, envoyees: 2, examinees: 1 });
    expect(progression.campagnes).toHaveLength(1);
    expect(progression.campagnes[0]).toMatchObject({ contactees: 2, commencees: 1, envoyees: 1, examinees: 0 });
  });

  it("shows charts with their tables and the coverage to the département's conservateur", async () => {
    const response = await conservateur.get(BASE);
    expect(response.statusCode).toBe(200);
    const html = response.body;
    expect(html).toContain(`<strong>60${NBSP}%</strong> des objets protégés vus depuis 5 ans`);
    // Readers are told how old the kept figures are.
    expect(html).toMatch(/Chiffres du \d{1,2} \p{L}+ \d{4} à \d{2}:\d{2}, recalculés au plus toutes les 5 minutes\./u);
    expect(html).toMatch(/<svg role="img" aria-labelledby="graphique-etats-titre graphique-etats-desc"/);
    expect(html).toContain('<title id="graphique-etats-titre">Objets recensés par état sanitaire</title>');
    expect(html).toContain("Bon état : 2, Mauvais état : 1, En péril : 1, Non recensable : 1, Disparu : 1");
    expect(html).not.toMatch(/style="/);
    expect(html).toContain(`href="${BASE}/etats.csv"`);
    expect(html).toContain('aria-current="page"');
    expect(html).toContain(refs.o8);
  });

  it("downloads each table as CSV with the same figures", async () => {
    const etats = await conservateur.get(`${BASE}/etats.csv`);
    expect(etats.statusCode).toBe(200);
    expect(etats.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(etats.headers["content-disposition"]).toBe('attachment; filename="analyse-29-etats.csv"');
    expect(etats.body.startsWith("\uFEFFÉtat sanitaire retenu;Objets recensés;Part (%)\r\n")).toBe(true);
    expect(etats.body).toContain("Bon état;2;33,3\r\n");
    expect(etats.body).toContain("Disparu;1;16,7\r\n");
    const categories = await conservateur.get(`${BASE}/categories.csv`);
    expect(categories.body).toContain("\r\nsculpture;3;2;0;0;1;0;0;0;2;1;0\r\n");
    const couverture = await conservateur.get(`${BASE}/couverture.csv`);
    const lignes = couverture.body.trim().split("\r\n");
    expect(lignes).toHaveLength(11);
    expect(lignes[1]).toBe(`${refs.o8};Objet 8;Beta (29002);;Jamais;Inconnue`);
    const progression = await conservateur.get(`${BASE}/progression.csv`);
    expect(progression.body.trim().split("\r\n").at(-1)).toMatch(/;2;2;2;1$/);
  });

  it("refuses another département's conservateur, for the page and the CSV files", async () => {
    expect((await autre.get(BASE)).statusCode).toBe(403);
    expect((await autre.get(`${BASE}/couverture.csv`)).statusCode).toBe(403);
    expect((await conservateur.get("/conservateurs/departements/22/analyse")).statusCode).toBe(403);
  });
});
