import fs from "node:fs";
import path from "node:path";
import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { extraireReponse } from "./extraction.ts";
import { mailDepuisMime } from "./reception.ts";
import { sanitiserHtml } from "./sanitize.ts";

/** Whole mails as the clients send them (MIME, quoted-printable, charsets), through mailparser and the extraction. */
async function lire(nom: string) {
  const brut = fs.readFileSync(path.join(import.meta.dirname, "fixtures", nom));
  const mail = mailDepuisMime(await simpleParser(brut, { keepCidLinks: true, skipTextToHtml: true }), { source: "smtp", brut });
  const reponse = extraireReponse({ text: mail.text, html: mail.html });
  return { mail, reponse, html: reponse.html === null ? null : sanitiserHtml(reponse.html) };
}

describe("replies of real clients, whole MIME", () => {
  it("Apple Mail on iPhone (FR): reply, mobile signature, quote in both parts", async () => {
    const { mail, reponse, html } = await lire("apple-mail-iphone-fr.eml");
    expect(mail).toMatchObject({
      from: "secretariat@locmariaquer.test",
      messageId: "<6B1F3A2C-1111-4B7E-9D1E-0C6A1E0F2B3A@locmariaquer.test>",
    });
    expect(reponse.texte).toBe("Bonjour,\nLe calice est rangé dans la sacristie, côté nord.");
    expect(reponse.signature).toBe("Envoyé de mon iPhone");
    expect(reponse.historique).toContain("> Bonjour, où se trouve le calice ?");
    expect(html).toBe("<div>Bonjour,</div><div>Le calice est rangé dans la sacristie, côté nord.<br /><br /></div>");
  });

  it("Outlook desktop (FR): header block in the text, bordered block in the Word HTML", async () => {
    const { mail, reponse, html } = await lire("outlook-desktop-fr.eml");
    expect(mail.to).toEqual(["mairie-56121-conservateur-abcdefghijklmnopqrstuvwx@reponse.test"]);
    expect(reponse.texte).toBe(
      "Bonjour,\n\nNous passerons jeudi à 14 h pour le récolement.\n\nCordialement,\n\nClaire Martin\nConservatrice des antiquités et objets d'art du Morbihan",
    );
    expect(reponse.historique).toMatch(/^De : Mairie de Locmariaquer/);
    expect(html).toContain("Nous passerons <b>jeudi à 14 h</b> pour le récolement.");
    expect(html).not.toMatch(/sacristie|Envoyé|MsoNormal|style/);
  });

  it("Orange webmail (latin-1, text only): ----- Mail original -----", async () => {
    const { reponse, html } = await lire("orange-webmail-fr.eml");
    expect(reponse.texte).toBe(
      "Bonjour,\nvoici les photos demandées, il manque celle de l'ostensoir.\nBien à vous\nJ. Le Gall, secrétaire de mairie",
    );
    expect(reponse.historique).toMatch(/^----- Mail original -----/);
    expect(html).toBeNull();
  });
});
