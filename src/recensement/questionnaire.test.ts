import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertDossier, insertEdifice, insertObjet, insertRecensement } from "../../test/factories.ts";
import { Browser, auditActions, insertCommuneUser } from "../../test/factories-comptes.ts";
import { multipart } from "../../test/multipart.ts";
import { LocalFileStore } from "../platform/storage/local.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";

describe("the 7-step questionnaire", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let commune: { id: number; code_insee: string };
  let userId: number;
  const objets: Record<string, number> = {};
  let chapelleId: number;
  let filesDir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), "co-questionnaire-files-"));
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database, files: new LocalFileStore(filesDir) });
    commune = await insertCommune(database, { code_insee: "56091", nom: "Josselin", objets_count: 5 });
    userId = (await insertCommuneUser(database, commune.id, { email: "mairie@josselin.example.test" })).id;
    const eglise = await insertEdifice(database, { code_insee: "56091", nom: "Basilique Notre-Dame-du-Roncier" });
    chapelleId = (await insertEdifice(database, { code_insee: "56091", nom: "Chapelle Sainte-Croix" })).id;
    for (const name of ["present", "absent", "ailleurs", "inaccessible", "deplace"]) {
      objets[name] = (
        await insertObjet(database, { lieu_actuel_code_insee: "56091", edifice_id: eglise.id, palissy_tico: `Objet ${name}` })
      ).id;
    }
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  function signedIn(): Browser {
    return new Browser(app).withSession({ account: { type: "commune", id: userId } });
  }

  const base = (name: string) => `/communes/56091/objets/${objets[name]}/recensement`;

  async function communeRow() {
    return database.db
      .selectFrom("communes")
      .select(["status", "statut_global", "disparus_count", "en_peril_count"])
      .where("id", "=", commune.id)
      .executeTakeFirstOrThrow();
  }

  async function recensementOf(name: string) {
    return database.db.selectFrom("recensements").selectAll().where("objet_id", "=", objets[name]!).executeTakeFirstOrThrow();
  }

  it("« Recenser » starts the commune and its dossier, then opens step 1", async () => {
    const b = signedIn();
    await b.get(`/communes/56091/preferences`);
    const start = await b.post(base("present"));
    expect(start.statusCode).toBe(303);
    const step1 = await b.follow(start);
    expect(step1.statusCode).toBe(200);
    expect(step1.body).toContain("Étape 1 sur 7");
    expect(step1.body).toContain("Avez-vous trouvé l’objet ?");
    expect(await communeRow()).toMatchObject({ status: "started", statut_global: 1 });
    // A double click lands on the same draft.
    await b.post(base("present"));
    const count = await database.db
      .selectFrom("recensements")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it("shows linked French errors and saves nothing on an empty answer", async () => {
    const b = signedIn();
    await b.get(`${base("present")}/etapes/1`);
    const response = await b.post(`${base("present")}/etapes/1`, {});
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('href="#localisation"');
    expect(response.body).toContain("Veuillez préciser où se trouve l’objet");
    expect(response.body).toContain("fr-fieldset--error");
    expect((await recensementOf("present")).localisation).toBeNull();
  });

  it("walks the whole questionnaire for an objet in its édifice, skipping step 2", async () => {
    const b = signedIn();
    await b.get(`${base("present")}/etapes/1`);
    const r1 = await b.post(`${base("present")}/etapes/1`, { localisation: "edifice_initial" });
    expect(r1.headers.location).toBe(`${base("present")}/etapes/3`);
    const step3 = await b.follow(r1);
    expect(step3.body).toContain(`href="${base("present")}/etapes/1"`); // previous = 1, step 2 skipped
    const r3 = await b.post(`${base("present")}/etapes/3`, { recensable: "oui" });
    expect(r3.headers.location).toBe(`${base("present")}/etapes/4`);
    await b.follow(r3);
    const r4 = await b.post(`${base("present")}/etapes/4`, {});
    expect(r4.statusCode).toBe(200);
    expect(r4.body).toContain("Êtes-vous sûr de ne pas pouvoir prendre de photos ?");
    const r4bis = await b.post(`${base("present")}/etapes/4`, { confirme: "1" });
    expect(r4bis.headers.location).toBe(`${base("present")}/etapes/5`);
    await b.follow(r4bis);
    const r5 = await b.post(`${base("present")}/etapes/5`, { etat_sanitaire: "peril", securisation: "en_danger" });
    expect(r5.headers.location).toBe(`${base("present")}/etapes/6`);
    await b.follow(r5);
    const r6 = await b.post(`${base("present")}/etapes/6`, { notes: "Fissure au socle" });
    const recap = await b.follow(r6);
    expect(recap.body).toContain("Récapitulatif");
    expect(recap.body).toContain("Oui, l’objet se trouve dans l’édifice indiqué initialement");
    expect(recap.body).toContain("Photos manquantes");
    expect(recap.body).toContain("Fissure au socle");
    const done = await b.post(`${base("present")}/etapes/7`);
    expect(done.headers.location).toBe(`${base("present")}/enregistre`);
    const page = await b.follow(done);
    expect(page.body).toContain("Votre recensement a bien été enregistré");
    expect(page.body).toContain("Ces objets sont encore à recenser dans l’édifice");
    const saved = await recensementOf("present");
    expect(saved).toMatchObject({ status: "completed", localisation: "edifice_initial", recensable: true, etat_sanitaire: "peril" });
    expect(await communeRow()).toMatchObject({ en_peril_count: 1 });
    expect(await auditActions(database)).toEqual(
      expect.arrayContaining(["recensement.create", "recensement.update", "recensement.complete"]),
    );
  });

  it("resumes where the commune stopped, and opens a completed recensement on the summary", async () => {
    const b = signedIn();
    await b.get(`/communes/56091/preferences`);
    await b.post(base("inaccessible"));
    await b.get(`${base("inaccessible")}/etapes/1`);
    await b.post(`${base("inaccessible")}/etapes/1`, { localisation: "edifice_initial" });
    const resume = await b.get(base("inaccessible"));
    expect(resume.headers.location).toBe(`${base("inaccessible")}/etapes/3`);
    const completed = await b.get(base("present"));
    expect(completed.headers.location).toBe(`${base("present")}/etapes/7`);
  });

  it("asks to confirm « not recensable », then goes to the comments", async () => {
    const b = signedIn();
    await b.get(`${base("inaccessible")}/etapes/3`);
    const ask = await b.post(`${base("inaccessible")}/etapes/3`, { recensable: "non" });
    expect(ask.body).toContain("Je confirme que l’objet n’est pas recensable");
    expect((await recensementOf("inaccessible")).recensable).toBeNull();
    const confirmed = await b.post(`${base("inaccessible")}/etapes/3`, { recensable: "non", confirme: "1" });
    expect(confirmed.headers.location).toBe(`${base("inaccessible")}/etapes/6`);
    // Steps 4 and 5 are skipped: asking for them leads back to a reachable step.
    const skipped = await b.get(`${base("inaccessible")}/etapes/5`);
    expect(skipped.statusCode).toBe(303);
  });

  it("absent: confirmation, skips to comments, completes without assessment", async () => {
    const b = signedIn();
    await b.get(`/communes/56091/preferences`);
    await b.post(base("absent"));
    await b.get(`${base("absent")}/etapes/1`);
    const ask = await b.post(`${base("absent")}/etapes/1`, { localisation: "absent" });
    expect(ask.body).toContain("Je confirme ne pas trouver l’objet");
    const confirmed = await b.post(`${base("absent")}/etapes/1`, { localisation: "absent", confirme: "1" });
    expect(confirmed.headers.location).toBe(`${base("absent")}/etapes/6`);
    const step6 = await b.follow(confirmed);
    expect(step6.body).toContain(`href="${base("absent")}/etapes/1"`);
    await b.post(`${base("absent")}/etapes/6`, { notes: "" });
    await b.get(`${base("absent")}/etapes/7`);
    await b.post(`${base("absent")}/etapes/7`);
    expect(await recensementOf("absent")).toMatchObject({ status: "completed", recensable: false, etat_sanitaire: null });
    expect(await communeRow()).toMatchObject({ disparus_count: 1 });
  });

  it("other commune: step 2 validates the INSEE code, then skips to comments", async () => {
    const b = signedIn();
    await b.get(`/communes/56091/preferences`);
    await b.post(base("deplace"));
    await b.get(`${base("deplace")}/etapes/1`);
    const r1 = await b.post(`${base("deplace")}/etapes/1`, { localisation: "deplacement_autre_commune" });
    expect(r1.headers.location).toBe(`${base("deplace")}/etapes/2`);
    await b.follow(r1);
    const bad = await b.post(`${base("deplace")}/etapes/2`, { autre_commune_code_insee: "123", edifice_nom: "" });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain("Le code INSEE doit être composé de 5 caractères");
    expect(bad.body).toContain('value="123"');
    const ok = await b.post(`${base("deplace")}/etapes/2`, { autre_commune_code_insee: "35238", edifice_nom: "Musée des beaux-arts" });
    expect(ok.headers.location).toBe(`${base("deplace")}/etapes/6`);
    expect(await recensementOf("deplace")).toMatchObject({
      autre_commune_code_insee: "35238",
      edifice_nom: "Musée des beaux-arts",
      recensable: false,
    });
  });

  it("another édifice of the commune: the list excludes the current one", async () => {
    const b = signedIn();
    await b.get(`/communes/56091/preferences`);
    await b.post(base("ailleurs"));
    await b.get(`${base("ailleurs")}/etapes/1`);
    await b.post(`${base("ailleurs")}/etapes/1`, { localisation: "autre_edifice" });
    const step2 = await b.get(`${base("ailleurs")}/etapes/2`);
    expect(step2.body).toContain("Chapelle Sainte-Croix");
    expect(step2.body).not.toContain(">Basilique Notre-Dame-du-Roncier</option>");
    const none = await b.post(`${base("ailleurs")}/etapes/2`, { edifice_choix: "autre", edifice_nom: "" });
    expect(none.body).toContain("Veuillez préciser le nom de l’édifice");
    const ok = await b.post(`${base("ailleurs")}/etapes/2`, { edifice_choix: String(chapelleId) });
    expect(ok.headers.location).toBe(`${base("ailleurs")}/etapes/3`);
    expect((await recensementOf("ailleurs")).edifice_nom).toBe("Chapelle Sainte-Croix");
  });

  it("editing a completed recensement puts it back to draft with a visible notice", async () => {
    const b = signedIn();
    const step6 = await b.get(`${base("present")}/etapes/6`);
    expect(step6.body).toContain("Ce recensement est déjà validé");
    const saved = await b.post(`${base("present")}/etapes/6`, { notes: "Fissure au socle, élargie" });
    const next = await b.follow(saved);
    expect(next.body).toContain("Le recensement est repassé en brouillon");
    expect((await recensementOf("present")).status).toBe("draft");
    // Saving the same answer again changes nothing.
    const version = (await recensementOf("present")).version;
    await b.post(`${base("present")}/etapes/6`, { notes: "Fissure au socle, élargie" });
    expect((await recensementOf("present")).version).toBe(version);
    await b.post(`${base("present")}/etapes/7`);
    expect((await recensementOf("present")).status).toBe("completed");
  });

  it("going back to « found » after « absent » recomputes recensable (RB ⚠ fixed)", async () => {
    const b = signedIn();
    await b.get(`${base("absent")}/etapes/1`);
    const r1 = await b.post(`${base("absent")}/etapes/1`, { localisation: "edifice_initial" });
    expect(r1.headers.location).toBe(`${base("absent")}/etapes/3`);
    expect((await recensementOf("absent")).recensable).toBeNull();
    expect(await communeRow()).toMatchObject({ disparus_count: 0 });
  });

  it("refuses bad step numbers, foreign objets and a submitted dossier, without changing anything", async () => {
    const b = signedIn();
    expect((await b.get(`${base("present")}/etapes/9`)).statusCode).toBe(400);
    expect((await b.get(`/communes/56091/objets/abc/recensement`)).statusCode).toBe(400);
    const other = await insertCommune(database, { code_insee: "56092" });
    const foreign = await insertObjet(database, { lieu_actuel_code_insee: other.code_insee });
    await b.get(`/communes/56091/preferences`);
    expect((await b.post(`/communes/56091/objets/${foreign.id}/recensement`)).statusCode).toBe(404);
    expect((await b.post(`/communes/56092/objets/${foreign.id}/recensement`)).statusCode).toBe(403);

    const sent = await insertCommune(database, { code_insee: "56093", status: "completed" });
    const sentUser = await insertCommuneUser(database, sent.id, { email: "mairie@sent.example.test" });
    const sentObjet = await insertObjet(database, { lieu_actuel_code_insee: "56093" });
    const dossier = await insertDossier(database, { commune_id: sent.id, status: "submitted", submitted_at: new Date() });
    await insertRecensement(database, {
      objet_id: sentObjet.id,
      dossier_id: dossier.id,
      status: "completed",
      localisation: "absent",
      recensable: false,
    });
    const s = new Browser(app).withSession({ account: { type: "commune", id: sentUser.id } });
    await s.get(`/communes/56093/preferences`);
    const refused = await s.post(`/communes/56093/objets/${sentObjet.id}/recensement/etapes/1`, { localisation: "edifice_initial" });
    expect(refused.statusCode).toBe(303);
    const row = await database.db
      .selectFrom("recensements")
      .select("localisation")
      .where("objet_id", "=", sentObjet.id)
      .executeTakeFirstOrThrow();
    expect(row.localisation).toBe("absent");
  });

  it("an objet found then declared absent keeps no photo once validated", async () => {
    const b = signedIn();
    await b.get(`${base("inaccessible")}/etapes/1`);
    await b.post(`${base("inaccessible")}/etapes/3`, { recensable: "oui" });
    const jpeg = await sharp({ create: { width: 800, height: 600, channels: 3, background: "#a0522d" } })
      .jpeg()
      .toBuffer();
    const body = multipart([{ filename: "face.jpg", data: jpeg }]);
    const upload = await app.inject({
      method: "POST",
      url: `${base("inaccessible")}/photos?_csrf=${encodeURIComponent(b.csrf)}`,
      payload: body.payload,
      remoteAddress: b.ip,
      headers: { cookie: b.cookieHeader(), "content-type": body.contentType },
    });
    expect(upload.statusCode).toBe(303);
    expect((await recensementOf("inaccessible")).photos_count).toBe(1);
    expect(fs.readdirSync(filesDir, { recursive: true }).length).toBeGreaterThan(0);
    await b.get(`${base("inaccessible")}/etapes/1`);
    await b.post(`${base("inaccessible")}/etapes/1`, { localisation: "absent", confirme: "1" });
    await b.post(`${base("inaccessible")}/etapes/7`);
    const after = await recensementOf("inaccessible");
    expect(after).toMatchObject({ status: "completed", photos_count: 0 });
    const photos = await database.db.selectFrom("photos").select("id").where("recensement_id", "=", after.id).execute();
    expect(photos).toEqual([]);
    const remaining = fs.readdirSync(filesDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(remaining).toEqual([]);
  });

  it("refuses a form without CSRF token", async () => {
    const b = signedIn();
    const response = await b.post(`${base("present")}/etapes/6`, { notes: "x" }, { csrf: false });
    expect(response.statusCode).toBe(403);
  });
});
