import { describe, expect, it } from "vitest";
import type { Localisation } from "../platform/db/schema.ts";
import {
  actionObjet,
  badgeRecensement,
  erreursDeCompletion,
  etapeAccessibilite,
  etapeCommentaires,
  etapeDeReprise,
  etapeEtat,
  etapeLocalisation,
  etapePhotos,
  etapePrecedente,
  etapePrecisions,
  etapesSautees,
  etapeSuivante,
  MESSAGES,
  nettoyageDeCompletion,
  patchEffectif,
  photosPermises,
  recensableImplique,
  recensementModifiable,
  type Etape,
  type Reponses,
} from "./rules.ts";

const VIDE: Reponses = {
  localisation: null,
  edifice_nom: null,
  autre_commune_code_insee: null,
  recensable: null,
  etat_sanitaire: null,
  securisation: null,
  notes: null,
  analyse_etat_sanitaire: null,
  analyse_securisation: null,
};

function reponses(overrides: Partial<Reponses>): Reponses {
  return { ...VIDE, ...overrides };
}

describe("skipped steps (RB §4.5)", () => {
  it.each<[Localisation, boolean | null, Etape[]]>([
    ["edifice_initial", null, [2]],
    ["edifice_initial", true, [2]],
    ["edifice_initial", false, [2, 4, 5]],
    ["autre_edifice", true, []],
    ["autre_edifice", false, [4, 5]],
    ["deplacement_autre_commune", false, [3, 4, 5]],
    ["deplacement_temporaire", false, [2, 3, 4, 5]],
    ["absent", false, [2, 3, 4, 5]],
  ])("%s, recensable %s skips %j", (localisation, recensable, skipped) => {
    expect([...etapesSautees({ localisation, recensable })].sort()).toEqual(skipped);
  });
});

describe("next step after saving", () => {
  it.each<[Etape, Localisation, boolean | null, Etape]>([
    [1, "edifice_initial", null, 3],
    [1, "absent", false, 6],
    [1, "deplacement_temporaire", false, 6],
    [1, "autre_edifice", null, 2],
    [1, "deplacement_autre_commune", false, 2],
    [2, "autre_edifice", null, 3],
    [2, "deplacement_autre_commune", false, 6],
    [3, "edifice_initial", true, 4],
    [3, "edifice_initial", false, 6],
    [4, "edifice_initial", true, 5],
    [5, "autre_edifice", true, 6],
    [6, "absent", false, 7],
    [7, "absent", false, 7],
  ])("after step %i with %s (recensable %s) → step %i", (etape, localisation, recensable, expected) => {
    expect(etapeSuivante(etape, { localisation, recensable })).toBe(expected);
  });
});

describe("previous step skips what the answers skipped", () => {
  it.each<[Etape, Localisation, boolean | null, Etape | null]>([
    [1, "edifice_initial", true, null],
    [3, "edifice_initial", true, 1],
    [3, "autre_edifice", true, 2],
    [6, "absent", false, 1],
    [6, "deplacement_temporaire", false, 1],
    [6, "deplacement_autre_commune", false, 2],
    [6, "edifice_initial", false, 3],
    [6, "edifice_initial", true, 5],
    [7, "edifice_initial", true, 6],
  ])("from step %i with %s (recensable %s) → %s", (etape, localisation, recensable, expected) => {
    expect(etapePrecedente(etape, { localisation, recensable })).toBe(expected);
  });
});

describe("resuming the questionnaire", () => {
  it("opens a completed recensement on the summary", () => {
    expect(etapeDeReprise("completed", { localisation: "absent", recensable: false }, 3)).toBe(7);
  });
  it("resumes a draft on the step reached", () => {
    expect(etapeDeReprise("draft", { localisation: "edifice_initial", recensable: true }, 5)).toBe(5);
  });
  it("falls back to the last reachable step when the answers now skip the stored one", () => {
    expect(etapeDeReprise("draft", { localisation: "absent", recensable: false }, 4)).toBe(1);
    expect(etapeDeReprise("draft", { localisation: "edifice_initial", recensable: false }, 5)).toBe(3);
  });
  it("starts a blank draft on step 1", () => {
    expect(etapeDeReprise("draft", { localisation: null, recensable: null }, 3)).toBe(1);
  });
});

describe("step 1 — localisation", () => {
  it("requires an answer and a known value", () => {
    expect(etapeLocalisation({}, VIDE)).toEqual({
      ok: false,
      erreurs: [{ champ: "localisation", message: MESSAGES.localisationManquante }],
    });
    expect(etapeLocalisation({ localisation: "grenier" }, VIDE)).toEqual({
      ok: false,
      erreurs: [{ champ: "localisation", message: MESSAGES.localisationInvalide }],
    });
  });
  it("asks to confirm an absent objet, then saves it as not recensable", () => {
    expect(etapeLocalisation({ localisation: "absent" }, VIDE)).toEqual({ ok: "confirmation", confirmation: "absent" });
    const saved = etapeLocalisation({ localisation: "absent", confirme: "1" }, reponses({ recensable: true, etat_sanitaire: "bon" }));
    expect(saved).toEqual({
      ok: true,
      patch: {
        localisation: "absent",
        edifice_nom: null,
        autre_commune_code_insee: null,
        recensable: false,
        etat_sanitaire: null,
        securisation: null,
      },
    });
  });
  it("recomputes recensable when the localisation changes (RB ⚠: a stale true made completion fail)", () => {
    const before = reponses({ localisation: "absent", recensable: false });
    const result = etapeLocalisation({ localisation: "edifice_initial" }, before);
    expect(result).toMatchObject({ ok: true, patch: { localisation: "edifice_initial", recensable: null } });
  });
  it("clears the précisions when the answer changes, keeps everything when it does not", () => {
    const before = reponses({ localisation: "autre_edifice", edifice_nom: "Chapelle", recensable: true, etat_sanitaire: "moyen" });
    expect(etapeLocalisation({ localisation: "autre_edifice" }, before)).toEqual({ ok: true, patch: {} });
    expect(etapeLocalisation({ localisation: "edifice_initial" }, before)).toMatchObject({
      ok: true,
      patch: { edifice_nom: null, autre_commune_code_insee: null },
    });
  });
});

describe("step 2 — précisions", () => {
  const autresEdifices = [
    { id: 7, nom: "Chapelle Saint-Roch" },
    { id: 9, nom: "Mairie" },
  ];
  const autreEdifice = reponses({ localisation: "autre_edifice" });
  it("takes the name of the chosen édifice", () => {
    expect(etapePrecisions({ edifice_choix: "9" }, autreEdifice, autresEdifices, "56091")).toEqual({
      ok: true,
      patch: { edifice_nom: "Mairie" },
    });
  });
  it("requires a choice, and a name for « Autre édifice »", () => {
    expect(etapePrecisions({}, autreEdifice, autresEdifices, "56091")).toMatchObject({
      ok: false,
      erreurs: [{ message: MESSAGES.edificeManquant }],
    });
    expect(etapePrecisions({ edifice_choix: "42" }, autreEdifice, autresEdifices, "56091")).toMatchObject({ ok: false });
    expect(etapePrecisions({ edifice_choix: "autre", edifice_nom: " " }, autreEdifice, autresEdifices, "56091")).toMatchObject({
      ok: false,
      erreurs: [{ champ: "edifice_nom", message: MESSAGES.edificeAutreSansNom }],
    });
    expect(etapePrecisions({ edifice_choix: "autre", edifice_nom: " Hôpital " }, autreEdifice, autresEdifices, "56091")).toEqual({
      ok: true,
      patch: { edifice_nom: "Hôpital" },
    });
  });
  it("checks the other commune's INSEE code and édifice", () => {
    const autreCommune = reponses({ localisation: "deplacement_autre_commune", recensable: false });
    expect(etapePrecisions({}, autreCommune, [], "56091")).toEqual({
      ok: false,
      erreurs: [
        { champ: "autre_commune_code_insee", message: MESSAGES.inseeManquant },
        { champ: "edifice_nom", message: MESSAGES.edificeNomManquant },
      ],
    });
    expect(etapePrecisions({ autre_commune_code_insee: "5609", edifice_nom: "Église" }, autreCommune, [], "56091")).toMatchObject({
      ok: false,
      erreurs: [{ message: MESSAGES.inseeInvalide }],
    });
    expect(etapePrecisions({ autre_commune_code_insee: "56091", edifice_nom: "Église" }, autreCommune, [], "56091")).toMatchObject({
      ok: false,
      erreurs: [{ message: MESSAGES.inseeMemeCommune }],
    });
    expect(etapePrecisions({ autre_commune_code_insee: "2a004", edifice_nom: "Cathédrale" }, autreCommune, [], "56091")).toEqual({
      ok: true,
      patch: { autre_commune_code_insee: "2A004", edifice_nom: "Cathédrale" },
    });
  });
});

describe("step 3 — accessibilité", () => {
  it("requires an answer", () => {
    expect(etapeAccessibilite({}, VIDE)).toMatchObject({ ok: false, erreurs: [{ message: MESSAGES.recensableManquant }] });
  });
  it("asks to confirm « not recensable », then clears the assessment", () => {
    expect(etapeAccessibilite({ recensable: "non" }, VIDE)).toEqual({ ok: "confirmation", confirmation: "non_recensable" });
    expect(etapeAccessibilite({ recensable: "non", confirme: "1" }, reponses({ recensable: true, etat_sanitaire: "bon" }))).toEqual({
      ok: true,
      patch: { recensable: false, etat_sanitaire: null, securisation: null },
    });
    expect(etapeAccessibilite({ recensable: "oui" }, VIDE)).toEqual({ ok: true, patch: { recensable: true } });
  });
});

describe("step 4 — photos", () => {
  it("asks to confirm going on without any photo", () => {
    expect(etapePhotos({}, 0)).toEqual({ ok: "confirmation", confirmation: "sans_photo" });
    expect(etapePhotos({ confirme: "1" }, 0)).toEqual({ ok: true, patch: {} });
    expect(etapePhotos({}, 2)).toEqual({ ok: true, patch: {} });
  });
  it("photos are allowed only when the objet is there and recensable", () => {
    expect(photosPermises({ localisation: "edifice_initial", recensable: null })).toBe(true);
    expect(photosPermises({ localisation: "edifice_initial", recensable: false })).toBe(false);
    expect(photosPermises({ localisation: "absent", recensable: false })).toBe(false);
    expect(photosPermises({ localisation: "deplacement_temporaire", recensable: null })).toBe(false);
  });
});

describe("step 5 — état and sécurisation", () => {
  it("requires both, with valid values", () => {
    expect(etapeEtat({}, VIDE)).toEqual({
      ok: false,
      erreurs: [
        { champ: "etat_sanitaire", message: MESSAGES.etatManquant },
        { champ: "securisation", message: MESSAGES.securisationManquante },
      ],
    });
    expect(etapeEtat({ etat_sanitaire: "excellent", securisation: "coffre" }, VIDE)).toEqual({
      ok: false,
      erreurs: [
        { champ: "etat_sanitaire", message: MESSAGES.etatInvalide },
        { champ: "securisation", message: MESSAGES.securisationInvalide },
      ],
    });
    expect(etapeEtat({ etat_sanitaire: "peril", securisation: "en_danger" }, VIDE)).toEqual({
      ok: true,
      patch: { etat_sanitaire: "peril", securisation: "en_danger" },
    });
  });
  it("ignores a value the conservateur overrode", () => {
    const overridden = reponses({ etat_sanitaire: "bon", analyse_etat_sanitaire: "mauvais" });
    expect(etapeEtat({ etat_sanitaire: "peril", securisation: "en_securite" }, overridden)).toEqual({
      ok: true,
      patch: { securisation: "en_securite" },
    });
  });
});

describe("step 6 — commentaires", () => {
  it("is optional, trimmed and bounded", () => {
    expect(etapeCommentaires({ notes: "  " })).toEqual({ ok: true, patch: { notes: null } });
    expect(etapeCommentaires({ notes: "Tache d’humidité\r\nau dos " })).toEqual({ ok: true, patch: { notes: "Tache d’humidité\nau dos" } });
    expect(etapeCommentaires({ notes: "x".repeat(10_001) })).toMatchObject({ ok: false });
  });
});

describe("completion", () => {
  it("accepts an absent objet without assessment and drops its photos", () => {
    const absent = reponses({ localisation: "absent", recensable: false });
    expect(erreursDeCompletion(absent)).toEqual([]);
    expect(nettoyageDeCompletion(absent)).toEqual({
      patch: { recensable: false, etat_sanitaire: null, securisation: null },
      supprimerPhotos: true,
    });
  });
  it("accepts an absent objet even if it was first answered recensable (RB ⚠ fixed)", () => {
    expect(erreursDeCompletion(reponses({ localisation: "absent", recensable: true, etat_sanitaire: "bon" }))).toEqual([]);
  });
  it("lists what is missing with the step to fix it", () => {
    expect(erreursDeCompletion(VIDE)).toEqual([{ etape: 1, message: MESSAGES.localisationManquante }]);
    expect(erreursDeCompletion(reponses({ localisation: "edifice_initial" }))).toEqual([
      { etape: 3, message: MESSAGES.recensableManquant },
    ]);
    expect(erreursDeCompletion(reponses({ localisation: "edifice_initial", recensable: true }))).toEqual([
      { etape: 5, message: MESSAGES.etatManquant },
      { etape: 5, message: MESSAGES.securisationManquante },
    ]);
    expect(erreursDeCompletion(reponses({ localisation: "deplacement_autre_commune", recensable: false }))).toEqual([
      { etape: 2, message: MESSAGES.inseeManquant },
      { etape: 2, message: MESSAGES.edificeNomManquant },
    ]);
  });
  it("counts the conservateur's override as an answer", () => {
    const r = reponses({ localisation: "edifice_initial", recensable: true, analyse_etat_sanitaire: "bon", securisation: "en_securite" });
    expect(erreursDeCompletion(r)).toEqual([]);
    expect(nettoyageDeCompletion(r).supprimerPhotos).toBe(false);
  });
  it("recensable implied by the localisation", () => {
    expect(recensableImplique("absent")).toBe(false);
    expect(recensableImplique("deplacement_autre_commune")).toBe(false);
    expect(recensableImplique("autre_edifice")).toBeNull();
  });
});

describe("what the commune may do", () => {
  it("edits while the dossier is being built, reads once it is sent", () => {
    expect(recensementModifiable(null)).toBe(true);
    expect(recensementModifiable("construction")).toBe(true);
    expect(recensementModifiable("submitted")).toBe(false);
    expect(recensementModifiable("accepted")).toBe(false);
  });
  it.each([
    [null, null, "Recenser", "Pas encore recensé"],
    ["draft", "construction", "Compléter", "Recensement à compléter"],
    ["completed", "construction", "Modifier", "Recensé"],
    ["completed", "submitted", "Afficher", "Recensé"],
    ["completed", "accepted", "Afficher", null],
  ] as const)("recensement %s in a %s dossier → %s / %s", (status, dossier, action, badge) => {
    expect(actionObjet(status, dossier)).toBe(action);
    expect(badgeRecensement(status, dossier)?.label ?? null).toBe(badge);
  });
  it("saves only what changes", () => {
    expect(patchEffectif({ notes: "a", recensable: true }, reponses({ notes: "a" }))).toEqual({ recensable: true });
  });
});
