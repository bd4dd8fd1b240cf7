import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertDossier, insertEdifice, insertObjet, insertRecensement } from "../../test/factories.ts";
import { Browser, insertCommuneUser } from "../../test/factories-comptes.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { ANCRES, CONSEILS_PAR_TYPE, SECTIONS, sommaire } from "./contenus.ts";

/** The text of the page's <main>, tags removed, entities of the apostrophe and spaces decoded. */
function texteDe(html: string): string {
  return html
    .slice(html.indexOf("<main"), html.indexOf("</main>"))
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;|\u00a0/g, " ")
    .replace(/\s+/g, " ");
}

describe("guide de recensement", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let userId: number;
  const objets: Record<string, number> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    const commune = await insertCommune(database, { code_insee: "56212", nom: "Plumergat", objets_count: 4 });
    userId = (await insertCommuneUser(database, commune.id, { email: "mairie@plumergat.example.test" })).id;
    const eglise = await insertEdifice(database, { code_insee: "56212", nom: "Église Saint-Thuriau" });
    const dossier = await insertDossier(database, { commune_id: commune.id });
    const modeles = {
      tableau: { palissy_deno: "tableau", palissy_cate: "peinture", palissy_tico: "Tableau : la Pentecôte" },
      cloche: { palissy_deno: "cloche", palissy_cate: "fonderie", palissy_tico: "Cloche" },
      peril: { palissy_deno: "statue", palissy_cate: "sculpture", palissy_tico: "Statue de saint Thuriau" },
      absent: { palissy_deno: "calice", palissy_cate: "orfèvrerie", palissy_tico: "Calice" },
    };
    for (const [nom, champs] of Object.entries(modeles)) {
      objets[nom] = (await insertObjet(database, { lieu_actuel_code_insee: "56212", edifice_id: eglise.id, ...champs })).id;
    }
    const brouillon = { dossier_id: dossier.id, status: "draft" as const, etat_sanitaire: null, securisation: null };
    await insertRecensement(database, { ...brouillon, objet_id: objets.tableau! });
    await insertRecensement(database, { ...brouillon, objet_id: objets.cloche! });
    await insertRecensement(database, { ...brouillon, objet_id: objets.peril!, etat_sanitaire: "peril", securisation: "en_securite" });
    await insertRecensement(database, { ...brouillon, objet_id: objets.absent!, localisation: "absent", recensable: null });
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  const etape = (nom: string, n: number) => `/communes/56212/objets/${objets[nom]}/recensement/etapes/${n}`;
  const commune = () => new Browser(app).withSession({ account: { type: "commune", id: userId } });

  it("publishes the guide page with a table of contents and every section at its anchor", async () => {
    const response = await app.inject("/guide-de-recensement");
    expect(response.statusCode).toBe(200);
    const html = response.body;
    expect(html).toContain('class="fr-summary');
    for (const { id, titre } of sommaire()) {
      expect(html).toContain(`id="${id}"`);
      expect(texteDe(html)).toContain(titre.replace(/\u00a0/g, " "));
    }
    for (const section of SECTIONS) expect(html).toContain(`href="#${section.id}"`);
    for (const ancre of Object.values(ANCRES)) expect(html).toContain(`id="${ancre}"`);
    expect(html).toContain('href="/guide-de-recensement.pdf"');
    expect(html).toContain('href="/fiches/depot_plainte"');
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
  });

  it("serves the guide as a real PDF: several pages, headings and accented text readable", async () => {
    const response = await app.inject("/guide-de-recensement.pdf");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("application/pdf");
    expect(response.headers["content-disposition"]).toBe('inline; filename="guide-de-recensement.pdf"');
    const pdf = response.rawPayload;
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "co-guide-"));
    try {
      const file = path.join(dir, "guide.pdf");
      fs.writeFileSync(file, pdf);
      const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
      expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBeGreaterThan(1);
      const texte = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
      for (const { titre } of sommaire()) expect(texte).toContain(titre.replace(/\u00a0/g, " "));
      expect(texte).toContain("Métal et orfèvrerie (calices, croix)");
      expect(texte).toContain("Vêtements".toLowerCase());
      expect(texte).toContain("Dépôt de plainte");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }

    // Generated once: the second answer is the same document.
    const again = await app.inject("/guide-de-recensement.pdf");
    expect(again.rawPayload.equals(pdf)).toBe(true);
  });

  it("redirects /pdf to the guide page", async () => {
    const response = await app.inject("/pdf");
    expect(response.statusCode).toBe(301);
    expect(response.headers.location).toBe("/guide-de-recensement");
  });

  it("links the guide from the home page, the site plan and « Comment ça marche »", async () => {
    for (const url of ["/", "/plan", "/comment-ca-marche"]) {
      expect((await app.inject(url)).body, url).toContain('href="/guide-de-recensement"');
    }
  });

  it("shows the painting hints first on the état step of a tableau, with a help for each level and links to the guide", async () => {
    const response = await commune().get(etape("tableau", 5));
    expect(response.statusCode).toBe(200);
    const html = response.body;
    expect(html).toContain("<details");
    expect(html).toContain('data-type-objet="peinture"');
    const aide = html.slice(html.indexOf("<details"), html.indexOf("</details>"));
    expect(aide).toContain(CONSEILS_PAR_TYPE.peinture.titre);
    expect(aide).toContain("Le vernis");
    // The other types are only links, after this one.
    expect(aide.indexOf(CONSEILS_PAR_TYPE.peinture.titre)).toBeLessThan(aide.indexOf(CONSEILS_PAR_TYPE.sculpture.titre));
    expect(aide).toContain('href="/guide-de-recensement#etat-sculpture"');
    expect(aide).not.toContain(CONSEILS_PAR_TYPE.sculpture.aRegarder[0]);
    expect(texteDe(html)).toContain("Aucun dégât visible. L’objet est complet, propre et stable.");
    expect(html).toContain('href="/guide-de-recensement#securite"');
    // Same form as before: the two questions and their answers.
    expect(html.match(/name="etat_sanitaire"/g)).toHaveLength(4);
    expect(html.match(/name="securisation"/g)).toHaveLength(2);
  });

  it("shows the bell hints for a cloche", async () => {
    const html = (await commune().get(etape("cloche", 5))).body;
    expect(html).toContain('data-type-objet="cloche"');
    expect(html).toContain("Ne montez pas dans le clocher");
  });

  it("links the guide when the commune says it cannot find the objet, before it confirms", async () => {
    const b = commune();
    await b.get(etape("cloche", 1));
    const confirmation = await b.post(etape("cloche", 1), { localisation: "absent" });
    expect(confirmation.statusCode).toBe(200);
    expect(confirmation.body).toContain("Je confirme ne pas trouver l’objet");
    expect(confirmation.body).toContain('href="/guide-de-recensement#objet-disparu"');
    const step3 = (await b.get(etape("cloche", 3))).body;
    expect(step3).toContain('href="/guide-de-recensement#preparer"');
  });

  it("shows the photo tips on the photo step", async () => {
    const html = (await commune().get(etape("tableau", 4))).body;
    expect(texteDe(html)).toContain("Conseils pour des photos utiles");
    expect(html).toContain("Pas de flash sur les tableaux");
    expect(html).toContain('href="/guide-de-recensement#photos"');
  });

  it("tells what to do right away for an objet en péril or missing, on the next steps", async () => {
    const peril = (await commune().get(etape("peril", 6))).body;
    expect(texteDe(peril)).toContain("Objet en péril : que faire tout de suite ?");
    expect(peril).toContain("Ne réparez rien vous-même");
    expect(peril).toContain('href="/guide-de-recensement#objet-en-peril"');
    const recap = (await commune().get(etape("peril", 7))).body;
    expect(texteDe(recap)).toContain("Objet en péril : que faire tout de suite ?");

    const absent = (await commune().get(etape("absent", 6))).body;
    expect(texteDe(absent)).toContain("Objet introuvable : que faire tout de suite ?");
    expect(absent).toContain('href="/fiches/depot_plainte"');
    expect(absent).toContain('href="/guide-de-recensement#objet-disparu"');

    const normal = (await commune().get(etape("tableau", 6))).body;
    expect(normal).not.toContain("que faire tout de suite");
  });
});
