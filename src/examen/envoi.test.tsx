import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertConservateur, insertDossier, insertObjet, insertRecensement } from "../../test/factories.ts";
import { Browser, insertCommuneUser } from "../../test/factories-comptes.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { refreshCommunesStatut } from "../dossier/repository.ts";
import { MESSAGE_EXAMEN_ENVOYE, MESSAGE_SELECTION_VIDE, MESSAGE_VISITE_MANQUANTE } from "./envoi.tsx";
import { MESSAGES_ENVOI_IMPOSSIBLE } from "./rules.ts";

function escaped(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
}

type Recensement = "vert" | "peril" | "peril_examine" | "absent" | "brouillon";

describe("sending the examen, reopening and batch acceptance (conservateur pages)", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let conservateurId = 0;
  let ip = 0;
  let codeSeq = 200;
  const browser = () => new Browser(app, `198.51.100.${++ip}`).withSession({ account: { type: "conservateur", id: conservateurId } });

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    conservateurId = (await insertConservateur(database, { departement_codes: ["01", "04"], first_name: "Jeanne", last_name: "Martin" }))
      .id;
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  async function dossierSoumis(departement: string, nom: string, recensements: Recensement[]) {
    const codeInsee = `${departement}${String(++codeSeq).padStart(3, "0")}`;
    const commune = await insertCommune(database, { code_insee: codeInsee, nom });
    const user = await insertCommuneUser(database, commune.id, { email: `mairie-${codeInsee}@example.test` });
    const dossier = await insertDossier(database, { commune_id: commune.id, status: "submitted" });
    const ids: number[] = [];
    for (const [index, kind] of recensements.entries()) {
      const objet = await insertObjet(database, {
        lieu_actuel_code_insee: codeInsee,
        palissy_ref: `PM${departement}${String(codeSeq).padStart(3, "0")}${String(index).padStart(3, "0")}`,
        palissy_tico: `${kind === "brouillon" ? "Reliquaire" : kind === "absent" ? "Calice" : "Statue"} ${index} de ${nom}`,
      });
      const r = await insertRecensement(database, {
        objet_id: objet.id,
        dossier_id: dossier.id,
        status: kind === "brouillon" ? "draft" : "completed",
        ...(kind === "absent" ? { localisation: "absent" as const } : {}),
        ...(kind === "peril" ? { etat_sanitaire: "peril" as const } : {}),
        ...(kind === "peril_examine"
          ? {
              etat_sanitaire: "peril" as const,
              analyse_etat_sanitaire: "mauvais" as const,
              analysed_at: new Date(),
              conservateur_id: conservateurId,
              analyse_fiches: ["restauration"],
            }
          : {}),
      });
      ids.push(r.id);
    }
    await refreshCommunesStatut(database.db, [commune.id]);
    return { commune, user, dossier, recensements: ids, url: `/conservateurs/communes/${codeInsee}/envoi-examen` };
  }

  const dossierRow = (id: number) => database.db.selectFrom("dossiers").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const mailsTo = (email: string) => database.db.selectFrom("outbox_mails").selectAll().where("to_address", "=", email).execute();

  it("shows the summary, the drafts to archive, the mail preview and the visit choice, then sends the examen once", async () => {
    const { commune, user, dossier, recensements, url } = await dossierSoumis("01", "Ambérieu-en-Bugey", [
      "peril_examine",
      "vert",
      "brouillon",
    ]);
    await database.db.updateTable("dossiers").set({ notes_conservateur: "Commentaire enregistré" }).where("id", "=", dossier.id).execute();
    const b = browser();
    const page = await b.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("<h1>Examen du recensement pour Ambérieu-en-Bugey</h1>");
    expect(page.body).toContain(`href="/conservateurs/recensements/${recensements[0]}/examen"`);
    expect(page.body).toContain(`href="/conservateurs/recensements/${recensements[1]}/examen"`);
    // Override shown: retained « Mauvais état », the commune's « En péril » struck through.
    expect(page.body).toContain("Mauvais état");
    expect(page.body).toContain("<del>En péril</del>");
    expect(page.body).toContain("Étapes préalables à la restauration");
    expect(page.body).toContain("Aucune fiche");
    expect(page.body).toMatch(/<td>Oui<\/td>[\s\S]*<td>Non<\/td>/);
    // The unfinished draft is listed with the archiving warning, not in the table.
    expect(page.body).toContain("Un recensement n’a pas été terminé par la commune");
    expect(page.body).toContain("Reliquaire 2 de Ambérieu-en-Bugey");
    expect(page.body).not.toContain(`href="/conservateurs/recensements/${recensements[2]}/examen"`);
    expect(page.body).toContain("Commentaire global pour la commune");
    expect(page.body).toContain("Prévisualiser le mail envoyé à la commune");
    expect(page.body).toContain("« Commentaire enregistré »");
    for (const label of ["Pas de visite prévue", "Visite souhaitable", "Visite prioritaire"]) expect(page.body).toContain(label);
    expect(page.body).toContain('value="aucune"');
    expect(page.body).toContain("La commune ne voit jamais ce choix");
    expect(page.body).toContain("Finaliser et envoyer l’examen à la commune");

    // Preview of the typed comment: the page again, nothing written.
    const preview = await b.post(url, { notes_conservateur: "Nouveau <commentaire> tapé", visite: "souhaitable", action: "previsualiser" });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain(escaped("« Nouveau <commentaire> tapé »"));
    expect(preview.body).toContain('<details class="env-apercu fr-mb-4w" id="apercu" open');
    expect(preview.body).toMatch(/id="visite-souhaitable"[^>]*checked/);
    expect((await dossierRow(dossier.id)).notes_conservateur).toBe("Commentaire enregistré");

    // No visit chosen: 400, the form with an error summary, nothing written.
    const missing = await b.post(url, { notes_conservateur: "Texte gardé" });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain("Le formulaire contient une erreur");
    expect(missing.body).toContain(escaped(MESSAGE_VISITE_MANQUANTE));
    expect(missing.body).toContain("Texte gardé</textarea>");
    const tooLong = await b.post(url, { notes_conservateur: "x".repeat(10_001), visite: "aucune" });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain("Le commentaire est trop long");
    expect(await dossierRow(dossier.id)).toMatchObject({ status: "submitted", visit: null });
    expect(await mailsTo(user.email)).toHaveLength(0);

    const sent = await b.post(url, { notes_conservateur: "  Merci pour ce beau travail.\r\n  ", visite: "prioritaire", action: "envoyer" });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`/conservateurs/communes/${commune.code_insee}`);
    const d = await dossierRow(dossier.id);
    expect(d).toMatchObject({
      status: "accepted",
      visit: "prioritaire",
      notes_conservateur: "Merci pour ce beau travail.",
      conservateur_id: conservateurId,
    });
    const draft = await database.db
      .selectFrom("recensements")
      .select(["status", "archived_at"])
      .where("id", "=", recensements[2]!)
      .executeTakeFirstOrThrow();
    expect(draft.status).toBe("archived");
    expect(draft.archived_at).not.toBeNull();
    expect(
      await database.db.selectFrom("communes").select(["statut_global", "status"]).where("id", "=", commune.id).executeTakeFirstOrThrow(),
    ).toEqual({
      statut_global: 5,
      status: "completed",
    });
    const mails = await mailsTo(user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("L’examen du recensement de Ambérieu-en-Bugey est disponible");
    expect(mails[0]!.text).toContain("Jeanne Martin a examiné le recensement");
    expect(mails[0]!.text).toContain("« Merci pour ce beau travail. »");
    expect(mails[0]!.text).toContain("Étapes préalables à la restauration");
    expect(mails[0]!.text).not.toMatch(/visite|prioritaire|déplacement/i);
    const actions = await database.db.selectFrom("audit_events").select("action").where("commune_id", "=", commune.id).execute();
    expect(actions.map((a) => a.action)).toEqual(["examen.envoye"]);

    // The flash is shown on the next page; the same POST again is a 409 with the explanation, no second mail.
    const after = await b.get(url);
    expect(after.body).toContain(escaped(MESSAGE_EXAMEN_ENVOYE));
    expect(after.body).toContain(escaped(MESSAGES_ENVOI_IMPOSSIBLE.deja_examine));
    expect(after.body).toContain(`action="/conservateurs/communes/${commune.code_insee}/reouverture"`);
    const again = await b.post(url, { notes_conservateur: "", visite: "aucune" });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain(escaped(MESSAGES_ENVOI_IMPOSSIBLE.deja_examine));
    expect(await mailsTo(user.email)).toHaveLength(1);
  });

  it("explains why the examen cannot be sent while prioritaires are left, and refuses the POST with a 409", async () => {
    const { user, dossier, recensements, url } = await dossierSoumis("01", "Belley", ["peril", "absent", "vert", "brouillon"]);
    const b = browser();
    const page = await b.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(escaped(MESSAGES_ENVOI_IMPOSSIBLE.prioritaires_restants));
    expect(page.body).toContain("2\u00a0objets signalés en péril ou disparus restent");
    expect(page.body).toContain(`href="/conservateurs/recensements/${recensements[0]}/examen"`);
    expect(page.body).toContain(`href="/conservateurs/recensements/${recensements[1]}/examen"`);
    expect(page.body).not.toContain("Finaliser et envoyer l’examen à la commune");
    const post = await b.post(url, { visite: "aucune", notes_conservateur: "x" });
    expect(post.statusCode).toBe(409);
    expect(await dossierRow(dossier.id)).toMatchObject({ status: "submitted", notes_conservateur: null });
    expect(
      (await database.db.selectFrom("recensements").select("status").where("id", "=", recensements[3]!).executeTakeFirstOrThrow()).status,
    ).toBe("draft");
    expect(await mailsTo(user.email)).toHaveLength(0);
  });

  it("refuses a commune of another département, and a commune whose dossier was not sent", async () => {
    const autre = await dossierSoumis("02", "Laon", ["vert"]);
    expect((await browser().get(autre.url)).statusCode).toBe(403);
    const commune = await insertCommune(database, { code_insee: "01299", nom: "Brénod" });
    await insertDossier(database, { commune_id: commune.id, status: "construction" });
    const page = await browser().get("/conservateurs/communes/01299/envoi-examen");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(escaped(MESSAGES_ENVOI_IMPOSSIBLE.pas_envoye_par_la_commune));
    expect((await browser().get("/conservateurs/communes/01999/envoi-examen")).statusCode).toBe(404);
  });

  it("reopens an accepted dossier only when confirmed", async () => {
    const { commune, dossier, url } = await dossierSoumis("01", "Bourg", ["vert"]);
    const b = browser();
    await b.get(url);
    expect((await b.post(url, { visite: "aucune" })).statusCode).toBe(303);
    const reouverture = `/conservateurs/communes/${commune.code_insee}/reouverture`;
    await b.get(url);
    const unconfirmed = await b.post(reouverture, {});
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.body).toContain("Confirmez la réouverture");
    expect((await dossierRow(dossier.id)).status).toBe("accepted");
    const reopened = await b.post(reouverture, { confirmer: "oui" });
    expect(reopened.statusCode).toBe(303);
    expect(reopened.headers.location).toBe(`/conservateurs/communes/${commune.code_insee}`);
    expect((await dossierRow(dossier.id)).status).toBe("submitted");
    const page = await b.get(url);
    expect(page.body).toContain("Le dossier a été rouvert : vous pouvez modifier votre examen.");
    expect(page.body).toContain("Finaliser et envoyer l’examen à la commune");
    const twice = await b.post(reouverture, { confirmer: "oui" });
    expect(twice.statusCode).toBe(409);
  });

  it("sends in one batch the selected dossiers with only objets verts, after one confirmation screen", async () => {
    const a = await dossierSoumis("04", "Aiglun", ["vert", "vert", "brouillon"]);
    const b2 = await dossierSoumis("04", "Allos", ["vert"]);
    const c = await dossierSoumis("04", "Annot", ["vert"]);
    const peril = await dossierSoumis("04", "Archail", ["peril"]);
    const etranger = await dossierSoumis("01", "Hors du 04", ["vert"]);
    const url = "/conservateurs/departements/04/acceptation-groupee";
    const b = browser();

    const list = await b.get(url);
    expect(list.statusCode).toBe(200);
    for (const d of [a, b2, c]) expect(list.body).toContain(`name="dossiers" value="${d.dossier.id}"`);
    expect(list.body).not.toContain("Archail");
    expect(list.body).not.toContain("Hors du 04");
    expect(list.body).not.toMatch(/name="dossiers" value="\d+" checked/);
    const all = await b.get(`${url}?tout=1`);
    for (const d of [a, b2, c]) expect(all.body).toContain(`name="dossiers" value="${d.dossier.id}" checked`);

    const empty = await b.post(url, { etape: "confirmer" });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain(escaped(MESSAGE_SELECTION_VIDE));

    const payload = (etape: string, ids: number[], extra: Record<string, string> = {}) =>
      new URLSearchParams([
        ["_csrf", b.csrf],
        ["etape", etape],
        ...ids.map((id) => ["dossiers", String(id)]),
        ...Object.entries(extra),
      ]).toString();
    // Repeated `dossiers` fields: posted by hand, keeping the session cookie (and its flash) like the browser does.
    const post = async (body: string) => {
      const response = await app.inject({
        method: "POST",
        url,
        payload: body,
        remoteAddress: b.ip,
        headers: { cookie: b.cookieHeader(), "content-type": "application/x-www-form-urlencoded" },
      });
      for (const cookie of response.cookies as { name: string; value: string }[]) b.cookies.set(cookie.name, cookie.value);
      return response;
    };

    const confirmation = await post(payload("confirmer", [a.dossier.id, c.dossier.id, etranger.dossier.id]));
    expect(confirmation.statusCode).toBe(200);
    expect(confirmation.body).toContain("Envoyer l’examen à 2 communes");
    expect(confirmation.body).toContain("Aiglun (04");
    expect(confirmation.body).toContain("Annot (04");
    expect(confirmation.body).not.toContain("Allos");
    expect(confirmation.body).not.toContain("Hors du 04");
    expect(confirmation.body).toContain(`Dossier n° ${etranger.dossier.id}`);
    expect(confirmation.body).toContain("Aucune visite n’est prévue pour ces communes.");
    expect(confirmation.body).toContain("Envoyer les 2 examens");
    expect(await mailsTo(a.user.email)).toHaveLength(0);

    // Between the two screens, Annot's dossier is sent from its own page: refused in the batch, reported.
    await b.get(c.url);
    expect((await b.post(c.url, { visite: "aucune" })).statusCode).toBe(303);
    const sent = await post(
      payload("valider", [a.dossier.id, c.dossier.id, etranger.dossier.id, peril.dossier.id], { notes_conservateur: "Merci à tous." }),
    );
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe("/conservateurs/departements/04");
    expect((await dossierRow(a.dossier.id)).status).toBe("accepted");
    expect((await dossierRow(etranger.dossier.id)).status).toBe("submitted");
    expect((await dossierRow(peril.dossier.id)).status).toBe("submitted");
    expect((await dossierRow(b2.dossier.id)).status).toBe("submitted");
    const mails = await mailsTo(a.user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain("« Merci à tous. »");
    expect(await mailsTo(c.user.email)).toHaveLength(1);

    const report = await b.get(url);
    expect(report.body).toContain(
      escaped(
        `1 examen envoyé, 3 refusés : Annot (${MESSAGES_ENVOI_IMPOSSIBLE.deja_examine}) ; dossier n° ${etranger.dossier.id} (ce dossier ne fait pas partie de ce département) ; Archail (il contient des objets en péril ou disparus).`,
      ),
    );
    expect(report.body).not.toContain(`value="${a.dossier.id}"`);
  });
});
