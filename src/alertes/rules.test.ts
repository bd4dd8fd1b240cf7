import { describe, expect, it } from "vitest";
import { alertesDeLaCommune, alertesDuConservateur, ceQuiAEteSignale, jourParis, lireListeAlertes, peutTraiter } from "./rules.ts";

const trouve = { localisation: "edifice_initial", etat_sanitaire: "bon", analyse_etat_sanitaire: null } as const;

describe("alert rules", () => {
  it("raises « disparu » for an objet the commune did not find and « péril » for one it judged en péril", () => {
    expect(alertesDeLaCommune({ localisation: "absent", etat_sanitaire: null, analyse_etat_sanitaire: null })).toEqual(["disparu"]);
    expect(alertesDeLaCommune({ ...trouve, etat_sanitaire: "peril" })).toEqual(["peril"]);
    expect(alertesDeLaCommune(trouve)).toEqual([]);
    expect(alertesDeLaCommune({ ...trouve, etat_sanitaire: "mauvais" })).toEqual([]);
    expect(alertesDeLaCommune({ localisation: "deplacement_temporaire", etat_sanitaire: null, analyse_etat_sanitaire: null })).toEqual([]);
  });

  it("raises « péril » when a conservateur's override says so, and nothing for other overrides", () => {
    expect(alertesDuConservateur({ ...trouve, analyse_etat_sanitaire: "peril" })).toEqual(["peril"]);
    expect(alertesDuConservateur({ ...trouve, etat_sanitaire: "peril", analyse_etat_sanitaire: "moyen" })).toEqual([]);
    expect(alertesDuConservateur(trouve)).toEqual([]);
  });

  it("says who reported what", () => {
    expect(ceQuiAEteSignale("disparu", "commune")).toContain("n’a pas trouvé");
    expect(ceQuiAEteSignale("peril", "conservateur")).toContain("conservateur");
  });

  it("handles an alert once", () => {
    expect(peutTraiter({ traitee_at: null })).toBe(true);
    expect(peutTraiter({ traitee_at: new Date() })).toBe(false);
  });

  it("reads the list's view and page, ignoring anything else", () => {
    expect(lireListeAlertes({})).toEqual({ vue: "ouvertes", page: 1 });
    expect(lireListeAlertes({ vue: "traitees", page: "3" })).toEqual({ vue: "traitees", page: 3 });
    expect(lireListeAlertes({ vue: "x", page: "-1" })).toEqual({ vue: "ouvertes", page: 1 });
    expect(lireListeAlertes({ page: ["2"] })).toEqual({ vue: "ouvertes", page: 1 });
  });

  it("counts days in Paris time", () => {
    expect(jourParis(new Date("2026-03-10T22:30:00Z"))).toBe("2026-03-10");
    expect(jourParis(new Date("2026-03-10T23:30:00Z"))).toBe("2026-03-11");
  });
});
