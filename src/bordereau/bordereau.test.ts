import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { createContext, type AppContext } from "../context.ts";
import { processAndStorePhoto } from "../platform/images/stored.ts";
import { LocalFileStore } from "../platform/storage/local.ts";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import {
  insertCommune,
  insertConservateur,
  insertDossier,
  insertEdifice,
  insertObjet,
  insertRecensement,
  type CommuneRow,
  type EdificeRow,
} from "../../test/factories.ts";
import { auditActions, Browser } from "../../test/factories-comptes.ts";
import { bordereauJobs, genererBordereau, JOB_BORDEREAUX_EN_ATTENTE, JOB_GENERATION_BORDEREAU } from "./jobs.ts";
import { MESSAGES } from "./rules.ts";

function hasBinary(name: string): boolean {
  return spawnSync("which", [name]).status === 0;
}

const POPPLER = hasBinary("pdftotext") && hasBinary("pdftoppm");
if (!POPPLER) process.stdout.write("bordereau.test: pdftotext/pdftoppm (poppler-utils) absents : lecture du PDF non vérifiée\n");

describe("bordereaux de récolement", () => {
  let database: TestDatabase;
  let ctx: AppContext;
  let app: FastifyInstance;
  let browser: Browser;
  let filesDir: string;
  let commune: CommuneRow;
  let edifice: EdificeRow;
  let refs: { absent: string; override: string; photo: string };
  let recensementIds: { absent: number; override: number; photo: number };

  beforeAll(async () => {
    database = await createTestDatabase();
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), "bordereau-test-"));
    ctx = createContext({
      config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }),
      database,
      files: new LocalFileStore(filesDir),
    });
    app = await buildApp(ctx);
    const conservateur = await insertConservateur(database, { departement_codes: ["01"] });
    browser = new Browser(app, "192.0.2.77").withSession({ account: { type: "conservateur", id: conservateur.id } });

    commune = await insertCommune(database, { code_insee: "01234", nom: "Saint-Réchâteau" });
    edifice = await insertEdifice(database, { code_insee: "01234", nom: "église Notre-Dame" });
    const dossier = await insertDossier(database, { commune_id: commune.id, status: "accepted", conservateur_id: conservateur.id });
    const absent = await insertObjet(database, {
      lieu_actuel_code_insee: "01234",
      edifice,
      palissy_tico: "Calice en argent",
      palissy_empl: "1",
    });
    const override = await insertObjet(database, {
      lieu_actuel_code_insee: "01234",
      edifice,
      palissy_tico: "Tableau de l’Annonciation",
      palissy_empl: "2",
    });
    const photo = await insertObjet(database, {
      lieu_actuel_code_insee: "01234",
      edifice,
      palissy_tico: "Statue de la Vierge",
      palissy_empl: "3",
    });
    // Not protected: never on a bordereau.
    await insertObjet(database, { lieu_actuel_code_insee: "01234", edifice, palissy_prot: "déclassé", palissy_tico: "Chaire déclassée" });
    refs = { absent: absent.palissy_ref, override: override.palissy_ref, photo: photo.palissy_ref };

    const rAbsent = await insertRecensement(database, {
      objet_id: absent.id,
      dossier_id: dossier.id,
      localisation: "absent",
      analysed_at: new Date(),
    });
    const rOverride = await insertRecensement(database, {
      objet_id: override.id,
      dossier_id: dossier.id,
      etat_sanitaire: "bon",
      analyse_etat_sanitaire: "mauvais",
      securisation: "en_danger",
      analyse_notes: "Toile à faire restaurer",
      notes: "Cadre fendu",
      analysed_at: new Date(),
    });
    const rPhoto = await insertRecensement(database, {
      objet_id: photo.id,
      dossier_id: dossier.id,
      etat_sanitaire: "moyen",
      photos_count: 1,
    });
    recensementIds = { absent: rAbsent.id, override: rOverride.id, photo: rPhoto.id };

    const jpeg = await sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 180, g: 40, b: 40 } } })
      .jpeg()
      .toBuffer();
    const processed = await processAndStorePhoto(ctx.files, "photos/bordereau-test", jpeg);
    await database.db
      .insertInto("photos")
      .values({
        recensement_id: rPhoto.id,
        uploaded_by: "commune",
        storage_key: "photos/bordereau-test",
        content_type: "image/jpeg",
        byte_size: processed.variants.original.data.length,
        width: processed.width,
        height: processed.height,
        sha256: processed.sha256,
      })
      .execute();
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  const tab = "/conservateurs/communes/01234/bordereaux";

  it("before the examen is sent, the tab only explains", async () => {
    const other = await insertCommune(database, { code_insee: "01235" });
    await insertDossier(database, { commune_id: other.id, status: "submitted" });
    const response = await browser.get("/conservateurs/communes/01235/bordereaux");
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(MESSAGES.avantEnvoi);
    expect(response.body).not.toContain("Enregistrer et générer le bordereau");
    expect((await browser.post(`/conservateurs/communes/01235/bordereaux/0`, {})).statusCode).toBe(409);
  });

  it("shows one accordion per édifice with protected objets, prefilled with the defaults, the select once per objet", async () => {
    const response = await browser.get(tab);
    expect(response.statusCode).toBe(200);
    const html = response.body;
    expect(html).toContain("Église Notre-Dame · 3 objets protégés");
    expect(html).toContain("À générer");
    expect(html).not.toContain("Chaire déclassée");
    expect(html.match(new RegExp(`name="lignes\\[${recensementIds.override}\\]\\[etat_sanitaire\\]"`, "g"))).toHaveLength(1);
    expect(html).toMatch(
      new RegExp(`name="lignes\\[${recensementIds.absent}\\]\\[etat_sanitaire\\]"[^>]*>[\\s\\S]*?<option value="introuvable" selected`),
    );
    expect(html).toMatch(
      new RegExp(`name="lignes\\[${recensementIds.override}\\]\\[etat_sanitaire\\]"[^>]*>[\\s\\S]*?<option value="mauvais" selected`),
    );
    expect(html).toContain("L’objet peut être volé facilement.\nToile à faire restaurer");
    // The order follows the Palissy emplacement.
    expect(html.indexOf(refs.absent)).toBeLessThan(html.indexOf(refs.override));
    expect(html.indexOf(refs.override)).toBeLessThan(html.indexOf(refs.photo));
  });

  function formulaire(overrides: Record<string, string> = {}): Record<string, string> {
    const champs: Record<string, string> = {};
    for (const [cle, id] of Object.entries(recensementIds)) {
      champs[`lignes[${id}][etat_sanitaire]`] = cle === "absent" ? "introuvable" : cle === "override" ? "mauvais" : "moyen";
      champs[`lignes[${id}][notes_commune]`] = cle === "override" ? "Cadre fendu" : "";
      champs[`lignes[${id}][notes_conservateur]`] = cle === "override" ? "Toile à faire restaurer" : "";
      champs[`lignes[${id}][notes_proprietaire]`] = "";
      champs[`lignes[${id}][notes_affectataire]`] = cle === "photo" ? "Paroisse Saint-Jean" : "";
    }
    return { ...champs, ...overrides };
  }

  it("refuses an empty post and invalid lines without saving anything", async () => {
    await browser.get(tab);
    const empty = await browser.post(`${tab}/${edifice.id}`, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain(MESSAGES.lignesManquantes);
    const invalid = await browser.post(
      `${tab}/${edifice.id}`,
      formulaire({ [`lignes[${recensementIds.photo}][etat_sanitaire]`]: "superbe" }),
    );
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain(MESSAGES.etatInvalide);
    expect(invalid.body).toContain("Paroisse Saint-Jean");
    expect(await database.db.selectFrom("bordereaux").selectAll().execute()).toEqual([]);
  });

  it("saves the lines, queues the generation, and the job writes a PDF that reads back", async () => {
    await browser.get(tab);
    const response = await browser.post(`${tab}/${edifice.id}`, formulaire());
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${tab}?edifice=${edifice.id}#edifice-${edifice.id}`);
    const bordereau = await database.db.selectFrom("bordereaux").selectAll().executeTakeFirstOrThrow();
    expect(bordereau.state).toBe("en_cours");
    expect(await auditActions(database)).toContain("bordereau.generation_demandee");
    // The generation job is queued for the worker (pg-boss), with the bordereau's id.
    const jobs = await sql<{ data: { bordereauId: number } }>`select data from pgboss.job where name = ${JOB_GENERATION_BORDEREAU}`.execute(
      database.db,
    );
    expect(jobs.rows.map((job) => job.data)).toEqual([{ bordereauId: bordereau.id }]);
    const enCours = await browser.follow(response);
    expect(enCours.body).toContain("En cours de génération");
    expect(enCours.body).toContain("Actualiser la page");

    const genere = await genererBordereau(ctx, bordereau.id);
    expect(genere?.storage_key).toBe(`bordereaux/${bordereau.dossier_id}/bordereau-${bordereau.id}.pdf`);
    const row = await database.db.selectFrom("bordereaux").selectAll().executeTakeFirstOrThrow();
    expect(row.state).toBe("genere");
    expect(row.byte_size).toBeGreaterThan(1000);
    expect(row.generated_at).not.toBeNull();
    const pdf = await ctx.files.get(row.storage_key ?? "");
    expect(pdf?.subarray(0, 5).toString()).toBe("%PDF-");

    const page = await browser.get(`${tab}?edifice=${edifice.id}`);
    expect(page.body).toContain("Généré");
    expect(page.body).toMatch(/Télécharger le bordereau \(PDF de \d+ Ko\)/);

    if (!POPPLER || !pdf) return;
    const dir = path.resolve("test-results");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "bordereau.pdf");
    fs.writeFileSync(file, pdf);
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    expect(text).toContain("BORDEREAU DE RÉCOLEMENT DES OBJETS MOBILIERS");
    expect(text).toContain("Commune de : Saint-Réchâteau (01234)");
    expect(text).toContain("Édifice : Église Notre-Dame");
    for (const ref of Object.values(refs)) expect(text).toContain(ref);
    const ligne = (ref: string): string => text.slice(text.indexOf(ref), text.indexOf(ref) + 1500);
    expect(ligne(refs.absent)).toContain("Introuvable");
    expect(ligne(refs.override)).toContain("Mauvais état");
    expect(ligne(refs.override)).toContain("Toile à faire restaurer");
    expect(ligne(refs.override)).toContain("Cadre fendu");
    expect(ligne(refs.photo)).toContain("État moyen");
    expect(ligne(refs.photo)).toContain("Paroisse Saint-Jean");
    expect(text).toContain("Pas de photo");
    expect(text).toContain("Participants au récolement");
    expect(text).toContain("nom et prénom en toutes lettres");
    expect(text).toContain("Code du patrimoine");
    const pages = text.split("\f").filter((p) => p.trim() !== "");
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(text).toMatch(new RegExp(`1/${pages.length}`));
    expect(text).toMatch(new RegExp(`${pages.length}/${pages.length}`));

    execFileSync("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", file, path.join(dir, "bordereau-page")]);
    const png = fs.readdirSync(dir).find((name) => name.startsWith("bordereau-page") && name.endsWith(".png"));
    expect(png).toBeDefined();
    const stats = await sharp(path.join(dir, png ?? "")).stats();
    // Not blank: some dark pixels (text) and some red (the embedded photo).
    expect(stats.channels[0]?.min).toBeLessThan(80);
    expect(stats.isOpaque).toBe(true);
  });

  it("downloads the stored PDF, and regenerates it when the file is missing", async () => {
    const url = `${tab}/${edifice.id}/pdf`;
    const response = await browser.get(url);
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("application/pdf");
    expect(response.headers["content-disposition"]).toBe('attachment; filename="bordereau-saint-rechateau-eglise-notre-dame.pdf"');
    expect(response.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");

    const row = await database.db.selectFrom("bordereaux").selectAll().executeTakeFirstOrThrow();
    await ctx.files.delete(row.storage_key ?? "");
    const again = await browser.get(url);
    expect(again.statusCode).toBe(200);
    expect(again.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
    expect(await ctx.files.exists(row.storage_key ?? "")).toBe(true);
  });

  it("the sweep job generates a bordereau whose job was lost", async () => {
    const row = await database.db
      .updateTable("bordereaux")
      .set({ state: "en_cours", requested_at: new Date(Date.now() - 10 * 60_000), generated_at: null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await ctx.files.delete(row.storage_key ?? "");
    const sweep = bordereauJobs(ctx).find((job) => job.name === JOB_BORDEREAUX_EN_ATTENTE);
    expect(sweep?.cron).toBeDefined();
    await sweep?.handler({});
    const after = await database.db.selectFrom("bordereaux").selectAll().where("id", "=", row.id).executeTakeFirstOrThrow();
    expect(after.state).toBe("genere");
    expect(await ctx.files.exists(after.storage_key ?? "")).toBe(true);
  });

  it("unknown édifice: 404", async () => {
    expect((await browser.get(`${tab}/999999/pdf`)).statusCode).toBe(404);
    expect((await browser.get(`${tab}/abc/pdf`)).statusCode).toBe(404);
  });
});
