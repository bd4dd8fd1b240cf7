import { adresseReponse } from "../messagerie/adresses.ts";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertDossier, insertObjet, insertRecensement } from "../../test/factories.ts";
import { loadConfig } from "../config.ts";
import { createContext, type AppContext } from "../context.ts";
import { refreshCommunesStatut } from "../dossier/repository.ts";
import { DATES_TEST, insertCampagne, insertCommuneUser } from "./sequence-fixtures.ts";
import { executerSequenceQuotidienne } from "./sequence.ts";

let database: TestDatabase;
let ctx: AppContext;

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createContext({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
});
afterAll(async () => database?.drop());

async function mailsTo(email: string) {
  return database.db
    .selectFrom("outbox_mails")
    .select(["category", "idempotency_key"])
    .where("to_address", "=", email)
    .orderBy("id")
    .execute();
}
async function stepOf(recipientId: number) {
  const row = await database.db
    .selectFrom("campaign_recipients")
    .select("current_step")
    .where("id", "=", recipientId)
    .executeTakeFirstOrThrow();
  return row.current_step;
}
async function commune(id: number) {
  return database.db.selectFrom("communes").select(["status", "statut_global"]).where("id", "=", id).executeTakeFirstOrThrow();
}

describe("daily campaign sequence (RB §7.4)", () => {
  it("starts, steps up with the skip rules, never mails opted-out or completed communes, is idempotent, finishes and replies to objets verts once", async () => {
    // A: had an accepted examen (re-recensement); B: recensement in progress; C: opted out; D: completes during the campaign;
    // F: started, every objet recensed; V: submits a dossier of "objets verts" during the campaign.
    const [a, b, c, d, f, v] = await Promise.all(
      ["a", "b", "c", "d", "f", "v"].map((n) =>
        insertCommune(database, { departement_code: "01", nom: `Commune ${n.toUpperCase()}`, objets_count: 2 }),
      ),
    );
    for (const [row, email] of [
      [a!, "a@mairie.test"],
      [b!, "b@mairie.test"],
      [c!, "c@mairie.test"],
      [d!, "d@mairie.test"],
      [f!, "f@mairie.test"],
      [v!, "v@mairie.test"],
    ] as const) {
      await insertCommuneUser(database, row.id, email);
    }
    const objetA = await insertObjet(database, { lieu_actuel_code_insee: a!.code_insee });
    const ancien = await insertDossier(database, { commune_id: a!.id, status: "accepted" });
    const ancienneRecensement = await insertRecensement(database, { objet_id: objetA.id, dossier_id: ancien.id });
    const objetB = await insertObjet(database, { lieu_actuel_code_insee: b!.code_insee });
    const dossierB = await insertDossier(database, { commune_id: b!.id, status: "construction" });
    const recB = await insertRecensement(database, { objet_id: objetB.id, dossier_id: dossierB.id });
    await refreshCommunesStatut(database.db, [a!.id, b!.id]);
    expect(await commune(a!.id)).toEqual({ status: "completed", statut_global: 5 });

    const campagne = await insertCampagne(database, {
      departement_code: "01",
      status: "planned",
      communeIds: [a!.id, b!.id, c!.id, d!.id, f!.id, v!.id],
    });
    const r = (id: number) => campagne.recipients.get(id)!;
    await database.db
      .updateTable("campaign_recipients")
      .set({ opt_out: true, opt_out_reason: "postponed" })
      .where("id", "=", r(c!.id))
      .execute();

    // Before the launch day nothing happens.
    expect((await executerSequenceQuotidienne(ctx, "2027-01-01")).demarrees).toEqual([]);

    // Launch day: started, A's accepted dossier archived (its recensement kept), A back to Non recensé, B untouched.
    const lancement = await executerSequenceQuotidienne(ctx, DATES_TEST.date_lancement);
    expect(lancement.demarrees).toEqual([campagne.id]);
    const ancienApres = await database.db.selectFrom("dossiers").selectAll().where("id", "=", ancien.id).executeTakeFirstOrThrow();
    expect(ancienApres.status).toBe("archived");
    expect(ancienApres.archived_at).not.toBeNull();
    expect(
      (await database.db.selectFrom("recensements").select("status").where("id", "=", ancienneRecensement.id).executeTakeFirstOrThrow())
        .status,
    ).toBe("completed");
    expect(await commune(a!.id)).toEqual({ status: "inactive", statut_global: 0 });
    expect(await commune(b!.id)).toEqual({ status: "started", statut_global: 1 });
    expect((await database.db.selectFrom("dossiers").select("status").where("id", "=", dossierB.id).executeTakeFirstOrThrow()).status).toBe(
      "construction",
    );
    expect(await mailsTo("a@mairie.test")).toEqual([
      { category: "campagne_lancement_inactive", idempotency_key: `campagne:${r(a!.id)}:lancement` },
    ]);
    expect((await mailsTo("b@mairie.test")).map((m) => m.category)).toEqual(["campagne_lancement_inactive"]);
    expect(await mailsTo("c@mairie.test")).toEqual([]);
    expect(await stepOf(r(c!.id))).toBeNull();
    expect(await stepOf(r(a!.id))).toBe("lancement");

    // Running again the same day sends nothing more.
    const outboxAvant = await database.db
      .selectFrom("outbox_mails")
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirstOrThrow();
    const again = await executerSequenceQuotidienne(ctx, DATES_TEST.date_lancement);
    expect(again.etapes[0]).toMatchObject({ envoyes: 0, sautes: 0 });
    const outboxApres = await database.db
      .selectFrom("outbox_mails")
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirstOrThrow();
    expect(outboxApres.n).toBe(outboxAvant.n);
    const emails = await database.db.selectFrom("campaign_emails").select(["campaign_recipient_id", "step", "outbox_mail_id"]).execute();
    expect(emails).toHaveLength(5);
    expect(emails.every((e) => e.outbox_mail_id !== null)).toBe(true);

    // Between the steps: D sends its recensement (completed); F starts and recenses both objets.
    const dossierD = await insertDossier(database, { commune_id: d!.id, status: "submitted" });
    const objetF1 = await insertObjet(database, { lieu_actuel_code_insee: f!.code_insee });
    const objetF2 = await insertObjet(database, { lieu_actuel_code_insee: f!.code_insee });
    const dossierF = await insertDossier(database, { commune_id: f!.id, status: "construction" });
    await insertRecensement(database, { objet_id: objetF1.id, dossier_id: dossierF.id, updated_at: "2027-01-06T09:00:00Z" });
    await insertRecensement(database, { objet_id: objetF2.id, dossier_id: dossierF.id, updated_at: "2027-01-06T09:00:00Z" });
    await refreshCommunesStatut(database.db, [d!.id, f!.id]);
    void dossierD;

    // relance1: inactive A mailed; started B and F skipped (moved without a mail); completed D and opted-out C left alone.
    await executerSequenceQuotidienne(ctx, DATES_TEST.date_relance1);
    expect((await mailsTo("a@mairie.test")).map((m) => m.category)).toEqual(["campagne_lancement_inactive", "campagne_relance1_inactive"]);
    expect((await mailsTo("b@mairie.test")).map((m) => m.category)).toEqual(["campagne_lancement_inactive"]);
    expect(await stepOf(r(b!.id))).toBe("relance1");
    expect(await stepOf(r(f!.id))).toBe("relance1");
    expect(await stepOf(r(d!.id))).toBe("lancement");
    expect((await mailsTo("d@mairie.test")).map((m) => m.category)).toEqual(["campagne_lancement_inactive"]);

    // relance2: B changed a recensement 3 days before (Paris day) → skipped; F (all recensed) gets to_complete; A inactive.
    await database.db.updateTable("recensements").set({ updated_at: "2027-01-28T22:30:00Z" }).where("id", "=", recB.id).execute();
    await executerSequenceQuotidienne(ctx, DATES_TEST.date_relance2);
    expect((await mailsTo("b@mairie.test")).map((m) => m.category)).toEqual(["campagne_lancement_inactive"]);
    expect(await stepOf(r(b!.id))).toBe("relance2");
    expect((await mailsTo("f@mairie.test")).map((m) => m.category)).toEqual([
      "campagne_lancement_inactive",
      "campagne_relance2_to_complete",
    ]);
    expect((await mailsTo("a@mairie.test")).at(-1)?.category).toBe("campagne_relance2_inactive");

    // relance3: B's last change is older than 5 days now, one of two objets recensé → started variant.
    await executerSequenceQuotidienne(ctx, DATES_TEST.date_relance3);
    expect((await mailsTo("b@mairie.test")).at(-1)?.category).toBe("campagne_relance3_started");

    // fin is never skipped, even right after a change.
    await database.db.updateTable("recensements").set({ updated_at: "2027-02-27T10:00:00Z" }).where("id", "=", recB.id).execute();
    const fin = await executerSequenceQuotidienne(ctx, DATES_TEST.date_fin);
    expect(fin.terminees).toEqual([]);
    expect((await mailsTo("b@mairie.test")).at(-1)?.category).toBe("campagne_fin_started");
    expect(await mailsTo("c@mairie.test")).toEqual([]);
    expect((await mailsTo("d@mairie.test")).map((m) => m.category)).toEqual(["campagne_lancement_inactive"]);
    await executerSequenceQuotidienne(ctx, DATES_TEST.date_fin);
    const parEtape = await sql<{
      n: number;
    }>`select count(*)::int as n from campaign_emails group by campaign_recipient_id, step having count(*) > 1`.execute(database.db);
    expect(parEtape.rows).toEqual([]);

    // V submits a dossier with nothing in peril nor missing; the campaign finishes the day after fin.
    const objetV = await insertObjet(database, { lieu_actuel_code_insee: v!.code_insee });
    const dossierV = await insertDossier(database, { commune_id: v!.id, status: "submitted", submitted_at: "2027-03-01T15:00:00Z" });
    await insertRecensement(database, { objet_id: objetV.id, dossier_id: dossierV.id });
    await refreshCommunesStatut(database.db, [v!.id]);
    expect(await commune(v!.id)).toEqual({ status: "completed", statut_global: 3 });
    const lendemain = await executerSequenceQuotidienne(ctx, "2027-03-02");
    expect(lendemain.terminees).toEqual([campagne.id]);
    // D (submitted long ago) is answered at once; V, submitted yesterday, not yet.
    expect(lendemain.objetsVerts).toBe(1);
    expect((await mailsTo("d@mairie.test")).map((m) => m.category)).toEqual(["campagne_lancement_inactive", "commune_avec_objets_verts"]);
    expect(await commune(v!.id)).toEqual({ status: "completed", statut_global: 3 });
    // Saturday: never.
    expect((await executerSequenceQuotidienne(ctx, "2027-03-06")).objetsVerts).toBe(0);
    // V (submitted on 1 March) is answered on Monday 8 March, once.
    const lundi = await executerSequenceQuotidienne(ctx, "2027-03-08");
    expect(lundi.objetsVerts).toBe(1);
    expect(await commune(v!.id)).toEqual({ status: "completed", statut_global: 2 });
    expect((await executerSequenceQuotidienne(ctx, "2027-03-09")).objetsVerts).toBe(0);
    expect((await mailsTo("v@mairie.test")).map((m) => m.category)).toEqual([
      "campagne_lancement_inactive",
      "campagne_relance1_inactive",
      "campagne_relance2_inactive",
      "campagne_relance3_inactive",
      "campagne_fin_inactive",
      "commune_avec_objets_verts",
    ]);
    // Every mail to V answers to V's signed reply address: a mairie's reply lands in its messagerie.
    const communeV = await database.db.selectFrom("communes").selectAll().where("id", "=", v!.id).executeTakeFirstOrThrow();
    const adresseV = adresseReponse(ctx.replyKey, ctx.config.replyDomain, communeV, "commune");
    const repondreA = await database.db.selectFrom("outbox_mails").select("reply_to").where("to_address", "=", "v@mairie.test").execute();
    expect(new Set(repondreA.map((m) => m.reply_to))).toEqual(new Set([adresseV]));
  });

  it("leaves a commune with an objet in peril without an automatic reply", async () => {
    const p = await insertCommune(database, { departement_code: "01", objets_count: 1 });
    await insertCommuneUser(database, p.id, "p@mairie.test");
    const objet = await insertObjet(database, { lieu_actuel_code_insee: p.code_insee });
    await insertCampagne(database, {
      departement_code: "01",
      status: "finished",
      communeIds: [p.id],
      dates: {
        ...DATES_TEST,
        date_lancement: "2026-01-05",
        date_relance1: "2026-01-19",
        date_relance2: "2026-02-02",
        date_relance3: "2026-02-16",
        date_fin: "2026-03-02",
      },
    });
    const dossier = await insertDossier(database, { commune_id: p.id, status: "submitted", submitted_at: "2027-03-01T15:00:00Z" });
    await insertRecensement(database, { objet_id: objet.id, dossier_id: dossier.id, etat_sanitaire: "peril" });
    await refreshCommunesStatut(database.db, [p.id]);
    await executerSequenceQuotidienne(ctx, "2027-03-10");
    expect(await mailsTo("p@mairie.test")).toEqual([]);
    expect(await commune(p.id)).toEqual({ status: "completed", statut_global: 3 });
  });
});
