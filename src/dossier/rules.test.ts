import { describe, expect, it } from "vitest";
import { communeStatusForDossier, compteursAlerte, STATUT_GLOBAL_LABELS, statutGlobal, type RecensementAlerte } from "./rules.ts";

describe("statutGlobal (RB §3.6)", () => {
  it.each([
    ["no current dossier", null, 0],
    ["dossier in construction", { status: "construction", replied_automatically_at: null, recensementsAnalyses: 0 }, 1],
    [
      "submitted with the automatic reply",
      { status: "submitted", replied_automatically_at: "2024-05-02T08:00:00Z", recensementsAnalyses: 0 },
      2,
    ],
    [
      "submitted, automatic reply wins over a started examen",
      { status: "submitted", replied_automatically_at: new Date(), recensementsAnalyses: 3 },
      2,
    ],
    ["submitted, nothing analysed", { status: "submitted", replied_automatically_at: null, recensementsAnalyses: 0 }, 3],
    ["submitted, partly analysed", { status: "submitted", replied_automatically_at: null, recensementsAnalyses: 1 }, 4],
    ["accepted", { status: "accepted", replied_automatically_at: null, recensementsAnalyses: 5 }, 5],
  ] as const)("%s → %i", (_label, dossier, expected) => {
    expect(statutGlobal(dossier)).toBe(expected);
  });

  it("labels every value in French", () => {
    expect(Object.keys(STATUT_GLOBAL_LABELS)).toEqual(["0", "1", "2", "3", "4", "5"]);
    expect(STATUT_GLOBAL_LABELS[3]).toBe("À examiner en priorité");
  });
});

describe("communeStatusForDossier", () => {
  it("follows the current dossier", () => {
    expect(communeStatusForDossier(null)).toBe("inactive");
    expect(communeStatusForDossier({ status: "construction" })).toBe("started");
    expect(communeStatusForDossier({ status: "submitted" })).toBe("completed");
    expect(communeStatusForDossier({ status: "accepted" })).toBe("completed");
  });
});

describe("compteursAlerte", () => {
  const base: RecensementAlerte = {
    status: "completed",
    localisation: "edifice_initial",
    etat_sanitaire: "bon",
    analyse_etat_sanitaire: null,
  };
  it("counts péril with the conservateur's override first, absents as disparus, and ignores deleted recensements", () => {
    expect(
      compteursAlerte([
        { ...base, etat_sanitaire: "peril" },
        { ...base, etat_sanitaire: "peril", analyse_etat_sanitaire: "mauvais" },
        { ...base, etat_sanitaire: "moyen", analyse_etat_sanitaire: "peril" },
        { ...base, status: "draft", etat_sanitaire: "peril" },
        { ...base, status: "deleted", etat_sanitaire: "peril" },
        { ...base, localisation: "absent", etat_sanitaire: null },
        { ...base, status: "deleted", localisation: "absent", etat_sanitaire: null },
      ]),
    ).toEqual({ en_peril_count: 3, disparus_count: 1 });
  });
});
