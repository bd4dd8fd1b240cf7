import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { sauvegarderExamen } from "../examen/recensement-repository.ts";
import { processAndStorePhoto } from "../platform/images/stored.ts";
import { LocalFileStore } from "../platform/storage/local.ts";
import { validerRecensement } from "../recensement/repository.ts";
import { envoyerRecapitulatifs } from "../taches/recapitulatif.ts";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertConservateur, insertDossier, insertObjet, insertRecensement } from "../../test/factories.ts";
import { auditActions, Browser } from "../../test/factories-comptes.ts";
import { envoyerAlertes } from "./repository.ts";

const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" });
const COMMUNE_ACTOR = { type: "commune", id: null } as const;
/** A Tuesday, 10:00 in Paris. */
const MARDI = new Date("2026-03-10T09:00:00Z");
const heures = (n: number) => new Date(MARDI.getTime() + n * 3600_000);

describe("alerts on objets disparus or en péril", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let filesDir: string;
  let files: LocalFileStore;
  let dep = 10;

  beforeAll(async () => {
    database = await createTestDatabase();
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), "co-alertes-"));
    files = new LocalFileStore(filesDir);
    app = await buildApp({ config, database, files });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  /** A fresh département (so that tests do not see each other's alerts) with its conservateurs. */
  async function departement() {
    const code = String(dep++);
    const abonne = await insertConservateur(database, { departement_codes: [code] });
    const sansAlertes = await insertConservateur(database, { departement_codes: [code], alertes_mail_notifications: false });
    const desactive = await insertConservateur(database, { departement_codes: [code], deactivated_at: new Date() });
    const ailleurs = await insertConservateur(database, { departement_codes: ["02"] });
    return { code, abonne, sansAlertes, desactive, ailleurs };
  }

  /** A commune in the middle of its recensement, one draft per answer; each completed through the commune's action. */
  async function communeQuiRecense(code: string, reponses: ("absent" | "peril" | "bon")[]) {
    const commune = await insertCommune(database, { departement_code: code, status: "started" });
    const dossier = await insertDossier(database, { commune_id: commune.id });
    const ids: number[] = [];
    for (const [i, reponse] of reponses.entries()) {
      const objet = await insertObjet(database, {
        lieu_actuel_code_insee: commune.code_insee,
        palissy_tico: `Objet ${i + 1} de ${commune.nom}`,
      });
      const r = await insertRecensement(database, {
        objet_id: objet.id,
        dossier_id: dossier.id,
        status: "draft",
        ...(reponse === "absent" ? { localisation: "absent" as const } : { etat_sanitaire: reponse }),
      });
      const resultat = await validerRecensement(database.db, COMMUNE_ACTOR, commune.id, r.id);
      expect(resultat.ok).toBe(true);
      ids.push(r.id);
    }
    // Their alerts were raised at 10:00 on that Tuesday.
    await sql`update alertes set created_at = ${MARDI} where commune_id = ${commune.id}`.execute(database.db);
    return { commune, dossier, recensements: ids };
  }

  async function mailsAlertes(to?: string) {
    let q = database.db
      .selectFrom("outbox_mails")
      .select(["to_address", "subject", "text"])
      .where("category", "=", "alertes")
      .orderBy("id");
    if (to) q = q.where("to_address", "=", to);
    return q.execute();
  }

  it("sends exactly one mail per commune and day, listing every alerted objet, to the conservateurs who want alerts", async () => {
    const d = await departement();
    const { commune } = await communeQuiRecense(d.code, ["absent", "peril", "bon", "absent"]);
    const alertes = await database.db.selectFrom("alertes").selectAll().where("commune_id", "=", commune.id).execute();
    expect(alertes.map((a) => a.kind).sort()).toEqual(["disparu", "disparu", "peril"]);

    // Two runs at the same moment, then another one later that day: one mail.
    await Promise.all([envoyerAlertes(database.db, config, heures(1)), envoyerAlertes(database.db, config, heures(1))]);
    await envoyerAlertes(database.db, config, heures(5));
    const mails = await mailsAlertes(d.abonne.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain(commune.nom);
    for (const n of [1, 2, 4]) expect(mails[0]!.text).toContain(`Objet ${n} de ${commune.nom}`);
    expect(mails[0]!.text).not.toContain(`Objet 3 de ${commune.nom}`);
    expect(mails[0]!.text).toContain(`/conservateurs/departements/${d.code}/alertes`);
    expect(mails[0]!.text).toContain(`/conservateurs/recensements/${alertes[0]!.recensement_id}/examen`);
    // Preference off, deactivated account, other département: nothing.
    for (const c of [d.sansAlertes, d.desactive, d.ailleurs]) expect(await mailsAlertes(c.email)).toHaveLength(0);
  });

  it("waits for the commune to be quiet, and puts later alerts in the next day's mail", async () => {
    const d = await departement();
    const { commune, dossier } = await communeQuiRecense(d.code, ["peril"]);
    // Ten minutes have not passed since the alert: not yet.
    expect(await envoyerAlertes(database.db, config, new Date(MARDI.getTime() + 5 * 60_000))).toEqual({ communes: 0, mails: 0 });
    await envoyerAlertes(database.db, config, heures(1));
    expect(await mailsAlertes(d.abonne.email)).toHaveLength(1);

    // The same afternoon the commune reports one more objet: it waits for the Wednesday.
    const objet = await insertObjet(database, { lieu_actuel_code_insee: commune.code_insee, palissy_tico: "Calice en argent" });
    const r = await insertRecensement(database, { objet_id: objet.id, dossier_id: dossier.id, status: "draft", localisation: "absent" });
    await validerRecensement(database.db, COMMUNE_ACTOR, commune.id, r.id);
    await sql`update alertes set created_at = ${heures(4)} where recensement_id = ${r.id}`.execute(database.db);
    await envoyerAlertes(database.db, config, heures(6));
    expect(await mailsAlertes(d.abonne.email)).toHaveLength(1);
    await envoyerAlertes(database.db, config, heures(24));
    const mails = await mailsAlertes(d.abonne.email);
    expect(mails).toHaveLength(2);
    expect(mails[1]!.text).toContain("Calice en argent");
    expect(mails[1]!.text).not.toContain(`Objet 1 de ${commune.nom}`);
  });

  it("raises a péril alert when a conservateur's override makes the objet en péril, once per recensement", async () => {
    const d = await departement();
    const commune = await insertCommune(database, { departement_code: d.code, status: "completed" });
    const dossier = await insertDossier(database, { commune_id: commune.id, status: "submitted" });
    const objet = await insertObjet(database, { lieu_actuel_code_insee: commune.code_insee });
    const r = await insertRecensement(database, { objet_id: objet.id, dossier_id: dossier.id, etat_sanitaire: "mauvais" });
    const examen = (version: number, etat: string) =>
      sauvegarderExamen(database.db, {
        recensementId: r.id,
        version,
        saisie: { etat_sanitaire: etat, securisation: "en_securite" },
        actor: { type: "conservateur", id: d.abonne.id },
        conservateurId: d.abonne.id,
        ip: null,
      });
    expect((await examen(1, "moyen")).ok).toBe(true);
    expect(await database.db.selectFrom("alertes").selectAll().where("recensement_id", "=", r.id).execute()).toHaveLength(0);
    expect((await examen(2, "peril")).ok).toBe(true);
    expect((await examen(3, "peril")).ok).toBe(true);
    const alertes = await database.db.selectFrom("alertes").selectAll().where("recensement_id", "=", r.id).execute();
    expect(alertes.map((a) => [a.kind, a.source, a.departement_code])).toEqual([["peril", "conservateur", d.code]]);
  });

  it("lists open alerts with their photos, and a conservateur marks one handled (who and when); an empty POST changes nothing", async () => {
    const d = await departement();
    const { commune, recensements } = await communeQuiRecense(d.code, ["peril", "absent"]);
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#a86" } })
      .jpeg()
      .toBuffer();
    const stored = await processAndStorePhoto(files, `photos/alertes-${commune.id}`, jpeg);
    const photo = await database.db
      .insertInto("photos")
      .values({
        recensement_id: recensements[0]!,
        uploaded_by: "commune",
        storage_key: `photos/alertes-${commune.id}`,
        content_type: "image/jpeg",
        byte_size: jpeg.length,
        width: stored.width,
        height: stored.height,
        sha256: stored.sha256,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const [peril, disparu] = await Promise.all(
      recensements.map((id) => database.db.selectFrom("alertes").selectAll().where("recensement_id", "=", id).executeTakeFirstOrThrow()),
    );
    const browser = new Browser(app).withSession({ account: { type: "conservateur", id: d.abonne.id } });
    const url = `/conservateurs/departements/${d.code}/alertes`;
    const page = await browser.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Ouvertes (2)");
    expect(page.body).toContain(`Objet 1 de ${commune.nom}`);
    expect(page.body).toContain(`Objet 2 de ${commune.nom}`);
    expect(page.body).toContain(`/photos/${photo.id}/vignette`);
    expect(page.body).toContain("La commune n’a pas trouvé l’objet");

    const vide = await browser.post(`${url}/${disparu!.id}/traiter`);
    expect(vide.statusCode).toBe(400);
    expect(vide.body).toContain("Confirmez que l’alerte a été traitée");
    expect(
      (await database.db.selectFrom("alertes").select("traitee_at").where("id", "=", disparu!.id).executeTakeFirstOrThrow()).traitee_at,
    ).toBeNull();

    await browser.get(url);
    const traitee = await browser.post(`${url}/${disparu!.id}/traiter`, { confirmer: "oui" });
    expect(traitee.statusCode).toBe(303);
    expect(traitee.headers.location).toBe(url);
    const apres = await browser.get(url);
    expect(apres.body).toContain("Ouvertes (1)");
    expect(apres.body).toContain("Traitées (1)");
    expect(apres.body).not.toContain(`Objet 2 de ${commune.nom}`);
    const traitees = await browser.get(`${url}?vue=traitees`);
    expect(traitees.body).toContain(`Objet 2 de ${commune.nom}`);
    expect(traitees.body).toContain(`par ${d.abonne.first_name} ${d.abonne.last_name}`);
    const row = await database.db.selectFrom("alertes").selectAll().where("id", "=", disparu!.id).executeTakeFirstOrThrow();
    expect(row.traitee_par).toBe(d.abonne.id);
    expect(row.traitee_at).not.toBeNull();
    expect(await auditActions(database)).toContain("alerte.traitee");

    await browser.get(url);
    expect((await browser.post(`${url}/${disparu!.id}/traiter`, { confirmer: "oui" })).statusCode).toBe(409);

    // A conservateur of another département can neither see nor handle it.
    const autre = new Browser(app, "203.0.113.77").withSession({ account: { type: "conservateur", id: d.ailleurs.id } });
    expect((await autre.get(url)).statusCode).toBe(403);
    await autre.get("/conservateurs/compte");
    expect((await autre.post(`${url}/${peril!.id}/traiter`, { confirmer: "oui" })).statusCode).toBe(403);
    expect((await autre.post(`/conservateurs/departements/02/alertes/${peril!.id}/traiter`, { confirmer: "oui" })).statusCode).toBe(404);
    const intacte = await database.db.selectFrom("alertes").select("traitee_at").where("id", "=", peril!.id).executeTakeFirstOrThrow();
    expect(intacte.traitee_at).toBeNull();
  });

  it("lets a conservateur stop the alert mails from their account (on by default)", async () => {
    const d = await departement();
    const browser = new Browser(app).withSession({ account: { type: "conservateur", id: d.abonne.id } });
    const compte = await browser.get("/conservateurs/compte");
    expect(compte.body).toMatch(/name="alertes_mail_notifications"[^>]*checked/);
    const reponse = await browser.post("/conservateurs/compte", { first_name: "Jeanne", last_name: "Dupont", send_recap: "1" });
    expect(reponse.statusCode).toBe(303);
    const row = await database.db
      .selectFrom("conservateurs")
      .select("alertes_mail_notifications")
      .where("id", "=", d.abonne.id)
      .executeTakeFirstOrThrow();
    expect(row.alertes_mail_notifications).toBe(false);
    await communeQuiRecense(d.code, ["absent"]);
    await envoyerAlertes(database.db, config, heures(1));
    expect(await mailsAlertes(d.abonne.email)).toHaveLength(0);
  });

  it("puts the week's new alerts and the open count in the weekly digest", async () => {
    const d = await departement();
    await database.db.updateTable("conservateurs").set({ send_recap: true }).where("id", "=", d.abonne.id).execute();
    const { commune } = await communeQuiRecense(d.code, ["absent"]);
    // Digest of Monday 16 March: the week of Tuesday 10 March.
    await envoyerRecapitulatifs(database.db, config, new Date("2026-03-16T07:30:00Z"));
    const recap = await database.db
      .selectFrom("outbox_mails")
      .select("text")
      .where("category", "=", "activite")
      .where("to_address", "=", d.abonne.email)
      .executeTakeFirstOrThrow();
    expect(recap.text).toContain("1 nouvelle alerte");
    expect(recap.text).toContain(`Objet 1 de ${commune.nom} à ${commune.nom}`);
    expect(recap.text).toContain(`1 alerte reste à traiter`);
    expect(recap.text).toContain(`/conservateurs/departements/${d.code}/alertes`);
  });
});
