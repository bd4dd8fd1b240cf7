import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { Kysely, PostgresDialect } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import type { DB } from "../platform/db/schema.ts";
import { DSFR_DIST } from "../platform/http/server.ts";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import {
  insertCommune,
  insertConservateur,
  insertDossier,
  insertEdifice,
  insertObjet,
  insertRecensement,
  type CommuneRow,
  type ObjetRow,
} from "../../test/factories.ts";
import { Browser, insertCommuneUser } from "../../test/factories-comptes.ts";
import { listObjetsDeCommune } from "./objets-repository.ts";
import { ETAPES_RECENSEMENT } from "./views/premiere-visite.tsx";
import { etatListe, formatDateLongue, paginer } from "./views/objets-list.tsx";

const MEMOIRE = "https://s3.eu-west-3.amazonaws.com/pop-phototeque/memoire";
const NBSP = "\u00a0";

describe("commune objets: list, première visite, objet page", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  /** Every query the app sends, to check the list does not grow with the number of objets. */
  let queries = 0;
  let countingDb: Kysely<DB>;
  let ip = 0;
  let photoSequence = 0;

  async function communeAvecCompte(nom: string, codeInsee: string): Promise<{ commune: CommuneRow; browser: Browser }> {
    const commune = await insertCommune(database, { code_insee: codeInsee, nom });
    const user = await insertCommuneUser(database, commune.id);
    const browser = new Browser(app, `192.0.2.${++ip}`).withSession({ account: { type: "commune", id: user.id } });
    return { commune, browser };
  }

  async function insertPhoto(recensementId: number, position: number): Promise<number> {
    photoSequence += 1;
    const row = await database.db
      .insertInto("photos")
      .values({
        recensement_id: recensementId,
        uploaded_by: "commune",
        storage_key: `test/photo-${photoSequence}.jpg`,
        content_type: "image/jpeg",
        byte_size: 1000,
        width: 800,
        height: 600,
        sha256: `sha-${photoSequence}`,
        position,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    countingDb = new Kysely<DB>({
      dialect: new PostgresDialect({ pool: database.pool }),
      log(event) {
        if (event.level === "query") queries += 1;
      },
    });
    app = await buildApp({
      config: loadConfig({ ...process.env, NODE_ENV: "test", LOG_LEVEL: "silent" }),
      database: { ...database, db: countingDb },
    });
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  describe("an inactive commune", () => {
    let commune: CommuneRow;
    let browser: Browser;
    let enPlace: ObjetRow;
    let avecMemoire: ObjetRow;
    let ancien: ObjetRow;

    beforeAll(async () => {
      ({ commune, browser } = await communeAvecCompte("Bourg-en-Bresse", "01053"));
      const eglise = await insertEdifice(database, { code_insee: "01053", nom: "église Notre-Dame" });
      enPlace = await insertObjet(database, { lieu_actuel_code_insee: "01053", edifice: eglise, palissy_tico: "Statue de la Vierge" });
      avecMemoire = await insertObjet(database, {
        lieu_actuel_code_insee: "01053",
        edifice: eglise,
        palissy_tico: "Calice",
        palissy_photos: [
          { url: `${MEMOIRE}/calice-1.jpg`, name: "Vue de face", credit: "© Inventaire" },
          { url: `${MEMOIRE}/calice-2.jpg`, name: null, credit: null },
        ],
      });
      // A recensement of a dossier archived by a past campaign: neither its status nor its photo is current.
      ancien = await insertObjet(database, {
        lieu_actuel_code_insee: "01053",
        palissy_tico: "Cloche",
        palissy_photos: [{ url: `${MEMOIRE}/cloche.jpg`, name: null, credit: null }],
      });
      const archive = await insertDossier(database, { commune_id: commune.id, status: "archived" });
      const vieux = await insertRecensement(database, { objet_id: ancien.id, dossier_id: archive.id });
      await insertPhoto(vieux.id, 0);
    });

    it("says how many objets to recense, explains the steps and offers 'Recenser' on each card", async () => {
      const response = await browser.get("/communes/01053/objets");
      expect(response.statusCode).toBe(200);
      const html = response.body;
      expect(html).toContain(`<h1>3${NBSP}objets protégés à recenser</h1>`);
      expect(html).toContain(`<title>3${NBSP}objets protégés à recenser — Bourg-en-Bresse — Collectif Objets</title>`);
      expect(html).toContain("Comment ça marche ?</button>");
      expect(html).toContain("Allez voir vos objets");
      expect(html.match(/>Pas encore recensé</g)).toHaveLength(3);
      expect(html).not.toContain(">Recensé<");
      for (const objet of [enPlace, avecMemoire, ancien]) {
        expect(html).toContain(`<form method="post" action="/communes/01053/objets/${objet.id}/recensement">`);
        expect(html).toContain(`href="/communes/01053/objets/${objet.id}"`);
      }
      expect(html).toContain('Recenser<span class="fr-sr-only"> l’objet « Statue de la Vierge »</span>');
      expect(html).toMatch(/name="_csrf" value="[^"]+"/);
      expect(html).toContain(`Église Notre-Dame <span class="fr-text--md fr-text--regular">· 2${NBSP}objets</span>`);
      // Photo: the Mémoire one (the archived recensement's photo is not shown), else the placeholder.
      expect(html).toContain(`src="${MEMOIRE}/calice-1.jpg"`);
      expect(html).toContain(`src="${MEMOIRE}/cloche.jpg"`);
      expect(html).not.toContain("/vignette");
      expect(html).toContain("Pas de photo");
      expect(html).toContain(`Pourquoi cette liste ne contient-elle que 3 objets${NBSP}?`);
      expect(html).not.toContain("Envoyer le recensement");
      expect(html).not.toContain('class="fr-summary');
    });

    it("shows the commune navigation with 'Recensement' as the current item, and the Messagerie", async () => {
      const html = (await browser.get("/communes/01053/objets")).body;
      expect(html).toContain('<a class="fr-nav__link" href="/communes/01053/objets" aria-current="page">Recensement</a>');
      expect(html).toContain('<a class="fr-nav__link" href="/communes/01053/dossier">Examen du conservateur</a>');
      expect(html).toContain('<a class="fr-nav__link" href="/comment-ca-marche">Comment ça marche ?</a>');
      expect(html).toContain('<a class="fr-nav__link" href="/communes/01053/messagerie">Messagerie</a>');
      expect(html).not.toContain('class="fr-nav__link" href="/fiches"');
      const objet = (await browser.get(`/communes/01053/objets/${enPlace.id}`)).body;
      expect(objet).toContain('href="/communes/01053/objets" aria-current="page">Recensement</a>');
      const examen = (await browser.get("/communes/01053/dossier")).body;
      expect(examen).toContain('href="/communes/01053/dossier" aria-current="page">Examen du conservateur</a>');
      expect(examen).toContain('<a class="fr-nav__link" href="/communes/01053/objets">Recensement</a>');
      const anonymous = await app.inject("/comment-ca-marche");
      expect(anonymous.body).toContain('class="fr-nav__link" href="/fiches"');
    });

    it("welcomes the commune with three illustrated steps and a button to the list", async () => {
      const response = await browser.get("/communes/01053/premiere-visite");
      expect(response.statusCode).toBe(200);
      const html = response.body;
      expect(html).toContain("<h1>Recensez vos objets en 3 étapes</h1>");
      expect(html).toContain("Voir les objets de Bourg-en-Bresse");
      expect(html).toContain('<a class="fr-btn fr-btn--lg fr-icon-arrow-right-line fr-btn--icon-right" href="/communes/01053/objets">');
      expect(html).toContain("Recenser les objets de Bourg-en-Bresse");
      for (const etape of ETAPES_RECENSEMENT) {
        expect(html).toContain(`href="/dsfr/artwork/pictograms/${etape.pictogramme}.svg#artwork-major"`);
        expect(fs.existsSync(path.join(DSFR_DIST, "artwork", "pictograms", `${etape.pictogramme}.svg`)), etape.pictogramme).toBe(true);
      }
      expect(html).toContain('<svg aria-hidden="true" focusable="false" class="fr-artwork"');
    });

    it("offers 'Recenser' on the objet page, with the Palissy attributes and a Mémoire gallery", async () => {
      const response = await browser.get(`/communes/01053/objets/${avecMemoire.id}`);
      expect(response.statusCode).toBe(200);
      const html = response.body;
      expect(html).toContain("<h1>Calice</h1>");
      expect(html).toContain(">Pas encore recensé</p>");
      expect(html).toContain(`<form method="post" action="/communes/01053/objets/${avecMemoire.id}/recensement">`);
      expect(html).toContain("<dt>Dénomination</dt><dd>Statue</dd>");
      expect(html).toContain('<a href="/communes/01053/objets">Bourg-en-Bresse</a>');
      expect(html).toContain("Classé monument historique");
      expect(html).not.toContain("Vos photos");
      expect(html).toContain(`href="/communes/01053/objets/${avecMemoire.id}/photos-memoire/1#photo"`);
      expect(html).toContain(`href="/communes/01053/objets/${avecMemoire.id}/photos-memoire/2#photo"`);
      expect(html).toContain('alt="Calice : Vue de face (afficher en grand)"');
      expect(html).toContain("Vue de face — © Inventaire");
      expect(html).not.toContain("Commentaire du conservateur");
    });

    it("shows each Mémoire photo full screen with previous / next / close links", async () => {
      const base = `/communes/01053/objets/${avecMemoire.id}/photos-memoire`;
      const first = await browser.get(`${base}/1`);
      expect(first.statusCode).toBe(200);
      expect(first.body).toContain("Photo 1 sur 2");
      expect(first.body).toContain(`src="${MEMOIRE}/calice-1.jpg"`);
      expect(first.body).toContain(`href="${base}/2#photo"`);
      expect(first.body).toContain("Photo suivante");
      expect(first.body).not.toContain("Photo précédente");
      expect(first.body).toContain(`href="/communes/01053/objets/${avecMemoire.id}#photos-memoire"`);
      expect(first.body).toContain(">Fermer</a>");
      const second = await browser.get(`${base}/2`);
      expect(second.body).toContain("Photo 2 sur 2");
      expect(second.body).toContain(`href="${base}/1#photo"`);
      expect(second.body).toContain("Photo précédente");
      expect(second.body).not.toContain("Photo suivante");
      expect(second.body).toContain('alt="Calice, photo 2"');
      expect((await browser.get(`${base}/3`)).statusCode).toBe(404);
      for (const bad of ["0", "abc", "1.5", "99999999999"]) expect((await browser.get(`${base}/${bad}`)).statusCode, bad).toBe(400);
      expect((await browser.get(`/communes/01053/objets/${enPlace.id}/photos-memoire/1`)).statusCode).toBe(404);
    });

    it("answers 404 for another commune's objet and 400 for a malformed number, never 500", async () => {
      await insertCommune(database, { code_insee: "01004", nom: "Ambérieu-en-Bugey" });
      const ailleurs = await insertObjet(database, { lieu_actuel_code_insee: "01004" });
      const response = await browser.get(`/communes/01053/objets/${ailleurs.id}`);
      expect(response.statusCode).toBe(404);
      expect(response.body).toContain("Cet objet n’est pas dans la liste des objets protégés de votre commune.");
      expect((await browser.get("/communes/01053/objets/999999")).statusCode).toBe(404);
      for (const bad of ["abc", "0", "-1", "1e3", "99999999999", "1%00"]) {
        const r = await browser.get(`/communes/01053/objets/${bad}`);
        expect(r.statusCode, bad).toBe(400);
        expect(r.body).toContain("Numéro d’objet invalide.");
      }
    });

    it("refuses another commune (403) and sends visitors to the login page", async () => {
      const { browser: autre } = await communeAvecCompte("Paris", "75056");
      for (const url of ["/communes/01053/objets", `/communes/01053/objets/${enPlace.id}`, "/communes/01053/premiere-visite"]) {
        const response = await autre.get(url);
        expect(response.statusCode, url).toBe(403);
        expect(response.body).not.toContain("Statue de la Vierge");
      }
      const anonymous = await app.inject("/communes/01053/objets");
      expect(anonymous.statusCode).toBe(303);
      expect(anonymous.headers.location).toMatch(/^\/communes\/connexion/);
    });
  });

  describe("a commune recensing", () => {
    let commune: CommuneRow;
    let browser: Browser;
    const objets: Record<"fait" | "brouillon" | "rien", ObjetRow> = {} as never;
    let photoId = 0;

    beforeAll(async () => {
      ({ commune, browser } = await communeAvecCompte("Ambronay", "01007"));
      const edifices = await Promise.all(
        ["église Saint-Martin", "chapelle", "mairie", "presbytère"].map((nom) => insertEdifice(database, { code_insee: "01007", nom })),
      );
      objets.fait = await insertObjet(database, {
        lieu_actuel_code_insee: "01007",
        edifice: edifices[0],
        palissy_tico: "Retable",
        palissy_photos: [{ url: `${MEMOIRE}/retable.jpg`, name: null, credit: null }],
      });
      objets.brouillon = await insertObjet(database, { lieu_actuel_code_insee: "01007", edifice: edifices[1], palissy_tico: "Tableau" });
      objets.rien = await insertObjet(database, { lieu_actuel_code_insee: "01007", edifice: edifices[2], palissy_tico: "Buste" });
      await insertObjet(database, { lieu_actuel_code_insee: "01007", edifice: edifices[3], palissy_tico: "Bannière" });
      const dossier = await insertDossier(database, { commune_id: commune.id });
      await database.db.updateTable("communes").set({ status: "started" }).where("id", "=", commune.id).execute();
      const fait = await insertRecensement(database, { objet_id: objets.fait.id, dossier_id: dossier.id });
      await insertPhoto(fait.id, 2);
      photoId = await insertPhoto(fait.id, 1);
      await insertRecensement(database, { objet_id: objets.brouillon.id, dossier_id: dossier.id, status: "draft" });
    });

    it("counts what is left, badges each objet and offers Modifier / Compléter / Recenser", async () => {
      const html = (await browser.get("/communes/01007/objets")).body;
      expect(html).toContain(`<h1>Il reste 3${NBSP}objets protégés à recenser</h1>`);
      expect(html).toContain("Comment ça marche ?</button>");
      expect(html).toContain('<p class="fr-badge fr-badge--sm fr-badge--success">Recensé</p>');
      expect(html).toContain('<p class="fr-badge fr-badge--sm fr-badge--info">Recensement à compléter</p>');
      expect(html.match(/fr-badge--new">Pas encore recensé</g)).toHaveLength(2);
      expect(html).toContain(
        `<a class="fr-btn fr-btn--secondary fr-btn--sm" href="/communes/01007/objets/${objets.fait.id}/recensement">Modifier`,
      );
      expect(html).toContain(`<a class="fr-btn fr-btn--sm" href="/communes/01007/objets/${objets.brouillon.id}/recensement">Compléter`);
      expect(html).toContain(`action="/communes/01007/objets/${objets.rien.id}/recensement"`);
      // The recensement photo comes first (lowest position), before the Mémoire one.
      expect(html).toContain(`src="/photos/${photoId}/vignette"`);
      expect(html).not.toContain(`${MEMOIRE}/retable.jpg`);
      // Four édifices: an index of anchors.
      expect(html).toContain('class="fr-summary');
      expect(html).toContain('href="#edifice-4"');
    });

    it("links Compléter / Modifier from the objet page and shows the commune's photos", async () => {
      const draft = (await browser.get(`/communes/01007/objets/${objets.brouillon.id}`)).body;
      expect(draft).toContain(`<a class="fr-btn" href="/communes/01007/objets/${objets.brouillon.id}/recensement">Compléter`);
      expect(draft).toContain(">Recensement à compléter</p>");
      const done = (await browser.get(`/communes/01007/objets/${objets.fait.id}`)).body;
      expect(done).toContain(`<a class="fr-btn fr-btn--secondary" href="/communes/01007/objets/${objets.fait.id}/recensement">Modifier`);
      expect(done).toContain("Vos photos");
      expect(done.indexOf(`/photos/${photoId}/vignette`)).toBeGreaterThan(0);
      expect(done.match(/\/photos\/\d+\/vignette/g)).toHaveLength(2);
      expect(done).toContain("Votre photo 1 sur 2 de l’objet");
    });

    it("asks to send the recensement once every objet is recensed", async () => {
      const dossier = await database.db
        .selectFrom("dossiers")
        .select("id")
        .where("commune_id", "=", commune.id)
        .where("status", "=", "construction")
        .executeTakeFirstOrThrow();
      await database.db.updateTable("recensements").set({ status: "completed" }).where("dossier_id", "=", dossier.id).execute();
      for (const objet of [objets.rien]) await insertRecensement(database, { objet_id: objet.id, dossier_id: dossier.id });
      const bannière = await database.db.selectFrom("objets").select("id").where("palissy_tico", "=", "Bannière").executeTakeFirstOrThrow();
      await insertRecensement(database, { objet_id: bannière.id, dossier_id: dossier.id });
      const html = (await browser.get("/communes/01007/objets")).body;
      expect(html).toContain("<h1>Tous les objets ont été recensés</h1>");
      expect(html).toContain("fr-callout--green-emeraude");
      expect(html).toContain("Il ne vous reste plus qu’à envoyer les recensements aux conservateurs.");
      expect(html).toContain('<a class="fr-btn fr-mt-2w" href="/communes/01007/dossier/finalisation">Envoyer les recensements</a>');
      expect(html).not.toContain("Comment ça marche ?</button>");
    });
  });

  it("says 'Envoyer le recensement' and 'Recenser l’objet' for a commune with a single objet", async () => {
    const { commune, browser } = await communeAvecCompte("Seillonnaz", "01400");
    const objet = await insertObjet(database, { lieu_actuel_code_insee: "01400" });
    const premiere = (await browser.get("/communes/01400/premiere-visite")).body;
    expect(premiere).toContain("Recenser l’objet de Seillonnaz");
    expect((await browser.get("/communes/01400/objets")).body).toContain(`<h1>1${NBSP}objet protégé à recenser</h1>`);
    const dossier = await insertDossier(database, { commune_id: commune.id });
    await insertRecensement(database, { objet_id: objet.id, dossier_id: dossier.id });
    const html = (await browser.get("/communes/01400/objets")).body;
    expect(html).toContain(">Envoyer le recensement</a>");
    expect(html).toContain("Il ne vous reste plus qu’à envoyer le recensement aux conservateurs.");
    expect(html).toContain(`Pourquoi cette liste ne contient-elle qu’un objet${NBSP}?`);
  });

  describe("a commune whose dossier was sent", () => {
    let commune: CommuneRow;
    let browser: Browser;
    let objet: ObjetRow;

    beforeAll(async () => {
      ({ commune, browser } = await communeAvecCompte("Belley", "01034"));
      objet = await insertObjet(database, { lieu_actuel_code_insee: "01034", palissy_tico: "Orgue" });
      const dossier = await insertDossier(database, { commune_id: commune.id, status: "submitted" });
      await database.db.updateTable("communes").set({ status: "completed" }).where("id", "=", commune.id).execute();
      await insertRecensement(database, { objet_id: objet.id, dossier_id: dossier.id, analyse_notes: "Pas encore visible" });
    });

    it("thanks the commune, links the data sent and only lets it look at the objets", async () => {
      const html = (await browser.get("/communes/01034/objets")).body;
      expect(html).toContain("<h1>Les objets protégés de Belley</h1>");
      expect(html).toContain("Le recensement de vos objets est terminé, merci !");
      expect(html).toContain('href="/communes/01034/dossier/donnees-envoyees">Voir les données envoyées</a>');
      expect(html).toContain(">Recensé</p>");
      expect(html).toContain(`<a class="fr-btn fr-btn--tertiary fr-btn--sm" href="/communes/01034/objets/${objet.id}">Afficher`);
      expect(html).not.toContain("/recensement");
      expect(html).not.toContain("Commentaires</p>");
      const page = (await browser.get(`/communes/01034/objets/${objet.id}`)).body;
      expect(page).not.toContain("/recensement");
      expect(page).toContain("il ne peut plus être modifié ici");
      expect(page).not.toContain("Commentaire du conservateur");
    });

    it("hides 'Voir les données envoyées' once a conservateur wrote in the messagerie", async () => {
      const conservateur = await insertConservateur(database, { departement_codes: ["01"] });
      await database.db
        .insertInto("messages")
        .values({ commune_id: commune.id, origin: "web", author_type: "commune", author_id: 1, text: "Bonjour" })
        .execute();
      expect((await browser.get("/communes/01034/objets")).body).toContain("Voir les données envoyées");
      await database.db
        .insertInto("messages")
        .values({ commune_id: commune.id, origin: "web", author_type: "conservateur", author_id: conservateur.id, text: "Merci" })
        .execute();
      const html = (await browser.get("/communes/01034/objets")).body;
      expect(html).toContain("Le recensement de vos objets est terminé, merci !");
      expect(html).not.toContain("Voir les données envoyées");
    });
  });

  describe("a commune whose dossier was examined", () => {
    let browser: Browser;
    let commente: ObjetRow;
    let autre: ObjetRow;

    beforeAll(async () => {
      let commune: CommuneRow;
      ({ commune, browser } = await communeAvecCompte("Nantua", "01269"));
      commente = await insertObjet(database, { lieu_actuel_code_insee: "01269", palissy_tico: "Chaire à prêcher" });
      autre = await insertObjet(database, { lieu_actuel_code_insee: "01269", palissy_tico: "Lutrin" });
      const conservateur = await insertConservateur(database, { first_name: "Jeanne", last_name: "Dupont" });
      const dossier = await insertDossier(database, {
        commune_id: commune.id,
        status: "accepted",
        conservateur_id: conservateur.id,
        accepted_at: new Date("2026-03-01T10:00:00Z"),
      });
      await database.db.updateTable("communes").set({ status: "completed" }).where("id", "=", commune.id).execute();
      await insertRecensement(database, {
        objet_id: commente.id,
        dossier_id: dossier.id,
        analyse_notes: "Vérifiez la fixation.\n\nUne restauration est à prévoir <bientôt>.",
      });
      await insertRecensement(database, { objet_id: autre.id, dossier_id: dossier.id, analyse_notes: "  " });
    });

    it("names the conservateur and the date, links the examen, badges the commented objets", async () => {
      const html = (await browser.get("/communes/01269/objets")).body;
      expect(html).toContain("Dossier examiné par le conservateur");
      expect(html).toContain("Jeanne Dupont a examiné votre dossier le 1er mars 2026.");
      expect(html).toContain('<a class="fr-btn fr-mt-2w" href="/communes/01269/dossier">Voir l’examen</a>');
      expect(html).not.toContain(">Recensé</p>");
      expect(html).not.toContain("Pas encore recensé");
      expect(html.match(/>Commentaires<\/p>/g)).toHaveLength(1);
      expect(html.match(/>Afficher<span/g)).toHaveLength(2);
    });

    it("shows the conservateur's comment on the objet page, escaped, and no action", async () => {
      const html = (await browser.get(`/communes/01269/objets/${commente.id}`)).body;
      expect(html).toContain('<h2 class="fr-callout__title">Commentaire du conservateur</h2>');
      expect(html).toContain('<p class="co-texte-conservateur">Vérifiez la fixation.</p>');
      expect(html).toContain("Une restauration est à prévoir &lt;bientôt>.");
      expect(html).not.toContain("/recensement");
      expect(html).not.toContain("fr-badge--success");
      const sans = (await browser.get(`/communes/01269/objets/${autre.id}`)).body;
      expect(sans).not.toContain("Commentaire du conservateur");
    });
  });

  it("runs the same number of queries whatever the number of objets (no N+1)", async () => {
    const petite = await communeAvecCompte("Petite", "01010");
    const grande = await communeAvecCompte("Grande", "01011");
    for (const { commune, count } of [
      { commune: petite.commune, count: 2 },
      { commune: grande.commune, count: 40 },
    ]) {
      const dossier = await insertDossier(database, { commune_id: commune.id });
      for (let i = 0; i < count; i++) {
        const edifice = i % 5 === 0 ? await insertEdifice(database, { code_insee: commune.code_insee }) : undefined;
        const objet = await insertObjet(database, { lieu_actuel_code_insee: commune.code_insee, ...(edifice ? { edifice } : {}) });
        if (i % 2 === 0) {
          const recensement = await insertRecensement(database, { objet_id: objet.id, dossier_id: dossier.id });
          await insertPhoto(recensement.id, 0);
          await insertPhoto(recensement.id, 1);
        }
      }
    }
    async function queriesFor(browser: Browser, url: string): Promise<number> {
      await browser.get(url);
      const before = queries;
      const response = await browser.get(url);
      expect(response.statusCode).toBe(200);
      return queries - before;
    }
    const small = await queriesFor(petite.browser, "/communes/01010/objets");
    const large = await queriesFor(grande.browser, "/communes/01011/objets");
    expect(large).toBe(small);
    // Session identity, then the commune with its dossier, then the list.
    expect(large).toBeLessThanOrEqual(3);
    expect((await grande.browser.get("/communes/01011/objets")).body.match(/\/vignette"/g)).toHaveLength(20);

    const before = queries;
    const dossier = await database.db
      .selectFrom("dossiers")
      .select("id")
      .where("commune_id", "=", grande.commune.id)
      .executeTakeFirstOrThrow();
    const list = await listObjetsDeCommune(countingDb, "01011", dossier.id);
    expect(queries - before).toBe(1);
    expect(list).toHaveLength(40);
    expect(list.filter((objet) => objet.photo_id !== null)).toHaveLength(20);
  });

  it("goes on over several pages beyond 100 objets, the index linking each édifice where it starts", async () => {
    const { browser } = await communeAvecCompte("Lyon", "69123");
    const tailles = [95, 8, 3, 2];
    for (const [index, taille] of tailles.entries()) {
      const edifice = await insertEdifice(database, { code_insee: "69123", nom: `édifice ${"ABCD"[index]}` });
      for (let i = 0; i < taille; i++) await insertObjet(database, { lieu_actuel_code_insee: "69123", edifice });
    }
    const first = (await browser.get("/communes/69123/objets")).body;
    expect(first).toContain(`<h1>108${NBSP}objets protégés à recenser</h1>`);
    expect(first).toContain("Page 1 sur 2");
    expect(first.match(/class="fr-card"/g)).toHaveLength(100);
    expect(first).toContain('href="/communes/69123/objets?page=2#edifice-3"');
    expect(first).toContain('href="#edifice-2"');
    expect(first).toContain('href="/communes/69123/objets?page=2"');
    expect(first).toContain("Page suivante");
    const second = await browser.get("/communes/69123/objets?page=2");
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain("page 2 sur 2 — Collectif Objets</title>");
    expect(second.body.match(/class="fr-card"/g)).toHaveLength(8);
    expect(second.body).toContain(`Édifice B (suite) <span class="fr-text--md fr-text--regular">· 8${NBSP}objets</span>`);
    expect(second.body).toContain('href="/communes/69123/objets#edifice-1"');
    expect(second.body).toContain('href="#edifice-3"');
    expect(second.body).toContain("Page précédente");
    expect((await browser.get("/communes/69123/objets?page=3")).statusCode).toBe(404);
    for (const bad of ["0", "abc", "1.5", "-1"])
      expect((await browser.get(`/communes/69123/objets?page=${bad}`)).statusCode, bad).toBe(400);
  });

  it("cuts pages at 100 objets whatever the édifices", () => {
    const group = (key: string, n: number) => ({ key, anchor: key, nom: key, objets: Array.from({ length: n }, (_, i) => `${key}${i}`) });
    const groups = [group("a", 150), group("b", 40), group("c", 10)];
    const page1 = paginer(groups, 1);
    expect(page1?.pages).toBe(2);
    expect(page1?.sections.map((s) => [s.group.key, s.objets.length, s.suite])).toEqual([["a", 100, false]]);
    const page2 = paginer(groups, 2);
    expect(page2?.sections.map((s) => [s.group.key, s.objets.length, s.suite])).toEqual([
      ["a", 50, true],
      ["b", 40, false],
      ["c", 10, false],
    ]);
    expect(page2?.sections[0]?.objets[0]).toBe("a100");
    expect([...(page2?.pageDe ?? [])]).toEqual([
      ["a", 1],
      ["b", 2],
      ["c", 2],
    ]);
    expect(paginer(groups, 3)).toBeNull();
    expect(paginer([], 1)?.pages).toBe(1);
    expect(paginer([], 2)).toBeNull();
  });

  it("derives the list state from the current dossier", () => {
    const base = { id: 1, code_insee: "01053", nom: "X", status: "started" as const, conservateur_a_ecrit: false };
    const dossier = { id: 1, submitted_at: null, accepted_at: null, conservateur_nom: null };
    const objets = [{ recensement_status: "completed" as const }, { recensement_status: "draft" as const }, { recensement_status: null }];
    expect(etatListe({ ...base, dossier: null }, objets)).toEqual({ kind: "inactive", objets: 3 });
    expect(etatListe({ ...base, dossier: { ...dossier, status: "construction" } }, objets)).toEqual({ kind: "en_cours", restants: 2 });
    expect(etatListe({ ...base, dossier: { ...dossier, status: "construction" } }, [])).toEqual({ kind: "en_cours", restants: 0 });
    expect(etatListe({ ...base, dossier: { ...dossier, status: "construction" } }, objets.slice(0, 1))).toEqual({
      kind: "tous_recenses",
      objets: 1,
    });
    expect(etatListe({ ...base, dossier: { ...dossier, status: "submitted" }, conservateur_a_ecrit: true }, objets)).toEqual({
      kind: "envoye",
      voirDonnees: false,
    });
    expect(formatDateLongue(new Date("2026-03-12T23:30:00Z"))).toBe("13 mars 2026");
    expect(formatDateLongue(new Date("2026-01-01T12:00:00Z"))).toBe("1er janvier 2026");
  });
});
