import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import nodemailer from "nodemailer";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildApp } from "../../app.tsx";
import { loadConfig } from "../../config.ts";
import { createContext, type AppContext } from "../../context.ts";
import { LocalFileStore } from "../../platform/storage/local.ts";
import { createTestDatabase, type TestDatabase } from "../../../test/database.ts";
import { insertCommune, insertConservateur, type CommuneRow } from "../../../test/factories.ts";
import { Browser, insertCommuneUser } from "../../../test/factories-comptes.ts";
import { adresseReponse } from "../adresses.ts";
import { clesStockees } from "../pieces-jointes.ts";
import { recevoirMail, type MailRecu } from "./reception.ts";
import { startInboundSmtp, type InboundSmtp } from "./smtp.ts";

const SECRET = "secret-du-webhook-de-test-0123456789";

async function jpeg(): Promise<Buffer> {
  return sharp(crypto.randomBytes(320 * 240 * 3), { raw: { width: 320, height: 240, channels: 3 } })
    .jpeg()
    .toBuffer();
}

/** Talks SMTP by hand, to see what the server announces and answers. */
async function sessionBrute(port: number, commandes: string[]): Promise<string[]> {
  const socket = net.connect(port, "127.0.0.1");
  const reponses: string[] = [];
  let tampon = "";
  const lire = () =>
    new Promise<string>((resolve, reject) => {
      const essayer = () => {
        const lignes = tampon.split("\r\n");
        const fin = lignes.findIndex((l) => /^\d{3} /.test(l));
        if (fin < 0) return false;
        const reponse = lignes.slice(0, fin + 1).join("\n");
        tampon = lignes.slice(fin + 1).join("\r\n");
        resolve(reponse);
        return true;
      };
      if (essayer()) return;
      const surDonnees = (d: Buffer) => {
        tampon += d.toString("utf8");
        if (essayer()) socket.off("data", surDonnees);
      };
      socket.on("data", surDonnees);
      socket.once("error", reject);
    });
  reponses.push(await lire());
  for (const commande of commandes) {
    socket.write(`${commande}\r\n`);
    reponses.push(await lire());
  }
  socket.end();
  return reponses;
}

describe("replies received by mail", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let ctx: AppContext;
  let smtp: InboundSmtp;
  let filesDir: string;
  let commune: CommuneRow;
  let autreCommune: CommuneRow;
  let conservateurs: { premier: number; expediteur: number; sansNotification: number; autreDepartement: number };
  let mairie: number;
  const journal: Record<string, unknown>[] = [];

  const adresse = (c: CommuneRow, cote: "commune" | "conservateur") => adresseReponse(ctx.replyKey, ctx.config.replyDomain, c, cote);

  beforeAll(async () => {
    database = await createTestDatabase();
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), "co-inbound-"));
    const config = loadConfig({
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      INBOUND_SMTP_PORT: "0",
      INBOUND_SMTP_HOST: "127.0.0.1",
      INBOUND_WEBHOOK_SECRET: SECRET,
      REPLY_DOMAIN: "reponse.test",
    });
    const files = new LocalFileStore(filesDir);
    ctx = createContext({ config, database, files });
    app = await buildApp({ config, database, files });
    smtp = (await startInboundSmtp(ctx, { journal: (e) => journal.push(e) }))!;
    commune = await insertCommune(database, { code_insee: "56121", nom: "Locmariaquer" });
    autreCommune = await insertCommune(database, { code_insee: "56034", nom: "Carnac" });
    const premier = await insertConservateur(database, { departement_codes: ["56"], email: "premier@culture.test" });
    const expediteur = await insertConservateur(database, { departement_codes: ["56", "29"], email: "Claire.Martin@culture.test" });
    const sansNotification = await insertConservateur(database, { departement_codes: ["56"], email: "calme@culture.test" });
    await database.db
      .updateTable("conservateurs")
      .set({ messages_mail_notifications: false })
      .where("id", "=", sansNotification.id)
      .execute();
    const autreDepartement = await insertConservateur(database, { departement_codes: ["29"], email: "finistere@culture.test" });
    conservateurs = {
      premier: premier.id,
      expediteur: expediteur.id,
      sansNotification: sansNotification.id,
      autreDepartement: autreDepartement.id,
    };
    // One account per commune (unique): a sender other than its address still writes as the commune.
    mairie = (await insertCommuneUser(database, commune.id, { email: "secretariat@locmariaquer.test" })).id;
  });

  afterAll(async () => {
    await smtp?.close();
    await app?.close();
    await database?.drop();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    journal.length = 0;
    await database.db.deleteFrom("outbox_mails").execute();
  });

  function transport() {
    return nodemailer.createTransport({
      host: "127.0.0.1",
      port: smtp.port,
      secure: false,
      ignoreTLS: true,
      tls: { rejectUnauthorized: false },
    });
  }

  async function messagesDe(communeId: number) {
    return database.db.selectFrom("messages").selectAll().where("commune_id", "=", communeId).orderBy("id").execute();
  }

  it("a real SMTP session posts a conservateur's reply in the thread: sanitised, quote trimmed, photo stored, author matched", async () => {
    const photo = await jpeg();
    const info = await transport().sendMail({
      from: '"Claire Martin" <claire.martin@culture.test>',
      to: adresse(commune, "conservateur"),
      subject: "Re: Nouveau message de Locmariaquer",
      messageId: "<reponse-1@mail.culture.test>",
      text: "Merci pour la photo du calice.\n\nLe lun. 3 nov. 2025 à 10:12, Mairie <x@reponse.test> a écrit :\n> Voici le calice.",
      html: '<div><p>Merci pour la <b>photo</b> du calice.</p><script>alert(1)</script><img src=x onerror=alert(1)></div><div class="gmail_quote">Le lun. 3 nov. 2025 à 10:12, Mairie a écrit :<blockquote>Voici le calice.</blockquote></div>',
      attachments: [{ filename: "calice.jpg", content: photo, contentType: "image/jpeg" }],
    });
    expect(info.response).toMatch(/^250 /);

    const [message] = await messagesDe(commune.id);
    expect(message).toMatchObject({
      origin: "inbound_email",
      author_type: "conservateur",
      author_id: conservateurs.expediteur,
      text: "Merci pour la photo du calice.",
      from_email: "claire.martin@culture.test",
      inbound_email_id: "reponse-1@mail.culture.test",
    });
    expect(message!.body_html).toContain("<b>photo</b>");
    expect(message!.body_html).not.toMatch(/script|onerror|alert|<img/i);
    expect(message!.quoted_text).toContain("> Voici le calice.");

    const pieces = await database.db.selectFrom("message_attachments").selectAll().where("message_id", "=", message!.id).execute();
    expect(pieces).toHaveLength(1);
    expect(pieces[0]).toMatchObject({ kind: "image" });
    const cles = clesStockees({ storageKey: pieces[0]!.storage_key, kind: "image" });
    expect(cles.length).toBeGreaterThan(0);
    for (const cle of cles) {
      const stocke = await ctx.files.get(cle);
      expect(stocke, cle).not.toBeNull();
      expect((await sharp(stocke!).metadata()).width, cle).toBeGreaterThan(0);
    }

    // What the commune reads in its thread: the reply, sanitised, and the photo, downloadable.
    const navigateur = new Browser(app).withSession({ account: { type: "commune", id: mairie } });
    const page = await navigateur.get("/communes/56121/messagerie");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("<b>photo</b>");
    expect(page.body).not.toMatch(/alert\(1\)|onerror/);
    const lien = `/communes/56121/messagerie/pieces-jointes/${pieces[0]!.id}`;
    expect(page.body).toContain(lien);
    const telechargement = await navigateur.get(lien);
    expect(telechargement.statusCode).toBe(200);
    expect(telechargement.headers["content-type"]).toBe("image/jpeg");
    expect((await sharp(telechargement.rawPayload).metadata()).format).toBe("jpeg");
    const conservatrice = new Browser(app).withSession({ account: { type: "conservateur", id: conservateurs.premier } });
    const onglet = await conservatrice.get("/conservateurs/communes/56121/messagerie");
    expect(onglet.statusCode).toBe(200);
    expect(onglet.body).toContain("Merci pour la");

    const recu = await database.db
      .selectFrom("inbound_emails")
      .selectAll()
      .where("id", "=", "reponse-1@mail.culture.test")
      .executeTakeFirstOrThrow();
    expect(recu).toMatchObject({ status: "accepted", source: "smtp", cote: "conservateur", commune_id: commune.id, attachments_count: 1 });
    expect(recu.body_html ?? "").not.toMatch(/script|onerror/i);
  });

  it("the same Message-ID delivered twice gives one message, also when both deliveries run at once", async () => {
    const envoi = {
      from: "maire@locmariaquer.test",
      to: adresse(commune, "commune"),
      subject: "Re: question",
      messageId: "<double@locmariaquer.test>",
      text: "Le registre est en mairie.",
    };
    const avant = (await messagesDe(commune.id)).length;
    expect((await transport().sendMail(envoi)).response).toMatch(/^250 /);
    expect((await transport().sendMail(envoi)).response).toMatch(/^250 .*(deja|Already)/i);
    expect(await messagesDe(commune.id)).toHaveLength(avant + 1);

    const mail: MailRecu = {
      source: "webhook",
      messageId: "<simultane@locmariaquer.test>",
      brut: "x",
      from: "maire@locmariaquer.test",
      envelopeTo: [],
      to: [adresse(commune, "commune")],
      cc: [],
      subject: null,
      text: "Deux livraisons en même temps.",
      html: null,
      sentAt: null,
      attachments: [],
    };
    const resultats = await Promise.all([recevoirMail(ctx, mail, { journal: () => {} }), recevoirMail(ctx, mail, { journal: () => {} })]);
    expect(resultats.map((r) => r.status).sort()).toEqual(["accepted", "duplicate"]);
    expect(await messagesDe(commune.id)).toHaveLength(avant + 2);
  });

  it("a commune's reply notifies each eligible conservateur of the département exactly once, authored by the matching user", async () => {
    await transport().sendMail({
      from: "SECRETARIAT@locmariaquer.test",
      to: adresse(commune, "commune"),
      subject: "Re: photos",
      messageId: "<notif@locmariaquer.test>",
      text: "Les photos suivent.\n\nEnvoyé de mon iPhone",
    });
    const message = (await messagesDe(commune.id)).at(-1)!;
    expect(message).toMatchObject({
      author_type: "commune",
      author_id: mairie,
      text: "Les photos suivent.",
      signature: "Envoyé de mon iPhone",
    });
    const mails = await database.db.selectFrom("outbox_mails").select("to_address").execute();
    expect(mails.map((m) => m.to_address).sort()).toEqual(["Claire.Martin@culture.test", "premier@culture.test"].sort());
  });

  it("an unknown sender on the conservateur address falls back to the first conservateur of the département", async () => {
    await transport().sendMail({
      from: "secretariat-crmh@culture.test",
      to: adresse(commune, "conservateur"),
      messageId: "<repli@culture.test>",
      text: "Réponse du secrétariat.",
    });
    expect((await messagesDe(commune.id)).at(-1)).toMatchObject({ author_type: "conservateur", author_id: conservateurs.premier });
  });

  it("a forged token is refused at DATA, recorded as rejected and logged, nothing posted", async () => {
    const vraie = adresse(commune, "commune");
    const falsifiee = vraie.replace(/-([a-z2-7]{24})@/, (_m, jeton: string) => `-${jeton.slice(0, -1)}${jeton.endsWith("a") ? "b" : "a"}@`);
    const avant = (await messagesDe(commune.id)).length;
    const envoi = transport().sendMail({
      from: "pirate@evil.test",
      to: falsifiee,
      messageId: "<faux@evil.test>",
      subject: "Hop",
      text: "Je poste où je veux.",
    });
    await expect(envoi).rejects.toMatchObject({ responseCode: 550 });
    expect(await messagesDe(commune.id)).toHaveLength(avant);
    const recu = await database.db.selectFrom("inbound_emails").selectAll().where("id", "=", "faux@evil.test").executeTakeFirstOrThrow();
    expect(recu).toMatchObject({
      status: "rejected",
      commune_id: commune.id,
      from_email: "pirate@evil.test",
      to_email: falsifiee,
      subject: "Hop",
    });
    expect(recu.reject_reason).toMatch(/jeton invalide/);
    expect(journal).toContainEqual(expect.objectContaining({ event: "inbound_email_rejected", inboundEmailId: "faux@evil.test" }));

    // The conservateurs' token of a commune does not open another commune's thread either.
    const croisee = adresse(commune, "conservateur").replace("mairie-56121-", "mairie-56034-");
    await expect(transport().sendMail({ from: "a@b.test", to: croisee, text: "x" })).rejects.toMatchObject({ responseCode: 550 });
    expect(await messagesDe(autreCommune.id)).toHaveLength(0);
  });

  it("is not an open relay: any other recipient is refused at RCPT; SIZE is announced, no AUTH nor STARTTLS", async () => {
    const envoi = transport().sendMail({ from: "a@b.test", to: "quelquun@gmail.com", text: "relais ?" });
    await expect(envoi).rejects.toMatchObject({ responseCode: 550 });
    const reponses = await sessionBrute(smtp.port, [
      "EHLO client.test",
      "MAIL FROM:<a@b.test> SIZE=30000000",
      "MAIL FROM:<a@b.test>",
      `RCPT TO:<contact@reponse.test>`,
      "QUIT",
    ]);
    expect(reponses[1]).toMatch(/SIZE 26214400/);
    expect(reponses[1]).not.toMatch(/STARTTLS|AUTH/);
    expect(reponses[2]).toMatch(/^552 /);
    expect(reponses[3]).toMatch(/^250 /);
    expect(reponses[4]).toMatch(/^550 /);
  });

  it("an empty reply (only the quote) is rejected", async () => {
    const envoi = transport().sendMail({
      from: "maire@locmariaquer.test",
      to: adresse(commune, "commune"),
      messageId: "<vide@locmariaquer.test>",
      text: "\n\nLe 3 nov. 2025 à 10:12, Conservation a écrit :\n> Avez-vous les photos ?",
    });
    await expect(envoi).rejects.toMatchObject({ responseCode: 550 });
    const recu = await database.db
      .selectFrom("inbound_emails")
      .select(["status", "reject_reason"])
      .where("id", "=", "vide@locmariaquer.test")
      .executeTakeFirstOrThrow();
    expect(recu).toMatchObject({ status: "rejected" });
    expect(recu.reject_reason).toMatch(/vide/i);
  });

  it("keeps an image pasted in the reply but not the logo of the signature nor the images of the quoted history", async () => {
    const [collee, logo, ancienne] = await Promise.all([jpeg(), jpeg(), jpeg()]);
    await transport().sendMail({
      from: "secretariat@locmariaquer.test",
      to: adresse(commune, "commune"),
      messageId: "<cid@locmariaquer.test>",
      text: "Voici la statue.\n\nLe 3 nov. 2025 à 10:12, Conservation a écrit :\n> Une photo ?",
      html: '<div>Voici la statue.<br><img src="cid:collee@x" alt="statue"></div><div class="gmail_signature"><img src="cid:logo@x"></div><div class="gmail_quote">Le 3 nov. 2025 à 10:12, Conservation a écrit :<blockquote><img src="cid:ancienne@x"> Une photo ?</blockquote></div>',
      attachments: [
        { filename: "statue.jpg", content: collee, cid: "collee@x" },
        { filename: "logo.jpg", content: logo, cid: "logo@x" },
        { filename: "ancienne.jpg", content: ancienne, cid: "ancienne@x" },
      ],
    });
    const message = (await messagesDe(commune.id)).at(-1)!;
    expect(message.body_html).toBe("<div>Voici la statue.<br /><span>[statue]</span></div>");
    const pieces = await database.db.selectFrom("message_attachments").select("filename").where("message_id", "=", message.id).execute();
    expect(pieces.map((p) => p.filename)).toEqual(["statue.jpg"]);
  });

  it("enforces the size limit on DATA with 552", async () => {
    const petit = (await startInboundSmtp(ctx, { journal: () => {}, tailleMax: 4096 }))!;
    try {
      const envoi = nodemailer.createTransport({ host: "127.0.0.1", port: petit.port, secure: false, ignoreTLS: true }).sendMail({
        from: "maire@locmariaquer.test",
        to: adresse(commune, "commune"),
        messageId: "<gros@locmariaquer.test>",
        text: "x".repeat(20_000),
      });
      await expect(envoi).rejects.toMatchObject({ responseCode: 552 });
      expect(await database.db.selectFrom("inbound_emails").select("id").where("id", "=", "gros@locmariaquer.test").execute()).toHaveLength(
        0,
      );
    } finally {
      await petit.close();
    }
  });

  it("never posts an auto-reply (Auto-Submitted, out-of-office subject), so two auto-responders cannot talk forever", async () => {
    const avant = (await messagesDe(commune.id)).length;
    const envoi = transport().sendMail({
      from: "secretariat@locmariaquer.test",
      to: adresse(commune, "commune"),
      messageId: "<absence@locmariaquer.test>",
      subject: "Re: Nouveau message",
      headers: { "Auto-Submitted": "auto-replied" },
      text: "Je suis absente jusqu'au 12 novembre.",
    });
    await expect(envoi).rejects.toMatchObject({ responseCode: 550 });
    const objet = await recevoirMail(
      ctx,
      {
        source: "webhook",
        messageId: "<absence-2@locmariaquer.test>",
        brut: "y",
        from: "secretariat@locmariaquer.test",
        envelopeTo: [],
        to: [adresse(commune, "commune")],
        cc: [],
        subject: "Réponse automatique : Nouveau message",
        text: "Absente.",
        html: null,
        sentAt: null,
        attachments: [],
      },
      { journal: () => {} },
    );
    expect(objet).toMatchObject({ status: "rejected", reason: expect.stringMatching(/automatique/) as unknown });
    expect(await messagesDe(commune.id)).toHaveLength(avant);
  });

  it("an HTML-only reply from Outlook on the web is cut at its history", async () => {
    await transport().sendMail({
      from: "secretariat@locmariaquer.test",
      to: adresse(commune, "commune"),
      messageId: "<owa@locmariaquer.test>",
      html: '<div dir="ltr"><p>Le registre est <i>en mairie</i>.</p></div><div id="appendonsend"></div><hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg"><b>De :</b> Collectif Objets<br><b>Envoyé :</b> lundi 3 novembre 2025 10:12<br><b>Objet :</b> Nouveau message</div><div>Où est le registre ?</div>',
    });
    const message = (await messagesDe(commune.id)).at(-1)!;
    expect(message).toMatchObject({ text: "Le registre est en mairie.", body_html: "<div><p>Le registre est <i>en mairie</i>.</p></div>" });
    expect(message.quoted_text).toContain("Où est le registre ?");
  });

  describe("webhook POST /api/v1/inbound-emails", () => {
    const url = "/api/v1/inbound-emails";
    const element = (overrides: Record<string, unknown> = {}) => ({
      MessageId: `<${crypto.randomUUID()}@brevo.test>`,
      From: { Address: "maire@locmariaquer.test", Name: "Le maire" },
      To: [{ Address: adresse(commune, "commune"), Name: null }],
      Subject: "Re: votre message",
      SentAtDate: "Mon, 03 Nov 2025 10:12:00 +0100",
      RawTextBody: "Réponse par le fournisseur.",
      RawHtmlBody: "<p>Réponse par le <b>fournisseur</b>.</p><p onclick=alert(1)>x</p>",
      Attachments: [{ Name: "gros.zip", ContentType: "application/zip", ContentLength: 4_000_000 }],
      ...overrides,
    });

    it("refuses a request without the secret or with a wrong one (401), before reading the body", async () => {
      const sans = await app.inject({ method: "POST", url, payload: { items: [element()] } });
      expect(sans.statusCode).toBe(401);
      expect(sans.json()).toMatchObject({ error: { code: "authentification_requise" } });
      const faux = await app.inject({
        method: "POST",
        url,
        headers: { authorization: "Bearer pas-le-bon-secret-0123456789" },
        payload: { items: [element()] },
      });
      expect(faux.statusCode).toBe(401);
      expect(await database.db.selectFrom("inbound_emails").select("id").where("subject", "=", "Re: votre message").execute()).toHaveLength(
        0,
      );
    });

    it("answers 400 JSON to a malformed body", async () => {
      const headers = { authorization: `Bearer ${SECRET}` };
      for (const payload of [{ items: "x" }, { items: [] }, { autre: 1 }, { items: [{ To: "pas une liste" }] }]) {
        const reponse = await app.inject({ method: "POST", url, headers, payload });
        expect(reponse.statusCode, JSON.stringify(payload)).toBe(400);
        expect(reponse.json()).toMatchObject({ error: { code: "requete_invalide" } });
      }
      const casse = await app.inject({
        method: "POST",
        url,
        headers: { ...headers, "content-type": "application/json" },
        payload: "{pas du json",
      });
      expect(casse.statusCode).toBe(400);
      expect(casse.json()).toMatchObject({ error: { code: "requete_invalide" } });
      const vide = await app.inject({ method: "POST", url, headers: { ...headers, "content-type": "message/rfc822" }, payload: "" });
      expect(vide.statusCode).toBe(400);
    });

    it("posts a provider item (sanitised, attachment kept at the provider listed as omitted) and answers 200 with a rejected item too", async () => {
      const bon = element();
      const reponse = await app.inject({
        method: "POST",
        url,
        headers: { authorization: `Bearer ${SECRET}` },
        payload: { items: [bon, element({ To: [{ Address: "quelquun@reponse.test" }] })] },
      });
      expect(reponse.statusCode).toBe(200);
      expect(reponse.json()).toEqual({
        success: true,
        results: [
          { status: "accepted" },
          { status: "rejected", reason: "Aucun destinataire n'est une adresse de réponse de la messagerie." },
        ],
      });
      const message = await database.db
        .selectFrom("messages")
        .selectAll()
        .where("inbound_email_id", "=", bon.MessageId.slice(1, -1))
        .executeTakeFirstOrThrow();
      expect(message).toMatchObject({ text: "Réponse par le fournisseur.", author_id: mairie, author_type: "commune" });
      expect(message.body_html).toBe("<p>Réponse par le <b>fournisseur</b>.</p><p>x</p>");
      expect(message.omitted_attachments).toEqual([{ filename: "gros.zip", reason: "Non transmise par le fournisseur de messagerie." }]);
      expect(new Date(message.sent_at!).toISOString()).toBe("2025-11-03T09:12:00.000Z");
    });

    it("posts a raw MIME mail (message/rfc822)", async () => {
      const brut = [
        "From: Claire Martin <claire.martin@culture.test>",
        `To: ${adresse(commune, "conservateur")}`,
        "Subject: Re: brut",
        "Message-ID: <brut-1@culture.test>",
        "Date: Tue, 04 Nov 2025 09:00:00 +0000",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
        "",
        "Réponse envoyée en MIME brut.",
        "",
        "-- ",
        "Claire Martin, CAOA",
        "",
      ].join("\r\n");
      const reponse = await app.inject({
        method: "POST",
        url,
        headers: { authorization: `Bearer ${SECRET}`, "content-type": "message/rfc822" },
        payload: brut,
      });
      expect(reponse.statusCode).toBe(200);
      expect(reponse.json()).toEqual({ success: true, results: [{ status: "accepted" }] });
      const message = await database.db
        .selectFrom("messages")
        .selectAll()
        .where("inbound_email_id", "=", "brut-1@culture.test")
        .executeTakeFirstOrThrow();
      expect(message).toMatchObject({
        text: "Réponse envoyée en MIME brut.",
        signature: "-- \nClaire Martin, CAOA",
        author_id: conservateurs.expediteur,
      });
      const encore = await app.inject({
        method: "POST",
        url,
        headers: { authorization: `Bearer ${SECRET}`, "content-type": "message/rfc822" },
        payload: brut,
      });
      expect(encore.json()).toEqual({ success: true, results: [{ status: "duplicate" }] });
    });
  });
});
