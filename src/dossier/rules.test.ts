import { describe, expect, it } from "vitest";
import {
  canTransition,
  COMMUNE_TRANSITIONS,
  communeStatusForDossier,
  communeTransition,
  compteursAlerte,
  DOSSIER_TRANSITIONS,
  dossierTransition,
  etatFinalisation,
  evaluation,
  manquePhotos,
  NOTES_COMMUNE_MAX,
  ordreDuRapport,
  RECENSEMENT_TRANSITIONS,
  RECENSEUR_MAX,
  regrouperParFiche,
  recensementTransition,
  STATUT_GLOBAL_LABELS,
  statutGlobal,
  TransitionError,
  validerSaisieFinalisation,
  type RecensementAlerte,
} from "./rules.ts";

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

describe("state machines (RB §3.1–3.3)", () => {
  describe("commune", () => {
    it.each([
      ["inactive", "start", "started"],
      ["started", "complete", "completed"],
      ["completed", "return_to_started", "started"],
      ["completed", "return_to_inactive", "inactive"],
      ["started", "return_to_inactive", "inactive"],
    ] as const)("%s --%s--> %s", (from, event, to) => {
      expect(communeTransition(from, event)).toBe(to);
      expect(canTransition(COMMUNE_TRANSITIONS, from, event)).toBe(true);
    });

    it.each([
      ["started", "start"],
      ["completed", "start"],
      ["inactive", "complete"],
      ["completed", "complete"],
      ["inactive", "return_to_started"],
      ["started", "return_to_started"],
      ["inactive", "return_to_inactive"],
    ] as const)("refuses %s --%s-->", (from, event) => {
      expect(canTransition(COMMUNE_TRANSITIONS, from, event)).toBe(false);
      expect(() => communeTransition(from, event)).toThrow(TransitionError);
    });
  });

  describe("dossier", () => {
    it.each([
      ["construction", "submit", "submitted"],
      ["submitted", "accept", "accepted"],
      ["accepted", "reopen", "submitted"],
      ["submitted", "return_to_construction", "construction"],
      ["construction", "archive", "archived"],
      ["submitted", "archive", "archived"],
      ["accepted", "archive", "archived"],
    ] as const)("%s --%s--> %s", (from, event, to) => {
      expect(dossierTransition(from, event)).toBe(to);
      expect(canTransition(DOSSIER_TRANSITIONS, from, event)).toBe(true);
    });

    it.each([
      ["submitted", "submit"],
      ["accepted", "submit"],
      ["archived", "submit"],
      ["construction", "accept"],
      ["accepted", "accept"],
      ["construction", "reopen"],
      ["submitted", "reopen"],
      ["accepted", "return_to_construction"],
      ["construction", "return_to_construction"],
      ["archived", "archive"],
      ["archived", "reopen"],
    ] as const)("refuses %s --%s-->", (from, event) => {
      expect(canTransition(DOSSIER_TRANSITIONS, from, event)).toBe(false);
      expect(() => dossierTransition(from, event)).toThrow(TransitionError);
    });
  });

  describe("recensement", () => {
    it.each([
      ["draft", "edit", "draft"],
      ["completed", "edit", "draft"],
      ["draft", "complete", "completed"],
      ["completed", "complete", "completed"],
      ["completed", "soft_delete", "deleted"],
      ["draft", "soft_delete", "deleted"],
      ["draft", "archive", "archived"],
    ] as const)("%s --%s--> %s", (from, event, to) => {
      expect(recensementTransition(from, event)).toBe(to);
      expect(canTransition(RECENSEMENT_TRANSITIONS, from, event)).toBe(true);
    });

    it.each([
      ["deleted", "edit"],
      ["deleted", "complete"],
      ["deleted", "soft_delete"],
      ["completed", "archive"],
      ["archived", "edit"],
      ["archived", "complete"],
    ] as const)("refuses %s --%s-->", (from, event) => {
      expect(canTransition(RECENSEMENT_TRANSITIONS, from, event)).toBe(false);
      expect(() => recensementTransition(from, event)).toThrow(TransitionError);
    });
  });

  it("names the machine, the state and the event in a French message", () => {
    const error = (() => {
      try {
        dossierTransition("accepted", "submit");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(TransitionError);
    expect(error).toMatchObject({ machine: "dossier", from: "accepted", event: "submit" });
    expect((error as Error).message).toBe("dossier: « submit » n’est pas permis depuis l’état « accepted »");
  });

  it("lists every event of each machine, each leading to a known state", () => {
    const communeStates = ["inactive", "started", "completed"];
    const dossierStates = ["construction", "submitted", "accepted", "archived"];
    const recensementStates = ["draft", "completed", "deleted", "archived"];
    const check = (table: Record<string, Partial<Record<string, string>>>, states: string[]) => {
      for (const targets of Object.values(table)) {
        for (const [from, to] of Object.entries(targets)) {
          expect(states).toContain(from);
          expect(states).toContain(to);
        }
      }
    };
    check(COMMUNE_TRANSITIONS, communeStates);
    check(DOSSIER_TRANSITIONS, dossierStates);
    check(RECENSEMENT_TRANSITIONS, recensementStates);
    expect(Object.keys(COMMUNE_TRANSITIONS).sort()).toEqual(["complete", "return_to_inactive", "return_to_started", "start"]);
    expect(Object.keys(DOSSIER_TRANSITIONS).sort()).toEqual(["accept", "archive", "reopen", "return_to_construction", "submit"]);
    expect(Object.keys(RECENSEMENT_TRANSITIONS).sort()).toEqual(["archive", "complete", "edit", "soft_delete"]);
  });
});

describe("etatFinalisation (can_complete, RB §3.1)", () => {
  it.each([
    ["no dossier", { dossierStatus: null, objetsCount: 3, objetsRecensesCount: 0 }, { ok: false, raison: "sans_dossier" }],
    ["archived dossier only", { dossierStatus: "archived", objetsCount: 3, objetsRecensesCount: 3 }, { ok: false, raison: "sans_dossier" }],
    [
      "objets left to recense",
      { dossierStatus: "construction", objetsCount: 3, objetsRecensesCount: 2 },
      { ok: false, raison: "incomplet" },
    ],
    ["no objet any more", { dossierStatus: "construction", objetsCount: 0, objetsRecensesCount: 0 }, { ok: false, raison: "incomplet" }],
    ["every objet recensed", { dossierStatus: "construction", objetsCount: 3, objetsRecensesCount: 3 }, { ok: true }],
    ["already submitted", { dossierStatus: "submitted", objetsCount: 3, objetsRecensesCount: 3 }, { ok: false, raison: "deja_envoye" }],
    ["already accepted", { dossierStatus: "accepted", objetsCount: 3, objetsRecensesCount: 3 }, { ok: false, raison: "deja_envoye" }],
  ] as const)("%s", (_label, input, expected) => {
    expect(etatFinalisation(input)).toEqual(expected);
  });
});

describe("sending the dossier: photos and typed fields", () => {
  it("asks to confirm only for recensable objets without photo", () => {
    expect(manquePhotos({ recensable: true, photos_count: 0 })).toBe(true);
    expect(manquePhotos({ recensable: true, photos_count: 2 })).toBe(false);
    expect(manquePhotos({ recensable: false, photos_count: 0 })).toBe(false);
    expect(manquePhotos({ recensable: null, photos_count: 0 })).toBe(false);
  });

  it("keeps optional texts trimmed, blanks as null, line breaks normalised", () => {
    expect(
      validerSaisieFinalisation({ notes_commune: "  Tribune fermée.\r\nClé en mairie.  ", recenseur: "  Marie   Dupont,\n06 12 " }),
    ).toEqual({
      ok: true,
      notes_commune: "Tribune fermée.\nClé en mairie.",
      recenseur: "Marie Dupont, 06 12",
    });
    expect(validerSaisieFinalisation({ notes_commune: " \n ", recenseur: "" })).toEqual({ ok: true, notes_commune: null, recenseur: null });
  });

  it("refuses texts that are too long, naming the field", () => {
    const result = validerSaisieFinalisation({
      notes_commune: "a".repeat(NOTES_COMMUNE_MAX + 1),
      recenseur: "b".repeat(RECENSEUR_MAX + 1),
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.erreurs.map((e) => e.champ)).toEqual(["notes_commune", "recenseur"]);
    expect(validerSaisieFinalisation({ notes_commune: "a".repeat(NOTES_COMMUNE_MAX), recenseur: "b".repeat(RECENSEUR_MAX) }).ok).toBe(true);
  });
});

describe("rapport of the examen", () => {
  it("shows a correction only when the conservateur changed the commune's value", () => {
    expect(evaluation("bon", null)).toEqual({ retenue: "bon", commune: "bon", corrigee: false });
    expect(evaluation("bon", "bon")).toEqual({ retenue: "bon", commune: "bon", corrigee: false });
    expect(evaluation("bon", "peril")).toEqual({ retenue: "peril", commune: "bon", corrigee: true });
    expect(evaluation(null, "mauvais")).toEqual({ retenue: "mauvais", commune: null, corrigee: true });
    expect(evaluation(null, null)).toEqual({ retenue: null, commune: null, corrigee: false });
  });

  it("groups objets by fiche in the fiches' order, numbering only the fiches used", () => {
    const a = { id: "a", analyse_fiches: ["securisation", "entretien_objets"] };
    const b = { id: "b", analyse_fiches: ["securisation"] };
    const c = { id: "c", analyse_fiches: ["inconnue"] };
    const groupes = regrouperParFiche([a, b, c], ["entretien_objets", "restauration", "securisation", "depot_plainte"]);
    expect(groupes).toEqual([
      { ficheId: "entretien_objets", numero: 1, recensements: [a] },
      { ficheId: "securisation", numero: 2, recensements: [a, b] },
    ]);
    expect(regrouperParFiche([c], ["securisation"])).toEqual([]);
  });

  it("orders the detailed view by Palissy édifice name, then REF, objets without édifice last", () => {
    const rows = [
      { palissy_edif: null, palissy_ref: "PM01000001" },
      { palissy_edif: "église Saint-Martin", palissy_ref: "PM01000010" },
      { palissy_edif: "Chapelle des Allymes", palissy_ref: "PM01000003" },
      { palissy_edif: "église Saint-Martin", palissy_ref: "PM01000002" },
      { palissy_edif: " ", palissy_ref: "PM01000000" },
    ];
    expect(ordreDuRapport(rows).map((r) => r.palissy_ref)).toEqual(["PM01000003", "PM01000002", "PM01000010", "PM01000000", "PM01000001"]);
  });
});
