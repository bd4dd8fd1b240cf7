import { describe, expect, it } from "vitest";
import { examenDisponibleMail } from "./mails.ts";

const config = { publicUrl: "https://co.example.test", mailFrom: "Collectif Objets <contact@co.example.test>" };
const base = {
  to: "mairie@example.test",
  communeUserId: 7,
  dossierId: 42,
  acceptedAt: new Date("2025-04-03T10:00:00Z"),
  commune: { nom: "Ambérieu-en-Bugey", codeInsee: "01004" },
  conservateur: { nom: "Jeanne Martin" },
};

describe("mail « l’examen est disponible »", () => {
  it("names the conservateur, quotes the comment, lists the fiches and links to the examen", () => {
    const mail = examenDisponibleMail(config, {
      ...base,
      notes: "Merci pour ce travail.\r\n\r\nPensez à aérer la sacristie.",
      fiches: ["Entretien des objets", "Sécurisation"],
    });
    expect(mail.subject).toBe("L’examen du recensement de Ambérieu-en-Bugey est disponible");
    expect(mail.from).toBe('"Jeanne Martin via Collectif Objets" <contact@co.example.test>');
    expect(mail.to).toBe("mairie@example.test");
    expect(mail.category).toBe("dossier_accepted");
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain("Jeanne Martin a examiné le recensement des objets protégés de Ambérieu-en-Bugey");
      expect(part).toContain("« Merci pour ce travail.");
      expect(part).toContain("Pensez à aérer la sacristie. »");
      expect(part).toContain("Entretien des objets");
      expect(part).toContain("Sécurisation");
      expect(part).toContain("https://co.example.test/communes/01004/dossier");
      expect(part).not.toMatch(/visite|déplacement/i);
    }
    expect(mail.text).toContain("- Entretien des objets");
  });

  it("says nothing of a comment or fiches when there are none", () => {
    const mail = examenDisponibleMail(config, { ...base, notes: "   ", fiches: [] });
    expect(mail.text).not.toContain("commentaire pour la commune");
    expect(mail.text).not.toContain("vous recommande la lecture");
    expect(mail.text).toContain("Découvrir l’examen de mon recensement : https://co.example.test/communes/01004/dossier");
  });

  it("is keyed per dossier, sending time and commune user, so a retry never sends twice", () => {
    const a = examenDisponibleMail(config, { ...base, notes: null, fiches: [] });
    const b = examenDisponibleMail(config, { ...base, notes: "autre", fiches: [] });
    const c = examenDisponibleMail(config, { ...base, communeUserId: 8, notes: null, fiches: [] });
    const d = examenDisponibleMail(config, { ...base, acceptedAt: new Date("2025-05-01T10:00:00Z"), notes: null, fiches: [] });
    expect(a.idempotencyKey).toBe(b.idempotencyKey);
    expect(new Set([a.idempotencyKey, c.idempotencyKey, d.idempotencyKey]).size).toBe(3);
  });

  it("keeps a safe sender when the name holds quotes or line breaks", () => {
    const mail = examenDisponibleMail(config, { ...base, conservateur: { nom: 'Jo "X"\r\nBcc: a@b' }, notes: null, fiches: [] });
    expect(mail.from).toBe('"Jo XBcc: a@b via Collectif Objets" <contact@co.example.test>');
  });
});
