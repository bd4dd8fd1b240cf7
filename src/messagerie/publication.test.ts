import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertConservateur } from "../../test/factories.ts";
import { insertAdmin, insertCommuneUser } from "../../test/factories-comptes.ts";
import { jetonValide, lireAdresseReponse } from "./adresses.ts";
import { CITATION_MAX } from "./mails.ts";
import { publierMessage } from "./publication.ts";

const ctx = {
  config: {
    publicUrl: "https://co.example.test",
    mailFrom: "Collectif Objets <contact@co.example.test>",
    replyDomain: "reponse.example.test",
  },
  replyKey: Buffer.alloc(32, 3),
} as unknown as Parameters<typeof publierMessage>[0];

describe("publierMessage: a message recorded with its notifications", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  const mailsDu = (messageId: number) =>
    database.db
      .selectFrom("outbox_mails")
      .selectAll()
      .where("idempotency_key", "like", `message:${messageId}:%`)
      .orderBy("to_address")
      .execute();

  async function scene(departement: string) {
    const commune = await insertCommune(database, { departement_code: departement, nom: "Locmariaquer" });
    const user = await insertCommuneUser(database, commune.id);
    const avec = await insertConservateur(database, { departement_codes: [departement], first_name: "Anne", last_name: "Le Goff" });
    const aussi = await insertConservateur(database, { departement_codes: ["29", departement] });
    const sans = await insertConservateur(database, { departement_codes: [departement], messages_mail_notifications: false });
    const ailleurs = await insertConservateur(database, { departement_codes: ["29"] });
    return { commune, user, avec, aussi, sans, ailleurs };
  }

  it("a commune message notifies once each conservateur of the département with notifications on, nobody else", async () => {
    const { commune, user, avec, aussi } = await scene("56");
    const texte = `Bonjour,\n\nLa croix de procession a été déplacée.\n${"x".repeat(CITATION_MAX + 200)}`;
    const result = await database.db.transaction().execute((trx) =>
      publierMessage(ctx, trx, {
        communeId: commune.id,
        auteur: { type: "commune", id: user.id },
        origine: "web",
        texte,
        piecesJointes: [
          { storageKey: "messages/a", filename: "plan.pdf", contentType: "application/pdf", byteSize: 1200, kind: "fichier" },
          {
            storageKey: "messages/b",
            filename: "croix.jpg",
            contentType: "image/jpeg",
            byteSize: 4000,
            kind: "image",
            width: 40,
            height: 30,
          },
        ],
        ip: "203.0.113.9",
      }),
    );
    expect(result.notifications).toBe(2);
    const mails = await mailsDu(result.id);
    expect(mails.map((m) => m.to_address).sort()).toEqual([avec.email, aussi.email].sort());
    for (const mail of mails) {
      expect(mail.subject).toBe("Locmariaquer vous a envoyé un message");
      expect(mail.from_address).toBe('"Locmariaquer via Collectif Objets" <contact@co.example.test>');
      const lue = lireAdresseReponse(mail.reply_to!, "reponse.example.test");
      expect(lue).toMatchObject({ codeInsee: commune.code_insee, cote: "conservateur" });
      expect(jetonValide(ctx.replyKey, commune, lue!)).toBe(true);
      expect(mail.text).toContain("La croix de procession a été déplacée.");
      expect(mail.text).toContain("[…]");
      expect(mail.text).toContain("2 pièces jointes");
      expect(mail.text).toContain(`https://co.example.test/conservateurs/communes/${commune.code_insee}/messagerie`);
      expect(mail.text).toContain("répondre directement à ce mail");
      expect(mail.text).toContain("/conservateurs/compte");
      expect(mail.html).not.toContain("x".repeat(CITATION_MAX + 1));
    }

    const stored = await database.db.selectFrom("messages").selectAll().where("id", "=", result.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ commune_id: commune.id, author_type: "commune", author_id: user.id, origin: "web", text: texte });
    const pieces = await database.db.selectFrom("message_attachments").selectAll().where("message_id", "=", result.id).execute();
    expect(pieces.map((p) => [p.filename, p.kind])).toEqual([
      ["plan.pdf", "fichier"],
      ["croix.jpg", "image"],
    ]);
    const lecture = await database.db
      .selectFrom("message_lectures")
      .selectAll()
      .where("commune_id", "=", commune.id)
      .executeTakeFirstOrThrow();
    expect(lecture).toMatchObject({ lecteur_type: "commune", lecteur_id: user.id, dernier_message_lu_id: result.id });
    const event = await database.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "message.create")
      .where("subject_id", "=", String(result.id))
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ actor_type: "commune", actor_id: user.id, commune_id: commune.id, ip: "203.0.113.9" });
  });

  it("a conservateur message notifies the commune's users with notifications on, with the commune side's reply address", async () => {
    const { commune, user, avec } = await scene("68");
    const result = await database.db.transaction().execute((trx) =>
      publierMessage(ctx, trx, {
        communeId: commune.id,
        auteur: { type: "conservateur", id: avec.id },
        origine: "web",
        texte: "Merci pour ces photos.",
        piecesJointes: [],
      }),
    );
    expect(result.notifications).toBe(1);
    const [mail, ...autres] = await mailsDu(result.id);
    expect(autres).toEqual([]);
    expect(mail).toMatchObject({
      to_address: user.email,
      subject: "Anne Le Goff vous a envoyé un message sur Collectif Objets",
      from_address: '"Anne Le Goff via Collectif Objets" <contact@co.example.test>',
      idempotency_key: `message:${result.id}:commune:${user.id}`,
    });
    const lue = lireAdresseReponse(mail!.reply_to!, "reponse.example.test");
    expect(lue).toMatchObject({ cote: "commune" });
    expect(jetonValide(ctx.replyKey, commune, lue!)).toBe(true);
    expect(mail!.text).toContain(`https://co.example.test/communes/${commune.code_insee}/messagerie`);
    expect(mail!.text).not.toContain("pièce jointe");
    const lecture = await database.db
      .selectFrom("message_lectures")
      .selectAll()
      .where("commune_id", "=", commune.id)
      .executeTakeFirstOrThrow();
    expect(lecture).toMatchObject({ lecteur_type: "conservateur", lecteur_id: avec.id, dernier_message_lu_id: result.id });
  });

  it("support writes as the support team, and a commune with notifications off gets no mail", async () => {
    const { commune, user } = await scene("46");
    const admin = await insertAdmin(database);
    const first = await database.db.transaction().execute((trx) =>
      publierMessage(ctx, trx, {
        communeId: commune.id,
        auteur: { type: "admin", id: admin.id },
        origine: "web",
        texte: "Bonjour de l’équipe.",
        piecesJointes: [],
      }),
    );
    expect(first.notifications).toBe(1);
    const [mail] = await mailsDu(first.id);
    expect(mail!.subject).toBe("Support Collectif Objets vous a envoyé un message sur Collectif Objets");
    expect(mail!.text).toContain("L’équipe support de Collectif Objets a écrit");
    expect(await database.db.selectFrom("message_lectures").selectAll().where("commune_id", "=", commune.id).execute()).toEqual([]);

    await database.db.updateTable("commune_users").set({ messages_mail_notifications: false }).where("id", "=", user.id).execute();
    const second = await database.db.transaction().execute((trx) =>
      publierMessage(ctx, trx, {
        communeId: commune.id,
        auteur: { type: "admin", id: admin.id },
        origine: "web",
        texte: "Encore un mot.",
        piecesJointes: [],
      }),
    );
    expect(second.notifications).toBe(0);
    expect(await mailsDu(second.id)).toEqual([]);
  });

  it("keeps a reply received by mail with its parts, and the read mark never goes backwards", async () => {
    const { commune, user } = await scene("01");
    const inbound = await database.db
      .insertInto("inbound_emails")
      .values({
        id: "<abc@mail.test>",
        commune_id: commune.id,
        from_email: "maire@example.test",
        to_email: "mairie-01001-x@reponse.example.test",
        status: "accepted",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const sentAt = new Date("2026-03-02T09:30:00Z");
    const result = await database.db.transaction().execute((trx) =>
      publierMessage(ctx, trx, {
        communeId: commune.id,
        auteur: { type: "commune", id: user.id },
        origine: "inbound_email",
        texte: "Voici ma réponse.",
        piecesJointes: [],
        inboundEmailId: inbound.id,
        bodyHtml: "<p>Voici ma réponse.</p>",
        quotedText: "> Le 1 mars, Anne a écrit…",
        signature: "Le maire",
        fromEmail: "maire@example.test",
        sentAt,
        omittedAttachments: [{ filename: "video.mp4", reason: "Type non accepté" }],
      }),
    );
    const stored = await database.db.selectFrom("messages").selectAll().where("id", "=", result.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      origin: "inbound_email",
      body_html: "<p>Voici ma réponse.</p>",
      quoted_text: "> Le 1 mars, Anne a écrit…",
      signature: "Le maire",
      from_email: "maire@example.test",
      omitted_attachments: [{ filename: "video.mp4", reason: "Type non accepté" }],
    });
    expect(stored.sent_at?.getTime()).toBe(sentAt.getTime());

    await database.db
      .updateTable("message_lectures")
      .set({ dernier_message_lu_id: result.id + 1000 })
      .where("commune_id", "=", commune.id)
      .execute();
    await database.db.transaction().execute((trx) =>
      publierMessage(ctx, trx, {
        communeId: commune.id,
        auteur: { type: "commune", id: user.id },
        origine: "web",
        texte: "Et un autre.",
        piecesJointes: [],
      }),
    );
    const lecture = await database.db
      .selectFrom("message_lectures")
      .select("dernier_message_lu_id")
      .where("commune_id", "=", commune.id)
      .executeTakeFirstOrThrow();
    expect(lecture.dernier_message_lu_id).toBe(result.id + 1000);
  });
});
