import { describe, expect, it } from "vitest";
import { couperHtml, decouperTexte, extraireReponse, texteDepuisHtml } from "./extraction.ts";

const QUESTION = "Bonjour, pouvez-vous nous envoyer une photo du revers du calice ?";

describe("extraction of the reply from the text part", () => {
  it("Gmail FR: the attribution and the > lines are history", () => {
    const r = decouperTexte(
      [
        "Bonjour,",
        "",
        "Voici la photo demandée.",
        "",
        "Le lun. 3 nov. 2025 à 10:12, Conservation 56 <mairie-56001-conservateur-abc@reponse.test> a écrit :",
        "",
        `> ${QUESTION}`,
        ">",
      ].join("\r\n"),
    );
    expect(r.texte).toBe("Bonjour,\n\nVoici la photo demandée.");
    expect(r.historique).toMatch(/^Le lun\. 3 nov\. 2025 à 10:12, Conservation 56/);
    expect(r.historique).toContain(QUESTION);
    expect(r.signature).toBeNull();
  });

  it("Gmail FR: an attribution wrapped on two lines", () => {
    const r = decouperTexte(
      [
        "C'est fait, merci.",
        "",
        "Le lun. 3 nov. 2025 à 10:12, Conservation des antiquités et objets d'art <",
        "mairie-56001-conservateur-abc@reponse.test> a écrit :",
        "",
        `> ${QUESTION}`,
      ].join("\n"),
    );
    expect(r.texte).toBe("C'est fait, merci.");
    expect(r.historique).toContain("a écrit :");
  });

  it("Gmail EN: On … wrote:", () => {
    const r = decouperTexte(
      ["Done, see attached.", "", "On Mon, Nov 3, 2025 at 10:12 AM Jane Doe <jane@example.org> wrote:", `> ${QUESTION}`].join("\n"),
    );
    expect(r.texte).toBe("Done, see attached.");
    expect(r.historique).toContain("wrote:");
  });

  it("Apple Mail FR (with its mobile signature) and Thunderbird FR", () => {
    const apple = decouperTexte(
      [
        "Oui, le calice est à la sacristie.",
        "",
        "Envoyé de mon iPhone",
        "",
        "Le 3 nov. 2025 à 10:12, Jean Martin <jean@x.fr> a écrit :",
        "",
        `> ${QUESTION}`,
      ].join("\n"),
    );
    expect(apple).toMatchObject({ texte: "Oui, le calice est à la sacristie.", signature: "Envoyé de mon iPhone" });
    expect(apple.historique).toContain(QUESTION);
    const thunderbird = decouperTexte(["Bien reçu.", "", "Le 03/11/2025 à 10:12, Jean Martin a écrit :", `> ${QUESTION}`].join("\n"));
    expect(thunderbird.texte).toBe("Bien reçu.");
    expect(thunderbird.historique).toContain("Le 03/11/2025");
  });

  it("Outlook FR and EN: separator lines and De/Envoyé/À/Objet header blocks", () => {
    const separateur = decouperTexte(
      ["Entendu.", "", "-----Message d'origine-----", "De : Conservation 56", "Envoyé : lundi 3 novembre 2025 10:12", QUESTION].join("\n"),
    );
    expect(separateur.texte).toBe("Entendu.");
    expect(separateur.historique).toMatch(/^-----Message d'origine-----/);
    const bloc = decouperTexte(
      [
        "Bonjour,",
        "Le registre est en mairie.",
        "Cordialement,",
        "Marie Dupont, secrétaire de mairie",
        "",
        "________________________________",
        "De : Conservation 56 <mairie-56001-conservateur-abc@reponse.test>",
        "Envoyé : lundi 3 novembre 2025 10:12",
        "À : mairie@ville.fr",
        "Objet : Nouveau message",
        "",
        QUESTION,
      ].join("\n"),
    );
    expect(bloc.texte).toBe("Bonjour,\nLe registre est en mairie.\nCordialement,\nMarie Dupont, secrétaire de mairie");
    expect(bloc.historique).toMatch(/^_{10,}\nDe : Conservation 56/);
    const anglais = decouperTexte(
      [
        "Thanks.",
        "",
        "From: Jane <jane@x.org>",
        "Sent: Monday, November 3, 2025 10:12 AM",
        "To: Mairie",
        "Subject: Re: photos",
        "",
        QUESTION,
      ].join("\n"),
    );
    expect(anglais.texte).toBe("Thanks.");
    expect(anglais.historique).toMatch(/^From: Jane/);
  });

  it("a line starting with De : in the reply itself is not a header block", () => {
    const r = decouperTexte("De : la sacristie au chœur, tout est inventorié.\nMerci.");
    expect(r.texte).toBe("De : la sacristie au chœur, tout est inventorié.\nMerci.");
    expect(r.historique).toBeNull();
  });

  it("Orange and Zimbra webmails: ----- Mail original ----- and ----- Message d'origine -----", () => {
    for (const separateur of ["----- Mail original -----", "----- Message d’origine -----", "---------- Forwarded message ---------"]) {
      const r = decouperTexte(
        ["Voilà.", "", separateur, 'De: "Conservation 56" <c@reponse.test>', "À: mairie@orange.fr", QUESTION].join("\n"),
      );
      expect(r.texte).toBe("Voilà.");
      expect(r.historique).toMatch(/^-----/);
    }
  });

  it("signatures: the -- delimiter and the mobile ones", () => {
    expect(decouperTexte("Merci.\n\n-- \nMairie de Locmariaquer\n02 97 00 00 00")).toEqual({
      texte: "Merci.",
      historique: null,
      signature: "-- \nMairie de Locmariaquer\n02 97 00 00 00",
    });
    for (const mobile of [
      "Envoyé depuis mon mobile",
      "Envoyé depuis mon appareil Galaxy",
      "Envoyé depuis Outlook pour Android",
      "Get Outlook for iOS",
      "Sent from my iPhone",
    ]) {
      const r = decouperTexte(`D'accord pour jeudi.\n\n${mobile}`);
      expect(r).toEqual({ texte: "D'accord pour jeudi.", historique: null, signature: mobile });
    }
    // Only near the end: a sentence of the reply mentioning a phone is kept.
    const long = decouperTexte("Envoyé depuis mon mobile hier, la photo est floue.\nJe la refais.\nÀ jeudi.\nMarie");
    expect(long.signature).toBeNull();
  });

  it("interleaved answers between quoted lines are kept whole", () => {
    const texte = [
      "Le 3 nov. 2025 à 10:12, Conservation 56 a écrit :",
      "> Le calice est-il à la sacristie ?",
      "Oui.",
      "> Et la patène ?",
      "Non, au presbytère.",
    ].join("\n");
    const r = decouperTexte(texte);
    expect(r.texte).toBe(texte);
    expect(r.historique).toBeNull();
  });

  it("an older history quoted with > inside an Outlook history is not taken for interleaved answers", () => {
    const r = decouperTexte(
      [
        "Parfait.",
        "",
        "De : Conservation 56",
        "Envoyé : lundi 3 novembre 2025 10:12",
        "Objet : RE: photos",
        "",
        "Merci, et la patène ?",
        "",
        "Le 2 nov. 2025 à 09:00, Mairie a écrit :",
        "> Voici le calice.",
        "Cordialement",
      ].join("\n"),
    );
    expect(r.texte).toBe("Parfait.");
    expect(r.historique).toMatch(/^De : Conservation 56/);
  });

  it("a bottom-posted reply (written under the quote) is kept whole rather than lost", () => {
    const texte = ["Le 3 nov. 2025 à 10:12, Conservation 56 a écrit :", "> Avez-vous la photo ?", "", "Oui, ci-jointe.", "Marie"].join(
      "\n",
    );
    expect(decouperTexte(texte)).toMatchObject({ texte, historique: null });
  });

  it("a mail without quote nor signature is the reply as is", () => {
    expect(decouperTexte("  \nBonjour\n\nÀ bientôt\n")).toEqual({
      texte: "  Bonjour\n\nÀ bientôt".trimStart(),
      historique: null,
      signature: null,
    });
  });
});

describe("extraction of the reply from the HTML part", () => {
  it("Gmail: cut at div.gmail_quote, the signature div too", () => {
    const html =
      '<div dir="ltr"><div>Bonjour,</div><div>Voici <b>la photo</b>.</div><br clear="all"><div><div dir="ltr" class="gmail_signature" data-smartmail="gmail_signature">Marie</div></div></div><br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">Le lun. 3 nov. 2025 à 10:12, Conservation 56 &lt;<a href="mailto:c@reponse.test">c@reponse.test</a>&gt; a écrit&nbsp;:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">' +
      QUESTION +
      "</blockquote></div>";
    const cut = couperHtml(html)!;
    expect(cut).toContain("<b>la photo</b>");
    expect(cut).not.toContain("gmail_quote");
    expect(cut).not.toContain("Marie");
    expect(cut).not.toContain(QUESTION);
  });

  it("Apple Mail: the attribution before blockquote[type=cite] goes with it", () => {
    const html =
      '<html><body dir="auto"><div>Oui, à la sacristie.</div><div><br></div><div dir="ltr">Envoyé de mon iPhone</div><div dir="ltr"><br><blockquote type="cite">Le 3 nov. 2025 à 10:12, Conservation 56 &lt;c@reponse.test&gt; a écrit&nbsp;:<br><br></blockquote></div><blockquote type="cite"><div dir="ltr">' +
      QUESTION +
      "</div></blockquote></body></html>";
    const cut = couperHtml(html)!;
    expect(texteDepuisHtml(cut)).toBe("Oui, à la sacristie.");
  });

  it("Thunderbird: .moz-cite-prefix; Outlook web: hr + #divRplyFwdMsg, #appendonsend", () => {
    const thunderbird = `<html><body><p>Bien reçu.</p><div class="moz-cite-prefix">Le 03/11/2025 à 10:12, Conservation 56 a écrit&nbsp;:<br></div><blockquote type="cite">${QUESTION}</blockquote></body></html>`;
    expect(texteDepuisHtml(couperHtml(thunderbird)!)).toBe("Bien reçu.");
    const owa = `<div dir="ltr"><p>Entendu, je passe jeudi.</p></div><div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri"><b>De :</b> Conservation 56<br><b>Envoyé :</b> lundi 3 novembre 2025 10:12<br><b>Objet :</b> Nouveau message</font></div><div>${QUESTION}</div>`;
    expect(texteDepuisHtml(couperHtml(owa)!)).toBe("Entendu, je passe jeudi.");
  });

  it("Outlook desktop: the bordered header block", () => {
    const html = `<div class="WordSection1"><p class="MsoNormal">Le registre est en mairie.<o:p></o:p></p><div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal"><b>De&nbsp;:</b> Conservation 56<br><b>Envoyé&nbsp;:</b> lundi 3 novembre 2025 10:12</p></div></div><p class="MsoNormal">${QUESTION}</p></div>`;
    expect(texteDepuisHtml(couperHtml(html)!)).toBe("Le registre est en mairie.");
  });

  it("Zimbra/Orange: hr#zwchr and the ----- Mail original ----- line", () => {
    const zimbra = `<html><body><div style="font-family: arial"><div>Voilà.</div><hr id="zwchr" data-marker="__DIVIDER__"><div><b>De: </b>"Conservation 56"</div><div>${QUESTION}</div></div></body></html>`;
    expect(texteDepuisHtml(couperHtml(zimbra)!)).toBe("Voilà.");
    const orange = `<p>Voilà.</p><p>----- Mail original -----<br>De: Conservation 56<br>${QUESTION}</p>`;
    expect(texteDepuisHtml(couperHtml(orange)!)).toBe("Voilà.");
  });

  it("an HTML part whose quote is not recognised is dropped rather than shown with the history", () => {
    const html = `<p>Merci.</p><p>&gt; ${QUESTION}</p>`;
    expect(couperHtml(html)).toBeNull();
  });
});

describe("extraireReponse", () => {
  it("prefers the text part for the text and keeps the cut HTML", () => {
    const r = extraireReponse({
      text: `Voici la *photo*.\n\nLe 3 nov. 2025 à 10:12, C a écrit :\n> ${QUESTION}`,
      html: `<p>Voici la <b>photo</b>.</p><div class="gmail_quote">${QUESTION}</div>`,
    });
    expect(r).toEqual({
      texte: "Voici la *photo*.",
      html: "<p>Voici la <b>photo</b>.</p>",
      historique: `Le 3 nov. 2025 à 10:12, C a écrit :\n> ${QUESTION}`,
      signature: null,
    });
  });

  it("derives the text from an HTML-only mail", () => {
    const r = extraireReponse({ html: `<div>Oui &amp; merci.<br>Marie</div><blockquote type="cite">${QUESTION}</blockquote>` });
    expect(r.texte).toBe("Oui & merci.\nMarie");
    expect(r.historique).toBe(QUESTION);
    expect(r.html).toBe("<div>Oui &amp; merci.<br>Marie</div>");
  });
});
