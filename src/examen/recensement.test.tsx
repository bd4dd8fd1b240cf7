import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { refreshCommunesStatut } from "../dossier/repository.ts";
import { STATUT_GLOBAL } from "../dossier/rules.ts";
import type { EtatSanitaire, Localisation } from "../platform/db/schema.ts";
import { LocalFileStore } from "../platform/storage/local.ts";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertConservateur, insertDossier, insertEdifice, insertObjet, insertRecensement } from "../../test/factories.ts";
import { Browser } from "../../test/factories-comptes.ts";

type Spec = {
  titre: string;
  edifice?: string;
  etat?: EtatSanitaire | null;
  localisation?: Localisation;
  recensable?: boolean;
  status?: "draft" | "completed";
  notes?: string;
};

describe("examen of a recensement", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let filesDir: string;
  let conservateurAin: number;
  let conservateurAisne: number;
  let ip = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), "co-examen-"));
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database, files: new LocalFileStore(filesDir) });
    conservateurAin = (await insertConservateur(database, { departement_codes: ["01"] })).id;
    conservateurAisne = (await insertConservateur(database, { departement_codes: ["02"] })).id;
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  /** A commune of the Ain whose dossier is in `status`, with one recensement per spec (ids in the same order). */
  async function dossier(specs: Spec[], status: "construction" | "submitted" | "accepted" = "submitted") {
    const commune = await insertCommune(database, { departement_code: "01", status: status === "construction" ? "started" : "completed" });
    const dossierRow = await insertDossier(database, { commune_id: commune.id, status });
    const edifices = new Map<string, Awaited<ReturnType<typeof insertEdifice>>>();
    const ids: number[] = [];
    for (const spec of specs) {
      const nomEdifice = spec.edifice ?? "église Saint-Pierre";
      let edifice = edifices.get(nomEdifice);
      if (!edifice) {
        edifice = await insertEdifice(database, { code_insee: commune.code_insee, nom: nomEdifice });
        edifices.set(nomEdifice, edifice);
      }
      const objet = await insertObjet(database, { lieu_actuel_code_insee: commune.code_insee, palissy_tico: spec.titre, edifice });
      const absent = spec.localisation === "absent";
      const recensable = spec.recensable ?? !absent;
      const recensement = await insertRecensement(database, {
        objet_id: objet.id,
        dossier_id: dossierRow.id,
        status: spec.status ?? "completed",
        localisation: spec.localisation ?? "edifice_initial",
        recensable,
        etat_sanitaire: recensable ? (spec.etat === undefined ? "bon" : spec.etat) : null,
        securisation: recensable ? "en_securite" : null,
        notes: spec.notes ?? null,
      });
      ids.push(recensement.id);
    }
    await refreshCommunesStatut(database.db, [commune.id]);
    return { commune, dossier: dossierRow, ids };
  }

  async function conservateur(id = conservateurAin): Promise<Browser> {
    const browser = new Browser(app, `198.51.100.${++ip}`).withSession({ account: { type: "conservateur", id } });
    await browser.get("/");
    expect(browser.csrf).not.toBe("");
    return browser;
  }

  /** Posts the form as a browser does: repeated names for the checked fiches. */
  async function poster(browser: Browser, url: string, fields: [string, string][]): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams([["_csrf", browser.csrf], ...fields]);
    const response = await app.inject({
      method: "POST",
      url,
      payload: body.toString(),
      remoteAddress: browser.ip,
      headers: { cookie: browser.cookieHeader(), "content-type": "application/x-www-form-urlencoded" },
    });
    for (const cookie of response.cookies as { name: string; value: string }[]) browser.cookies.set(cookie.name, cookie.value);
    return response;
  }

  async function row(id: number) {
    return database.db
      .selectFrom("recensements")
      .select([
        "analyse_etat_sanitaire",
        "analyse_securisation",
        "analyse_fiches",
        "analyse_notes",
        "analysed_at",
        "conservateur_id",
        "version",
        "status",
      ])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
  }

  async function communeRow(id: number) {
    return database.db
      .selectFrom("communes")
      .select(["statut_global", "en_peril_count", "disparus_count"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
  }

  async function audits(communeId: number) {
    return database.db
      .selectFrom("audit_events")
      .select(["action", "actor_type", "actor_id", "subject_id", "before", "after"])
      .where("commune_id", "=", communeId)
      .orderBy("id")
      .execute();
  }

  const url = (id: number) => `/conservateurs/recensements/${id}/examen`;

  it("shows the commune's answers, the photos block and the form to the département's conservateur", async () => {
    const { commune, ids } = await dossier([
      { titre: "Statue de saint Roch", etat: "mauvais", notes: "La main gauche est cassée." },
      { titre: "Croix de procession", localisation: "absent" },
      { titre: "Retable", recensable: false },
    ]);
    const browser = await conservateur();
    const page = await browser.get(url(ids[0]!));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Examen du recensement – Statue de saint Roch");
    expect(page.body).toContain(`href="/conservateurs/communes/${commune.code_insee}"`);
    expect(page.body).toContain("Retour à la liste des recensements");
    expect(page.body).toContain("Oui, l’objet se trouve dans l’édifice indiqué initialement");
    expect(page.body).toContain("La main gauche est cassée.");
    // The commune's answer is preselected: saving as is confirms it.
    expect(page.body).toMatch(/<input type="radio" id="etat_sanitaire-mauvais" name="etat_sanitaire" value="mauvais" checked/);
    expect(page.body).toContain('value="entretien_objets"');
    expect(page.body).not.toContain('value="depot_plainte"');
    expect(page.body).toContain("Sauvegarder et passer au suivant");
    expect(page.body).toContain("Commentaires pour la mairie");
    expect(page.body).toContain("Aucune photo n’a été jointe à ce recensement.");
    expect(page.body).toContain("Merci de ne pas ajouter de photos d’archives");

    const absent = await browser.get(url(ids[1]!));
    expect(absent.body).toContain("Non, l’objet est introuvable");
    expect(absent.body).toContain("Informer la commune sur le dépôt de plainte");
    expect(absent.body).toContain('href="/fiches/depot_plainte"');
    expect(absent.body).not.toContain('name="etat_sanitaire"');
    expect(absent.body).toContain("Aucun commentaire laissé par la commune pour cet objet");
    expect(absent.body).not.toContain("Merci de ne pas ajouter de photos d’archives");

    const impossible = await browser.get(url(ids[2]!));
    expect(impossible.body).toContain("Recensement impossible");
    expect(impossible.body).not.toContain('name="fiches"');
  });

  it("refuses another département's conservateur", async () => {
    const { ids } = await dossier([{ titre: "Calice" }]);
    const browser = await conservateur(conservateurAisne);
    expect((await browser.get(url(ids[0]!))).statusCode).toBe(403);
    const response = await poster(browser, url(ids[0]!), [
      ["version", "1"],
      ["etat_sanitaire", "peril"],
      ["securisation", "en_securite"],
    ]);
    expect(response.statusCode).toBe(403);
    expect((await row(ids[0]!)).analysed_at).toBeNull();
  });

  it("only examines completed recensements of a sent dossier", async () => {
    const enCours = await dossier([{ titre: "Calice" }], "construction");
    const browser = await conservateur();
    const page = await browser.get(url(enCours.ids[0]!));
    expect(page.statusCode).toBe(409);
    expect(page.body).toContain("L’examen ne peut se faire que pour les communes ayant terminé et confirmé leur recensement");
    const brouillon = await dossier([{ titre: "Ciboire", status: "draft" }]);
    expect((await browser.get(url(brouillon.ids[0]!))).statusCode).toBe(409);
  });

  it("moves the statut global to « En cours d’examen » on the first save and keeps the péril count in step with the override", async () => {
    const { commune, ids } = await dossier([
      { titre: "Calice", etat: "bon" },
      { titre: "Bannière", etat: "peril" },
    ]);
    expect(await communeRow(commune.id)).toEqual({
      statut_global: STATUT_GLOBAL.aExaminerEnPriorite,
      en_peril_count: 1,
      disparus_count: 0,
    });
    const browser = await conservateur();
    const avant = await row(ids[0]!);
    await browser.get(url(ids[0]!));

    const response = await poster(browser, url(ids[0]!), [
      ["version", String(avant.version)],
      ["etat_sanitaire", "peril"],
      ["securisation", "en_securite"],
      ["fiches", "restauration"],
      ["fiches", "entretien_objets"],
      ["fiches", ""],
      ["analyse_notes", "  Faire venir un restaurateur.  "],
      ["enregistrer", "sauvegarder"],
    ]);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${url(ids[0]!)}/sauvegarde`);
    const apres = await row(ids[0]!);
    expect(apres).toMatchObject({
      analyse_etat_sanitaire: "peril",
      // Same as the commune's answer: no override.
      analyse_securisation: null,
      analyse_fiches: ["entretien_objets", "restauration"],
      analyse_notes: "Faire venir un restaurateur.",
      conservateur_id: conservateurAin,
      version: avant.version + 1,
    });
    expect(apres.analysed_at).toBeInstanceOf(Date);
    expect(await communeRow(commune.id)).toEqual({ statut_global: STATUT_GLOBAL.enCoursDExamen, en_peril_count: 2, disparus_count: 0 });
    const [event] = await audits(commune.id);
    expect(event).toMatchObject({ action: "examen.recensement_sauvegarde", actor_type: "conservateur", actor_id: conservateurAin });
    expect(event!.subject_id).toBe(String(ids[0]));
    expect(event!.before).toMatchObject({ analyse_etat_sanitaire: null, analyse_fiches: [], analyse_notes: null, analysed_at: null });
    expect(event!.after).toMatchObject({ analyse_etat_sanitaire: "peril", analyse_fiches: ["entretien_objets", "restauration"] });

    // Choosing the commune's answer again removes the override: the objet leaves the péril count.
    await browser.get(url(ids[0]!));
    const retour = await poster(browser, url(ids[0]!), [
      ["version", String(apres.version)],
      ["etat_sanitaire", "bon"],
      ["securisation", "en_securite"],
      ["analyse_notes", "Faire venir un restaurateur."],
    ]);
    expect(retour.statusCode).toBe(303);
    expect(await row(ids[0]!)).toMatchObject({ analyse_etat_sanitaire: null, analyse_fiches: [] });
    expect(await communeRow(commune.id)).toMatchObject({ statut_global: STATUT_GLOBAL.enCoursDExamen, en_peril_count: 1 });
    const second = (await audits(commune.id))[1]!;
    expect(second.before).toEqual({ analyse_etat_sanitaire: "peril", analyse_fiches: ["entretien_objets", "restauration"] });
    expect(second.after).toEqual({ analyse_etat_sanitaire: null, analyse_fiches: [] });
  });

  it("shows the form again with the errors and writes nothing when a fiche does not fit", async () => {
    const { commune, ids } = await dossier([{ titre: "Calice" }]);
    const browser = await conservateur();
    const avant = await row(ids[0]!);
    await browser.get(url(ids[0]!));
    const response = await poster(browser, url(ids[0]!), [
      ["version", String(avant.version)],
      ["etat_sanitaire", "mauvais"],
      ["securisation", "en_danger"],
      ["fiches", "depot_plainte"],
      ["analyse_notes", "Mon commentaire"],
    ]);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("La ou les fiches choisies ne sont pas valides");
    expect(response.body).toContain('class="fr-alert fr-alert--error');
    // What was typed is shown back.
    expect(response.body).toContain("Mon commentaire");
    expect(response.body).toMatch(/value="mauvais" checked/);
    expect(await row(ids[0]!)).toEqual(avant);
    expect(await audits(commune.id)).toEqual([]);
  });

  it("answers 400 to a post that is not the examen form, and asks to check again after someone else's save", async () => {
    const { commune, ids } = await dossier([{ titre: "Calice" }]);
    const browser = await conservateur();
    const avant = await row(ids[0]!);
    await browser.get(url(ids[0]!));
    const vide = await poster(browser, url(ids[0]!), []);
    expect(vide.statusCode).toBe(400);
    expect(vide.body).toContain("Le formulaire d’examen envoyé est incomplet");
    expect(await row(ids[0]!)).toEqual(avant);

    const perime = await poster(browser, url(ids[0]!), [
      ["version", String(avant.version - 1)],
      ["etat_sanitaire", "peril"],
      ["securisation", "en_securite"],
    ]);
    expect(perime.statusCode).toBe(409);
    expect(perime.body).toContain("Ce recensement vient d’être modifié par ailleurs");
    expect(perime.body).toContain(`name="version" value="${avant.version}"`);
    expect(await row(ids[0]!)).toEqual(avant);
    expect(await audits(commune.id)).toEqual([]);
  });

  it("shows an examen already sent without a form to save, and refuses to save it", async () => {
    const { ids } = await dossier([{ titre: "Calice" }], "accepted");
    const browser = await conservateur();
    const page = await browser.get(url(ids[0]!));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("L’examen de ce dossier a été envoyé à la commune");
    expect(page.body).not.toContain("Sauvegarder et passer au suivant");
    expect(page.body).not.toContain("Pivoter");
    const avant = await row(ids[0]!);
    const response = await poster(browser, url(ids[0]!), [
      ["version", String(avant.version)],
      ["etat_sanitaire", "peril"],
      ["securisation", "en_securite"],
    ]);
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain("Rouvrez le dossier pour modifier l’examen");
    expect(await row(ids[0]!)).toEqual(avant);
  });

  it("goes from one recensement to the next, prioritaires first, then says what is left", async () => {
    const { commune, ids } = await dossier([
      { titre: "Calice", edifice: "chapelle Notre-Dame" },
      { titre: "Statue", etat: "peril", edifice: "église Saint-Pierre" },
      { titre: "Croix", localisation: "absent", edifice: "chapelle Notre-Dame" },
      { titre: "Tableau", etat: "peril", edifice: "chapelle Notre-Dame" },
      { titre: "Ostensoir", status: "draft" },
    ]);
    const [calice, statue, croix, tableau] = ids as [number, number, number, number];
    const browser = await conservateur();

    async function sauver(id: number, enregistrer: "suivant" | "sauvegarder", champs: [string, string][] = []) {
      const { version } = await row(id);
      await browser.get(url(id));
      return poster(browser, url(id), [["version", String(version)], ...champs, ["enregistrer", enregistrer]]);
    }
    const etat = (valeur: string): [string, string][] => [
      ["etat_sanitaire", valeur],
      ["securisation", "en_securite"],
    ];

    // Péril first (chapelle before église), then the disparu, then the others; never the one just saved.
    let response = await sauver(tableau, "suivant", etat("peril"));
    expect(response.headers.location).toBe(url(statue));
    const suivante = await browser.get(url(statue));
    expect(suivante.body).toContain("Examen sauvegardé. Recensement suivant : Statue");

    response = await sauver(statue, "sauvegarder", etat("peril"));
    expect(response.headers.location).toBe(`${url(statue)}/sauvegarde`);
    let ecran = await browser.get(`${url(statue)}/sauvegarde`);
    expect(ecran.statusCode).toBe(200);
    expect(ecran.body).toContain("Votre examen a bien été sauvegardé");
    expect(ecran.body).toContain(`Il reste 1 objet signalé en péril ou disparu à examiner à ${commune.nom}`);
    expect(ecran.body).toContain(`href="${url(croix)}"`);
    expect(ecran.body).not.toContain("Envoyer l’examen à la commune");
    expect(ecran.body).toContain("Retour à la liste des recensements");

    response = await sauver(croix, "suivant", [["fiches", "depot_plainte"]]);
    expect(response.headers.location).toBe(url(calice));
    expect(await row(croix)).toMatchObject({ analyse_fiches: ["depot_plainte"] });

    // The last one: nothing left to examine, straight to the "sauvegardé" screen.
    response = await sauver(calice, "suivant", etat("bon"));
    expect(response.headers.location).toBe(`${url(calice)}/sauvegarde`);
    ecran = await browser.get(`${url(calice)}/sauvegarde`);
    expect(ecran.body).toContain("L’ensemble des objets en péril ou disparus ont été examinés");
    expect(ecran.body).toContain(`href="/conservateurs/communes/${commune.code_insee}/envoi-examen"`);
    expect(ecran.body).toContain("Envoyer l’examen à la commune");
  });

  it("counts the prioritaires left on the « sauvegardé » screen", async () => {
    const { commune, ids } = await dossier([
      { titre: "Calice" },
      { titre: "Statue", etat: "peril" },
      { titre: "Croix", localisation: "absent" },
    ]);
    const browser = await conservateur();
    const { version } = await row(ids[0]!);
    await browser.get(url(ids[0]!));
    await poster(browser, url(ids[0]!), [
      ["version", String(version)],
      ["etat_sanitaire", "bon"],
      ["securisation", "en_securite"],
    ]);
    const ecran = await browser.get(`${url(ids[0]!)}/sauvegarde`);
    expect(ecran.body).toContain(`Il reste 2 objets signalés en péril ou disparus à examiner à ${commune.nom}`);
    expect(ecran.body).toContain(`href="${url(ids[1]!)}"`);
    expect(ecran.body).toContain(`href="${url(ids[2]!)}"`);
  });
});
