import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import JSZip from "jszip";
import { sql } from "kysely";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { createContext, type AppContext } from "../context.ts";
import { processAndStorePhoto, variantKey } from "../platform/images/stored.ts";
import { LocalFileStore } from "../platform/storage/local.ts";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertConservateur, insertDossier, insertEdifice, insertObjet, insertRecensement } from "../../test/factories.ts";
import { auditActions, Browser, insertAdmin } from "../../test/factories-comptes.ts";
import { startJobs } from "../platform/jobs/boss.ts";
import { exportsJobs } from "./jobs.ts";
import { genererExportMemoire, JOB_EXPORT_MEMOIRE } from "./memoire.ts";
import { COLONNES_DEPLACES, COLONNES_MANQUANTS, COLONNES_MEMOIRE, MEMOIRE_COPY, MEMOIRE_OBS } from "./rules.ts";
import { COLONNES_XLSX, ecrireRecensementsXlsx } from "./xlsx.ts";

const BASE = "/conservateurs/departements/01/exports";
const ADMIN_BASE = "/admin/departements/01/exports";

function binaire(response: LightMyRequestResponse): Buffer {
  return response.rawPayload;
}

function lireCsv(text: string, options: { delimiter?: string; bom?: boolean } = {}): string[][] {
  return parse(text, options);
}

describe("exports for the national databases", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let ctx: AppContext;
  let filesDir = "";
  let conservateur: Browser;
  let autre: Browser;
  let admin: Browser;
  let ip = 0;
  const photos: Record<string, number> = {};
  let n = 0;

  async function photo(recensementId: number): Promise<number> {
    const jpeg = await sharp({ create: { width: 40 + (n % 7), height: 30, channels: 3, background: "#a86" } })
      .jpeg()
      .toBuffer();
    const key = `photos/export-${++n}`;
    const stored = await processAndStorePhoto(ctx.files, key, jpeg);
    const row = await database.db
      .insertInto("photos")
      .values({
        recensement_id: recensementId,
        uploaded_by: "commune",
        storage_key: key,
        content_type: "image/jpeg",
        byte_size: jpeg.length,
        width: stored.width,
        height: stored.height,
        sha256: stored.sha256,
        original_filename: `IMG_${n}.jpg`,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await database.db
      .updateTable("recensements")
      .set({ photos_count: sql`photos_count + 1` })
      .where("id", "=", recensementId)
      .execute();
    return row.id;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), "exports-files-"));
    const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" });
    ctx = createContext({ config, database, files: new LocalFileStore(filesDir) });
    app = await buildApp(ctx);
    const c01 = await insertConservateur(database, { departement_codes: ["01"] });
    const c68 = await insertConservateur(database, { departement_codes: ["68"] });
    const adminRow = await insertAdmin(database);
    conservateur = new Browser(app, `198.51.100.${++ip}`).withSession({ account: { type: "conservateur", id: c01.id } });
    autre = new Browser(app, `198.51.100.${++ip}`).withSession({ account: { type: "conservateur", id: c68.id } });
    admin = new Browser(app, `198.51.100.${++ip}`).withSession({ account: { type: "admin", id: adminRow.id } });

    // Bourg-en-Bresse: examen sent in March 2026 (newest).
    const bourg = await insertCommune(database, { code_insee: "01053", nom: "Bourg-en-Bresse" });
    await insertCommune(database, { code_insee: "01004", nom: "Ambérieu-en-Bugey" });
    const eglise = await insertEdifice(database, { code_insee: "01053", nom: "église Notre-Dame" });
    const dossierBourg = await insertDossier(database, {
      commune_id: bourg.id,
      status: "accepted",
      conservateur_id: c01.id,
      accepted_at: new Date("2026-03-10T10:00:00Z"),
      notes_commune: "Merci pour votre aide",
      notes_conservateur: "Beau travail",
    });
    const objet = async (ref: string, tico: string) =>
      insertObjet(database, { lieu_actuel_code_insee: "01053", edifice: eglise, palissy_ref: ref, palissy_tico: tico });
    const deplaceCommune = await objet("PM01000001", "Tableau : Vierge du Rosaire");
    await insertRecensement(database, {
      objet_id: deplaceCommune.id,
      dossier_id: dossierBourg.id,
      localisation: "deplacement_autre_commune",
      autre_commune_code_insee: "01004",
      edifice_nom: "chapelle Saint-Roch",
    });
    const deplaceEdifice = await objet("PM01000002", "Statue : saint Roch");
    await insertRecensement(database, {
      objet_id: deplaceEdifice.id,
      dossier_id: dossierBourg.id,
      localisation: "autre_edifice",
      edifice_nom: "mairie",
    });
    const manquant = await objet("PM01000003", "Calice");
    await insertRecensement(database, {
      objet_id: manquant.id,
      dossier_id: dossierBourg.id,
      localisation: "absent",
      notes: '=HYPERLINK("http://x")',
      analyse_notes: "Porter plainte",
    });
    const photographie = await objet("PM01000004", "Retable");
    const rPhotos = await insertRecensement(database, {
      objet_id: photographie.id,
      dossier_id: dossierBourg.id,
      etat_sanitaire: "mauvais",
      analyse_etat_sanitaire: "peril",
      analyse_fiches: ["restauration"],
    });
    photos.a = await photo(rPhotos.id);
    photos.b = await photo(rPhotos.id);
    const exclue = await objet("PM01000005", "Chaire à prêcher");
    const rExclue = await insertRecensement(database, { objet_id: exclue.id, dossier_id: dossierBourg.id });
    photos.exclue = await photo(rExclue.id);

    // Oyonnax: examen sent in 2025 (older), one missing objet.
    const oyonnax = await insertCommune(database, { code_insee: "01283", nom: "Oyonnax" });
    const dossierOyonnax = await insertDossier(database, {
      commune_id: oyonnax.id,
      status: "accepted",
      accepted_at: new Date("2025-05-02T10:00:00Z"),
    });
    const o2 = await insertObjet(database, { lieu_actuel_code_insee: "01283", palissy_ref: "PM01000010" });
    await insertRecensement(database, { objet_id: o2.id, dossier_id: dossierOyonnax.id, localisation: "absent" });

    // Not exported: a dossier still awaiting its examen (its photo, its absent objet), a draft, another département.
    const belley = await insertCommune(database, { code_insee: "01034", nom: "Belley" });
    const dossierBelley = await insertDossier(database, { commune_id: belley.id, status: "submitted" });
    const o3 = await insertObjet(database, { lieu_actuel_code_insee: "01034", palissy_ref: "PM01000020" });
    const r3 = await insertRecensement(database, { objet_id: o3.id, dossier_id: dossierBelley.id, localisation: "absent" });
    void r3;
    const o4 = await insertObjet(database, { lieu_actuel_code_insee: "01034", palissy_ref: "PM01000021" });
    const r4 = await insertRecensement(database, { objet_id: o4.id, dossier_id: dossierBelley.id, status: "draft", localisation: null });
    photos.nonExaminee = await photo(r4.id);
    const colmar = await insertCommune(database, { code_insee: "68066", nom: "Colmar" });
    const dossierColmar = await insertDossier(database, { commune_id: colmar.id, status: "accepted" });
    const o5 = await insertObjet(database, { lieu_actuel_code_insee: "68066", palissy_ref: "PM68000001" });
    const r5 = await insertRecensement(database, { objet_id: o5.id, dossier_id: dossierColmar.id, localisation: "absent" });
    void r5;
    const o6 = await insertObjet(database, { lieu_actuel_code_insee: "68066", palissy_ref: "PM68000002" });
    const r6 = await insertRecensement(database, { objet_id: o6.id, dossier_id: dossierColmar.id });
    photos.colmar = await photo(r6.id);

    await conservateur.get(`${BASE}/memoire`);
    await admin.get(`${ADMIN_BASE}/memoire`);
    await autre.get("/conservateurs/departements/68/exports/memoire");
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  it("shows the exports page to the département's conservateurs (with an Exports tab) and to admins, not to others", async () => {
    const page = await conservateur.get(BASE);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`href="${BASE}/deplaces.csv"`);
    expect(page.body).toContain(`href="${BASE}/recensements.xlsx"`);
    expect(page.body).toMatch(/aria-current="page">\s*Exports/);
    // 2 moved, 2 missing, 7 active recensements, 3 exportable photos.
    expect(page.body).toMatch(/<td>2<\/td>\s*<td><a[^>]*deplaces\.csv/);
    expect(page.body).toContain("3 photos à exporter");
    expect((await admin.get(ADMIN_BASE)).statusCode).toBe(200);
    expect((await autre.get(BASE)).statusCode).toBe(403);
    expect((await autre.get(`${BASE}/deplaces.csv`)).statusCode).toBe(403);
    expect((await autre.get(`${BASE}/recensements.xlsx`)).statusCode).toBe(403);
    expect((await admin.get(BASE)).statusCode).toBe(403);
    expect((await admin.get("/admin/departements/00/exports")).statusCode).toBe(404);
  });

  it("exports the moved objets for the MPP: ';'-separated UTF-8 CSV with BOM, exact columns, newest acceptance first", async () => {
    const response = await conservateur.get(`${BASE}/deplaces.csv`);
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(response.headers["content-disposition"]).toMatch(/^attachment; filename="Collectif_Objets_deplaces_\d{8}\.csv"$/);
    expect(binaire(response).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = lireCsv(response.body, { delimiter: ";", bom: true });
    expect(rows[0]).toEqual([...COLONNES_DEPLACES]);
    expect(rows.length).toBe(3);
    const parRef = new Map(rows.slice(1).map((r) => [r[0]!, r]));
    expect(parRef.get("PM01000001")).toEqual([
      "PM01000001",
      "01",
      "01053",
      "Bourg-en-Bresse",
      "église Notre-Dame",
      "01",
      "01004",
      "Ambérieu-en-Bugey",
      "chapelle Saint-Roch",
      "Auvergne-Rhône-Alpes",
      "10/03/2026",
      "Lieu de déplacement : Auvergne-Rhône-Alpes ; Ain ; Ambérieu-en-Bugey ; chapelle Saint-Roch (Collectif Objets 2026)",
      "http://localhost:3000/conservateurs/communes/01053/examen",
    ]);
    expect(parRef.get("PM01000002")!.slice(5, 9)).toEqual(["01", "01053", "Bourg-en-Bresse", "mairie"]);
    // The same file for admins.
    const adminCsv = await admin.get(`${ADMIN_BASE}/deplaces.csv`);
    expect(lireCsv(adminCsv.body, { delimiter: ";", bom: true })).toEqual(rows);
  });

  it("exports the missing objets for the MPP, newest acceptance first, formulas neutralised", async () => {
    const response = await conservateur.get(`${BASE}/manquants.csv`);
    expect(response.headers["content-disposition"]).toMatch(/filename="Collectif_Objets_manquants_\d{8}\.csv"/);
    const rows = lireCsv(response.body, { delimiter: ";", bom: true });
    expect(rows[0]).toEqual([...COLONNES_MANQUANTS]);
    expect(rows.slice(1).map((r) => r[0])).toEqual(["PM01000003", "PM01000010"]);
    expect(rows[1]).toEqual([
      "PM01000003",
      "01",
      "01053",
      "Merci pour votre aide",
      "Beau travail",
      `'=HYPERLINK("http://x")`,
      "Porter plainte",
      "10/03/2026",
      "Manquant",
      "Œuvre déclarée manquante au moment du recensement Collectif Objets en 2026",
      "http://localhost:3000/conservateurs/communes/01053/examen",
    ]);
    expect(rows[2]![7]).toBe("02/05/2025");
    const apercu = await conservateur.get(`${BASE}/manquants`);
    expect(apercu.statusCode).toBe(200);
    expect(apercu.body).toContain("PM01000003");
    expect(apercu.body).not.toContain("PM01000020");
    expect((await conservateur.get(`${BASE}/manquants?page=abc`)).statusCode).toBe(400);
  });

  it("exports the recensements as an XLSX: frozen bold header, one row per active recensement of the département", async () => {
    const response = await conservateur.get(`${BASE}/recensements.xlsx`);
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-disposition"]).toMatch(/filename="Collectif_Objets_recensements_01_\d{8}\.xlsx"/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(binaire(response) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    const header = sheet.getRow(1);
    expect((header.values as unknown[]).slice(1)).toEqual(COLONNES_XLSX);
    expect(header.font?.bold).toBe(true);
    expect(sheet.getColumn(2).width).toBe(40);
    const rows: Record<string, unknown>[] = [];
    sheet.eachRow((row, i) => {
      if (i === 1) return;
      rows.push(Object.fromEntries(COLONNES_XLSX.map((c, j) => [c, row.getCell(j + 1).value])));
    });
    // Belley (2: a completed absent objet and a draft) then Bourg-en-Bresse (5) then Oyonnax (1); not Colmar.
    expect(rows.map((r) => r["Commune"])).toEqual([
      ...Array<string>(2).fill("Belley"),
      ...Array<string>(5).fill("Bourg-en-Bresse"),
      "Oyonnax",
    ]);
    const retable = rows.find((r) => r["Référence Palissy"] === "PM01000004")!;
    expect(retable).toMatchObject({
      Titre: "Retable",
      "Code INSEE": "01053",
      Édifice: "église Notre-Dame",
      "Statut du recensement": "Complet",
      "État sanitaire (commune)": "Mauvais état",
      "État sanitaire (conservateur)": "En péril",
      Photos: 2,
      "Fiches conseil": "Restauration",
      "Statut du dossier": "Examiné",
      "Examen envoyé le": "10/03/2026",
      "Lien vers l’objet": "http://localhost:3000/objets/PM01000004",
      "Lien vers la commune": "http://localhost:3000/conservateurs/communes/01053",
    });
    expect(rows.find((r) => r["Référence Palissy"] === "PM01000021")!["Statut du recensement"]).toBe("Brouillon");
  });

  it("streams a large département's XLSX in keyset batches, never in one query", async () => {
    const gex = await insertCommune(database, { code_insee: "01173", nom: "Gex" });
    const dossier = await insertDossier(database, { commune_id: gex.id, status: "submitted" });
    await sql`insert into objets (palissy_ref, palissy_tico, lieu_actuel_code_insee, lieu_actuel_departement_code)
      select 'PM01' || lpad((500000 + i)::text, 6, '0'), 'Objet ' || i, '01173', '01' from generate_series(1, 3000) i`.execute(database.db);
    await sql`insert into recensements (objet_id, dossier_id, status, localisation, recensable, etat_sanitaire, securisation)
      select id, ${dossier.id}, 'completed', 'edifice_initial', true, 'bon', 'en_securite' from objets where lieu_actuel_code_insee = '01173'`.execute(
      database.db,
    );
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (chunk: Buffer) => chunks.push(chunk));
    const resultat = await ecrireRecensementsXlsx(database.db, "01", out, { publicUrl: "http://x", lot: 500 });
    expect(resultat).toEqual({ lignes: 3008, lots: 7 });
    const response = await admin.get(`${ADMIN_BASE}/recensements.xlsx`);
    expect(response.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(binaire(response) as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]!.actualRowCount).toBe(3009);
    await sql`delete from recensements where dossier_id = ${dossier.id}`.execute(database.db);
  });

  it("refuses empty or unconfirmed Mémoire actions and changes nothing", async () => {
    const avant = await auditActions(database);
    expect((await conservateur.post(`${BASE}/memoire`)).statusCode).toBe(400);
    expect((await conservateur.post(`${BASE}/memoire/photos/${photos.exclue}/exclure`)).statusCode).toBe(400);
    expect((await conservateur.post(`${BASE}/memoire/photos/999999/exclure`, { confirmer: "oui" })).statusCode).toBe(404);
    // Another département's photo, through this département's URL.
    expect((await conservateur.post(`${BASE}/memoire/photos/${photos.colmar}/exclure`, { confirmer: "oui" })).statusCode).toBe(404);
    expect((await autre.post(`${BASE}/memoire`, { confirmer: "oui" })).statusCode).toBe(403);
    expect(await database.db.selectFrom("pop_exports").select("id").execute()).toEqual([]);
    expect(await auditActions(database)).toEqual(avant);
    const exportables = await database.db.selectFrom("photos").select("id").where("exportable", "=", false).execute();
    expect(exportables).toEqual([]);
  });

  let premierExport = 0;
  let numeros: Record<number, string> = {};

  it("excludes a photo, creates an export of the other accepted photos and generates its CSV and ZIP", async () => {
    const exclusion = await conservateur.post(`${BASE}/memoire/photos/${photos.exclue}/exclure`, { confirmer: "oui" });
    expect(exclusion.statusCode).toBe(303);
    expect(await auditActions(database)).toContain("export_memoire.photo_exclue");
    const page = await conservateur.get(`${BASE}/memoire`);
    expect(page.body).toContain("2 photos à exporter");
    expect(page.body).toContain("1 photo exclue");

    const creation = await conservateur.post(`${BASE}/memoire`, { confirmer: "oui" });
    expect(creation.statusCode).toBe(303);
    premierExport = Number(/\/memoire\/(\d+)$/.exec(String(creation.headers.location))![1]);
    const pendant = await conservateur.get(`${BASE}/memoire/${premierExport}`);
    expect(pendant.body).toContain("en cours de génération");
    expect((await conservateur.get(`${BASE}/memoire/${premierExport}/zip`)).statusCode).toBe(409);

    expect(await genererExportMemoire(ctx, premierExport)).toBe("genere");
    expect(await genererExportMemoire(ctx, premierExport)).toBe("ignore");
    const pret = await conservateur.get(`${BASE}/memoire/${premierExport}`);
    expect(pret.body).toContain(`href="${BASE}/memoire/${premierExport}/csv"`);

    const csv = await conservateur.get(`${BASE}/memoire/${premierExport}/csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-disposition"]).toMatch(/filename="export_memoire_01_\d{4}_\d{2}_\d{2}-\d{2}h\d{2}\.csv"/);
    // Every field quoted.
    expect(csv.body.split("\r\n")[0]).toBe(COLONNES_MEMOIRE.map((c) => `"${c}"`).join(","));
    const rows = lireCsv(csv.body);
    expect(rows[0]).toEqual([...COLONNES_MEMOIRE]);
    expect(rows.length).toBe(3);
    const annee = new Date().getFullYear();
    for (const row of rows.slice(1)) {
      const ligne = Object.fromEntries(COLONNES_MEMOIRE.map((c, i) => [c, row[i]]));
      expect(ligne.NUMP).toMatch(new RegExp(`^${annee}001\\d{6}$`));
      expect(ligne).toMatchObject({
        LBASE: "PM01000004",
        REF: `MHCO001_${ligne.NUMP}`,
        REFIMG: `MHCO001_${ligne.NUMP}.jpg`,
        DATPV: String(annee),
        COULEUR: "Oui",
        OBS: MEMOIRE_OBS,
        COM: "Bourg-en-Bresse",
        DOM: "objet",
        EDIF: "église Notre-Dame",
        COPY: MEMOIRE_COPY,
        TYPDOC: "Image numérique native",
        IDPROD: "MHCO008",
        LIEUCOR: "Collectif Objets",
        LEG: "Retable",
        TECHOR: "sculpture",
        SCLE: "17e siècle",
        INSEE: "01053",
      });
    }
    expect(rows.slice(1).map((r) => r[3])).toEqual([`${annee}001000001`, `${annee}001000002`]);

    const zip = await conservateur.get(`${BASE}/memoire/${premierExport}/zip`);
    expect(zip.statusCode).toBe(200);
    expect(zip.headers["content-type"]).toBe("application/zip");
    const archive = await JSZip.loadAsync(binaire(zip));
    const noms = Object.keys(archive.files).sort();
    expect(noms).toEqual(
      rows
        .slice(1)
        .map((r) => r[2])
        .sort(),
    );
    const image = await archive.file(noms[0]!)!.async("nodebuffer");
    expect((await sharp(image).metadata()).format).toBe("jpeg");

    const liees = await database.db.selectFrom("photos").select("id").where("pop_export_id", "=", premierExport).orderBy("id").execute();
    expect(liees.map((p) => p.id)).toEqual([photos.a, photos.b]);
    numeros = Object.fromEntries(
      (await database.db.selectFrom("memoire_numeros").select(["photo_id", "numero", "annee"]).execute()).map((m) => [
        m.photo_id,
        `${m.annee}-${m.numero}`,
      ]),
    );
    // Nothing left to export.
    expect((await conservateur.post(`${BASE}/memoire`, { confirmer: "oui" })).statusCode).toBe(409);
  });

  it("keeps an export to its département: another département's URL, an unknown id or a bad id is a 404", async () => {
    expect((await autre.get(`/conservateurs/departements/68/exports/memoire/${premierExport}`)).statusCode).toBe(404);
    expect((await autre.get(`/conservateurs/departements/68/exports/memoire/${premierExport}/zip`)).statusCode).toBe(404);
    expect(
      (await autre.post(`/conservateurs/departements/68/exports/memoire/${premierExport}/supprimer`, { confirmer: "oui" })).statusCode,
    ).toBe(404);
    expect((await autre.get(`${BASE}/memoire/${premierExport}`)).statusCode).toBe(403);
    expect((await admin.get(`/admin/departements/68/exports/memoire/${premierExport}`)).statusCode).toBe(404);
    expect((await admin.get(`${ADMIN_BASE}/memoire/${premierExport}`)).statusCode).toBe(200);
    expect((await conservateur.get(`${BASE}/memoire/999999`)).statusCode).toBe(404);
    expect((await conservateur.get(`${BASE}/memoire/abc/csv`)).statusCode).toBe(404);
    // Empty POST: nothing deleted.
    expect((await conservateur.post(`${BASE}/memoire/${premierExport}/supprimer`)).statusCode).toBe(400);
    expect(await database.db.selectFrom("pop_exports").select("id").where("id", "=", premierExport).executeTakeFirst()).toBeDefined();
  });

  it("gives each photo its number once: deleting and redoing an export keeps the numbers, a new photo takes the next one", async () => {
    const suppression = await admin.post(`${ADMIN_BASE}/memoire/${premierExport}/supprimer`, { confirmer: "oui" });
    expect(suppression.statusCode).toBe(303);
    expect(await database.db.selectFrom("pop_exports").select("id").execute()).toEqual([]);
    expect(fs.existsSync(path.join(filesDir, "exports", "memoire", String(premierExport)))).toBe(false);
    expect(await auditActions(database)).toContain("export_memoire.suppression");

    // The excluded photo comes back, and a new photo arrives.
    expect((await conservateur.post(`${BASE}/memoire/photos/${photos.exclue}/reintegrer`, { confirmer: "oui" })).statusCode).toBe(303);
    const recensement = await database.db
      .selectFrom("photos")
      .select("recensement_id")
      .where("id", "=", photos.a!)
      .executeTakeFirstOrThrow();
    const nouvelle = await photo(recensement.recensement_id);

    const creation = await admin.post(`${ADMIN_BASE}/memoire`, { confirmer: "oui" });
    expect(creation.statusCode).toBe(303);
    const second = Number(/\/memoire\/(\d+)$/.exec(String(creation.headers.location))![1]);
    expect(String(creation.headers.location)).toBe(`${ADMIN_BASE}/memoire/${second}`);
    await genererExportMemoire(ctx, second);
    const m = Object.fromEntries(
      (await database.db.selectFrom("memoire_numeros").select(["photo_id", "numero", "annee"]).execute()).map((r) => [
        r.photo_id,
        `${r.annee}-${r.numero}`,
      ]),
    );
    expect(m[photos.a!]).toBe(numeros[photos.a!]);
    expect(m[photos.b!]).toBe(numeros[photos.b!]);
    expect(
      Object.values(m)
        .map((v) => Number(v.split("-")[1]))
        .sort(),
    ).toEqual([1, 2, 3, 4]);
    expect(m[nouvelle]).toBeDefined();
    const photosColmar = await database.db.selectFrom("memoire_numeros").select("photo_id").where("departement_code", "=", "68").execute();
    expect(photosColmar).toEqual([]);

    const zip = await conservateur.get(`${BASE}/memoire/${second}/zip`);
    const archive = await JSZip.loadAsync(binaire(zip));
    expect(Object.keys(archive.files).length).toBe(4);
    const rows = lireCsv((await conservateur.get(`${BASE}/memoire/${second}/csv`)).body);
    expect(
      rows
        .slice(1)
        .map((r) => r[2])
        .sort(),
    ).toEqual(Object.keys(archive.files).sort());
    // The photo of the dossier awaiting its examen is not in it.
    const nonExaminee = await database.db
      .selectFrom("photos")
      .select("pop_export_id")
      .where("id", "=", photos.nonExaminee!)
      .executeTakeFirstOrThrow();
    expect(nonExaminee.pop_export_id).toBeNull();
  });

  it("excludes a photo from the next export only: the zip of an export leaves excluded photos out", async () => {
    const annee = new Date().getFullYear();
    await database.db.deleteFrom("pop_exports").execute();
    await database.db.updateTable("photos").set({ pop_export_id: null }).execute();
    expect((await conservateur.post(`${BASE}/memoire/photos/${photos.b}/exclure`, { confirmer: "oui" })).statusCode).toBe(303);
    const creation = await conservateur.post(`${BASE}/memoire`, { confirmer: "oui" });
    const id = Number(/\/memoire\/(\d+)$/.exec(String(creation.headers.location))![1]);
    await genererExportMemoire(ctx, id);
    const archive = await JSZip.loadAsync(binaire(await conservateur.get(`${BASE}/memoire/${id}/zip`)));
    const noms = Object.keys(archive.files);
    expect(noms.length).toBe(3);
    const numeroB = Number(numeros[photos.b!]!.split("-")[1]);
    expect(noms).not.toContain(`MHCO001_${annee}001${String(numeroB).padStart(6, "0")}.jpg`);
  });

  it("enqueues the generation in the creating transaction when the job queue exists, and the job produces the files", async () => {
    const jobs = await startJobs(database, exportsJobs(ctx), { work: false });
    try {
      await database.db.deleteFrom("pop_exports").execute();
      const creation = await conservateur.post(`${BASE}/memoire`, { confirmer: "oui" });
      expect(creation.statusCode).toBe(303);
      const id = Number(/\/memoire\/(\d+)$/.exec(String(creation.headers.location))![1]);
      const { rows } = await sql<{ data: { exportId: number } }>`select data from pgboss.job where name = ${JOB_EXPORT_MEMOIRE}`.execute(
        database.db,
      );
      expect(rows.map((r) => r.data)).toEqual([{ exportId: id }]);
      const definition = exportsJobs(ctx).find((d) => d.name === JOB_EXPORT_MEMOIRE)!;
      await definition.handler({ exportId: id });
      const row = await database.db
        .selectFrom("pop_exports")
        .select(["status", "photos_count"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: "ready", photos_count: 3 });
    } finally {
      await jobs.stop();
    }
  });

  it("marks the export failed and keeps no partial file when a photo's original is missing", async () => {
    await database.db.deleteFrom("pop_exports").execute();
    const cle = await database.db.selectFrom("photos").select("storage_key").where("id", "=", photos.a!).executeTakeFirstOrThrow();
    await ctx.files.delete(variantKey(cle.storage_key, "original"));
    const creation = await conservateur.post(`${BASE}/memoire`, { confirmer: "oui" });
    const id = Number(/\/memoire\/(\d+)$/.exec(String(creation.headers.location))![1]);
    await expect(genererExportMemoire(ctx, id)).rejects.toThrow(/original missing/);
    const row = await database.db
      .selectFrom("pop_exports")
      .select(["status", "csv_key", "zip_key"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "failed", csv_key: null, zip_key: null });
    const dossier = path.join(filesDir, "exports", "memoire", String(id));
    expect(fs.existsSync(dossier) ? fs.readdirSync(dossier) : []).toEqual([]);
    const page = await conservateur.get(`${BASE}/memoire/${id}`);
    expect(page.body).toContain("La génération a échoué");
    expect((await conservateur.get(`${BASE}/memoire/${id}/zip`)).statusCode).toBe(409);
    expect((await conservateur.post(`${BASE}/memoire/${id}/supprimer`, { confirmer: "oui" })).statusCode).toBe(303);
  });
});
