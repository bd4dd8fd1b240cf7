import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertConservateur, insertDossier, insertObjet, insertRecensement } from "../../test/factories.ts";
import { insertCommuneUser } from "../../test/factories-comptes.ts";
import { refreshCommunesStatut } from "../dossier/repository.ts";
import { ConflictError } from "../platform/http/errors.ts";
import { jetonValide, lireAdresseReponse } from "../messagerie/adresses.ts";
import { accepterDossier, accepterEnLot, listDossiersAcceptablesEnLot, rouvrirDossier } from "./acceptation.ts";
import { MESSAGES_ENVOI_IMPOSSIBLE } from "./rules.ts";

const config = { publicUrl: "https://co.example.test", mailFrom: "Collectif Objets <contact@co.example.test>" };
const reponses = { cle: Buffer.alloc(32, 7), domaine: "reponse.example.test" };

type Recensement = "vert" | "peril" | "peril_examine" | "absent" | "brouillon" | "vert_examine";

describe("accepting a dossier (sending the examen), reopening, batch acceptance", () => {
  let database: TestDatabase;
  let conservateurId = 0;
  const actor = () => ({ type: "conservateur" as const, id: conservateurId });
  let codeSeq = 100;

  beforeAll(async () => {
    database = await createTestDatabase();
    conservateurId = (await insertConservateur(database, { departement_codes: ["01", "02"], first_name: "Jeanne", last_name: "Martin" }))
      .id;
  });
  afterAll(async () => {
    await database.drop();
  });

  /** A commune whose dossier was sent, with one recensement per entry, and its stored statut refreshed. */
  async function dossierSoumis(
    departement: string,
    nom: string,
    recensements: Recensement[],
    options: { repliedAutomatically?: boolean } = {},
  ) {
    const codeInsee = `${departement}${String(++codeSeq).padStart(3, "0")}`;
    const commune = await insertCommune(database, { code_insee: codeInsee, nom });
    const user = await insertCommuneUser(database, commune.id, { email: `mairie-${codeInsee}@example.test` });
    const dossier = await insertDossier(database, {
      commune_id: commune.id,
      status: "submitted",
      replied_automatically_at: options.repliedAutomatically ? new Date() : null,
    });
    const ids: number[] = [];
    for (const kind of recensements) {
      const objet = await insertObjet(database, { lieu_actuel_code_insee: codeInsee, palissy_tico: `Objet ${kind} de ${nom}` });
      const r = await insertRecensement(database, {
        objet_id: objet.id,
        dossier_id: dossier.id,
        status: kind === "brouillon" ? "draft" : "completed",
        ...(kind === "absent" ? { localisation: "absent" as const } : {}),
        ...(kind === "peril" || kind === "peril_examine" ? { etat_sanitaire: "peril" as const } : {}),
        ...(kind === "peril_examine" || kind === "vert_examine"
          ? { analysed_at: new Date(), conservateur_id: conservateurId, analyse_fiches: ["securisation", "entretien_objets"] }
          : {}),
      });
      ids.push(r.id);
    }
    await refreshCommunesStatut(database.db, [commune.id]);
    return { commune, user, dossier, recensements: ids };
  }

  const outbox = () => database.db.selectFrom("outbox_mails").selectAll().orderBy("id").execute();
  const auditsOf = (dossierId: number) =>
    database.db
      .selectFrom("audit_events")
      .selectAll()
      .where("subject_type", "=", "dossier")
      .where("subject_id", "=", String(dossierId))
      .orderBy("id")
      .execute();

  it("archives the drafts (kept, not deleted), accepts the dossier, refreshes the commune, audits and mails the commune", async () => {
    const { commune, user, dossier, recensements } = await dossierSoumis("01", "Ambérieu-en-Bugey", ["peril_examine", "vert", "brouillon"]);
    const [, , brouillon] = recensements;
    const avant = (await outbox()).length;

    const resultat = await database.db.transaction().execute((trx) =>
      accepterDossier(trx, {
        dossierId: dossier.id,
        conservateurId,
        notes: "Bravo pour ce recensement.",
        visite: "prioritaire",
        actor: actor(),
        ip: "203.0.113.5",
        config,
        reponses,
      }),
    );
    expect(resultat).toMatchObject({ dossierId: dossier.id, brouillonsArchives: 1, mails: 1, codeInsee: commune.code_insee });

    const archive = await database.db.selectFrom("recensements").selectAll().where("id", "=", brouillon!).executeTakeFirstOrThrow();
    expect(archive.status).toBe("archived");
    expect(archive.archived_at).toBeInstanceOf(Date);
    const apres = await database.db.selectFrom("dossiers").selectAll().where("id", "=", dossier.id).executeTakeFirstOrThrow();
    expect(apres).toMatchObject({
      status: "accepted",
      conservateur_id: conservateurId,
      notes_conservateur: "Bravo pour ce recensement.",
      visit: "prioritaire",
    });
    expect(apres.accepted_at).toBeInstanceOf(Date);
    const c = await database.db.selectFrom("communes").selectAll().where("id", "=", commune.id).executeTakeFirstOrThrow();
    expect(c).toMatchObject({ statut_global: 5, status: "completed", en_peril_count: 1 });

    const [event] = await auditsOf(dossier.id);
    expect(event).toMatchObject({ action: "examen.envoye", actor_type: "conservateur", actor_id: conservateurId, commune_id: commune.id });
    expect(event!.after).toMatchObject({
      status: "accepted",
      visit: "prioritaire",
      brouillons_archives: 1,
      recensements_archives: [brouillon],
    });

    const mails = (await outbox()).slice(avant);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.to_address).toBe(user.email);
    expect(mail.subject).toBe("L’examen du recensement de Ambérieu-en-Bugey est disponible");
    expect(mail.from_address).toContain("Jeanne Martin via Collectif Objets");
    // A reply to the mail lands in the commune's messagerie, as the commune.
    const adresse = lireAdresseReponse(mail.reply_to ?? "", reponses.domaine);
    expect(adresse).toMatchObject({ codeInsee: commune.code_insee, cote: "commune" });
    expect(jetonValide(reponses.cle, c, adresse!)).toBe(true);
    expect(mail.text).toContain("« Bravo pour ce recensement. »");
    expect(mail.text).toContain("Sécuriser vos objets");
    expect(mail.text).toContain("Entretien des objets");
    expect(mail.text).toContain(`https://co.example.test/communes/${commune.code_insee}/dossier`);
    expect(mail.text).not.toMatch(/visite|déplacement|prioritaire/i);
    expect(mail.html).not.toMatch(/visite|déplacement|prioritaire/i);
  });

  it("refuses a second acceptance with a 409 and sends no second mail", async () => {
    const { dossier } = await dossierSoumis("01", "Bâgé-le-Châtel", ["vert"]);
    const accepter = () =>
      database.db
        .transaction()
        .execute((trx) =>
          accepterDossier(trx, { dossierId: dossier.id, conservateurId, notes: null, visite: null, actor: actor(), config, reponses }),
        );
    await accepter();
    const avant = (await outbox()).length;
    await expect(accepter()).rejects.toThrow(new ConflictError(MESSAGES_ENVOI_IMPOSSIBLE.deja_examine));
    expect((await outbox()).length).toBe(avant);
    expect((await auditsOf(dossier.id)).map((e) => e.action)).toEqual(["examen.envoye"]);
  });

  it("refuses while a prioritaire recensement is not examined, and changes nothing", async () => {
    const { commune, dossier, recensements } = await dossierSoumis("01", "Belley", ["peril", "absent", "brouillon"]);
    const avant = (await outbox()).length;
    await expect(
      database.db
        .transaction()
        .execute((trx) =>
          accepterDossier(trx, { dossierId: dossier.id, conservateurId, notes: "x", visite: null, actor: actor(), config, reponses }),
        ),
    ).rejects.toThrow(new ConflictError(MESSAGES_ENVOI_IMPOSSIBLE.prioritaires_restants));
    const d = await database.db.selectFrom("dossiers").selectAll().where("id", "=", dossier.id).executeTakeFirstOrThrow();
    expect(d).toMatchObject({ status: "submitted", notes_conservateur: null, accepted_at: null });
    const brouillon = await database.db
      .selectFrom("recensements")
      .select("status")
      .where("id", "=", recensements[2]!)
      .executeTakeFirstOrThrow();
    expect(brouillon.status).toBe("draft");
    expect(
      (await database.db.selectFrom("communes").select("statut_global").where("id", "=", commune.id).executeTakeFirstOrThrow())
        .statut_global,
    ).toBe(3);
    expect((await outbox()).length).toBe(avant);
    expect(await auditsOf(dossier.id)).toEqual([]);
  });

  it("reopens an accepted dossier (back to submitted, statut « En cours d’examen »), once", async () => {
    const { commune, dossier, recensements } = await dossierSoumis("01", "Bourg", ["peril_examine", "brouillon"]);
    await database.db.transaction().execute((trx) =>
      accepterDossier(trx, {
        dossierId: dossier.id,
        conservateurId,
        notes: null,
        visite: "souhaitable",
        actor: actor(),
        config,
        reponses,
      }),
    );
    await database.db.transaction().execute((trx) => rouvrirDossier(trx, { dossierId: dossier.id, actor: actor(), ip: null }));
    const d = await database.db.selectFrom("dossiers").selectAll().where("id", "=", dossier.id).executeTakeFirstOrThrow();
    expect(d).toMatchObject({ status: "submitted", accepted_at: null, visit: "souhaitable" });
    const c = await database.db.selectFrom("communes").selectAll().where("id", "=", commune.id).executeTakeFirstOrThrow();
    expect(c).toMatchObject({ statut_global: 4, status: "completed" });
    // The archived draft stays archived.
    expect(
      (await database.db.selectFrom("recensements").select("status").where("id", "=", recensements[1]!).executeTakeFirstOrThrow()).status,
    ).toBe("archived");
    expect((await auditsOf(dossier.id)).map((e) => e.action)).toEqual(["examen.envoye", "dossier.reopen"]);
    await expect(
      database.db.transaction().execute((trx) => rouvrirDossier(trx, { dossierId: dossier.id, actor: actor() })),
    ).rejects.toBeInstanceOf(ConflictError);

    // Sent again: a new sending time, so a new mail.
    const avant = (await outbox()).length;
    await database.db
      .transaction()
      .execute((trx) =>
        accepterDossier(trx, { dossierId: dossier.id, conservateurId, notes: null, visite: null, actor: actor(), config, reponses }),
      );
    expect((await outbox()).length).toBe(avant + 1);
  });

  it("lists for the batch only the untouched dossiers with objets verts of the département", async () => {
    const vert = await dossierSoumis("02", "Abbécourt", ["vert", "vert", "brouillon"]);
    const auto = await dossierSoumis("02", "Achery", ["vert"], { repliedAutomatically: true });
    await dossierSoumis("02", "Agnicourt", ["vert", "peril"]);
    await dossierSoumis("02", "Aisonville", ["vert_examine", "vert"]);
    await dossierSoumis("02", "Alaincourt", ["absent"]);
    await dossierSoumis("01", "Hors du 02", ["vert"]);
    const { dossiers, tronque } = await listDossiersAcceptablesEnLot(database.db, "02");
    expect(tronque).toBe(false);
    expect(dossiers.map((d) => d.nom)).toEqual(["Abbécourt", "Achery"]);
    expect(dossiers[0]).toMatchObject({ dossierId: vert.dossier.id, recenses: 2, brouillons: 1, statutGlobal: 3 });
    expect(dossiers[1]).toMatchObject({ dossierId: auto.dossier.id, statutGlobal: 2 });
  });

  it("accepts a batch dossier by dossier: refusals and failures are reported, the others are kept", async () => {
    const a = await dossierSoumis("03", "Abrest", ["vert", "brouillon"]);
    const b = await dossierSoumis("03", "Agonges", ["vert"]);
    const echec = await dossierSoumis("03", "Ainay-le-Château", ["vert"]);
    const peril = await dossierSoumis("03", "Andelaroche", ["peril"]);
    const etranger = await dossierSoumis("01", "Dans l’Ain", ["vert"]);
    // An unexpected failure on one dossier (a trigger refuses its update).
    await sql
      .raw(
        `create function refuse_dossier() returns trigger language plpgsql as $$
         begin if new.id = ${echec.dossier.id} and new.status = 'accepted' then raise exception 'panne simulée'; end if; return new; end $$;
         create trigger refuse_dossier before update on dossiers for each row execute function refuse_dossier();`,
      )
      .execute(database.db);
    const erreurs: number[] = [];
    try {
      const resultat = await accepterEnLot(database.db, {
        departementCode: "03",
        dossierIds: [a.dossier.id, echec.dossier.id, peril.dossier.id, etranger.dossier.id, 999_999, b.dossier.id],
        conservateurId,
        notes: "Merci à toutes les communes.",
        actor: actor(),
        config,
        reponses,
        onError: (_error, id) => erreurs.push(id),
      });
      expect(resultat.acceptes.map((r) => r.dossierId)).toEqual([a.dossier.id, b.dossier.id]);
      expect(resultat.refuses).toEqual([
        {
          dossierId: echec.dossier.id,
          commune: "Ainay-le-Château",
          raison: "une erreur inattendue est survenue, réessayez depuis la page de la commune",
        },
        { dossierId: peril.dossier.id, commune: "Andelaroche", raison: "il contient des objets en péril ou disparus" },
        { dossierId: etranger.dossier.id, commune: null, raison: "ce dossier ne fait pas partie de ce département" },
        { dossierId: 999_999, commune: null, raison: "ce dossier ne fait pas partie de ce département" },
      ]);
      expect(erreurs).toEqual([echec.dossier.id]);
    } finally {
      await sql.raw("drop trigger refuse_dossier on dossiers; drop function refuse_dossier();").execute(database.db);
    }
    const statuts = await database.db
      .selectFrom("dossiers")
      .select(["id", "status", "visit", "notes_conservateur"])
      .where("id", "in", [a.dossier.id, b.dossier.id, echec.dossier.id, peril.dossier.id, etranger.dossier.id])
      .orderBy("id")
      .execute();
    expect(Object.fromEntries(statuts.map((s) => [s.id, s.status]))).toEqual({
      [a.dossier.id]: "accepted",
      [b.dossier.id]: "accepted",
      [echec.dossier.id]: "submitted",
      [peril.dossier.id]: "submitted",
      [etranger.dossier.id]: "submitted",
    });
    expect(statuts.find((s) => s.id === a.dossier.id)).toMatchObject({ visit: null, notes_conservateur: "Merci à toutes les communes." });
    const mails = await database.db
      .selectFrom("outbox_mails")
      .select(["to_address", "text"])
      .where("to_address", "in", [a.user.email, b.user.email, echec.user.email])
      .execute();
    expect(mails.map((m) => m.to_address).sort()).toEqual([a.user.email, b.user.email].sort());
    expect(mails[0]!.text).toContain("« Merci à toutes les communes. »");
    const [event] = await auditsOf(a.dossier.id);
    expect(event!.after).toMatchObject({ en_lot: true, visit: null, brouillons_archives: 1 });
  });
});
