import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { auditActions, Browser, insertAdmin } from "../../test/factories-comptes.ts";
import { multipart } from "../../test/multipart.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { createContext, type AppContext } from "../context.ts";
import { palissyCsv, palissyRow } from "../import/fixtures/files.ts";
import { adminImportsJobs, executerImport, lancerImportsEnAttente } from "./imports-jobs.ts";
import { JOB_IMPORT_FICHIER } from "./repository-imports.ts";
import { supprimerImportsOrphelins } from "../taches/nettoyage.ts";

const VALIDE = palissyCsv([
  palissyRow({ Reference: "PM01000001" }),
  palissyRow({ Reference: "PM01000002", Nom_de_l_edifice: "chapelle des Allymes" }),
  palissyRow({ Reference: "PM01000003", Statut_juridique_du_proprietaire: "propriété de l'Etat" }),
  palissyRow({ Reference: "PM01000004", Typologie_du_dossier: "sous-dossier" }),
]);

describe("admin imports", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let browser: Browser;
  let ctx: AppContext;
  let dataDir: string;
  let importsDir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "co-imports-"));
    importsDir = path.join(dataDir, "imports");
    const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", DATA_DIR: dataDir });
    app = await buildApp({ config, database });
    ctx = createContext({ config, database });
    const admin = await insertAdmin(database);
    browser = new Browser(app).withSession({ account: { type: "admin", id: admin.id } });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await database.pool.query("truncate objets, edifices, recensements, dossiers, communes, import_runs restart identity cascade");
    await database.pool.query("delete from audit_events");
  });

  async function deposer(kind: string | undefined, contenu: string | undefined, filename = "palissy.csv") {
    await browser.get("/admin/imports");
    const body = multipart(
      contenu === undefined ? [] : [{ filename, data: Buffer.from(contenu), type: "text/csv", field: "fichier" }],
      kind === undefined ? {} : { kind },
    );
    return app.inject({
      method: "POST",
      url: `/admin/imports?_csrf=${encodeURIComponent(browser.csrf)}`,
      payload: body.payload,
      remoteAddress: browser.ip,
      headers: { cookie: browser.cookieHeader(), "content-type": body.contentType },
    });
  }

  const fichiersDeposes = () => (fs.existsSync(importsDir) ? fs.readdirSync(importsDir) : []);
  const runs = () => database.db.selectFrom("import_runs").selectAll().orderBy("id").execute();

  it("checks an uploaded Palissy file, records a pending run, and the job imports it with its counts by reason", async () => {
    const response = await deposer("palissy", VALIDE);
    expect(response.statusCode).toBe(303);
    const id = Number(/\/admin\/imports\/(\d+)\?lance=1$/.exec(String(response.headers.location))![1]);
    const [pending] = await runs();
    expect(pending).toMatchObject({ id, kind: "palissy", status: "pending", source_file: "palissy.csv", rows_total: 4 });
    expect(fichiersDeposes()).toHaveLength(1);
    expect(await auditActions(database)).toEqual(["import.demarre"]);

    const attente = await browser.get(`/admin/imports/${id}?lance=1`);
    expect(attente.statusCode).toBe(200);
    expect(attente.headers.refresh).toBe(`5; url=/admin/imports/${id}`);
    expect(attente.body).toContain("<progress");
    expect(attente.body).toContain("En attente");

    const job = adminImportsJobs(ctx).find((d) => d.name === JOB_IMPORT_FICHIER)!;
    await job.handler({ runId: id });

    const [fini] = await runs();
    expect(fini).toMatchObject({
      status: "succeeded",
      read: 4,
      in_scope: 2,
      created: 2,
      out_of_scope: { propriete_de_l_etat: 1, pas_dossier_individuel: 1 },
      upload_file: null,
    });
    const objets = await database.db.selectFrom("objets").select("palissy_ref").orderBy("palissy_ref").execute();
    expect(objets.map((o) => o.palissy_ref)).toEqual(["PM01000001", "PM01000002"]);
    expect(fichiersDeposes()).toEqual([]);

    const page = await browser.get(`/admin/imports/${id}`);
    expect(page.headers.refresh).toBeUndefined();
    expect(page.body).toContain("Terminé");
    expect(page.body).toContain("Propriété de l’État");
    expect(page.body).toContain("Pas un dossier individuel");
    expect(page.body).not.toContain("<progress");

    const liste = await browser.get("/admin/imports?type=palissy&resultat=succeeded");
    expect(liste.body).toContain(`href="/admin/imports/${id}"`);
    expect((await browser.get("/admin/imports?resultat=failed")).body).not.toContain(`href="/admin/imports/${id}"`);
    expect((await browser.get("/admin/imports?type=merimee")).body).toContain("Aucun import ne correspond");

    // A second run of the same job changes nothing: the run is no longer pending.
    await executerImport(ctx, id);
    expect((await runs())[0]!.status).toBe("succeeded");
  });

  it("refuses a file whose header is not the chosen kind's, in French, keeping nothing and starting no job", async () => {
    const response = await deposer("palissy", "REF_PALISSY,REF_MEMOIRE,NAME,COPY,URL\r\nPM01000001,AP1,n,c,u\r\n", "memoire.csv");
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("Ce fichier ne convient pas pour un import Palissy");
    expect(response.body).toContain("Colonnes obligatoires absentes");
    expect(await runs()).toEqual([]);
    expect(fichiersDeposes()).toEqual([]);
    expect(await auditActions(database)).toEqual([]);
  });

  it("refuses an empty POST, a missing kind and a missing or empty file with 400", async () => {
    const vide = await browser.post("/admin/imports", {});
    expect(vide.statusCode).toBe(400);
    expect(vide.body).toContain("Choisissez le type d’import");
    expect((await deposer(undefined, VALIDE)).statusCode).toBe(400);
    const sansFichier = await deposer("palissy", undefined);
    expect(sansFichier.statusCode).toBe(400);
    expect(sansFichier.body).toContain("Choisissez le fichier à importer");
    const fichierVide = await deposer("palissy", "");
    expect(fichierVide.statusCode).toBe(400);
    expect(await runs()).toEqual([]);
    expect(fichiersDeposes()).toEqual([]);
  });

  it("refuses a second upload with 409 while one is pending or running, and lets it through once done", async () => {
    const first = await deposer("palissy", VALIDE);
    expect(first.statusCode).toBe(303);
    const second = await deposer("palissy", VALIDE);
    expect(second.statusCode).toBe(409);
    expect(second.body).toContain("Un import est déjà en attente ou en cours");
    expect(await runs()).toHaveLength(1);
    expect(fichiersDeposes()).toHaveLength(1);

    await lancerImportsEnAttente(ctx);
    expect((await runs())[0]!.status).toBe("succeeded");
    expect((await deposer("palissy", VALIDE)).statusCode).toBe(303);
  });

  it("records a failure when the uploaded file has disappeared, and marks runs abandoned by a stopped server as failed", async () => {
    const response = await deposer("palissy", VALIDE);
    const id = Number(/\/admin\/imports\/(\d+)/.exec(String(response.headers.location))![1]);
    for (const f of fichiersDeposes()) fs.rmSync(path.join(importsDir, f));
    await executerImport(ctx, id);
    const [run] = await runs();
    expect(run).toMatchObject({ status: "failed", errors: ["Le fichier déposé est introuvable : déposez-le de nouveau."] });

    const again = await deposer("palissy", VALIDE);
    const id2 = Number(/\/admin\/imports\/(\d+)/.exec(String(again.headers.location))![1]);
    await database.pool.query("update import_runs set status = 'running', progress_at = now() - interval '2 hours' where id = $1", [id2]);
    await lancerImportsEnAttente(ctx);
    const abandonned = (await runs()).find((r) => r.id === id2)!;
    expect(abandonned).toMatchObject({ status: "failed", upload_file: null });
    expect(fichiersDeposes()).toEqual([]);
  });

  it("removes uploaded files older than 2 days that no run points to, and keeps the others", async () => {
    const response = await deposer("palissy", VALIDE);
    expect(response.statusCode).toBe(303);
    const [garde] = fichiersDeposes();
    fs.writeFileSync(path.join(importsDir, "abandonne.upload"), "x");
    fs.writeFileSync(path.join(importsDir, "recent.upload"), "x");
    const vieux = new Date(Date.now() - 3 * 24 * 3600 * 1000);
    fs.utimesSync(path.join(importsDir, "abandonne.upload"), vieux, vieux);
    fs.utimesSync(path.join(importsDir, garde!), vieux, vieux);
    expect(await supprimerImportsOrphelins(database.db, importsDir)).toEqual(["abandonne.upload"]);
    expect(fichiersDeposes().sort()).toEqual([garde, "recent.upload"].sort());
    fs.rmSync(path.join(importsDir, "recent.upload"));
    await lancerImportsEnAttente(ctx);
  });

  it("answers 404 for an unknown run", async () => {
    expect((await browser.get("/admin/imports/999999")).statusCode).toBe(404);
  });
});
