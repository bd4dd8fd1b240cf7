import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import type pg from "pg";
import PDFDocument from "pdfkit";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { createContext } from "../context.ts";
import { LocalFileStore } from "../platform/storage/local.ts";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertConservateur, type CommuneRow } from "../../test/factories.ts";
import { Browser, insertAdmin, insertCommuneUser } from "../../test/factories-comptes.ts";
import { multipart, type Upload } from "../../test/multipart.ts";
import { lireAdresseReponse } from "./adresses.ts";
import { MESSAGES_PIECES_JOINTES } from "./pieces-jointes.ts";
import { publierMessage } from "./publication.ts";
import { MESSAGES_MESSAGERIE, MESSAGES_PAR_PAGE } from "./rules.ts";

const GPS_EXIF = {
  IFD0: { Make: "Téléphone" },
  IFD3: { GPSLatitudeRef: "N", GPSLatitude: "47/1 34/1 2964/100", GPSLongitudeRef: "W", GPSLongitude: "2/1 57/1 784/100" },
};

async function pdf(): Promise<Buffer> {
  const doc = new PDFDocument();
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve) => doc.on("end", () => resolve()));
  doc.text("Devis de restauration");
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/** Counts the statements sent to the database (both PGlite and PostgreSQL sit behind a pg.Pool). */
function compterRequetes(pool: pg.Pool, compter: () => void): void {
  type Rappel = (error: Error | undefined, client?: pg.PoolClient, done?: unknown) => void;
  const comptes = new WeakSet<pg.PoolClient>();
  const compte = (client: pg.PoolClient): pg.PoolClient => {
    if (!comptes.has(client)) {
      comptes.add(client);
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        compter();
        return query(...args);
      };
    }
    return client;
  };
  const connect = pool.connect.bind(pool) as (rappel?: Rappel) => unknown;
  (pool as { connect: unknown }).connect = (rappel?: Rappel) =>
    rappel
      ? connect((error, client, done) => rappel(error, client && compte(client), done))
      : (connect() as Promise<pg.PoolClient>).then(compte);
}

const ongletMessagerie = (html: string) =>
  /<a[^>]*class="onglets__lien"[^>]*href="[^"]*\/messagerie"[^>]*>([^<]*)<\/a>|<a[^>]*href="[^"]*\/messagerie"[^>]*class="onglets__lien"[^>]*>([^<]*)<\/a>/
    .exec(html)
    ?.slice(1)
    .find(Boolean);
const navMessagerie = (html: string) => /<a[^>]*class="fr-nav__link"[^>]*>(Messagerie[^<]*)<\/a>/.exec(html)?.[1];

describe("messagerie threads: commune, conservateur, support", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let files: LocalFileStore;
  let filesDir: string;
  let config: ReturnType<typeof loadConfig>;
  let statements = 0;
  let ip = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), "co-messagerie-"));
    files = new LocalFileStore(filesDir);
    config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" });
    app = await buildApp({ config, database, files });
    compterRequetes(database.pool, () => (statements += 1));
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  async function scene(departement = "56") {
    const commune = await insertCommune(database, { departement_code: departement, nom: "Locmariaquer", phone_number: "02 97 57 32 32" });
    const user = await insertCommuneUser(database, commune.id);
    const conservateur = await insertConservateur(database, {
      departement_codes: [departement],
      first_name: "Anne",
      last_name: "Le Goff",
      created_at: new Date("2020-01-01T00:00:00Z"),
    });
    const ailleurs = await insertConservateur(database, { departement_codes: [departement === "56" ? "29" : "56"] });
    const mairie = new Browser(app, `198.51.100.${++ip}`).withSession({ account: { type: "commune", id: user.id } });
    const conserv = new Browser(app, `198.51.100.${++ip}`).withSession({ account: { type: "conservateur", id: conservateur.id } });
    return { commune, user, conservateur, ailleurs, mairie, conserv };
  }

  /** Posts the new message form as a browser does (multipart, token in the query string). */
  async function envoyer(browser: Browser, url: string, texte: string | null, uploads: Upload[] = []): Promise<LightMyRequestResponse> {
    if (!browser.csrf) await browser.get(url);
    const body = multipart(
      uploads.map((u) => ({ ...u, field: u.field ?? "fichiers" })),
      texte === null ? {} : { texte },
    );
    const response = await app.inject({
      method: "POST",
      url: `${url}?_csrf=${encodeURIComponent(browser.csrf)}`,
      payload: body.payload,
      remoteAddress: browser.ip,
      headers: { cookie: browser.cookieHeader(), "content-type": body.contentType },
    });
    for (const cookie of response.cookies as { name: string; value: string }[]) browser.cookies.set(cookie.name, cookie.value);
    return response;
  }

  const messagesDe = (commune: CommuneRow) =>
    database.db.selectFrom("messages").selectAll().where("commune_id", "=", commune.id).orderBy("id").execute();

  async function fichiersStockes(): Promise<string[]> {
    const keys: string[] = [];
    for await (const entry of files.list("messages/")) keys.push(entry.key);
    return keys;
  }

  it("a commune writes with a PDF and a photo; the conservateur is notified, sees the thread unread, reads it and downloads", async () => {
    const { commune, conservateur, ailleurs, mairie, conserv } = await scene();
    const url = `/communes/${commune.code_insee}/messagerie`;
    const vide = await mairie.get(url);
    expect(vide.statusCode).toBe(200);
    expect(vide.body).toContain("Aucun message pour le moment");
    expect(vide.body).toContain("Attention à vos données à caractère personnel");
    expect(vide.body).toMatch(/mairie-\d{5}-[a-z2-7]{24}@/);

    const photo = await sharp({ create: { width: 900, height: 600, channels: 3, background: "#996633" } })
      .jpeg()
      .withExif(GPS_EXIF)
      .toBuffer();
    const response = await envoyer(mairie, url, "Bonjour,\nVoici le devis <b>signé</b>.", [
      { filename: "devis.pdf", data: await pdf(), type: "application/pdf" },
      { filename: "croix.jpg", data: photo },
    ]);
    expect(response.statusCode).toBe(303);
    const [message] = await messagesDe(commune);
    expect(response.headers.location).toBe(`${url}#message-${message!.id}`);
    expect(message).toMatchObject({ author_type: "commune", origin: "web", text: "Bonjour,\nVoici le devis <b>signé</b>." });

    const fil = await mairie.get(url);
    expect(fil.body).toContain("Votre message a été envoyé.");
    expect(fil.body).toContain("<strong>Vous</strong>");
    expect(fil.body).toContain("Voici le devis &lt;b>signé&lt;/b>.");
    expect(fil.body).toContain("devis.pdf");
    expect(fil.body).toContain('alt="Photo jointe : croix.jpg"');

    const mails = await database.db
      .selectFrom("outbox_mails")
      .selectAll()
      .where("idempotency_key", "like", `message:${message!.id}:%`)
      .execute();
    expect(mails.map((m) => m.to_address)).toEqual([conservateur.email]);
    expect(mails.map((m) => m.to_address)).not.toContain(ailleurs.email);
    expect(lireAdresseReponse(mails[0]!.reply_to!, config.replyDomain)).toMatchObject({
      cote: "conservateur",
      codeInsee: commune.code_insee,
    });
    expect(mails[0]!.text).toContain("2 pièces jointes");

    // Inbox: unread first, with the count in the navigation.
    const boite = await conserv.get("/conservateurs/messagerie");
    expect(boite.statusCode).toBe(200);
    expect(navMessagerie(boite.body)).toBe("Messagerie (1 non lu)");
    expect(boite.body).toContain(`/conservateurs/communes/${commune.code_insee}/messagerie`);
    expect(boite.body).toContain("1 non lu</p>");
    // …and on the commune page's Messagerie tab.
    const pageCommune = `/conservateurs/communes/${commune.code_insee}`;
    expect(ongletMessagerie((await conserv.get(pageCommune)).body)).toBe("Messagerie (1 non lu)");

    const onglet = await conserv.get(`/conservateurs/communes/${commune.code_insee}/messagerie`);
    expect(onglet.statusCode).toBe(200);
    expect(onglet.body).toContain("<strong>Locmariaquer (Commune)</strong>");
    expect(onglet.body).toContain("Autres contacts de la commune");
    expect(onglet.body).toContain('href="tel:0297573232"');
    expect(onglet.body).toMatch(/mairie-\d{5}-conservateur-[a-z2-7]{24}@/);
    // Read on this very visit: the navigation no longer counts it.
    expect(navMessagerie(onglet.body)).toBe("Messagerie");
    expect(navMessagerie((await conserv.get("/conservateurs/messagerie")).body)).toBe("Messagerie");
    expect(ongletMessagerie((await conserv.get(pageCommune)).body)).toBe("Messagerie");

    const pieces = await database.db
      .selectFrom("message_attachments")
      .selectAll()
      .where("message_id", "=", message!.id)
      .orderBy("id")
      .execute();
    const [pdfPiece, imagePiece] = pieces;
    const base = `/conservateurs/communes/${commune.code_insee}/messagerie/pieces-jointes`;
    const telechargement = await conserv.get(`${base}/${pdfPiece!.id}`);
    expect(telechargement.statusCode).toBe(200);
    expect(telechargement.headers["content-type"]).toBe("application/pdf");
    expect(telechargement.headers["content-disposition"]).toBe(`attachment; filename="devis.pdf"; filename*=UTF-8''devis.pdf`);
    expect(telechargement.headers["x-content-type-options"]).toBe("nosniff");
    expect(telechargement.headers["cache-control"]).toContain("private");
    expect(telechargement.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
    const vignette = await conserv.get(`${base}/${imagePiece!.id}?variante=vignette`);
    expect(vignette.statusCode).toBe(200);
    expect(vignette.headers["content-type"]).toBe("image/jpeg");
    const meta = await sharp(vignette.rawPayload).metadata();
    expect(Math.max(meta.width, meta.height)).toBeLessThanOrEqual(400);
    expect(meta.exif).toBeUndefined();
    const original = await mairie.get(`${url}/pieces-jointes/${imagePiece!.id}`);
    expect(original.statusCode).toBe(200);
    expect((await sharp(original.rawPayload).metadata()).exif).toBeUndefined();

    // Another commune's thread does not hold these attachments.
    const autre = await insertCommune(database, { departement_code: "56" });
    expect((await conserv.get(`/conservateurs/communes/${autre.code_insee}/messagerie/pieces-jointes/${pdfPiece!.id}`)).statusCode).toBe(
      404,
    );
  });

  it("a conservateur answers: the commune sees the unread count in its navigation, and reading clears it", async () => {
    const { commune, user, mairie, conserv } = await scene("68");
    const url = `/conservateurs/communes/${commune.code_insee}/messagerie`;
    const response = await envoyer(conserv, url, "Merci, je passerai le 12.");
    expect(response.statusCode).toBe(303);
    const mail = await database.db.selectFrom("outbox_mails").selectAll().where("to_address", "=", user.email).executeTakeFirstOrThrow();
    expect(mail.subject).toBe("Anne Le Goff vous a envoyé un message sur Collectif Objets");
    expect(lireAdresseReponse(mail.reply_to!, config.replyDomain)).toMatchObject({ cote: "commune" });

    const objets = await mairie.get(`/communes/${commune.code_insee}/objets`);
    expect(navMessagerie(objets.body)).toBe("Messagerie (1 non lu)");
    const fil = await mairie.get(`/communes/${commune.code_insee}/messagerie`);
    expect(fil.body).toContain("<strong>Anne Le Goff (Conservateur)</strong>");
    expect(navMessagerie(fil.body)).toBe("Messagerie");
    expect(navMessagerie((await mairie.get(`/communes/${commune.code_insee}/objets`)).body)).toBe("Messagerie");

    // The conservateur's own message is not news to them.
    const boite = await conserv.get("/conservateurs/messagerie");
    expect(navMessagerie(boite.body)).toBe("Messagerie");
  });

  it("refuses a message without text or with a refused attachment: form shown again with the text, nothing saved", async () => {
    const { commune, mairie } = await scene("46");
    const url = `/communes/${commune.code_insee}/messagerie`;
    const stockesAvant = (await fichiersStockes()).length;
    const sansTexte = await envoyer(mairie, url, "   ", [
      {
        filename: "croix.jpg",
        data: await sharp({ create: { width: 50, height: 50, channels: 3, background: "#fff" } })
          .jpeg()
          .toBuffer(),
      },
    ]);
    expect(sansTexte.statusCode).toBe(400);
    expect(sansTexte.body).toContain(MESSAGES_MESSAGERIE.texteManquant);

    const exe = Buffer.concat([Buffer.from("MZ\x90\x00", "latin1"), Buffer.alloc(3000, 1)]);
    const refuse = await envoyer(mairie, url, "Voici la facture & le plan", [
      { filename: "plan.pdf", data: await pdf(), type: "application/pdf" },
      { filename: "facture.pdf", data: exe, type: "application/pdf" },
    ]);
    expect(refuse.statusCode).toBe(400);
    expect(refuse.body).toContain(MESSAGES_MESSAGERIE.piecesRefusees);
    expect(refuse.body).toContain(`« facture.pdf » : ${MESSAGES_PIECES_JOINTES.contenuDifferent("pdf").replace(/’/g, "’")}`);
    expect(refuse.body).toMatch(/<textarea[^>]*>Voici la facture &amp; le plan<\/textarea>/);

    const tropLong = await envoyer(mairie, url, "x".repeat(10_001));
    expect(tropLong.statusCode).toBe(400);
    expect(tropLong.body).toContain("Votre message est trop long");

    const onze = await envoyer(
      mairie,
      url,
      "Onze fichiers",
      Array.from({ length: 11 }, (_, i) => ({ filename: `note-${i}.txt`, data: Buffer.from(`note ${i}`), type: "text/plain" })),
    );
    expect(onze.statusCode).toBe(400);
    expect(onze.body).toContain(MESSAGES_PIECES_JOINTES.tropDeFichiers);

    // An empty form post (urlencoded, no field) changes nothing either.
    await mairie.get(url);
    const videPost = await mairie.post(url, {});
    expect(videPost.statusCode).toBe(400);

    expect(await messagesDe(commune)).toEqual([]);
    expect((await fichiersStockes()).length).toBe(stockesAvant);
  });

  it("support posts as Support; an admin looking through the commune's eyes does not mark the thread read", async () => {
    const { commune, user } = await scene("56");
    const admin = await insertAdmin(database);
    const browser = new Browser(app, `198.51.100.${++ip}`).withSession({ account: { type: "admin", id: admin.id } });
    const url = `/admin/communes/${commune.code_insee}/messagerie`;
    expect((await browser.get(url)).statusCode).toBe(200);
    const response = await envoyer(browser, url, "Bonjour, ici l’équipe support.");
    expect(response.statusCode).toBe(303);
    const [message] = await messagesDe(commune);
    expect(message).toMatchObject({ author_type: "admin", author_id: admin.id });
    const mail = await database.db.selectFrom("outbox_mails").selectAll().where("to_address", "=", user.email).executeTakeFirstOrThrow();
    expect(mail.subject).toBe("Support Collectif Objets vous a envoyé un message sur Collectif Objets");
    expect((await browser.get(url)).body).toContain("<strong>Vous</strong>");

    const incarne = new Browser(app, `198.51.100.${++ip}`).withSession({
      account: { type: "admin", id: admin.id },
      impersonation: { type: "commune", id: user.id, write: false },
    });
    const vue = await incarne.get(`/communes/${commune.code_insee}/messagerie`);
    expect(vue.statusCode).toBe(200);
    expect(vue.body).toContain(`${admin.first_name} ${admin.last_name} (Support)`);
    expect(vue.body).toContain("lecture seule");
    expect(await database.db.selectFrom("message_lectures").selectAll().where("commune_id", "=", commune.id).execute()).toEqual([]);
  });

  it("renders a mail reply's HTML sanitised, its quoted part folded, its sender and omitted attachments", async () => {
    const { commune, user, conservateur, conserv } = await scene("56");
    await database.db.transaction().execute((trx) =>
      publierMessage(createContext({ config, database, files }), trx, {
        communeId: commune.id,
        auteur: { type: "commune", id: user.id },
        origine: "inbound_email",
        texte: "Réponse",
        piecesJointes: [],
        bodyHtml: '<p>Réponse <strong>importante</strong></p><script>alert(1)</script><img src=x onerror="alert(2)">',
        quotedText: "Le lundi, Anne a écrit :\n> Bonjour",
        signature: "Le maire",
        fromEmail: "maire@locmariaquer.test",
        sentAt: new Date("2026-03-02T09:30:00Z"),
        omittedAttachments: [{ filename: "film.mp4", reason: "Type de fichier non accepté" }],
      }),
    );
    const page = await conserv.get(`/conservateurs/communes/${commune.code_insee}/messagerie`);
    expect(page.body).toContain("<p>Réponse <strong>importante</strong></p>");
    expect(page.body).not.toContain("<script>alert");
    expect(page.body).not.toContain("onerror");
    expect(page.body).toMatch(/<details class="msg-repli[^"]*"><summary>Signature et message cité<\/summary>/);
    expect(page.body).toContain("Le lundi, Anne a écrit :\n> Bonjour</div>");
    expect(page.body).toContain("envoyé par mail depuis l’adresse maire@locmariaquer.test");
    expect(page.body).toContain("film.mp4 — Type de fichier non accepté");
    expect(page.body).toContain("2 mars 2026 à 10:30");
    expect(conservateur.id).toBeGreaterThan(0);
  });

  it("shows the latest 50 messages with a link to older ones, in a fixed number of statements", async () => {
    const { commune, user, conserv } = await scene("56");
    async function remplir(n: number) {
      await database.db
        .insertInto("messages")
        .values(
          Array.from({ length: n }, (_, i) => ({
            commune_id: commune.id,
            origin: "web" as const,
            author_type: "commune" as const,
            author_id: user.id,
            text: `Message n° ${i}`,
          })),
        )
        .execute();
    }
    const url = `/conservateurs/communes/${commune.code_insee}/messagerie`;
    await remplir(3);
    await conserv.get(url);
    let before = statements;
    await conserv.get(url);
    const petit = statements - before;

    await remplir(MESSAGES_PAR_PAGE + 10 - 3);
    const ids = (await messagesDe(commune)).map((m) => m.id);
    await database.db
      .insertInto("message_attachments")
      .values(
        ids.map((id, i) => ({
          message_id: id,
          storage_key: `messages/test-${id}`,
          filename: `f${i}.pdf`,
          content_type: "application/pdf",
          byte_size: 10,
        })),
      )
      .execute();
    await conserv.get(url);
    before = statements;
    const page = await conserv.get(url);
    expect(statements - before).toBe(petit);
    expect(petit).toBeLessThanOrEqual(8);
    expect(page.body).toContain("Message n° 56");
    expect(page.body).not.toContain("Message n° 2<");
    const older = /href="([^"]*\?avant=\d+)"/.exec(page.body)?.[1];
    expect(older).toBeDefined();
    const anciens = await conserv.get(older!);
    expect(anciens.body).toContain("Message n° 0<");
    expect(anciens.body).toContain("Voir les messages les plus récents");
    expect((anciens.body.match(/class="msg-message/g) ?? []).length).toBe(10);
  });

  it("lists the inbox threads unread first then most recent, 20 per page; history older than the account is not unread", async () => {
    const conservateur = await insertConservateur(database, { departement_codes: ["22"], created_at: new Date("2025-06-01T00:00:00Z") });
    const browser = new Browser(app, `198.51.100.${++ip}`).withSession({ account: { type: "conservateur", id: conservateur.id } });
    const communes: CommuneRow[] = [];
    for (let i = 0; i < 23; i++) {
      const commune = await insertCommune(database, { departement_code: "22", nom: `Commune des Côtes ${String(i).padStart(2, "0")}` });
      const user = await insertCommuneUser(database, commune.id);
      communes.push(commune);
      // The first two threads are the oldest, written by their commune, and unread; the others were answered.
      await database.db
        .insertInto("messages")
        .values({
          commune_id: commune.id,
          origin: "web",
          author_type: i < 2 ? "commune" : "conservateur",
          author_id: i < 2 ? user.id : conservateur.id,
          text: `Fil ${i}`,
        })
        .execute();
    }
    const ancienne = await insertCommune(database, { departement_code: "22", nom: "Commune ancienne" });
    const user = await insertCommuneUser(database, ancienne.id);
    await database.db
      .insertInto("messages")
      .values({
        commune_id: ancienne.id,
        origin: "web",
        author_type: "commune",
        author_id: user.id,
        text: "Avant votre arrivée",
        created_at: new Date("2024-01-01T00:00:00Z"),
      })
      .execute();

    const premiere = await browser.get("/conservateurs/messagerie");
    expect(navMessagerie(premiere.body)).toBe("Messagerie (2 non lus)");
    const noms = [...premiere.body.matchAll(/messagerie">(Commune [^<]+) \(/g)].map((m) => m[1]);
    expect(noms.slice(0, 3)).toEqual(["Commune des Côtes 01", "Commune des Côtes 00", "Commune ancienne"]);
    expect(noms).toHaveLength(20);
    expect(premiere.body).toContain("page=2");
    const seconde = await browser.get("/conservateurs/messagerie?page=2");
    expect([...seconde.body.matchAll(/messagerie">(Commune [^<]+) \(/g)]).toHaveLength(4);
    expect(seconde.body).not.toContain("non lu</p>");
  });
});
