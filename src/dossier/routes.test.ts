import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertConservateur, insertDossier, insertEdifice, insertObjet, insertRecensement } from "../../test/factories.ts";
import { Browser, insertAdmin, insertCommuneUser } from "../../test/factories-comptes.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { lireAdresseReponse } from "../messagerie/adresses.ts";
import { MESSAGES_FINALISATION } from "./rules.ts";

const CODE = "01004";
const URL_FINALISATION = `/communes/${CODE}/dossier/finalisation`;
const URL_DONNEES = `/communes/${CODE}/dossier/donnees-envoyees`;
const URL_EXAMEN = `/communes/${CODE}/dossier`;
const EMAIL = "mairie@amberieu.example.test";

function escaped(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
}

describe("sending the dossier, données envoyées and examen (commune side)", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let ip = 0;
  const browser = () => new Browser(app, `198.51.100.${++ip}`);

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  async function insertPhotos(recensementId: number, count: number): Promise<number[]> {
    const rows = await database.db
      .insertInto("photos")
      .values(
        Array.from({ length: count }, (_, i) => ({
          recensement_id: recensementId,
          uploaded_by: "commune" as const,
          storage_key: `photos/${recensementId}/${i}.jpg`,
          content_type: "image/jpeg" as const,
          byte_size: 1000,
          width: 800,
          height: 600,
          sha256: `${recensementId}-${i}`,
          position: i + 1,
        })),
      )
      .returning("id")
      .execute();
    await database.db.updateTable("recensements").set({ photos_count: count }).where("id", "=", recensementId).execute();
    return rows.map((r) => r.id);
  }

  /** A started commune: a statue with photos, an absent chalice, and a draft reliquary. */
  async function communeEnCours(codeInsee: string, nom: string, email: string) {
    const commune = await insertCommune(database, { code_insee: codeInsee, nom, status: "started", statut_global: 1 });
    const user = await insertCommuneUser(database, commune.id, { email });
    const edifice = await insertEdifice(database, { code_insee: codeInsee, nom: "église Saint-Symphorien" });
    const statue = await insertObjet(database, { lieu_actuel_code_insee: codeInsee, edifice, palissy_tico: "statue de saint Roch" });
    const calice = await insertObjet(database, { lieu_actuel_code_insee: codeInsee, edifice, palissy_tico: "calice" });
    const reliquaire = await insertObjet(database, { lieu_actuel_code_insee: codeInsee, edifice, palissy_tico: "reliquaire" });
    const dossier = await insertDossier(database, { commune_id: commune.id });
    const rStatue = await insertRecensement(database, { objet_id: statue.id, dossier_id: dossier.id, etat_sanitaire: "moyen" });
    const photos = await insertPhotos(rStatue.id, 2);
    await insertRecensement(database, { objet_id: calice.id, dossier_id: dossier.id, localisation: "absent" });
    const rReliquaire = await insertRecensement(database, { objet_id: reliquaire.id, dossier_id: dossier.id, status: "draft" });
    return { commune, user, dossier, statue, reliquaire, rReliquaire, photos };
  }

  async function completer(recensementId: number) {
    await database.db
      .updateTable("recensements")
      .set({ status: "completed", completed_at: new Date(), recensable: true, etat_sanitaire: "peril", securisation: "en_danger" })
      .where("id", "=", recensementId)
      .execute();
  }

  const mailsEnvoi = (to: string) =>
    database.db.selectFrom("outbox_mails").selectAll().where("category", "=", "commune_completed").where("to_address", "=", to).execute();

  it("walks the whole sending journey without JavaScript", async () => {
    const { commune, user, dossier, statue, rReliquaire, photos } = await communeEnCours(CODE, "Ambérieu-en-Bugey", EMAIL);
    const b = browser().withSession({ account: { type: "commune", id: user.id } });

    // Not every objet is recensed: back to the list, saying why.
    const tooEarly = await b.get(URL_FINALISATION);
    expect(tooEarly.statusCode).toBe(303);
    expect(tooEarly.headers.location).toBe(`/communes/${CODE}/objets`);
    expect((await b.follow(tooEarly)).body).toContain(escaped(MESSAGES_FINALISATION.incomplet));
    expect((await b.get(URL_DONNEES)).statusCode).toBe(303);
    expect((await b.get(URL_EXAMEN)).body).toContain("Recenser les objets de ma commune");

    await completer(rReliquaire.id);
    const page = await b.get(URL_FINALISATION);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Finalisation du recensement de Ambérieu-en-Bugey");
    expect(page.body.match(/<h1[ >]/g)).toHaveLength(1);
    expect(page.body).toContain(`href="/communes/${CODE}/objets/${statue.id}"`);
    expect(page.body).toContain("Statue de saint Roch");
    expect(page.body).toContain("Introuvable");
    expect(page.body).toContain("Impossible");
    expect(page.body).toContain("État moyen");
    expect(page.body).toContain("En péril");
    expect(page.body).toContain("Facile à voler");
    expect(page.body).toContain("2\u00a0photos");
    for (const id of photos) expect(page.body).toContain(`src="/photos/${id}/vignette"`);
    expect(page.body).toContain("Aucune photo");
    expect(page.body).toContain('class="fr-table__container" tabindex="0"');
    expect(page.body).toContain('href="/confidentialite"');
    expect(page.body).toContain('autocomplete="name"');
    expect(page.body).toContain("Je valide le recensement des objets de ma commune");

    // The reliquary has no photo: a confirmation first, keeping what was typed.
    const notes = 'La tribune était fermée.\nClé "chez" <le> sacristain & co.';
    const recenseur = "Marie Dupont, adjointe, 06 12 34 56 78";
    const confirmation = await b.post(URL_FINALISATION, { notes_commune: notes, recenseur });
    expect(confirmation.statusCode).toBe(200);
    expect(confirmation.body).toContain("Certains objets n’ont pas de photo");
    expect(confirmation.body).toContain("Voulez-vous quand même envoyer ?");
    expect(confirmation.body).toContain(`<input type="hidden" name="notes_commune" value="${escaped(notes)}"/>`);
    expect(confirmation.body).toContain(`<input type="hidden" name="recenseur" value="${escaped(recenseur)}"/>`);
    expect(confirmation.body).toContain("Reliquaire");
    expect(confirmation.body).not.toContain(">Statue de saint Roch<");
    const unchanged = await database.db.selectFrom("dossiers").select("status").where("id", "=", dossier.id).executeTakeFirstOrThrow();
    expect(unchanged.status).toBe("construction");

    // "Non, revenir": the form again, with the text.
    const retour = await b.post(URL_FINALISATION, { notes_commune: notes, recenseur, retour: "1" });
    expect(retour.statusCode).toBe(200);
    expect(retour.body).toContain(`>${escaped(notes)}</textarea>`);
    expect(retour.body).toContain(`value="${escaped(recenseur)}"`);

    const sent = await b.post(URL_FINALISATION, { notes_commune: notes, recenseur, confirme: "1" });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`/communes/${CODE}/objets`);
    expect((await b.follow(sent)).body).toContain("Le recensement de votre commune est terminé !");

    const after = await database.db.selectFrom("dossiers").selectAll().where("id", "=", dossier.id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ status: "submitted", notes_commune: notes, recenseur });
    expect(after.submitted_at).not.toBeNull();
    const communeAfter = await database.db.selectFrom("communes").selectAll().where("id", "=", commune.id).executeTakeFirstOrThrow();
    expect(communeAfter).toMatchObject({ status: "completed", statut_global: 3, en_peril_count: 1, disparus_count: 1 });
    expect(communeAfter.completed_at).toEqual(after.submitted_at);
    const events = await database.db.selectFrom("audit_events").selectAll().where("action", "=", "dossier.submit").execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor_type: "commune",
      actor_id: user.id,
      subject_type: "dossier",
      subject_id: String(dossier.id),
      commune_id: commune.id,
      before: { status: "construction" },
      after: { status: "submitted", notes_commune: notes, recenseur },
    });
    const mails = await mailsEnvoi(EMAIL);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("Ambérieu-en-Bugey, merci d’avoir contribué à Collectif Objets");
    expect(mails[0]!.idempotency_key).toBe(`dossier-submitted:${dossier.id}:${after.submitted_at!.getTime()}`);
    expect(mails[0]!.text).toContain(`/communes/${CODE}/dossier/donnees-envoyees`);
    expect(mails[0]!.text).toContain("Accéder à Collectif Objets");
    // Replying to the thank-you mail writes to the conservateurs through the commune's messagerie.
    expect(lireAdresseReponse(mails[0]!.reply_to ?? "", "reponse.collectif-objets.example.org")).toMatchObject({
      codeInsee: CODE,
      cote: "commune",
    });

    // A second click (or a stale tab) sends nothing more.
    const again = await b.post(URL_FINALISATION, { notes_commune: "autre", recenseur: "", confirme: "1" });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(URL_DONNEES);
    expect(await mailsEnvoi(EMAIL)).toHaveLength(1);
    expect((await b.get(URL_FINALISATION)).headers.location).toBe(URL_DONNEES);
    const still = await database.db.selectFrom("dossiers").select("notes_commune").where("id", "=", dossier.id).executeTakeFirstOrThrow();
    expect(still.notes_commune).toBe(notes);

    const donnees = await b.get(URL_DONNEES);
    expect(donnees.statusCode).toBe(200);
    expect(donnees.body).toContain("Recensements de Ambérieu-en-Bugey");
    expect(donnees.body).toContain("Un conservateur a été prévenu et reviendra vers vous.");
    expect(donnees.body).toContain(escaped(notes));
    expect(donnees.body).toContain(recenseur);
    expect(donnees.body).toContain("Statue de saint Roch");
    expect(donnees.body).not.toContain('name="notes_commune"');

    const examen = await b.get(URL_EXAMEN);
    expect(examen.statusCode).toBe(200);
    expect(examen.body).toContain("L’examen n’est pas encore disponible");
    expect(examen.body).toContain(`<a href="/communes/${CODE}/messagerie">messagerie de la commune</a>`);
  });

  it("sends once when the button is pressed twice at the same time", async () => {
    const email = "mairie@ambronay.example.test";
    const { dossier, user, rReliquaire } = await communeEnCours("01007", "Ambronay", email);
    await completer(rReliquaire.id);
    await insertPhotos(rReliquaire.id, 1);
    const b = browser().withSession({ account: { type: "commune", id: user.id } });
    await b.get("/communes/01007/dossier/finalisation");
    const responses = await Promise.all([
      b.post("/communes/01007/dossier/finalisation", { notes_commune: "", recenseur: "" }),
      b.post("/communes/01007/dossier/finalisation", { notes_commune: "", recenseur: "" }),
    ]);
    expect(responses.map((r) => r.statusCode)).toEqual([303, 303]);
    expect(await mailsEnvoi(email)).toHaveLength(1);
    const events = await database.db
      .selectFrom("audit_events")
      .select("id")
      .where("action", "=", "dossier.submit")
      .where("subject_id", "=", String(dossier.id))
      .execute();
    expect(events).toHaveLength(1);
    // Nothing typed: the données envoyées page says so.
    const donnees = await b.get("/communes/01007/dossier/donnees-envoyees");
    expect(donnees.body).toContain("Aucun commentaire à destination des conservateurs");
  });

  it("links a too long comment to its field and keeps the text", async () => {
    const { user, rReliquaire } = await communeEnCours("01011", "Arbent", "mairie@arbent.example.test");
    await completer(rReliquaire.id);
    const b = browser().withSession({ account: { type: "commune", id: user.id } });
    await b.get("/communes/01011/dossier/finalisation");
    const response = await b.post("/communes/01011/dossier/finalisation", {
      notes_commune: "x".repeat(10_001),
      recenseur: "Jean",
      confirme: "1",
    });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain("Le formulaire contient une erreur");
    expect(response.body).toContain('href="#notes_commune"');
    expect(response.body).toContain("fr-input-group--error");
    expect(response.body).toContain('aria-describedby="notes_commune-hint notes_commune-error"');
    expect(response.body).toContain('id="notes_commune-error"');
    expect(response.body).toContain('value="Jean"');
    expect(await mailsEnvoi("mairie@arbent.example.test")).toHaveLength(0);
  });

  it("refuses the sending to a read-only impersonating admin and to another commune", async () => {
    const { user, dossier, rReliquaire } = await communeEnCours("01014", "Arandas", "mairie@arandas.example.test");
    await completer(rReliquaire.id);
    const admin = await insertAdmin(database);
    const impersonating = browser().withSession({
      account: { type: "admin", id: admin.id },
      impersonation: { type: "commune", id: user.id, write: false },
    });
    expect((await impersonating.get("/communes/01014/dossier/finalisation")).statusCode).toBe(200);
    const refused = await impersonating.post("/communes/01014/dossier/finalisation", { notes_commune: "", recenseur: "", confirme: "1" });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain("lecture seule");

    const other = await insertCommune(database, { code_insee: "01015", nom: "Arbignieu" });
    const otherUser = await insertCommuneUser(database, other.id);
    const intruder = browser().withSession({ account: { type: "commune", id: otherUser.id } });
    await intruder.get("/communes/01015/objets");
    expect((await intruder.post("/communes/01014/dossier/finalisation", { confirme: "1" })).statusCode).toBe(403);
    expect((await intruder.get("/communes/01014/dossier")).statusCode).toBe(403);

    const status = await database.db.selectFrom("dossiers").select("status").where("id", "=", dossier.id).executeTakeFirstOrThrow();
    expect(status.status).toBe("construction");
  });

  it("shows the examen of an accepted dossier: comments, fiches, corrections, never the visit", async () => {
    const codeInsee = "01025";
    const commune = await insertCommune(database, { code_insee: codeInsee, nom: "Bâgé-Dommartin", status: "completed", statut_global: 5 });
    const user = await insertCommuneUser(database, commune.id);
    const conservateur = await insertConservateur(database, {
      first_name: "Camille",
      last_name: "Durand",
      email: "camille.durand@example.test",
    });
    const edifice = await insertEdifice(database, { code_insee: codeInsee, nom: "église Notre-Dame" });
    const [tableau, croix, cloche] = [
      await insertObjet(database, {
        lieu_actuel_code_insee: codeInsee,
        edifice,
        palissy_tico: "tableau : l’Annonciation",
        palissy_edif: "église Notre-Dame",
      }),
      await insertObjet(database, {
        lieu_actuel_code_insee: codeInsee,
        edifice,
        palissy_tico: "croix de procession",
        palissy_edif: "église Notre-Dame",
      }),
      await insertObjet(database, { lieu_actuel_code_insee: codeInsee, palissy_tico: "cloche", palissy_edif: "chapelle" }),
    ];
    const dossier = await insertDossier(database, {
      commune_id: commune.id,
      status: "accepted",
      accepted_at: new Date("2025-04-03T10:00:00Z"),
      conservateur_id: conservateur.id,
      notes_commune: "Merci pour votre aide.",
      notes_conservateur: "Le tableau doit être restauré rapidement.",
      visit: "prioritaire",
    });
    const rTableau = await insertRecensement(database, {
      objet_id: tableau.id,
      dossier_id: dossier.id,
      etat_sanitaire: "moyen",
      analyse_etat_sanitaire: "peril",
      securisation: "en_securite",
      analyse_securisation: "en_danger",
      analyse_notes: "Soulèvements de la couche picturale.",
      analyse_fiches: ["restauration", "securisation"],
      notes: "Toile percée en bas à gauche.",
      analysed_at: new Date(),
    });
    await insertPhotos(rTableau.id, 1);
    await insertRecensement(database, {
      objet_id: croix.id,
      dossier_id: dossier.id,
      analyse_fiches: ["securisation"],
      analysed_at: new Date(),
    });
    await insertRecensement(database, { objet_id: cloche.id, dossier_id: dossier.id, localisation: "absent" });

    const b = browser().withSession({ account: { type: "commune", id: user.id } });
    const page = await b.get(`/communes/${codeInsee}/dossier`);
    expect(page.statusCode).toBe(200);
    const body = page.body;
    expect(body.match(/<h1[ >]/g)).toHaveLength(1);
    expect(body).toContain("Examen du recensement");
    expect(body).toContain("Commune de Bâgé-Dommartin");
    expect(body).toContain("Dossier de recensement examiné le 3 avril 2025 par Camille Durand (camille.durand@example.test)");
    expect(body).toContain("fonction « Imprimer » de votre navigateur");
    // The print button only shows with JavaScript, through a nonce'd module script.
    expect(body).toMatch(/<button type="button" class="[^"]*" data-co-imprimer="true" hidden>/);
    expect(body).toMatch(/<script type="module" src="\/assets\/js\/imprimer\.[A-Z0-9]+\.js" nonce="[^"]+"><\/script>/);
    expect(body).toContain("<details");
    expect(body).toContain("Merci pour votre aide.");
    expect(body).toContain("Le tableau doit être restauré rapidement.");
    // Fiches in the /fiches order: restauration before securisation.
    const restauration = body.indexOf("Fiche 1 · ");
    const securisation = body.indexOf("Fiche 2 · ");
    expect(restauration).toBeGreaterThan(-1);
    expect(securisation).toBeGreaterThan(restauration);
    expect(body).toContain('id="fiche-restauration"');
    expect(body).toContain("pour ces 2 objets");
    expect(body).toContain("pour cet objet");
    expect(body).toContain('href="/fiches/securisation"');
    expect(body).not.toContain("Fiche 3 · ");
    // Detailed view: by Palissy édifice name then REF.
    expect(body.indexOf("Objet 1 · Cloche")).toBeGreaterThan(-1);
    expect(body.indexOf("Objet 2 · ")).toBeGreaterThan(body.indexOf("Objet 1 · Cloche"));
    expect(body).toContain(
      '<del><span class="fr-sr-only">Réponse de la commune : </span>État moyen</del> <ins><span class="fr-sr-only">, corrigée par le conservateur : </span>En péril</ins>',
    );
    expect(body).toContain("Facile à voler</ins>");
    expect(body).toContain("Soulèvements de la couche picturale.");
    expect(body).toContain("Toile percée en bas à gauche.");
    expect(body).toContain("Non, l’objet est introuvable");
    expect(body).toContain("Aucune photo de recensement");
    expect(body).toContain(`href="/communes/${codeInsee}/objets/${tableau.id}"`);
    expect(body).not.toMatch(/prioritaire|souhaitable|déplacement du conservateur/i);

    const donnees = await b.get(`/communes/${codeInsee}/dossier/donnees-envoyees`);
    expect(donnees.statusCode).toBe(200);
    expect(donnees.body).toContain(`href="/communes/${codeInsee}/dossier"`);
  });
});
