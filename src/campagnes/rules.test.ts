import { describe, expect, it } from "vitest";
import {
  campagneTransition,
  datesParDefaut,
  decisionEtape,
  estUnJourOuvre,
  etapeDuJour,
  etapePrecedente,
  validerCampagne,
  varianteMail,
  type CampagneAValider,
} from "./rules.ts";

// 2026-12-07 is a Monday.
const LUNDI = "2026-12-07";
const campagne = (overrides: Partial<CampagneAValider> = {}): CampagneAValider => ({
  ...datesParDefaut(LUNDI),
  sender_name: "Jeanne Martin",
  signature: "Jeanne Martin\nConservatrice",
  nom_drac: "Bretagne",
  ...overrides,
});

describe("campaign dates", () => {
  it("pre-fills J, J+14, J+28, J+42, J+56, all weekdays when J is one", () => {
    expect(datesParDefaut(LUNDI)).toEqual({
      date_lancement: "2026-12-07",
      date_relance1: "2026-12-21",
      date_relance2: "2027-01-04",
      date_relance3: "2027-01-18",
      date_fin: "2027-02-01",
    });
    expect(Object.values(datesParDefaut(LUNDI)).every(estUnJourOuvre)).toBe(true);
    expect(estUnJourOuvre("2026-12-05")).toBe(false);
    expect(estUnJourOuvre("2026-12-06")).toBe(false);
  });

  it("gives the step of a day: the last one whose date has come", () => {
    const dates = datesParDefaut(LUNDI);
    expect(etapeDuJour(dates, "2026-12-06")).toBeNull();
    expect(etapeDuJour(dates, LUNDI)).toBe("lancement");
    expect(etapeDuJour(dates, "2026-12-20")).toBe("lancement");
    expect(etapeDuJour(dates, "2026-12-21")).toBe("relance1");
    expect(etapeDuJour(dates, "2027-03-01")).toBe("fin");
    expect(etapePrecedente("lancement")).toBeNull();
    expect(etapePrecedente("fin")).toBe("relance3");
  });
});

describe("validerCampagne", () => {
  it("accepts a complete campaign in the future", () => {
    expect(validerCampagne(campagne(), "planned", "2026-11-27")).toEqual({});
  });

  it("refuses week-ends, missing or impossible dates, non increasing dates and a launch not in the future", () => {
    expect(validerCampagne(campagne({ date_relance1: "2026-12-19" }), "draft", "2026-11-27")).toEqual({
      date_relance1: "La date de la première relance ne peut pas être un samedi ou un dimanche.",
    });
    expect(validerCampagne(campagne({ date_fin: "" }), "draft", "2026-11-27").date_fin).toBe("La date de clôture est obligatoire.");
    expect(validerCampagne(campagne({ date_fin: "2027-02-30" }), "draft", "2026-11-27").date_fin).toMatch(/pas une date valide/);
    expect(validerCampagne(campagne({ date_relance2: "2026-12-21" }), "draft", "2026-11-27").date_relance2).toBe(
      "La date de la deuxième relance doit être postérieure à la date de la première relance.",
    );
    expect(validerCampagne(campagne(), "draft", LUNDI).date_lancement).toBe("La date de lancement doit être dans le futur.");
  });

  it("requires sender, signature and DRAC only to plan", () => {
    const vide = campagne({ sender_name: "", signature: " ", nom_drac: null });
    expect(validerCampagne(vide, "draft", "2026-11-27")).toEqual({});
    expect(Object.keys(validerCampagne(vide, "planned", "2026-11-27")).sort()).toEqual(["nom_drac", "sender_name", "signature"]);
  });

  it("checks the overlap with the other planned or ongoing campaigns on their dates (RB ⚠: any campaign blocked)", () => {
    const avant = { id: 2, status: "ongoing" as const, date_lancement: "2026-09-07", date_fin: "2026-11-02" };
    const chevauchante = { id: 3, status: "planned" as const, date_lancement: "2027-01-25", date_fin: "2027-03-22" };
    const brouillon = { id: 4, status: "draft" as const, date_lancement: "2026-12-08", date_fin: "2027-01-05" };
    expect(validerCampagne(campagne({ id: 1 }), "planned", "2026-11-27", [avant, brouillon])).toEqual({});
    expect(validerCampagne(campagne({ id: 1 }), "planned", "2026-11-27", [chevauchante]).date_lancement).toMatch(/chevaucher/);
    expect(validerCampagne(campagne({ id: 3 }), "planned", "2026-11-27", [chevauchante])).toEqual({});
  });
});

describe("state machine", () => {
  it("plans, returns to draft, starts and finishes, nothing else", () => {
    expect(campagneTransition("draft", "plan")).toBe("planned");
    expect(campagneTransition("planned", "return_to_draft")).toBe("draft");
    expect(campagneTransition("planned", "start")).toBe("ongoing");
    expect(campagneTransition("ongoing", "finish")).toBe("finished");
    expect(campagneTransition("draft", "start")).toBeNull();
    expect(campagneTransition("ongoing", "return_to_draft")).toBeNull();
    expect(campagneTransition("finished", "plan")).toBeNull();
  });
});

describe("step-up of a recipient", () => {
  const base = {
    etape: "relance2" as const,
    dateEtape: "2027-01-04",
    etapeActuelle: "relance1" as const,
    optOut: false,
    communeStatus: "inactive" as const,
    derniereModificationRecensement: null,
  };

  it("mails a recipient at the previous step", () => {
    expect(decisionEtape(base)).toBe("envoyer");
    expect(decisionEtape({ ...base, etape: "lancement", etapeActuelle: null })).toBe("envoyer");
  });

  it("leaves opted-out recipients, completed communes and recipients not at the previous step", () => {
    expect(decisionEtape({ ...base, optOut: true })).toBe("ignorer");
    expect(decisionEtape({ ...base, communeStatus: "completed" })).toBe("ignorer");
    expect(decisionEtape({ ...base, etapeActuelle: "relance2" })).toBe("ignorer");
    expect(decisionEtape({ ...base, etapeActuelle: null })).toBe("ignorer");
  });

  it("skips relance1 once started, and any step but fin after a recent change", () => {
    expect(decisionEtape({ ...base, etape: "relance1", etapeActuelle: "lancement", communeStatus: "started" })).toBe("sauter");
    expect(decisionEtape({ ...base, communeStatus: "started", derniereModificationRecensement: "2026-12-30" })).toBe("sauter");
    expect(decisionEtape({ ...base, communeStatus: "started", derniereModificationRecensement: "2026-12-29" })).toBe("envoyer");
    expect(decisionEtape({ ...base, etape: "fin", etapeActuelle: "relance3", derniereModificationRecensement: "2027-02-01" })).toBe(
      "envoyer",
    );
  });

  it("chooses the mail variant from the commune's state", () => {
    expect(varianteMail("lancement", { status: "started", objetsCount: 3, recensementsCompletes: 1 })).toBe("inactive");
    expect(varianteMail("relance2", { status: "inactive", objetsCount: 3, recensementsCompletes: 0 })).toBe("inactive");
    expect(varianteMail("relance2", { status: "started", objetsCount: 3, recensementsCompletes: 1 })).toBe("started");
    expect(varianteMail("relance2", { status: "started", objetsCount: 3, recensementsCompletes: 3 })).toBe("to_complete");
    expect(varianteMail("fin", { status: "completed", objetsCount: 3, recensementsCompletes: 3 })).toBeNull();
  });
});
