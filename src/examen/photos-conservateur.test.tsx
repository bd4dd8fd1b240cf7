import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { PHOTO_ERROR_MESSAGES } from "../platform/images/photo.ts";
import { processAndStorePhoto } from "../platform/images/stored.ts";
import { LocalFileStore } from "../platform/storage/local.ts";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertConservateur, insertDossier, insertObjet, insertRecensement } from "../../test/factories.ts";
import { Browser } from "../../test/factories-comptes.ts";
import { multipart, type Upload } from "../../test/multipart.ts";

/** Left half red, right half blue: a quarter turn to the right puts the red on top. */
async function deuxCouleurs(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      if (x < width / 2) pixels[i] = 220;
      else pixels[i + 2] = 220;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg()
    .toBuffer();
}

describe("photos of a recensement under examen", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let files: LocalFileStore;
  let filesDir: string;
  let conservateurAin: number;
  let conservateurAisne: number;
  let ip = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), "co-examen-photos-"));
    files = new LocalFileStore(filesDir);
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database, files });
    conservateurAin = (await insertConservateur(database, { departement_codes: ["01"] })).id;
    conservateurAisne = (await insertConservateur(database, { departement_codes: ["02"] })).id;
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  /** A completed recensement of a sent dossier with `photos` stored photos of 64 × 48 pixels. */
  async function recensement(options: { photos?: number; status?: "submitted" | "accepted"; recensable?: boolean } = {}) {
    const commune = await insertCommune(database, { departement_code: "01", status: "completed" });
    const objet = await insertObjet(database, { lieu_actuel_code_insee: commune.code_insee, palissy_tico: "Statue de la Vierge" });
    const dossier = await insertDossier(database, { commune_id: commune.id, status: options.status ?? "submitted" });
    const recensable = options.recensable ?? true;
    const r = await insertRecensement(database, {
      objet_id: objet.id,
      dossier_id: dossier.id,
      recensable,
      etat_sanitaire: recensable ? "bon" : null,
      securisation: recensable ? "en_securite" : null,
      photos_count: options.photos ?? 0,
    });
    const photoIds: number[] = [];
    for (let i = 0; i < (options.photos ?? 0); i++) {
      const jpeg = await deuxCouleurs(64, 48);
      const storageKey = `photos/${crypto.randomUUID()}`;
      const photo = await processAndStorePhoto(files, storageKey, jpeg);
      const inserted = await database.db
        .insertInto("photos")
        .values({
          recensement_id: r.id,
          uploaded_by: "commune",
          storage_key: storageKey,
          content_type: "image/jpeg",
          byte_size: photo.variants.original.data.length,
          width: photo.width,
          height: photo.height,
          sha256: photo.sha256,
          position: i + 1,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      photoIds.push(inserted.id);
    }
    return { commune, recensementId: r.id, photoIds };
  }

  async function conservateur(id = conservateurAin): Promise<Browser> {
    const browser = new Browser(app, `198.51.100.${++ip}`).withSession({ account: { type: "conservateur", id } });
    await browser.get("/");
    return browser;
  }

  async function photo(id: number) {
    return database.db.selectFrom("photos").selectAll().where("id", "=", id).executeTakeFirst();
  }

  function fichier(storageKey: string, variant: string): string {
    return path.join(filesDir, ...storageKey.split("/"), `${variant}.jpg`);
  }

  async function upload(browser: Browser, recensementId: number, uploads: Upload[]): Promise<LightMyRequestResponse> {
    const body = multipart(uploads);
    const response = await app.inject({
      method: "POST",
      url: `/conservateurs/recensements/${recensementId}/photos?_csrf=${encodeURIComponent(browser.csrf)}`,
      payload: body.payload,
      remoteAddress: browser.ip,
      headers: { cookie: browser.cookieHeader(), "content-type": body.contentType },
    });
    for (const cookie of response.cookies as { name: string; value: string }[]) browser.cookies.set(cookie.name, cookie.value);
    return response;
  }

  async function actions(communeId: number): Promise<string[]> {
    const rows = await database.db.selectFrom("audit_events").select("action").where("commune_id", "=", communeId).orderBy("id").execute();
    return rows.map((r) => r.action);
  }

  it("shows each photo with its download link and the conservateur's actions", async () => {
    const { recensementId, photoIds } = await recensement({ photos: 2 });
    const browser = await conservateur();
    const page = await browser.get(`/conservateurs/recensements/${recensementId}/examen`);
    expect(page.statusCode).toBe(200);
    const stored = await photo(photoIds[0]!);
    expect(page.body).toContain(`href="/photos/${photoIds[0]}/affichage?v=${stored!.sha256.slice(0, 12)}"`);
    expect(page.body).toMatch(new RegExp(`href="/photos/${photoIds[0]}/original\\?v=[0-9a-f]{12}" download="photo-${photoIds[0]}.jpg"`));
    expect(page.body).toContain(`action="/conservateurs/photos/${photoIds[1]}/pivoter"`);
    expect(page.body).toContain(`action="/conservateurs/photos/${photoIds[1]}/supprimer"`);
    expect(page.body).toContain("Pivoter à gauche");
    expect(page.body).toContain("Pivoter à droite");
    expect(page.body).toContain("Photo 2 sur 2 de Statue de la Vierge");
  });

  it("rotates every stored variant from the original under a new key and removes the old files", async () => {
    const { commune, recensementId, photoIds } = await recensement({ photos: 1 });
    const browser = await conservateur();
    await browser.get(`/conservateurs/recensements/${recensementId}/examen`);
    const avant = (await photo(photoIds[0]!))!;
    expect([avant.width, avant.height]).toEqual([64, 48]);

    const response = await browser.post(`/conservateurs/photos/${photoIds[0]}/pivoter`, { sens: "droite" });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/conservateurs/recensements/${recensementId}/examen#photos`);
    const apres = (await photo(photoIds[0]!))!;
    expect(apres.storage_key).not.toBe(avant.storage_key);
    expect([apres.width, apres.height]).toEqual([48, 64]);
    expect(apres.sha256).not.toBe(avant.sha256);

    const original = fs.readFileSync(fichier(apres.storage_key, "original"));
    expect(crypto.createHash("sha256").update(original).digest("hex")).toBe(apres.sha256);
    expect(apres.byte_size).toBe(original.length);
    for (const variant of ["original", "display", "thumbnail"]) {
      const metadata = await sharp(fichier(apres.storage_key, variant)).metadata();
      expect([metadata.width, metadata.height], variant).toEqual([48, 64]);
      expect(fs.existsSync(fichier(avant.storage_key, variant)), variant).toBe(false);
    }
    // Turned clockwise: the red left half is now on top.
    const { data } = await sharp(original).raw().toBuffer({ resolveWithObject: true });
    const haut = 10 * 48 * 3 + 24 * 3;
    const bas = 54 * 48 * 3 + 24 * 3;
    expect(data[haut]!).toBeGreaterThan(150);
    expect(data[bas + 2]!).toBeGreaterThan(150);

    const page = await browser.get(`/conservateurs/recensements/${recensementId}/examen`);
    expect(page.body).toContain("La photo a été pivotée vers la droite.");
    // The URL changes with the file: no cache shows the old one.
    expect(page.body).toContain(`/photos/${photoIds[0]}/vignette?v=${apres.sha256.slice(0, 12)}`);
    expect(await actions(commune.id)).toEqual(["examen.photo_pivotee"]);

    await browser.post(`/conservateurs/photos/${photoIds[0]}/pivoter`, { sens: "gauche" });
    const retour = (await photo(photoIds[0]!))!;
    expect([retour.width, retour.height]).toEqual([64, 48]);
  });

  it("refuses a rotation without a direction, and changes nothing", async () => {
    const { commune, photoIds } = await recensement({ photos: 1 });
    const browser = await conservateur();
    const avant = await photo(photoIds[0]!);
    for (const form of [{}, { sens: "haut" }] as Record<string, string>[]) {
      const response = await browser.post(`/conservateurs/photos/${photoIds[0]}/pivoter`, form);
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain("Indiquez le sens de rotation de la photo");
    }
    expect(await photo(photoIds[0]!)).toEqual(avant);
    expect(fs.existsSync(fichier(avant!.storage_key, "original"))).toBe(true);
    expect(await actions(commune.id)).toEqual([]);
  });

  it("asks for a confirmation before deleting a photo, then deletes its row and files", async () => {
    const { commune, recensementId, photoIds } = await recensement({ photos: 2 });
    const browser = await conservateur();
    const stored = (await photo(photoIds[0]!))!;

    const confirmation = await browser.post(`/conservateurs/photos/${photoIds[0]}/supprimer`);
    expect(confirmation.statusCode).toBe(200);
    expect(confirmation.body).toContain("Êtes-vous sûr de vouloir supprimer cette photo ?");
    expect(confirmation.body).toContain('name="confirmer" value="oui"');
    expect(await photo(photoIds[0]!)).toBeDefined();

    const response = await browser.post(`/conservateurs/photos/${photoIds[0]}/supprimer`, { confirmer: "oui" });
    expect(response.statusCode).toBe(303);
    expect(await photo(photoIds[0]!)).toBeUndefined();
    for (const variant of ["original", "display", "thumbnail"]) expect(fs.existsSync(fichier(stored.storage_key, variant))).toBe(false);
    const r = await database.db
      .selectFrom("recensements")
      .select(["photos_count", "status"])
      .where("id", "=", recensementId)
      .executeTakeFirstOrThrow();
    expect(r).toEqual({ photos_count: 1, status: "completed" });
    expect(await actions(commune.id)).toEqual(["examen.photo_supprimee"]);
    const page = await browser.get(`/conservateurs/recensements/${recensementId}/examen`);
    expect(page.body).toContain("La photo a été supprimée.");
  });

  it("stores the conservateur's upload as theirs, without sending the recensement back to draft", async () => {
    const { commune, recensementId } = await recensement({ photos: 1 });
    const browser = await conservateur();
    await browser.get(`/conservateurs/recensements/${recensementId}/examen`);
    const response = await upload(browser, recensementId, [{ filename: "detail-socle.jpg", data: await deuxCouleurs(300, 200) }]);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/conservateurs/recensements/${recensementId}/examen#photos`);
    const rows = await database.db.selectFrom("photos").selectAll().where("recensement_id", "=", recensementId).orderBy("id").execute();
    expect(rows.map((r) => [r.uploaded_by, r.original_filename, r.width, r.height, r.position])).toEqual([
      ["commune", null, 64, 48, 1],
      ["conservateur", "detail-socle.jpg", 300, 200, 2],
    ]);
    expect(fs.existsSync(fichier(rows[1]!.storage_key, "thumbnail"))).toBe(true);
    const r = await database.db
      .selectFrom("recensements")
      .select(["photos_count", "status"])
      .where("id", "=", recensementId)
      .executeTakeFirstOrThrow();
    expect(r).toEqual({ photos_count: 2, status: "completed" });
    expect(await actions(commune.id)).toEqual(["examen.photo_ajoutee"]);
    const page = await browser.get(`/conservateurs/recensements/${recensementId}/examen`);
    expect(page.body).toContain("La photo a été ajoutée.");
  });

  it("refuses a text file renamed as a photo with a French message", async () => {
    const { commune, recensementId } = await recensement();
    const browser = await conservateur();
    await browser.get(`/conservateurs/recensements/${recensementId}/examen`);
    const before = fs.readdirSync(filesDir, { recursive: true }).length;
    const response = await upload(browser, recensementId, [
      { filename: "photo.jpg", data: Buffer.from("Ceci n’est pas une image.\n".repeat(20)) },
    ]);
    expect(response.statusCode).toBe(303);
    const page = await browser.get(`/conservateurs/recensements/${recensementId}/examen`);
    expect(page.body).toContain(`« photo.jpg » : ${PHOTO_ERROR_MESSAGES.not_an_image}`);
    expect(await database.db.selectFrom("photos").select("id").where("recensement_id", "=", recensementId).execute()).toEqual([]);
    expect(fs.readdirSync(filesDir, { recursive: true }).length).toBe(before);
    expect(await actions(commune.id)).toEqual([]);
  });

  it("adds no photo to an objet the commune could not recense, nor beyond ten", async () => {
    const impossible = await recensement({ recensable: false });
    const browser = await conservateur();
    await browser.get(`/conservateurs/recensements/${impossible.recensementId}/examen`);
    await upload(browser, impossible.recensementId, [{ filename: "a.jpg", data: await deuxCouleurs(40, 30) }]);
    let page = await browser.get(`/conservateurs/recensements/${impossible.recensementId}/examen`);
    expect(page.body).toContain("Des photos ne peuvent être ajoutées qu’à un objet trouvé et recensé par la commune.");

    const complet = await recensement({ photos: 10 });
    await browser.get(`/conservateurs/recensements/${complet.recensementId}/examen`);
    await upload(browser, complet.recensementId, [{ filename: "b.jpg", data: await deuxCouleurs(40, 30) }]);
    page = await browser.get(`/conservateurs/recensements/${complet.recensementId}/examen`);
    expect(page.body).toContain("Ce recensement compte déjà 10 photos, le maximum");
    const count = await database.db
      .selectFrom("photos")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("recensement_id", "in", [impossible.recensementId, complet.recensementId])
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(10);
  });

  it("lets only the département's conservateur act, and only while the dossier is under examen", async () => {
    const { recensementId, photoIds } = await recensement({ photos: 1 });
    const autre = await conservateur(conservateurAisne);
    const avant = await photo(photoIds[0]!);
    expect((await autre.post(`/conservateurs/photos/${photoIds[0]}/pivoter`, { sens: "droite" })).statusCode).toBe(403);
    expect((await autre.post(`/conservateurs/photos/${photoIds[0]}/supprimer`, { confirmer: "oui" })).statusCode).toBe(403);
    expect((await upload(autre, recensementId, [{ filename: "c.jpg", data: await deuxCouleurs(40, 30) }])).statusCode).toBe(403);
    expect(await photo(photoIds[0]!)).toEqual(avant);

    const envoye = await recensement({ photos: 1, status: "accepted" });
    const browser = await conservateur();
    const page = await browser.get(`/conservateurs/recensements/${envoye.recensementId}/examen`);
    expect(page.body).toContain("Télécharger");
    expect(page.body).not.toContain("Supprimer<");
    const response = await browser.post(`/conservateurs/photos/${envoye.photoIds[0]}/pivoter`, { sens: "droite" });
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain("Rouvrez le dossier pour modifier les photos");
    expect((await browser.post(`/conservateurs/photos/${envoye.photoIds[0]}/supprimer`, { confirmer: "oui" })).statusCode).toBe(409);
    expect(await photo(envoye.photoIds[0]!)).toBeDefined();
  });
});
