import { describe, expect, it } from "vitest";
import {
  etatParDefaut,
  ligneParDefaut,
  ligneRetenue,
  lireFormulaire,
  MESSAGES,
  nomFichierBordereau,
  estProtege,
  type RecensementBordereau,
} from "./rules.ts";

const base: RecensementBordereau = {
  localisation: "edifice_initial",
  recensable: true,
  edifice_nom: null,
  etat_sanitaire: "bon",
  analyse_etat_sanitaire: null,
  securisation: "en_securite",
  analyse_securisation: null,
  notes: null,
  analyse_notes: null,
};

describe("état par défaut d’une ligne de bordereau", () => {
  it("absent → introuvable, even with a state", () => {
    expect(etatParDefaut({ ...base, localisation: "absent", analyse_etat_sanitaire: "peril" })).toBe("introuvable");
  });
  it("not recensable → non recensable", () => {
    expect(etatParDefaut({ ...base, recensable: false, etat_sanitaire: null })).toBe("non_recensable");
  });
  it("the conservateur's override wins over the commune's answer", () => {
    expect(etatParDefaut({ ...base, etat_sanitaire: "bon", analyse_etat_sanitaire: "mauvais" })).toBe("mauvais");
    expect(etatParDefaut({ ...base, etat_sanitaire: "moyen" })).toBe("moyen");
    expect(etatParDefaut({ ...base, etat_sanitaire: null })).toBeNull();
  });
});

describe("notes par défaut", () => {
  it("commune: the definitive move then the commune's comment", () => {
    const ligne = ligneParDefaut({ ...base, localisation: "autre_edifice", edifice_nom: "Chapelle Saint-Jean", notes: " Très abîmé " });
    expect(ligne.notes_commune).toBe("L’objet a été déplacé : Chapelle Saint-Jean.\nTrès abîmé");
    expect(ligneParDefaut({ ...base, localisation: "deplacement_temporaire", notes: "Prêté" }).notes_commune).toBe("Prêté");
  });
  it("conservateur: theft warning when en danger (override first) then the examen's comment", () => {
    expect(ligneParDefaut({ ...base, securisation: "en_danger", analyse_notes: "À fixer" }).notes_conservateur).toBe(
      "L’objet peut être volé facilement.\nÀ fixer",
    );
    expect(ligneParDefaut({ ...base, securisation: "en_danger", analyse_securisation: "en_securite" }).notes_conservateur).toBeNull();
    const ligne = ligneParDefaut(base);
    expect(ligne).toEqual({
      etat_sanitaire: "bon",
      notes_commune: null,
      notes_conservateur: null,
      notes_proprietaire: null,
      notes_affectataire: null,
    });
  });
  it("a saved line replaces the defaults", () => {
    const saved = {
      etat_sanitaire: "peril" as const,
      notes_commune: null,
      notes_conservateur: "x",
      notes_proprietaire: null,
      notes_affectataire: null,
    };
    expect(ligneRetenue(base, saved)).toBe(saved);
    expect(ligneRetenue(base, undefined).etat_sanitaire).toBe("bon");
  });
});

describe("formulaire", () => {
  it("an empty post is refused", () => {
    const result = lireFormulaire({}, [1, 2]);
    expect(result).toEqual({ ok: false, erreurs: new Map([["_form", MESSAGES.lignesManquantes]]) });
  });
  it("lines of other recensements or missing lines are refused", () => {
    expect(lireFormulaire({ "lignes[3][etat_sanitaire]": "bon" }, [1]).ok).toBe(false);
    expect(lireFormulaire({ "lignes[1][etat_sanitaire]": "bon" }, [1, 2]).ok).toBe(false);
  });
  it("an unknown état is refused with a French message", () => {
    const result = lireFormulaire({ "lignes[1][etat_sanitaire]": "excellent" }, [1]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.erreurs.get("1.etat_sanitaire")).toBe(MESSAGES.etatInvalide);
  });
  it("reads, trims and empties", () => {
    const result = lireFormulaire(
      {
        "lignes[1][etat_sanitaire]": "introuvable",
        "lignes[1][notes_commune]": "  a\r\nb ",
        "lignes[1][notes_proprietaire]": "  ",
        _csrf: "x",
      },
      [1],
    );
    expect(result).toEqual({
      ok: true,
      lignes: new Map([
        [
          1,
          {
            etat_sanitaire: "introuvable",
            notes_commune: "a\nb",
            notes_conservateur: null,
            notes_proprietaire: null,
            notes_affectataire: null,
          },
        ],
      ]),
    });
  });
  it("too long notes are refused", () => {
    const result = lireFormulaire({ "lignes[1][etat_sanitaire]": "bon", "lignes[1][notes_commune]": "x".repeat(2001) }, [1]);
    expect(result.ok).toBe(false);
  });
});

describe("divers", () => {
  it("file name", () => {
    expect(nomFichierBordereau("Eguisheim", "Église Saint-Pierre-et-Saint-Paul")).toBe(
      "bordereau-eguisheim-eglise-saint-pierre-et-saint-paul.pdf",
    );
  });
  it("protected objets only", () => {
    expect(estProtege({ palissy_prot: "classé au titre objet" })).toBe(true);
    expect(estProtege({ palissy_prot: "inscrit au titre objet" })).toBe(true);
    expect(estProtege({ palissy_prot: "déclassé" })).toBe(false);
    expect(estProtege({ palissy_prot: null })).toBe(false);
  });
});
