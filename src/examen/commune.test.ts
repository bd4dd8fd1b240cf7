import type { FastifyInstance } from "fastify";
import { Kysely, PostgresDialect } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { refreshCommuneStatut } from "../dossier/repository.ts";
import type { DB, DossiersTable } from "../platform/db/schema.ts";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import {
  insertCommune,
  insertConservateur,
  insertDossier,
  insertEdifice,
  insertObjet,
  insertRecensement,
  type CommuneRow,
  type ConservateurRow,
  type DossierRow,
  type ObjetRow,
} from "../../test/factories.ts";
import { Browser, insertAdmin, insertCommuneUser } from "../../test/factories-comptes.ts";
import type { Insertable } from "kysely";
import { MESSAGES_ENVOI_IMPOSSIBLE } from "./rules.ts";

const NBSP = "\u00a0";

describe("conservateur's commune page and its tabs", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let queries = 0;
  let conservateur: ConservateurRow;
  let browser: Browser;
  let ip = 0;
  let photoSequence = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    const countingDb = new Kysely<DB>({
      dialect: new PostgresDialect({ pool: database.pool }),
      log(event) {
        if (event.level === "query") queries += 1;
      },
    });
    app = await buildApp({
      config: loadConfig({ ...process.env, NODE_ENV: "test", LOG_LEVEL: "silent" }),
      database: { ...database, db: countingDb },
    });
    conservateur = await insertConservateur(database, { departement_codes: ["01"], first_name: "Jeanne", last_name: "Martin" });
    browser = new Browser(app, `192.0.2.${++ip}`).withSession({ account: { type: "conservateur", id: conservateur.id } });
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  async function insertPhoto(recensementId: number, position = 0): Promise<number> {
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
        sha256: `sha${String(photoSequence).padStart(61, "0")}`,
        position,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function dossierDe(commune: CommuneRow, values: Partial<Insertable<DossiersTable>> = {}): Promise<DossierRow> {
    const dossier = await insertDossier(database, { commune_id: commune.id, ...values });
    return dossier;
  }

  async function refresh(commune: CommuneRow): Promise<void> {
    await refreshCommuneStatut(database.db, commune.id);
  }

  const positionOf = (html: string, text: string) => {
    const index = html.indexOf(text);
    expect(index, text).toBeGreaterThan(-1);
    return index;
  };

  describe("a commune without dossier", () => {
    let objet: ObjetRow;

    beforeAll(async () => {
      const commune = await insertCommune(database, { code_insee: "01010", nom: "Ambérieu-en-Bugey" });
      objet = await insertObjet(database, { lieu_actuel_code_insee: "01010", palissy_tico: "Statue de saint Roch" });
      await refresh(commune);
    });

    it("shows the header, the tabs, and every objet as not recensed, linking to its public page", async () => {
      const response = await browser.get("/conservateurs/communes/01010");
      expect(response.statusCode).toBe(200);
      const html = response.body;
      expect(html).toContain('<h1 class="fr-mb-0">Ambérieu-en-Bugey (01010)</h1>');
      expect(html).toContain("Non recensé");
      expect(html).toContain('href="/conservateurs/departements">Mes départements</a>');
      expect(html).toContain('href="/conservateurs/departements/01">01 - Ain</a>');
      for (const [href, label] of [
        ["/conservateurs/communes/01010", "Recensement"],
        ["/conservateurs/communes/01010/examen", "Examen"],
        ["/conservateurs/communes/01010/messagerie", "Messagerie"],
        ["/conservateurs/communes/01010/bordereaux", "Bordereaux de récolement"],
        ["/conservateurs/communes/01010/historique", "Historique"],
      ]) {
        expect(html).toMatch(new RegExp(`href="${href}"[^>]*>${label}</a>`));
      }
      expect(html).toMatch(/href="\/conservateurs\/communes\/01010" aria-current="page"/);
      expect(html).toContain("Ambérieu-en-Bugey n’a pas encore envoyé de recensement");
      expect(html).toContain(`href="/objets/${objet.palissy_ref}"`);
      expect(html).toContain("Pas encore recensé");
      expect(html).not.toContain("À examiner");
      expect(html).not.toContain("/envoi-examen");
    });

    it("Examen tab: explains the examen comes later, without a send link", async () => {
      const response = await browser.get("/conservateurs/communes/01010/examen");
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain("L’examen n’a pas encore été envoyé");
      expect(response.body).toContain(MESSAGES_ENVOI_IMPOSSIBLE.pas_envoye_par_la_commune);
      expect(response.body).not.toContain("/envoi-examen");
      expect(response.body).toMatch(/href="\/conservateurs\/communes\/01010\/examen" aria-current="page"/);
    });

    it("Messagerie and Bordereaux tabs are reachable before the examen", async () => {
      expect((await browser.get("/conservateurs/communes/01010/messagerie")).body).toContain("Messagerie avec la commune");
      const bordereaux = await browser.get("/conservateurs/communes/01010/bordereaux");
      expect(bordereaux.statusCode).toBe(200);
      expect(bordereaux.body).toContain("Les bordereaux de récolement pourront être édités une fois que vous aurez examiné");
    });
  });

  describe("a commune recensing (dossier in construction)", () => {
    beforeAll(async () => {
      const commune = await insertCommune(database, { code_insee: "01011", nom: "Belley" });
      const dossier = await dossierDe(commune);
      const objet = await insertObjet(database, { lieu_actuel_code_insee: "01011", palissy_tico: "Retable" });
      await insertRecensement(database, { objet_id: objet.id, dossier_id: dossier.id, status: "draft", etat_sanitaire: "peril" });
      await refresh(commune);
    });

    it("says the recensement is not sent yet; cards show péril but no examen and link to the public page", async () => {
      const html = (await browser.get("/conservateurs/communes/01011")).body;
      expect(html).toContain("En cours de recensement");
      expect(html).toContain("Belley a commencé le recensement de ses objets mais ne l’a pas encore envoyé");
      expect(html).toContain("PÉRIL");
      expect(html).toContain("Pas encore recensé");
      expect(html).not.toContain("/conservateurs/recensements/");
      expect(html).not.toContain("À examiner");
      const examen = (await browser.get("/conservateurs/communes/01011/examen")).body;
      expect(examen).toContain(MESSAGES_ENVOI_IMPOSSIBLE.pas_envoye_par_la_commune);
    });
  });

  describe("a submitted dossier with prioritaires left to examine", () => {
    const ids: Record<string, number> = {};

    beforeAll(async () => {
      const commune = await insertCommune(database, { code_insee: "01012", nom: "Bourg-Saint-Christophe" });
      const dossier = await dossierDe(commune, {
        status: "submitted",
        notes_commune: "Merci <b>beaucoup</b>\nDeuxième ligne",
        recenseur: "Paul Durand, secrétaire de mairie",
      });
      const eglise = await insertEdifice(database, { code_insee: "01012", nom: "église Saint-Pierre" });
      const chapelle = await insertEdifice(database, { code_insee: "01012", nom: "chapelle Sainte-Anne" });
      const ajouter = async (titre: string, values: Omit<Parameters<typeof insertRecensement>[1], "objet_id" | "dossier_id">) => {
        const objet = await insertObjet(database, { lieu_actuel_code_insee: "01012", edifice: eglise, palissy_tico: titre });
        const r = await insertRecensement(database, { objet_id: objet.id, dossier_id: dossier.id, ...values });
        ids[titre] = r.id;
        return { objet, r };
      };
      // Titles in alphabetical order so that the default (title) order differs from the examen order.
      const { r: avecPhoto } = await ajouter("A bon état", { photos_count: 1 });
      await insertPhoto(avecPhoto.id, 0);
      await ajouter("B sans photo", { photos_count: 0 });
      await ajouter("C disparu examiné", {
        localisation: "absent",
        analysed_at: new Date("2025-01-10T10:00:00Z"),
        conservateur_id: conservateur.id,
      });
      await ajouter("D en péril", { etat_sanitaire: "peril", photos_count: 2 });
      const nonRecense = await insertObjet(database, {
        lieu_actuel_code_insee: "01012",
        edifice: chapelle,
        palissy_tico: "Calice",
        palissy_photos: [{ url: "https://s3.eu-west-3.amazonaws.com/pop-phototeque/memoire/calice.jpg", name: null, credit: null }],
      });
      ids.nonRecense = nonRecense.id;
      // Removed by the Palissy synchronisation: listed apart.
      await insertRecensement(database, {
        objet_id: null as unknown as number,
        dossier_id: dossier.id,
        status: "deleted",
        deleted_at: new Date("2025-02-03T09:00:00Z"),
        deleted_reason: "changement-de-commune",
        deleted_message: "changement de commune appliqué 01012 → 01053",
        deleted_objet_snapshot: JSON.stringify({
          palissy_ref: "PM01000777",
          palissy_tico: "Croix de procession",
          lieu_actuel_code_insee: "01012",
          lieu_actuel_edifice_nom: "église Saint-Pierre",
        }),
        notes: "Elle était dans la sacristie",
      });
      await refresh(commune);
    });

    it("tells how many prioritaires are left and offers no send link", async () => {
      const html = (await browser.get("/conservateurs/communes/01012")).body;
      expect(html).toContain("En cours d’examen");
      expect(html).toContain(`Il reste 1${NBSP}objet en péril ou disparu à examiner.`);
      expect(html).not.toContain("/conservateurs/communes/01012/envoi-examen");
    });

    it("shows the commune's comment and recenseur, escaped", async () => {
      const html = (await browser.get("/conservateurs/communes/01012")).body;
      expect(html).toContain("Commentaire de la commune");
      expect(html).toContain("Merci &lt;b>beaucoup&lt;/b>\nDeuxième ligne");
      expect(html).toContain("Paul Durand, secrétaire de mairie");
    });

    it("sorts the cards (péril, disparu, not examined, examined) and badges them", async () => {
      const html = (await browser.get("/conservateurs/communes/01012")).body;
      const peril = positionOf(html, "D en péril");
      const disparu = positionOf(html, "C disparu examiné");
      const bon = positionOf(html, "A bon état");
      const sansPhoto = positionOf(html, "B sans photo");
      expect(peril).toBeLessThan(disparu);
      expect(disparu).toBeLessThan(bon);
      expect(bon).toBeLessThan(sansPhoto);
      // Each card: its link, then its badges.
      const carte = (titre: string) => {
        const debut = html.lastIndexOf('<div class="fr-card', positionOf(html, titre));
        const suivante = html.indexOf('<li class="fr-col', debut);
        return html.slice(debut, suivante === -1 ? html.indexOf("</section>", debut) : suivante);
      };
      expect(carte("D en péril")).toContain(`href="/conservateurs/recensements/${ids["D en péril"]}/examen"`);
      expect(carte("D en péril")).toContain("À examiner en priorité");
      expect(carte("D en péril")).toContain("PÉRIL");
      expect(carte("C disparu examiné")).toContain("Examiné");
      expect(carte("C disparu examiné")).toContain("DISPARU");
      expect(carte("A bon état")).toMatch(/fr-badge--info">À examiner</);
      expect(carte("A bon état")).toMatch(/src="\/photos\/\d+\/vignette\?v=sha0+\d+"/);
      expect(carte("B sans photo")).toContain("Photos manquantes");
      expect(carte("Calice")).toContain("Pas encore recensé");
      expect(carte("Calice")).toContain('src="https://s3.eu-west-3.amazonaws.com/pop-phototeque/memoire/calice.jpg"');
      expect(carte("Calice")).toMatch(/href="\/objets\/PM01\d+"/);
    });

    it("groups the cards by édifice", async () => {
      const html = (await browser.get("/conservateurs/communes/01012")).body;
      expect(html).toMatch(/<h2 id="edifice-1" class="fr-h3">Église Saint-Pierre/);
      expect(html).toMatch(/<h2 id="edifice-2" class="fr-h3">Chapelle Sainte-Anne/);
      // Two édifices: no index.
      expect(html).not.toContain('id="edifices-titre"');
    });

    it("warns of the recensement removed by the synchronisation and links to the list", async () => {
      const html = (await browser.get("/conservateurs/communes/01012")).body;
      expect(html).toContain("Un recensement a été supprimé automatiquement de ce dossier");
      expect(html).toContain('href="/conservateurs/communes/01012/recensements-supprimes"');
    });

    it("lists the deleted recensement with its snapshot, reason, POP link and answers", async () => {
      const response = await browser.get("/conservateurs/communes/01012/recensements-supprimes");
      expect(response.statusCode).toBe(200);
      const html = response.body;
      expect(html).toContain("Recensement supprimé de l’objet PM01000777");
      expect(html).toContain("Croix de procession (PM01000777)");
      expect(html).toContain("Édifice : Église Saint-Pierre");
      expect(html).toContain('href="https://pop.culture.gouv.fr/notice/palissy/PM01000777"');
      expect(html).toContain("Supprimé le 3 février 2025");
      expect(html).toContain(
        "Le code INSEE de l’objet a changé dans Palissy, à la suite d’un déplacement de l’objet ou d’une fusion de communes (changement de commune appliqué 01012 → 01053).",
      );
      expect(html).toContain("Elle était dans la sacristie");
      expect(html).toContain("Oui, l’objet se trouve dans l’édifice indiqué initialement : Église Saint-Pierre");
    });

    it("Examen tab: asks to examine the prioritaires first", async () => {
      const html = (await browser.get("/conservateurs/communes/01012/examen")).body;
      expect(html).toContain(MESSAGES_ENVOI_IMPOSSIBLE.prioritaires_restants);
      expect(html).not.toContain("/envoi-examen");
    });
  });

  describe("a submitted dossier whose prioritaires are all examined", () => {
    beforeAll(async () => {
      const commune = await insertCommune(database, { code_insee: "01013", nom: "Ceyzériat" });
      const dossier = await dossierDe(commune, { status: "submitted" });
      const objet = await insertObjet(database, { lieu_actuel_code_insee: "01013", palissy_tico: "Tableau" });
      await insertRecensement(database, {
        objet_id: objet.id,
        dossier_id: dossier.id,
        etat_sanitaire: "peril",
        analysed_at: new Date(),
        conservateur_id: conservateur.id,
      });
      const autre = await insertObjet(database, { lieu_actuel_code_insee: "01013", palissy_tico: "Chasuble" });
      await insertRecensement(database, { objet_id: autre.id, dossier_id: dossier.id });
      await refresh(commune);
    });

    it("says the examen can be sent, with the send link, on both tabs", async () => {
      const html = (await browser.get("/conservateurs/communes/01013")).body;
      expect(html).toContain("L’ensemble des objets en péril ou disparus ont été examinés. Vous pouvez envoyer votre examen à la commune.");
      expect(html).toMatch(/href="\/conservateurs\/communes\/01013\/envoi-examen"[^>]*>\s*Envoyer l’examen à la commune/);
      expect(html).not.toContain("supprimé automatiquement");
      const examen = (await browser.get("/conservateurs/communes/01013/examen")).body;
      expect(examen).toContain('href="/conservateurs/communes/01013/envoi-examen"');
    });
  });

  describe("a submitted dossier answered automatically", () => {
    beforeAll(async () => {
      const commune = await insertCommune(database, { code_insee: "01014", nom: "Dortan" });
      const dossier = await dossierDe(commune, { status: "submitted", replied_automatically_at: new Date("2025-04-02T08:00:00Z") });
      const objet = await insertObjet(database, { lieu_actuel_code_insee: "01014", palissy_tico: "Cloche" });
      await insertRecensement(database, { objet_id: objet.id, dossier_id: dossier.id });
      await refresh(commune);
    });

    it("explains the automatic mail and still offers to send the examen", async () => {
      const html = (await browser.get("/conservateurs/communes/01014")).body;
      expect(html).toContain("Réponse automatique envoyée à la commune");
      expect(html).toContain("Dortan n’a signalé aucun objet en péril ni disparu : elle a reçu le 2 avril 2025 un mail automatique");
      expect(html).toContain('href="/conservateurs/communes/01014/envoi-examen"');
      expect(html).toMatch(/fr-badge fr-badge--info"><span class="fr-sr-only">Statut : <\/span>À examiner</);
    });
  });

  describe("an accepted dossier", () => {
    let recensementId: number;
    let communeUser: { id: number };

    beforeAll(async () => {
      const commune = await insertCommune(database, { code_insee: "01015", nom: "Gex" });
      communeUser = await insertCommuneUser(database, commune.id);
      const dossier = await dossierDe(commune, {
        status: "accepted",
        accepted_at: new Date("2025-05-06T10:00:00Z"),
        conservateur_id: conservateur.id,
        notes_conservateur: "Beau travail",
        visit: "prioritaire",
      });
      const objet = await insertObjet(database, { lieu_actuel_code_insee: "01015", palissy_tico: "Ostensoir" });
      const r = await insertRecensement(database, {
        objet_id: objet.id,
        dossier_id: dossier.id,
        analysed_at: new Date(),
        conservateur_id: conservateur.id,
        analyse_notes: "À surveiller",
      });
      recensementId = r.id;
      await refresh(commune);
    });

    it("says everything is examined, links to the Examen tab and offers to reopen behind a confirmation", async () => {
      const html = (await browser.get("/conservateurs/communes/01015")).body;
      expect(html).toContain("Tous les recensements ont été examinés.");
      expect(html).toContain("L’examen a été envoyé à la commune le 6 mai 2025 par Jeanne Martin.");
      expect(html).toMatch(/href="\/conservateurs\/communes\/01015\/examen"[^>]*>Voir l’examen</);
      const form = html.slice(html.indexOf("<details"), html.indexOf("</details>"));
      expect(form).toContain("<summary");
      expect(form).toContain('action="/conservateurs/communes/01015/reouverture"');
      expect(form).toContain('name="confirmer" value="oui"');
      expect(form).toMatch(/name="_csrf" value="[^"]+"/);
      expect(html).toContain(`href="/conservateurs/recensements/${recensementId}/examen"`);
      expect(html).toMatch(/fr-badge fr-badge--success"><span class="fr-sr-only">Statut : <\/span>Examiné/);
    });

    it("Examen tab: the rapport with the visit badge, objets linking to their examen", async () => {
      const response = await browser.get("/conservateurs/communes/01015/examen");
      expect(response.statusCode).toBe(200);
      const html = response.body;
      expect(html).toContain("Déplacement prioritaire");
      expect(html).toContain("Examen du recensement");
      expect(html).toContain("Beau travail");
      expect(html).toContain("À surveiller");
      expect(html).toContain(`href="/conservateurs/recensements/${recensementId}/examen"`);
    });

    it("never shows the visit to the commune", async () => {
      const mairie = new Browser(app, `192.0.2.${++ip}`).withSession({ account: { type: "commune", id: communeUser.id } });
      const html = (await mairie.get("/communes/01015/dossier")).body;
      expect(html).toContain("Beau travail");
      expect(html).not.toContain("Déplacement prioritaire");
    });

    it("hides the reopen form from a read-only impersonation of the conservateur", async () => {
      const admin = await insertAdmin(database);
      const incarnation = new Browser(app, `192.0.2.${++ip}`).withSession({
        account: { type: "admin", id: admin.id },
        impersonation: { type: "conservateur", id: conservateur.id, write: false },
      });
      const response = await incarnation.get("/conservateurs/communes/01015");
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain("Tous les recensements ont été examinés.");
      expect(response.body).not.toContain("/reouverture");
    });
  });

  describe("Historique tab", () => {
    let commune: CommuneRow;

    beforeAll(async () => {
      commune = await insertCommune(database, { code_insee: "01016", nom: "Hauteville" });
      const user = await insertCommuneUser(database, commune.id, { email: "mairie-hauteville@example.test" });
      const admin = await insertAdmin(database);
      const objet = await insertObjet(database, { lieu_actuel_code_insee: "01016", palissy_tico: "Bannière" });
      // An archived dossier of a past campaign, with its examen.
      const archive = await dossierDe(commune, {
        status: "accepted",
        conservateur_id: conservateur.id,
        notes_conservateur: "Examen de la campagne 2019",
      });
      const ancien = await insertRecensement(database, {
        objet_id: objet.id,
        dossier_id: archive.id,
        etat_sanitaire: "mauvais",
        analyse_etat_sanitaire: "peril",
        analysed_at: new Date("2019-06-01T10:00:00Z"),
        analyse_fiches: ["restauration"],
        photos_count: 1,
      });
      await insertPhoto(ancien.id);
      await database.db
        .updateTable("dossiers")
        .set({ status: "archived", archived_at: new Date("2024-03-04T10:00:00Z") })
        .where("id", "=", archive.id)
        .execute();
      await refresh(commune);
      const base = new Date("2025-06-01T10:00:00Z").getTime();
      const events = [
        {
          occurred_at: new Date(base),
          actor_type: "commune" as const,
          actor_id: user.id,
          action: "recensement.update",
          commune_id: commune.id,
          before: JSON.stringify({ notes: "ancien", etat_sanitaire: "bon" }),
          after: JSON.stringify({ notes: "<script>alert(1)</script>", etat_sanitaire: "peril" }),
        },
        {
          occurred_at: new Date(base + 60_000),
          actor_type: "commune" as const,
          actor_id: user.id,
          impersonator_admin_id: admin.id,
          action: "photo.add",
          commune_id: commune.id,
          after: JSON.stringify({ recensement_id: 1 }),
        },
        {
          occurred_at: new Date(base + 120_000),
          actor_type: "conservateur" as const,
          actor_id: conservateur.id,
          action: "examen.quelque_chose",
          commune_id: commune.id,
        },
        // Another commune's event is not shown.
        { occurred_at: new Date(base), actor_type: "system" as const, action: "dossier.archive", commune_id: null },
      ];
      await database.db.insertInto("audit_events").values(events).execute();
      // A commune with a long history, to read page by page.
      const bavarde = await insertCommune(database, { code_insee: "01017", nom: "Izernore" });
      await database.db
        .insertInto("audit_events")
        .values(
          Array.from({ length: 55 }, (_, i) => ({
            occurred_at: new Date(base + i * 1000),
            actor_type: "system" as const,
            action: "dossier.submit",
            commune_id: bavarde.id,
            after: JSON.stringify({ numero: i + 1 }),
          })),
        )
        .execute();
    });

    it("lists the events newest first, with who, a French label and the changes, values escaped", async () => {
      const response = await browser.get("/conservateurs/communes/01016/historique");
      expect(response.statusCode).toBe(200);
      const html = response.body;
      expect(html).toMatch(/href="\/conservateurs\/communes\/01016\/historique" aria-current="page"/);
      const inconnu = positionOf(html, "examen.quelque_chose");
      const photo = positionOf(html, "Photo ajoutée");
      const update = positionOf(html, "Réponses d’un recensement modifiées");
      expect(inconnu).toBeLessThan(photo);
      expect(photo).toBeLessThan(update);
      expect(html).toContain("Conservateur · Jeanne Martin");
      expect(html).toMatch(/Commune · mairie-hauteville@example\.test via incarnation par Alex Admin \d+/);
      expect(html).toContain("01/06/2025 12:00");
      expect(html).toContain("&lt;script>alert(1)&lt;/script>");
      expect(html).not.toContain("<script>alert(1)");
      expect(html).toMatch(/État sanitaire<\/dt><dd>.*Bon état.*En péril/);
      expect(html).not.toContain("dossier.archive");
    });

    it("shows each archived dossier with the conservateur's comment and the detailed recensements", async () => {
      const html = (await browser.get("/conservateurs/communes/01016/historique")).body;
      expect(html).toContain("Recensement archivé le 4 mars 2024");
      // The only archived dossier: its detail is open.
      expect(html).toMatch(/<details class="cc-details-archive" open[ =>]/);
      expect(html).toContain("Examen de la campagne 2019");
      expect(html).toContain("Bannière");
      expect(html).toMatch(/<del>.*Mauvais état.*<\/del>.*<ins>.*En péril/s);
      expect(html).toContain('href="/fiches/restauration"');
      expect(html).toMatch(/src="\/photos\/\d+\/vignette\?v=/);
    });

    it("reads 50 events a page", async () => {
      const first = (await browser.get("/conservateurs/communes/01017/historique")).body;
      expect(first.match(/Recensement envoyé aux conservateurs/g)).toHaveLength(50);
      expect(first).toContain('href="/conservateurs/communes/01017/historique?page=2"');
      const second = await browser.get("/conservateurs/communes/01017/historique?page=2");
      expect(second.statusCode).toBe(200);
      expect(second.body.match(/Recensement envoyé aux conservateurs/g)).toHaveLength(5);
      expect(second.body).not.toContain("Recensements archivés");
      expect((await browser.get("/conservateurs/communes/01017/historique?page=abc")).statusCode).toBe(400);
    });
  });

  describe("access", () => {
    const urls = ["", "/examen", "/messagerie", "/bordereaux", "/historique", "/recensements-supprimes"];

    beforeAll(async () => {
      await insertCommune(database, { code_insee: "01018", nom: "Jujurieux" });
    });

    it("refuses a conservateur of another département on every tab", async () => {
      const autre = await insertConservateur(database, { departement_codes: ["75"] });
      const ailleurs = new Browser(app, `192.0.2.${++ip}`).withSession({ account: { type: "conservateur", id: autre.id } });
      for (const suffix of urls) {
        const response = await ailleurs.get(`/conservateurs/communes/01018${suffix}`);
        expect(response.statusCode, suffix).toBe(403);
        expect(response.body).not.toContain("Jujurieux");
      }
    });

    it("answers 404 for an unknown or malformed commune", async () => {
      for (const suffix of urls) {
        expect((await browser.get(`/conservateurs/communes/01999${suffix}`)).statusCode, suffix).toBe(404);
      }
      expect((await browser.get("/conservateurs/communes/abc")).statusCode).toBe(404);
    });

    it("an empty commune shows 'Aucun objet à afficher' and an empty deleted list", async () => {
      expect((await browser.get("/conservateurs/communes/01018")).body).toContain("Aucun objet à afficher");
      expect((await browser.get("/conservateurs/communes/01018/recensements-supprimes")).body).toContain(
        "Aucun recensement n’a été supprimé automatiquement de ce dossier.",
      );
    });
  });

  describe("Recensement tab cost", () => {
    async function communeDe(codeInsee: string, objets: number): Promise<void> {
      const commune = await insertCommune(database, { code_insee: codeInsee });
      const dossier = await dossierDe(commune, { status: "submitted" });
      const edifices = await Promise.all(
        [1, 2, 3, 4, 5].map((n) => insertEdifice(database, { code_insee: codeInsee, nom: `édifice ${codeInsee}-${n}` })),
      );
      for (let i = 0; i < objets; i++) {
        const objet = await insertObjet(database, { lieu_actuel_code_insee: codeInsee, edifice: edifices[i % edifices.length] });
        if (i % 3 === 0) continue;
        const r = await insertRecensement(database, {
          objet_id: objet.id,
          dossier_id: dossier.id,
          etat_sanitaire: i % 4 === 0 ? "peril" : "bon",
          photos_count: 1,
        });
        await insertPhoto(r.id);
      }
      await refresh(commune);
    }

    async function statements(url: string): Promise<number> {
      const before = queries;
      const response = await browser.get(url);
      expect(response.statusCode).toBe(200);
      return queries - before;
    }

    it("issues the same number of statements for 5 and for 50 objets", async () => {
      await communeDe("01020", 5);
      await communeDe("01021", 50);
      const small = await statements("/conservateurs/communes/01020");
      const large = await statements("/conservateurs/communes/01021");
      expect(large).toBe(small);
      expect(small).toBeLessThanOrEqual(8);
      const html = (await browser.get("/conservateurs/communes/01021")).body;
      // More than 3 édifices: an index links to each.
      expect(html).toContain('id="edifices-titre"');
    });
  });
});
