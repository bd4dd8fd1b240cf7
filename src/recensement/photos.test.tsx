import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { renderToString } from "preact-render-to-string";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { clientScriptUrl } from "../platform/http/client-assets.ts";
import { PHOTO_ERROR_MESSAGES } from "../platform/images/photo.ts";
import { LocalFileStore } from "../platform/storage/local.ts";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertConservateur, insertDossier, insertObjet, insertRecensement } from "../../test/factories.ts";
import { Browser, insertAdmin, insertCommuneUser } from "../../test/factories-comptes.ts";
import { multipart, type Upload } from "../../test/multipart.ts";
import { MESSAGES_PHOTOS, listPhotosRecensement, listPhotosRecensements } from "./photos-repository.ts";
import { MESSAGE_NON_MODIFIABLE } from "./rules.ts";
import { PhotosRecensement } from "./views/photos.tsx";

function noise(width: number, height: number): Buffer {
  return crypto.randomBytes(width * height * 3);
}

const GPS_EXIF = { IFD3: { GPSLatitudeRef: "N", GPSLatitude: "45/1 12/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "5/1 43/1 0/1" } };

async function jpegWithGps(width = 800, height = 600): Promise<Buffer> {
  return sharp(noise(width, height), { raw: { width, height, channels: 3 } })
    .jpeg()
    .withExif(GPS_EXIF)
    .toBuffer();
}

async function png(width = 300, height = 200): Promise<Buffer> {
  return sharp(noise(width, height), { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

describe("photos of a recensement", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let filesDir: string;
  let ipCounter = 0;

  type Setup = { codeInsee: string; communeId: number; userId: number; objetId: number; recensementId: number };
  let bourg: Setup;
  let voisine: Setup;
  let envoyee: Setup;
  let conservateurAin: number;
  let conservateurAutre: number;
  let adminId: number;

  async function setupCommune(codeInsee: string, dossierStatus: "construction" | "submitted" = "construction"): Promise<Setup> {
    const commune = await insertCommune(database, { code_insee: codeInsee, status: "started" });
    const user = await insertCommuneUser(database, commune.id);
    const objet = await insertObjet(database, { lieu_actuel_code_insee: codeInsee, palissy_tico: "Statue de la Vierge" });
    const dossier = await insertDossier(database, { commune_id: commune.id, status: dossierStatus });
    const recensement = await insertRecensement(database, {
      objet_id: objet.id,
      dossier_id: dossier.id,
      status: dossierStatus === "construction" ? "draft" : "completed",
    });
    return { codeInsee, communeId: commune.id, userId: user.id, objetId: objet.id, recensementId: recensement.id };
  }

  /** Another objet of the same commune, with its own recensement in the same dossier. */
  async function autreRecensement(setup: Setup, values: { recensable?: boolean; status?: "draft" | "completed" } = {}) {
    const objet = await insertObjet(database, { lieu_actuel_code_insee: setup.codeInsee });
    const dossier = await database.db
      .selectFrom("recensements")
      .select("dossier_id")
      .where("id", "=", setup.recensementId)
      .executeTakeFirstOrThrow();
    const recensement = await insertRecensement(database, {
      objet_id: objet.id,
      dossier_id: dossier.dossier_id,
      status: "draft",
      ...values,
    });
    return { ...setup, objetId: objet.id, recensementId: recensement.id };
  }

  async function signedIn(account: { type: "commune" | "conservateur" | "admin"; id: number }, page = "/"): Promise<Browser> {
    const browser = new Browser(app, `192.0.2.${++ipCounter}`).withSession({ account });
    await browser.get(page);
    return browser;
  }

  async function communeBrowser(setup: Setup): Promise<Browser> {
    const browser = await signedIn({ type: "commune", id: setup.userId }, `/communes/${setup.codeInsee}/preferences`);
    expect(browser.csrf).not.toBe("");
    return browser;
  }

  async function upload(browser: Browser, setup: Setup, files: Upload[], options: { json?: boolean; csrf?: boolean } = {}) {
    const body = multipart(files);
    const query = options.csrf === false ? "" : `?_csrf=${encodeURIComponent(browser.csrf)}`;
    const response = await browser.app.inject({
      method: "POST",
      url: `/communes/${setup.codeInsee}/objets/${setup.objetId}/recensement/photos${query}`,
      payload: body.payload,
      remoteAddress: browser.ip,
      headers: {
        cookie: browser.cookieHeader(),
        "content-type": body.contentType,
        ...(options.json ? { accept: "application/json", "x-requested-with": "XMLHttpRequest" } : {}),
      },
    });
    // The session cookie carries the flash messages of the redirect.
    for (const cookie of response.cookies as { name: string; value: string }[]) browser.cookies.set(cookie.name, cookie.value);
    return response;
  }

  /** The notices of the next page, not the whole page (short failure messages). */
  async function flashes(browser: Browser, setup: Setup): Promise<string[]> {
    const page = (await browser.get(`/communes/${setup.codeInsee}/preferences`)).body;
    return [...page.matchAll(/<p[^>]*>([^<]*)<\/p>/g)].map((m) => m[1]!.replaceAll("&amp;", "&"));
  }

  function storedFiles(): string[] {
    if (!fs.existsSync(filesDir)) return [];
    return (fs.readdirSync(filesDir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(filesDir, f)).isFile()).sort();
  }

  async function photoRows(recensementId: number) {
    return database.db.selectFrom("photos").selectAll().where("recensement_id", "=", recensementId).orderBy("id").execute();
  }

  async function recensementRow(id: number) {
    return database.db
      .selectFrom("recensements")
      .select(["photos_count", "status", "version"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), "co-photos-"));
    app = await buildApp({
      config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }),
      database,
      files: new LocalFileStore(filesDir),
    });
    bourg = await setupCommune("01053");
    voisine = await setupCommune("01004");
    envoyee = await setupCommune("01007", "submitted");
    conservateurAin = (await insertConservateur(database, { departement_codes: ["01"] })).id;
    await insertCommune(database, { code_insee: "02001" });
    conservateurAutre = (await insertConservateur(database, { departement_codes: ["02"] })).id;
    adminId = (await insertAdmin(database)).id;
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  it("stores several photos sent by a plain form, without any metadata, and comes back to step 4", async () => {
    const setup = await autreRecensement(bourg, { status: "completed" });
    const browser = await communeBrowser(setup);
    const before = await recensementRow(setup.recensementId);
    const response = await upload(browser, setup, [
      { filename: "IMG_0001.JPG", data: await jpegWithGps() },
      { filename: "détail.png", data: await png(), type: "image/png" },
    ]);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/communes/${setup.codeInsee}/objets/${setup.objetId}/recensement/etapes/4`);
    expect(await flashes(browser, setup)).toContain("2 photos ont été ajoutées.");

    const rows = await photoRows(setup.recensementId);
    expect(rows.map((r) => [r.uploaded_by, r.content_type, r.original_filename, r.position])).toEqual([
      ["commune", "image/jpeg", "IMG_0001.JPG", 1],
      ["commune", "image/jpeg", "détail.png", 2],
    ]);
    expect([rows[0]!.width, rows[0]!.height]).toEqual([800, 600]);
    const after = await recensementRow(setup.recensementId);
    expect(after.photos_count).toBe(2);
    // A change to a validated recensement puts it back to draft.
    expect(after.status).toBe("draft");
    expect(after.version).toBeGreaterThan(before.version);

    for (const row of rows) {
      for (const variant of ["original", "display", "thumbnail"]) {
        const file = path.join(filesDir, ...row.storage_key.split("/"), `${variant}.jpg`);
        const metadata = await sharp(fs.readFileSync(file)).metadata();
        expect(metadata.format).toBe("jpeg");
        expect(metadata.exif).toBeUndefined();
      }
      const original = fs.readFileSync(path.join(filesDir, ...row.storage_key.split("/"), "original.jpg"));
      expect(crypto.createHash("sha256").update(original).digest("hex")).toBe(row.sha256);
      expect(row.byte_size).toBe(original.length);
    }
    const audits = await database.db
      .selectFrom("audit_events")
      .select(["action", "subject_id"])
      .where("action", "=", "photo.add")
      .execute();
    expect(audits.map((a) => a.subject_id)).toEqual(expect.arrayContaining(rows.map((r) => String(r.id))));
  });

  it("answers the enhanced form in JSON, and serves each variant to the commune with cache headers", async () => {
    const setup = await autreRecensement(bourg);
    const browser = await communeBrowser(setup);
    const response = await upload(browser, setup, [{ filename: "photo.jpg", data: await jpegWithGps(2400, 1800) }], { json: true });
    expect(response.statusCode).toBe(201);
    const { photo } = response.json<{
      photo: { id: number; vignetteUrl: string; affichageUrl: string; originalUrl: string; width: number };
    }>();
    expect(photo.vignetteUrl).toMatch(new RegExp(`^/photos/${photo.id}/vignette\\?v=[0-9a-f]{12}$`));
    expect(photo.width).toBe(2400);
    expect(await listPhotosRecensement(database.db, setup.recensementId)).toEqual([expect.objectContaining({ id: photo.id, position: 1 })]);

    const sizes: Record<string, number> = {};
    for (const url of [photo.vignetteUrl, photo.affichageUrl, photo.originalUrl]) {
      const image = await browser.get(url);
      expect(image.statusCode, url).toBe(200);
      expect(image.headers["content-type"]).toBe("image/jpeg");
      expect(image.headers["cache-control"]).toBe("private, max-age=86400");
      expect(image.headers["x-content-type-options"]).toBe("nosniff");
      const metadata = await sharp(image.rawPayload).metadata();
      sizes[url.split("/")[3]!.split("?")[0]!] = Math.max(metadata.width, metadata.height);
    }
    expect(sizes).toEqual({ vignette: 400, affichage: 1600, original: 2400 });

    const first = await browser.get(photo.vignetteUrl);
    const again = await app.inject({
      method: "GET",
      url: photo.vignetteUrl,
      headers: { cookie: browser.cookieHeader(), "if-none-match": String(first.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    expect((await browser.get(`/photos/${photo.id}/brut`)).statusCode).toBe(404);
  });

  it("refuses non-images, truncated and oversized files with clear messages, storing nothing", async () => {
    const setup = await autreRecensement(bourg);
    const browser = await communeBrowser(setup);
    const filesBefore = storedFiles();
    const jpeg = await jpegWithGps();
    const cases: [Upload, number, string][] = [
      [{ filename: "photo.jpg", data: Buffer.from("Ceci est un texte renommé en photo.jpg") }, 415, PHOTO_ERROR_MESSAGES.not_an_image],
      [{ filename: "coupee.jpg", data: jpeg.subarray(0, Math.floor(jpeg.length / 2)) }, 422, PHOTO_ERROR_MESSAGES.corrupt],
      [{ filename: "enorme.jpg", data: Buffer.concat([jpeg, Buffer.alloc(21 * 1024 * 1024)]) }, 413, PHOTO_ERROR_MESSAGES.too_large],
      [
        { filename: "page.jpg", data: Buffer.from("\xff\xd8\xff\xe0<html><script>alert(1)</script></html>", "latin1") },
        422,
        PHOTO_ERROR_MESSAGES.corrupt,
      ],
    ];
    for (const [file, status, message] of cases) {
      const response = await upload(browser, setup, [file], { json: true });
      expect(response.statusCode, file.filename).toBe(status);
      expect(response.json<{ error: string }>().error).toBe(`« ${file.filename} » : ${message}`);
    }
    const plain = await upload(browser, setup, [cases[0]![0]]);
    expect(plain.statusCode).toBe(303);
    expect(await flashes(browser, setup)).toContain(`« photo.jpg » : ${PHOTO_ERROR_MESSAGES.not_an_image}`);

    const empty = await upload(browser, setup, [{ filename: "", data: Buffer.alloc(0), type: "application/octet-stream" }]);
    expect(empty.statusCode).toBe(303);
    expect(await flashes(browser, setup)).toContain("Choisissez au moins une photo à envoyer.");

    expect(await photoRows(setup.recensementId)).toEqual([]);
    expect((await recensementRow(setup.recensementId)).photos_count).toBe(0);
    expect(storedFiles()).toEqual(filesBefore);
  });

  it("keeps the good photos of a mixed upload and names the refused ones", async () => {
    const setup = await autreRecensement(bourg);
    const browser = await communeBrowser(setup);
    const response = await upload(browser, setup, [
      { filename: "bonne.jpg", data: await jpegWithGps() },
      { filename: "notes.txt", data: Buffer.from("pas une image"), type: "text/plain" },
    ]);
    expect(response.statusCode).toBe(303);
    const page = await flashes(browser, setup);
    expect(page).toContain("La photo a été ajoutée.");
    expect(page).toContain(`« notes.txt » : ${PHOTO_ERROR_MESSAGES.not_an_image}`);
    expect((await photoRows(setup.recensementId)).length).toBe(1);
  });

  it("allows 10 photos per recensement", async () => {
    const setup = await autreRecensement(bourg);
    const browser = await communeBrowser(setup);
    await database.db
      .insertInto("photos")
      .values(
        Array.from({ length: 9 }, (_, i) => ({
          recensement_id: setup.recensementId,
          uploaded_by: "commune" as const,
          storage_key: `photos/existante-${setup.recensementId}-${i}`,
          content_type: "image/jpeg" as const,
          byte_size: 1,
          width: 4,
          height: 3,
          sha256: "0".repeat(64),
          position: i + 1,
        })),
      )
      .execute();
    await database.db.updateTable("recensements").set({ photos_count: 9 }).where("id", "=", setup.recensementId).execute();
    const two = await upload(
      browser,
      setup,
      [
        { filename: "a.jpg", data: await jpegWithGps(200, 150) },
        { filename: "b.jpg", data: await jpegWithGps(200, 150) },
      ],
      { json: true },
    );
    expect(two.statusCode).toBe(201);
    expect(two.json<{ photos: unknown[]; errors: string[] }>()).toMatchObject({ errors: [MESSAGES_PHOTOS.tropDePhotos(9)] });
    expect((await recensementRow(setup.recensementId)).photos_count).toBe(10);
    const more = await upload(browser, setup, [{ filename: "c.jpg", data: await jpegWithGps(200, 150) }], { json: true });
    expect(more.statusCode).toBe(409);
    expect(more.json<{ error: string }>().error).toContain("Vous avez déjà 10 photos");
    expect((await photoRows(setup.recensementId)).length).toBe(10);
  });

  it("refuses photos for an objet that is not recensable", async () => {
    const setup = await autreRecensement(bourg, { recensable: false });
    const browser = await communeBrowser(setup);
    const response = await upload(browser, setup, [{ filename: "a.jpg", data: await jpegWithGps() }], { json: true });
    expect(response.statusCode).toBe(409);
    expect(response.json<{ error: string }>().error).toBe(MESSAGES_PHOTOS.nonPermises);
    expect(await photoRows(setup.recensementId)).toEqual([]);
  });

  it("refuses an upload to a dossier already sent (409), and one without its CSRF token (403)", async () => {
    const filesBefore = storedFiles();
    const sent = await communeBrowser(envoyee);
    const refused = await upload(sent, envoyee, [{ filename: "a.jpg", data: await jpegWithGps() }]);
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain(MESSAGE_NON_MODIFIABLE);
    const refusedJson = await upload(sent, envoyee, [{ filename: "a.jpg", data: await jpegWithGps() }], { json: true });
    expect(refusedJson.statusCode).toBe(409);
    expect(refusedJson.json<{ error: string }>().error).toBe(MESSAGE_NON_MODIFIABLE);

    const browser = await communeBrowser(bourg);
    const noToken = await upload(browser, bourg, [{ filename: "a.jpg", data: await jpegWithGps() }], { csrf: false });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.body).toContain("Formulaire expiré");
    expect(await photoRows(envoyee.recensementId)).toEqual([]);
    expect(await photoRows(bourg.recensementId)).toEqual([]);
    expect(storedFiles()).toEqual(filesBefore);

    // Another commune's objet: the access rule stops it before anything is read.
    const other = await upload(browser, voisine, [{ filename: "a.jpg", data: await jpegWithGps() }]);
    expect(other.statusCode).toBe(403);
  });

  it("deletes a photo of this recensement only (RB IDOR fixed)", async () => {
    const mine = await autreRecensement(bourg);
    const sibling = await autreRecensement(bourg);
    const browser = await communeBrowser(mine);
    const neighbour = await communeBrowser(voisine);
    const photoOf = async (b: Browser, setup: Setup) => {
      const response = await upload(b, setup, [{ filename: "a.jpg", data: await jpegWithGps(200, 150) }], { json: true });
      return response.json<{ photo: { id: number } }>().photo.id;
    };
    const ownPhoto = await photoOf(browser, mine);
    const siblingPhoto = await photoOf(browser, sibling);
    const neighbourPhoto = await photoOf(neighbour, voisine);
    const filesBefore = storedFiles();

    const deleteUrl = (setup: Setup, photoId: number) =>
      `/communes/${setup.codeInsee}/objets/${setup.objetId}/recensement/photos/${photoId}/supprimer`;
    expect((await browser.post(deleteUrl(mine, neighbourPhoto))).statusCode).toBe(404);
    expect((await browser.post(deleteUrl(mine, siblingPhoto))).statusCode).toBe(404);
    expect((await browser.post(deleteUrl(mine, 2_000_000))).statusCode).toBe(404);
    expect((await browser.post(deleteUrl(voisine, neighbourPhoto))).statusCode).toBe(403);
    expect((await browser.post(deleteUrl(mine, ownPhoto), {}, { csrf: false })).statusCode).toBe(403);
    expect(storedFiles()).toEqual(filesBefore);
    expect((await photoRows(voisine.recensementId)).length).toBe(1);
    expect((await photoRows(sibling.recensementId)).length).toBe(1);

    const deleted = await browser.post(deleteUrl(mine, ownPhoto));
    expect(deleted.statusCode).toBe(303);
    expect(deleted.headers.location).toBe(`/communes/${mine.codeInsee}/objets/${mine.objetId}/recensement/etapes/4`);
    expect(await flashes(browser, mine)).toContain("La photo a été supprimée.");
    expect(await photoRows(mine.recensementId)).toEqual([]);
    expect((await recensementRow(mine.recensementId)).photos_count).toBe(0);
    expect(storedFiles().length).toBe(filesBefore.length - 3);
    const audit = await database.db.selectFrom("audit_events").select("action").where("subject_id", "=", String(ownPhoto)).execute();
    expect(audit.map((a) => a.action)).toEqual(["photo.add", "photo.delete"]);
  });

  it("shows a photo only to its commune, the conservateurs of its département and admins", async () => {
    const browser = await communeBrowser(bourg);
    const setup = await autreRecensement(bourg);
    const response = await upload(browser, setup, [{ filename: "a.jpg", data: await jpegWithGps(200, 150) }], { json: true });
    const url = response.json<{ photo: { vignetteUrl: string } }>().photo.vignetteUrl;

    expect((await browser.get(url)).statusCode).toBe(200);
    expect((await (await communeBrowser(voisine)).get(url)).statusCode).toBe(404);
    expect((await (await signedIn({ type: "conservateur", id: conservateurAin })).get(url)).statusCode).toBe(200);
    expect((await (await signedIn({ type: "conservateur", id: conservateurAutre })).get(url)).statusCode).toBe(404);
    expect((await (await signedIn({ type: "admin", id: adminId })).get(url)).statusCode).toBe(200);
    const anonymous = await new Browser(app, "192.0.2.250").get(url);
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers["content-type"] ?? "").not.toContain("image");
  });

  it("lists the photos of several recensements in one query", async () => {
    const setup = await autreRecensement(bourg);
    const browser = await communeBrowser(setup);
    await upload(browser, setup, [{ filename: "a.jpg", data: await jpegWithGps(200, 150) }], { json: true });
    const grouped = await listPhotosRecensements(database.db, [setup.recensementId, voisine.recensementId, 999_999]);
    expect(grouped.get(setup.recensementId)?.length).toBe(1);
    expect(grouped.get(999_999)).toEqual([]);
    expect((await listPhotosRecensements(database.db, [])).size).toBe(0);
  });

  it("keeps multipart bodies away from the other forms", async () => {
    const browser = await communeBrowser(bourg);
    const body = multipart([{ filename: "a.jpg", data: Buffer.from("x") }], { _csrf: browser.csrf });
    const response: LightMyRequestResponse = await app.inject({
      method: "POST",
      url: `/communes/${bourg.codeInsee}/preferences`,
      payload: body.payload,
      headers: { cookie: browser.cookieHeader(), "content-type": body.contentType },
    });
    expect(response.statusCode).toBeLessThan(500);
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
  });

  it("renders the photo block: numbered alt texts, one delete form per photo, the upload form with its token", () => {
    const photos = [1, 2].map((id) => ({
      id,
      recensementId: 7,
      vignetteUrl: `/photos/${id}/vignette`,
      affichageUrl: `/photos/${id}/affichage`,
      originalUrl: `/photos/${id}/original`,
      width: 4000,
      height: 3000,
      position: id,
    }));
    const html = renderToString(
      <PhotosRecensement codeInsee="01053" objetId={5} objetTitre="Statue <b>" photos={photos} csrfToken="jeton+/=" modifiable />,
    );
    expect(html).toContain('alt="Photo 1 de Statue &lt;b>"');
    expect(html).toContain('alt="Photo 2 de Statue &lt;b>"');
    expect(html).toContain('width="400" height="300"');
    expect(html).toContain('href="/photos/2/affichage"');
    expect(html.match(/action="\/communes\/01053\/objets\/5\/recensement\/photos\/\d\/supprimer"/g)?.length).toBe(3);
    expect(html).toContain('action="/communes/01053/objets/5/recensement/photos?_csrf=jeton%2B%2F%3D"');
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).toContain('class="fr-upload-group"');
    expect(html).toContain("Ajouter des photos");
    expect(html).toContain("Envoyer les photos");
    expect(html).not.toContain("capture");
    expect(html).not.toMatch(/style=|<script/);

    const full = renderToString(
      <PhotosRecensement
        codeInsee="01053"
        objetId={5}
        objetTitre="Statue"
        photos={Array.from({ length: 10 }, (_, i) => ({ ...photos[0]!, id: i + 1 }))}
        csrfToken="t"
        modifiable
      />,
    );
    expect(full).toContain("le maximum pour un objet");
    expect(full).not.toContain("Envoyer les photos");
    const readOnly = renderToString(
      <PhotosRecensement codeInsee="01053" objetId={5} objetTitre="Statue" photos={photos} csrfToken="t" modifiable={false} />,
    );
    expect(readOnly).not.toContain("supprimer");
    expect(readOnly).not.toContain("<form");
  });

  it("serves the bundled client script with a content hash and a long cache", async () => {
    const url = clientScriptUrl("photos");
    expect(url).toMatch(/^\/assets\/js\/photos\.[A-Z0-9]+\.js$/);
    const script = await app.inject({ method: "GET", url });
    expect(script.statusCode).toBe(200);
    expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(script.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(script.body).toContain("createImageBitmap");
    expect((await app.inject({ method: "GET", url: "/assets/js/inconnu.ABC.js" })).statusCode).toBe(404);
  });
});
