import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { refreshCommuneStatut } from "../dossier/repository.ts";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import {
  insertCommune,
  insertConservateur,
  insertDossier,
  insertObjet,
  insertRecensement,
  type ConservateurRow,
} from "../../test/factories.ts";
import { Browser, insertCommuneUser } from "../../test/factories-comptes.ts";
import { celluleSure } from "./views/visites.tsx";

describe("Mes actions: déplacements prévus", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let conservateur: ConservateurRow;
  let browser: Browser;
  let ip = 0;

  async function communeAvecVisite(
    codeInsee: string,
    nom: string,
    dossier: Partial<Parameters<typeof insertDossier>[1]>,
    objets_count = 1,
  ): Promise<number> {
    const commune = await insertCommune(database, { code_insee: codeInsee, nom, objets_count });
    const row = await insertDossier(database, { commune_id: commune.id, status: "accepted", conservateur_id: conservateur.id, ...dossier });
    await refreshCommuneStatut(database.db, commune.id);
    return row.id;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    conservateur = await insertConservateur(database, { departement_codes: ["01", "68"], first_name: "Jeanne", last_name: "Martin" });
    browser = new Browser(app, `198.51.100.${++ip}`).withSession({ account: { type: "conservateur", id: conservateur.id } });
    const collegue = await insertConservateur(database, { departement_codes: ["68"], first_name: "Luc", last_name: "Bernard" });

    const oyonnax = await communeAvecVisite("01030", "Oyonnax", { visit: "souhaitable", accepted_at: new Date("2025-03-14T10:00:00Z") }, 3);
    // Its counters come from its recensements: one en péril, one disparu.
    const communeOyonnax = await database.db
      .selectFrom("communes")
      .select("id")
      .where("code_insee", "=", "01030")
      .executeTakeFirstOrThrow();
    for (const values of [{ etat_sanitaire: "peril" as const }, { localisation: "absent" as const }]) {
      const objet = await insertObjet(database, { lieu_actuel_code_insee: "01030" });
      await insertRecensement(database, { objet_id: objet.id, dossier_id: oyonnax, ...values });
    }
    await refreshCommuneStatut(database.db, communeOyonnax.id);
    await communeAvecVisite("68040", "Éguisheim", { visit: "prioritaire", conservateur_id: collegue.id }, 12);
    await communeAvecVisite("01031", "Ambronay", { visit: "prioritaire" }, 5);
    await communeAvecVisite("01032", '=CMD("calc")', { visit: "souhaitable" });
    await communeAvecVisite("01033", 'Le Poizat; "Lalleyriat"', { visit: "souhaitable" });
    // Not listed: no visit, an archived dossier, another département.
    await communeAvecVisite("01034", "Bâgé", { status: "submitted", conservateur_id: null, visit: null });
    await communeAvecVisite("01035", "Chalamont", { status: "archived", visit: "prioritaire" });
    await communeAvecVisite("75056", "Paris", { visit: "prioritaire" });
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  const communesDansLOrdre = (html: string) => [...html.matchAll(/href="\/conservateurs\/communes\/(\d{5})">/g)].map((m) => m[1]);

  it("lists the current dossiers with a visit in the conservateur's départements, prioritaires first then by name", async () => {
    const response = await browser.get("/conservateurs/visites");
    expect(response.statusCode).toBe(200);
    const html = response.body;
    expect(html).toContain("<h1>Déplacements prévus</h1>");
    expect(communesDansLOrdre(html)).toEqual(["01031", "68040", "01032", "01033", "01030"]);
    const ligne = html.slice(html.indexOf('href="/conservateurs/communes/01030"'), html.indexOf("</tr>", html.indexOf("01030")));
    expect(ligne).toContain("Oyonnax (01030)");
    expect(ligne).toContain("<td>01 - Ain</td>");
    expect(ligne).toContain("<td>3</td><td>2</td>");
    expect(ligne).toContain('fr-badge--info">Déplacement souhaitable');
    expect(ligne).toContain("<td>14/03/2025</td><td>Jeanne Martin</td>");
    expect(html).toMatch(/fr-badge--warning">Déplacement prioritaire/);
    expect(html).toContain("Luc Bernard");
    expect(html).not.toContain("Chalamont");
    expect(html).not.toContain("Bâgé");
    expect(html).not.toContain("Paris (75056)");
    expect(html).toContain('href="/conservateurs/visites.csv?tri=deplacement&amp;ordre=desc"');
  });

  it("sorts on every column, with aria-sort on the sorted header", async () => {
    const parNom = (await browser.get("/conservateurs/visites?tri=commune&ordre=asc")).body;
    const ordre = communesDansLOrdre(parNom).filter((code) => code !== "01032");
    expect(ordre).toEqual(["01031", "68040", "01033", "01030"]);
    expect(parNom).toMatch(/<th scope="col" aria-sort="ascending"><div class="fr-cell--sort"><span class="fr-cell__title">Commune</);
    // The header link flips the order.
    expect(parNom).toContain('href="/conservateurs/visites?tri=commune&amp;ordre=desc"');

    const parObjets = (await browser.get("/conservateurs/visites?tri=objets&ordre=desc")).body;
    expect(communesDansLOrdre(parObjets).slice(0, 3)).toEqual(["68040", "01031", "01030"]);
    const parPrioritaires = (await browser.get("/conservateurs/visites?tri=prioritaires&ordre=desc")).body;
    expect(communesDansLOrdre(parPrioritaires)[0]).toBe("01030");
    const parDepartement = (await browser.get("/conservateurs/visites?tri=departement&ordre=desc")).body;
    expect(communesDansLOrdre(parDepartement)[0]).toBe("68040");
    const souhaitablesDabord = (await browser.get("/conservateurs/visites?tri=deplacement&ordre=asc")).body;
    expect(communesDansLOrdre(souhaitablesDabord).slice(-2)).toEqual(["01031", "68040"]);
    const parConservateur = (await browser.get("/conservateurs/visites?tri=par&ordre=desc")).body;
    expect(communesDansLOrdre(parConservateur)[0]).toBe("68040");

    expect((await browser.get("/conservateurs/visites?tri=nom;drop")).statusCode).toBe(400);
    expect((await browser.get("/conservateurs/visites?ordre=sideways")).statusCode).toBe(400);
  });

  it("exports the same list as a CSV file for spreadsheets, guarded against formulas", async () => {
    const response = await browser.get("/conservateurs/visites.csv");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(response.headers["content-disposition"]).toBe('attachment; filename="deplacements-prevus.csv"');
    const body = response.rawPayload.toString("utf8");
    expect(body.startsWith("\ufeff")).toBe(true);
    const rows = parse(body.slice(1), { delimiter: ";" });
    expect(rows[0]).toEqual([
      "Commune",
      "Code INSEE",
      "Département",
      "Nombre d’objets",
      "Objets prioritaires",
      "Déplacement",
      "Examen envoyé le",
      "Par",
    ]);
    expect(rows.slice(1).map((row) => row[1])).toEqual(["01031", "68040", "01032", "01033", "01030"]);
    expect(rows[5]).toEqual(["Oyonnax", "01030", "01 - Ain", "3", "2", "Déplacement souhaitable", "14/03/2025", "Jeanne Martin"]);
    expect(rows[2]![0]).toBe("Éguisheim");
    expect(rows[2]![2]).toBe("68 - Haut-Rhin");
    expect(rows[3]![0]).toBe(`'=CMD("calc")`);
    expect(rows[4]![0]).toBe('Le Poizat; "Lalleyriat"');
    // Raw text: the separator and the quotes inside a cell are quoted, the formula starts with an apostrophe.
    expect(body).toContain(`"'=CMD(""calc"")"`);
    expect(body).toContain(`"Le Poizat; ""Lalleyriat"""`);

    const parNom = parse((await browser.get("/conservateurs/visites.csv?tri=commune&ordre=desc")).rawPayload.toString("utf8").slice(1), {
      delimiter: ";",
    });
    expect(parNom[1]![1]).toBe("01030");
  });

  it("guards every cell a spreadsheet would read as a formula", () => {
    expect(celluleSure("=1+1")).toBe("'=1+1");
    expect(celluleSure("+33 1 23")).toBe("'+33 1 23");
    expect(celluleSure("-2")).toBe("'-2");
    expect(celluleSure("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(celluleSure("Saint-Étienne")).toBe("Saint-Étienne");
  });

  it("says so when no visit is planned, without export link", async () => {
    const seul = await insertConservateur(database, { departement_codes: ["02"] });
    const autre = new Browser(app, `198.51.100.${++ip}`).withSession({ account: { type: "conservateur", id: seul.id } });
    const html = (await autre.get("/conservateurs/visites")).body;
    expect(html).toContain("Aucune visite prévue");
    expect(html).not.toContain("visites.csv");
    const csv = await autre.get("/conservateurs/visites.csv");
    expect(csv.rawPayload.toString("utf8").trim().split("\r\n")).toHaveLength(1);
  });

  it("is for conservateurs only", async () => {
    const paris = await database.db.selectFrom("communes").select("id").where("code_insee", "=", "75056").executeTakeFirstOrThrow();
    const user = await insertCommuneUser(database, paris.id);
    const mairie = new Browser(app, `198.51.100.${++ip}`).withSession({ account: { type: "commune", id: user.id } });
    expect((await mairie.get("/conservateurs/visites")).statusCode).toBe(403);
    expect((await mairie.get("/conservateurs/visites.csv")).statusCode).toBe(403);
    const anonyme = await new Browser(app, `198.51.100.${++ip}`).get("/conservateurs/visites.csv");
    expect(anonyme.statusCode).toBe(303);
  });
});
