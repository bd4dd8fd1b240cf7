import { describe, expect, it } from "vitest";
import {
  MESSAGES_EXAMEN,
  changementsExamen,
  fichesPermises,
  ordreExamen,
  prioritairesAExaminer,
  recensementSuivant,
  situationDuRecensement,
  validerSaisieExamen,
  type RecensementAOrdonner,
  type RecensementCommune,
} from "./analyse.ts";

const trouve: RecensementCommune = {
  localisation: "edifice_initial",
  recensable: true,
  etat_sanitaire: "moyen",
  securisation: "en_securite",
};
const absent: RecensementCommune = { localisation: "absent", recensable: false, etat_sanitaire: null, securisation: null };
const impossible: RecensementCommune = { localisation: "edifice_initial", recensable: false, etat_sanitaire: null, securisation: null };

describe("situation of a recensement", () => {
  it("is absent, recensable or not recensable, and allows the fiches of that situation only", () => {
    expect(situationDuRecensement(absent)).toBe("absent");
    expect(situationDuRecensement(trouve)).toBe("recensable");
    expect(situationDuRecensement(impossible)).toBe("non_recensable");
    expect(situationDuRecensement({ localisation: "deplacement_temporaire", recensable: false })).toBe("non_recensable");
    expect(fichesPermises("absent")).toEqual(["depot_plainte"]);
    expect([...fichesPermises("recensable")].sort()).toEqual(["entretien_edifices", "entretien_objets", "restauration", "securisation"]);
    expect(fichesPermises("non_recensable")).toEqual([]);
  });
});

describe("examen form of a recensement", () => {
  it("drops an override equal to the commune's answer and keeps a real correction", () => {
    const same = validerSaisieExamen({ etat_sanitaire: "moyen", securisation: "en_securite", analyse_notes: "" }, trouve);
    expect(same).toEqual({
      ok: true,
      valeurs: { analyse_etat_sanitaire: null, analyse_securisation: null, analyse_fiches: [], analyse_notes: null },
    });
    const corrige = validerSaisieExamen(
      { etat_sanitaire: "peril", securisation: "en_danger", analyse_notes: "  À protéger\r\nvite  " },
      trouve,
    );
    expect(corrige).toEqual({
      ok: true,
      valeurs: {
        analyse_etat_sanitaire: "peril",
        analyse_securisation: "en_danger",
        analyse_fiches: [],
        analyse_notes: "À protéger\nvite",
      },
    });
  });

  it("ignores any override of an objet the commune could not assess", () => {
    const result = validerSaisieExamen({ etat_sanitaire: "peril", securisation: "en_danger", fiches: "depot_plainte" }, absent);
    expect(result).toEqual({
      ok: true,
      valeurs: { analyse_etat_sanitaire: null, analyse_securisation: null, analyse_fiches: ["depot_plainte"], analyse_notes: null },
    });
    expect(validerSaisieExamen({ etat_sanitaire: "bon" }, impossible)).toMatchObject({
      ok: true,
      valeurs: { analyse_etat_sanitaire: null },
    });
  });

  it("requires a known état and sécurisation for a recensable objet", () => {
    expect(validerSaisieExamen({ etat_sanitaire: "ruine", securisation: "en_securite" }, trouve)).toEqual({
      ok: false,
      erreurs: [{ champ: "etat_sanitaire", message: MESSAGES_EXAMEN.etat }],
    });
    // Nothing chosen keeps the commune's answer; nothing chosen where the commune gave nothing is an error.
    expect(validerSaisieExamen({}, trouve)).toMatchObject({ ok: true, valeurs: { analyse_etat_sanitaire: null } });
    expect(validerSaisieExamen({}, { ...trouve, securisation: null })).toEqual({
      ok: false,
      erreurs: [{ champ: "securisation", message: MESSAGES_EXAMEN.securisation }],
    });
  });

  it("accepts the fiches of the situation, without blanks or repeats, in the fiches' order", () => {
    const result = validerSaisieExamen(
      { etat_sanitaire: "moyen", securisation: "en_securite", fiches: ["securisation", "", " entretien_objets", "securisation"] },
      trouve,
    );
    expect(result).toMatchObject({ ok: true, valeurs: { analyse_fiches: ["entretien_objets", "securisation"] } });
  });

  it("refuses an unknown fiche or one that does not fit the situation", () => {
    const erreur = { ok: false, erreurs: [{ champ: "fiches", message: "La ou les fiches choisies ne sont pas valides" }] };
    expect(validerSaisieExamen({ etat_sanitaire: "moyen", securisation: "en_securite", fiches: ["vitraux"] }, trouve)).toEqual(erreur);
    expect(validerSaisieExamen({ etat_sanitaire: "moyen", securisation: "en_securite", fiches: ["depot_plainte"] }, trouve)).toEqual(
      erreur,
    );
    expect(validerSaisieExamen({ fiches: ["restauration"] }, absent)).toEqual(erreur);
    expect(validerSaisieExamen({ fiches: "depot_plainte" }, impossible)).toEqual(erreur);
  });

  it("limits the comment for the mairie to 10,000 characters", () => {
    expect(validerSaisieExamen({ analyse_notes: "a".repeat(10_000) }, absent)).toMatchObject({ ok: true });
    expect(validerSaisieExamen({ analyse_notes: "a".repeat(10_001) }, absent)).toEqual({
      ok: false,
      erreurs: [{ champ: "analyse_notes", message: MESSAGES_EXAMEN.notes }],
    });
  });

  it("lists only the fields that changed for the audit trail", () => {
    const avant = { analyse_etat_sanitaire: null, analyse_securisation: null, analyse_fiches: ["restauration"], analyse_notes: "x" };
    expect(
      changementsExamen(avant, {
        analyse_etat_sanitaire: "peril",
        analyse_securisation: null,
        analyse_fiches: ["restauration"],
        analyse_notes: "x",
      }),
    ).toEqual({ before: { analyse_etat_sanitaire: null }, after: { analyse_etat_sanitaire: "peril" } });
  });
});

describe("order of the examen", () => {
  const base = { status: "completed" as const, localisation: "edifice_initial" as const, analyse_etat_sanitaire: null, analysed_at: null };
  const r = (id: number, values: Partial<RecensementAOrdonner>): RecensementAOrdonner => ({
    ...base,
    id,
    etat_sanitaire: "bon",
    edifice: "Église",
    titre: `Objet ${id}`,
    ...values,
  });
  const calice = r(1, { titre: "Calice", edifice: "Chapelle" });
  const perilEglise = r(2, { titre: "Statue", etat_sanitaire: "peril" });
  const disparu = r(3, { titre: "Croix", localisation: "absent", etat_sanitaire: null });
  const corrigeEnPeril = r(4, { titre: "Autel", analyse_etat_sanitaire: "peril", analysed_at: "2026-01-01" });
  const perilChapelle = r(5, { titre: "Tableau", edifice: "Chapelle", etat_sanitaire: "peril" });
  const brouillon = r(6, { status: "draft", etat_sanitaire: "peril" });
  const tous = [calice, perilEglise, disparu, corrigeEnPeril, perilChapelle, brouillon];

  it("puts péril first, then disparus, then the others, each by édifice then title", () => {
    expect(ordreExamen(tous.filter((x) => x.status === "completed")).map((x) => x.id)).toEqual([5, 4, 2, 3, 1]);
  });

  it("goes to the next completed recensement not examined yet, never the one just saved", () => {
    expect(recensementSuivant(tous, 5)?.id).toBe(2);
    expect(recensementSuivant(tous, 2)?.id).toBe(5);
    expect(recensementSuivant([calice, corrigeEnPeril, brouillon], 1)).toBeUndefined();
  });

  it("lists the prioritaires left to examine in that order", () => {
    expect(prioritairesAExaminer(tous).map((x) => x.id)).toEqual([5, 2, 3]);
  });
});
