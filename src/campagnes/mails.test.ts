import { describe, expect, it } from "vitest";
import type { CampaignStep } from "../platform/db/schema.ts";
import { mailCampagne, VARIANTES_PAR_ETAPE, type MailCampagneInput } from "./mails.ts";
import type { VarianteMail } from "./rules.ts";

const config = { publicUrl: "https://co.example.org", mailFrom: "Collectif Objets <contact@co.example.org>" };

function input(etape: CampaignStep, variante: VarianteMail, overrides: Partial<MailCampagneInput> = {}): MailCampagneInput {
  return {
    campagne: {
      id: 7,
      date_lancement: "2026-03-02",
      date_relance1: "2026-03-16",
      date_relance2: "2026-03-30",
      date_relance3: "2026-04-13",
      date_fin: "2026-04-27",
      nom_drac: "Bretagne",
      sender_name: "Jeanne Martin",
      signature: "Jeanne Martin\nConservatrice des monuments historiques",
      custom_message: null,
      communesCount: 120,
    },
    departement: { code: "56", nom: "Morbihan", dans_nom: "dans le Morbihan", concordataire: false },
    commune: { nom: "Locmariaquer", code_insee: "56116", objetsCount: 12 },
    destinataire: { recipientId: 42, email: "mairie@locmariaquer.example", unsubscribeToken: "a1b2c3" },
    etape,
    variante,
    ...overrides,
  };
}

const TOUTES = (Object.entries(VARIANTES_PAR_ETAPE) as [CampaignStep, VarianteMail[]][]).flatMap(([etape, variantes]) =>
  variantes.map((variante) => [etape, variante] as const),
);

describe("campaign mails (RB §7.4)", () => {
  it("has the 11 variants", () => {
    expect(TOUTES).toHaveLength(11);
  });

  it.each(TOUTES)("%s / %s: common frame, headers, unsubscribe, no internal information", (etape, variante) => {
    const mail = mailCampagne(config, input(etape, variante));
    expect(mail.idempotencyKey).toBe(`campagne:42:${etape}`);
    expect(mail.category).toBe(`campagne_${etape}_${variante}`);
    expect(mail.subject.startsWith("[DRAC Bretagne] ")).toBe(true);
    expect(mail.subject).toContain("Locmariaquer");
    expect(mail.from).toBe('"Jeanne Martin via Collectif Objets" <contact@co.example.org>');
    expect(mail.to).toBe("mairie@locmariaquer.example");
    for (const part of [mail.html, mail.text]) {
      expect(part).toContain("Direction régionale des affaires culturelles Bretagne");
      expect(part).toContain("Madame la Maire, Monsieur le Maire,");
      expect(part).toContain("Ceci est une initiative du ministère de la Culture.");
      expect(part).toContain("https://co.example.org/desinscription?jeton=a1b2c3");
      expect(part).toContain("Conservatrice des monuments historiques");
      expect(part).not.toMatch(/visite|déplacement/i);
      expect(part).not.toMatch(/concordat/i);
    }
    expect(mail.text).toContain("Jeanne Martin\nConservatrice des monuments historiques");
    expect(mail.headers).toEqual({
      "List-Unsubscribe": "<https://co.example.org/desinscription?jeton=a1b2c3>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
  });

  it.each(TOUTES)("%s / %s: button to the page the commune needs", (etape, variante) => {
    const mail = mailCampagne(config, input(etape, variante));
    const cible =
      variante === "inactive"
        ? "https://co.example.org/communes/connexion?code_insee=56116"
        : variante === "started"
          ? "https://co.example.org/communes/56116/objets"
          : "https://co.example.org/communes/56116/dossier/finalisation";
    expect(mail.html).toContain(`href="${cible}"`);
    expect(mail.text).toContain(` : ${cible}`);
  });

  it("prints dates with their weekday and counts the objets", () => {
    const lancement = mailCampagne(config, input("lancement", "inactive"));
    expect(lancement.text).toContain("du lundi 2 mars 2026 au lundi 27 avril 2026");
    expect(lancement.text).toContain("12 objets protégés");
    expect(lancement.text).toContain("120 communes");
    expect(lancement.text).toContain("Commencer le recensement des 12 objets protégés de Locmariaquer");
    const relance2 = mailCampagne(config, input("relance2", "inactive"));
    expect(relance2.subject).toBe("[DRAC Bretagne] Locmariaquer : plus que 28 jours pour participer au recensement des objets protégés");
    expect(relance2.text).toContain("le lundi 27 avril 2026");
    const relance3 = mailCampagne(config, input("relance3", "started"));
    expect(relance3.text).toContain("lundi 27 avril 2026");
    const seul = mailCampagne(config, input("lancement", "inactive", { commune: { nom: "Hameau", code_insee: "56001", objetsCount: 1 } }));
    expect(seul.text).toContain("Commencer le recensement de l’objet protégé de Hameau");
    const voyelle = mailCampagne(config, input("relance1", "inactive", { commune: { nom: "Auray", code_insee: "56007", objetsCount: 3 } }));
    expect(voyelle.text).toContain("Recenser les objets d’Auray");
  });

  it("shows the highlighted objet of the launch mail with its photo credit", () => {
    const mail = mailCampagne(
      config,
      input("lancement", "inactive", {
        objetMisEnAvant: {
          titre: "Retable du maître-autel",
          edifice: "Église Notre-Dame",
          emplacement: "Chœur",
          photoUrl: "https://images.example/retable.jpg",
          credit: "© Inventaire",
        },
      }),
    );
    for (const part of [mail.html, mail.text]) {
      expect(part).toContain("Retable du maître-autel");
      expect(part).toContain("Église Notre-Dame");
      expect(part).toContain("Chœur");
      expect(part).toContain("https://images.example/retable.jpg");
      expect(part).toContain("© Inventaire");
    }
  });

  it("writes the custom message and signature as escaped text, line breaks kept", () => {
    const base = input("relance2", "inactive");
    const mail = mailCampagne(config, {
      ...base,
      campagne: {
        ...base.campagne,
        custom_message: "Première ligne <script>alert(1)</script>\nDeuxième ligne",
        signature: "Jeanne <b>Martin</b>\nDRAC",
        sender_name: 'Jeanne "la" Martin\r\nBcc: x@y',
      },
    });
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&lt;script>alert(1)&lt;/script>");
    expect(mail.html).not.toContain("<b>Martin</b>");
    expect(mail.html).toContain("Jeanne &lt;b>Martin&lt;/b>");
    expect(mail.text).toContain("Première ligne <script>alert(1)</script>\n\nDeuxième ligne");
    expect(mail.html).toMatch(/Première ligne[^<]*&lt;\/script><\/p>\s*<p[^>]*>Deuxième ligne/);
    expect(mail.from).toBe('"Jeanne \\"la\\" Martin Bcc: x@y via Collectif Objets" <contact@co.example.org>');
  });

  it("adds the concordataire paragraphs in Moselle, Bas-Rhin and Haut-Rhin only", () => {
    for (const [code, concordataire] of [
      ["57", true],
      ["67", true],
      ["68", true],
      ["56", false],
    ] as const) {
      for (const [etape, variante] of TOUTES) {
        const mail = mailCampagne(
          config,
          input(etape, variante, { departement: { code, nom: "X", dans_nom: "dans le X", concordataire } }),
        );
        expect(mail.text.includes("régime concordataire"), `${code} ${etape} ${variante}`).toBe(concordataire);
        expect(mail.text.includes("affectataires"), `${code} ${etape} ${variante}`).toBe(concordataire);
      }
    }
  });

  it("gives each variant its own subject", () => {
    const sujets = new Set(TOUTES.map(([etape, variante]) => mailCampagne(config, input(etape, variante)).subject));
    expect(sujets.size).toBeGreaterThanOrEqual(10);
  });
});
