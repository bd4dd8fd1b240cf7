import { describe, expect, it } from "vitest";
import { cocheeParDefaut, estSelectionnable, lireIds, nouvelleSelection, raisonExclusion, type CommuneCandidate } from "./destinataires.ts";

function commune(id: number, overrides: Partial<CommuneCandidate> = {}): CommuneCandidate {
  return { id, aUnEmail: true, status: "inactive", dossierStatus: null, ...overrides };
}

describe("campaign recipients rules", () => {
  it("refuses communes without an email and communes recensing", () => {
    expect(raisonExclusion(commune(1, { aUnEmail: false }))).toBe("pas_d_email");
    expect(raisonExclusion(commune(1, { status: "started", dossierStatus: "construction" }))).toBe("recensement_en_cours");
    expect(raisonExclusion(commune(1, { dossierStatus: "construction" }))).toBe("recensement_en_cours");
    expect(estSelectionnable(commune(1))).toBe(true);
    expect(estSelectionnable(commune(1, { status: "completed", dossierStatus: "submitted" }))).toBe(true);
    expect(estSelectionnable(commune(1, { status: "completed", dossierStatus: "accepted" }))).toBe(true);
  });

  it("ticks by default every selectable commune but those waiting for their examen", () => {
    expect(cocheeParDefaut(commune(1))).toBe(true);
    expect(cocheeParDefaut(commune(1, { status: "completed", dossierStatus: "accepted" }))).toBe(true);
    expect(cocheeParDefaut(commune(1, { status: "completed", dossierStatus: "submitted" }))).toBe(false);
    expect(cocheeParDefaut(commune(1, { aUnEmail: false }))).toBe(false);
    expect(cocheeParDefaut(commune(1, { status: "started", dossierStatus: "construction" }))).toBe(false);
  });

  it("saves the ticked selectable communes of the shown list and keeps the hidden ones as they were", () => {
    const candidats = [commune(1), commune(2), commune(3, { aUnEmail: false }), commune(4), commune(5)];
    const result = nouvelleSelection({
      candidats,
      actuels: new Set([1, 5]),
      affichees: new Set([1, 2, 3, 4]),
      cochees: new Set([2, 3, 4, 99]),
    });
    expect([...result.garder].sort()).toEqual([2, 4, 5]);
    expect(result.ajouter.sort()).toEqual([2, 4]);
    expect(result.retirer).toEqual([1]);
  });

  it("reads ids from one field, several fields or a comma list, ignoring garbage", () => {
    expect([...lireIds("3")]).toEqual([3]);
    expect([...lireIds(["3", "4", "x", "-1", "0"])]).toEqual([3, 4]);
    expect([...lireIds("1,2, 3,,99999999999")]).toEqual([1, 2, 3]);
    expect([...lireIds(undefined)]).toEqual([]);
  });
});
