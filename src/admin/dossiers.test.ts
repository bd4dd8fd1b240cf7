import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertConservateur, insertDossier, insertObjet, insertRecensement } from "../../test/factories.ts";
import { auditActions, Browser, insertAdmin } from "../../test/factories-comptes.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";

describe("admin dossiers", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let browser: Browser;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    const admin = await insertAdmin(database);
    browser = new Browser(app).withSession({ account: { type: "admin", id: admin.id } });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  async function dossierExamine(codeInsee: string, nom: string) {
    const commune = await insertCommune(database, { code_insee: codeInsee, nom, status: "completed" });
    const conservateur = await insertConservateur(database, { first_name: "Jeanne", last_name: "Martin" });
    const dossier = await insertDossier(database, { commune_id: commune.id, status: "accepted", conservateur_id: conservateur.id });
    const objet = await insertObjet(database, { lieu_actuel_code_insee: codeInsee, palissy_tico: "Calice en argent" });
    const recensement = await insertRecensement(database, { objet_id: objet.id, dossier_id: dossier.id, etat_sanitaire: "peril" });
    const photo = await database.db
      .insertInto("photos")
      .values({
        recensement_id: recensement.id,
        uploaded_by: "commune",
        storage_key: `photos/${recensement.id}`,
        content_type: "image/jpeg",
        byte_size: 10,
        width: 10,
        height: 10,
        sha256: "a".repeat(64),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { commune, dossier, photo };
  }

  async function etat(dossierId: number) {
    return database.db
      .selectFrom("dossiers as d")
      .innerJoin("communes as c", "c.id", "d.commune_id")
      .select(["d.status", "d.accepted_at", "d.archived_at", "c.statut_global"])
      .where("d.id", "=", dossierId)
      .executeTakeFirstOrThrow();
  }

  it("finds dossiers by commune name or INSEE and state, and shows one with its recensements and photos", async () => {
    const { dossier } = await dossierExamine("46102", "Gramat");
    await insertDossier(database, { commune_id: (await insertCommune(database, { code_insee: "46103", nom: "Gréalou" })).id });
    const parNom = await browser.get("/admin/dossiers?q=gramat");
    expect(parNom.statusCode).toBe(200);
    expect(parNom.body).toContain(`href="/admin/dossiers/${dossier.id}"`);
    expect(parNom.body).not.toContain("Gréalou");
    expect((await browser.get("/admin/dossiers?q=46103")).body).toContain("Gréalou");
    expect((await browser.get("/admin/dossiers?statut=accepted")).body).not.toContain("Gréalou");
    expect((await browser.get("/admin/dossiers?statut=pirate")).statusCode).toBe(400);

    const page = await browser.get(`/admin/dossiers/${dossier.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Gramat (46102)");
    expect(page.body).toContain("Jeanne Martin");
    expect(page.body).toContain("Calice en argent");
    expect(page.body).toContain("En péril");
    expect(page.body).toContain("Exclure des exports nationaux");
    expect(page.body).toContain("Rouvrir le dossier");
    expect((await browser.get("/admin/dossiers/999999")).statusCode).toBe(404);
  });

  it("reopens an accepted dossier only with confirmer=oui, and audits it", async () => {
    const { dossier } = await dossierExamine("46104", "Issendolus");
    await browser.get(`/admin/dossiers/${dossier.id}`);
    expect((await browser.post(`/admin/dossiers/${dossier.id}/rouvrir`, {})).statusCode).toBe(400);
    expect((await etat(dossier.id)).status).toBe("accepted");

    const response = await browser.post(`/admin/dossiers/${dossier.id}/rouvrir`, { confirmer: "oui" });
    expect(response.statusCode).toBe(303);
    expect((await browser.follow(response)).body).toContain("Le dossier est rouvert");
    const apres = await etat(dossier.id);
    expect(apres.status).toBe("submitted");
    expect(apres.accepted_at).toBeNull();
    expect(await auditActions(database)).toContain("dossier.reopen");
    // A second time: nothing to reopen.
    expect((await browser.post(`/admin/dossiers/${dossier.id}/rouvrir`, { confirmer: "oui" })).statusCode).toBe(409);
  });

  it("archives with a required reason, refreshes the commune's statut, and shows the reason in the journal", async () => {
    const { dossier, commune } = await dossierExamine("46105", "Lacapelle-Marival");
    expect((await etat(dossier.id)).statut_global).toBe(0); // factory leaves it stale
    await browser.get(`/admin/dossiers/${dossier.id}`);
    const sansRaison = await browser.post(`/admin/dossiers/${dossier.id}/archiver`, { confirmer: "oui", raison: "   " });
    expect(sansRaison.statusCode).toBe(400);
    expect(sansRaison.body).toContain("Indiquez la raison de l’archivage");
    expect((await etat(dossier.id)).status).toBe("accepted");
    expect((await browser.post(`/admin/dossiers/${dossier.id}/archiver`, { confirmer: "oui", raison: "x".repeat(1001) })).statusCode).toBe(
      400,
    );

    const response = await browser.post(`/admin/dossiers/${dossier.id}/archiver`, { confirmer: "oui", raison: "Doublon créé par erreur" });
    expect(response.statusCode).toBe(303);
    const page = await browser.follow(response);
    expect(page.body).toContain("Le dossier est archivé");
    expect(page.body).toContain("Doublon créé par erreur");
    expect(page.body).not.toContain("Archiver le dossier</button>");
    const apres = await etat(dossier.id);
    expect(apres.status).toBe("archived");
    expect(apres.archived_at).not.toBeNull();
    const communeApres = await database.db
      .selectFrom("communes")
      .select(["status", "statut_global"])
      .where("id", "=", commune.id)
      .executeTakeFirstOrThrow();
    expect(communeApres.status).toBe("inactive");

    const journal = await browser.get(`/admin/journal?commune=46105&action=dossier.archive`);
    expect(journal.body).toContain("Doublon créé par erreur");
    expect((await browser.post(`/admin/dossiers/${dossier.id}/archiver`, { confirmer: "oui", raison: "encore" })).statusCode).toBe(409);
  });

  it("excludes a photo from the national exports and puts it back, only for a photo of this dossier", async () => {
    const { dossier, photo } = await dossierExamine("46106", "Livernon");
    const autre = await dossierExamine("46107", "Reilhac");
    await browser.get(`/admin/dossiers/${dossier.id}`);
    const url = `/admin/dossiers/${dossier.id}/photos/${photo.id}/exportabilite`;
    expect((await browser.post(url, {})).statusCode).toBe(400);
    expect(
      (await browser.post(`/admin/dossiers/${dossier.id}/photos/${autre.photo.id}/exportabilite`, { confirmer: "oui", exportable: "non" }))
        .statusCode,
    ).toBe(404);
    const exportable = async (id: number) =>
      (await database.db.selectFrom("photos").select("exportable").where("id", "=", id).executeTakeFirstOrThrow()).exportable;
    expect(await exportable(photo.id)).toBe(true);
    expect(await exportable(autre.photo.id)).toBe(true);

    const exclue = await browser.follow(await browser.post(url, { confirmer: "oui", exportable: "non" }));
    expect(exclue.body).toContain("Exclue des exports nationaux");
    expect(exclue.body).toContain("Réintégrer");
    expect(await exportable(photo.id)).toBe(false);
    await browser.post(url, { confirmer: "oui", exportable: "oui" });
    expect(await exportable(photo.id)).toBe(true);
    const actions = await auditActions(database);
    expect(actions).toContain("export_memoire.photo_exclue");
    expect(actions).toContain("export_memoire.photo_reintegree");
  });
});
