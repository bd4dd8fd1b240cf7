import { describe, expect, it } from "vitest";
import { TYPES_OBJETS, typeObjet, typesDansLOrdre } from "./types-objets.ts";

const type = (palissy_deno: string | null, palissy_cate: string | null) => typeObjet({ palissy_deno, palissy_cate });

describe("type of an objet from its Palissy fields", () => {
  it.each([
    ["tableau", "peinture", "peinture"],
    ["statue", "sculpture", "sculpture"],
    ["groupe sculpté", "sculpture", "sculpture"],
    ["fonts baptismaux", "sculpture", "sculpture"],
    ["tombeau ; gisant", "sculpture", "sculpture"],
    ["cloche", "fonderie", "cloche"],
    ["calice ; patène", "orfèvrerie", "metal"],
    ["calice;patène", "orfèvrerie", "metal"],
    ["croix de procession", "orfèvrerie", "metal"],
    ["lustre", "dinanderie", "metal"],
    ["retable", "menuiserie ; sculpture", "mobilier"],
    ["autel;retable;tabernacle", "menuiserie;sculpture", "mobilier"],
    ["chaire à prêcher", "menuiserie;sculpture", "mobilier"],
    ["stalle (12)", "menuiserie", "mobilier"],
    ["confessionnal", "menuiserie", "mobilier"],
    ["maître-autel", "marbrerie", "mobilier"],
    ["verrière", "vitrail", "vitrail"],
    ["orgue de tribune", "facture d’orgue", "orgue"],
    ["orgue", "facture instrumentale", "orgue"],
    ["chasuble;étole;manipule", "textile", "textile"],
    ["bannière de procession", "textile;peinture", "textile"],
    ["Christ en croix", "sculpture", "sculpture"],
  ])("%s (%s) → %s", (deno, cate, attendu) => {
    expect(type(deno, cate)).toBe(attendu);
  });

  it("falls back on the catégorie when the dénomination is unknown or missing", () => {
    expect(type("ex-voto", "sculpture ; peinture")).toBe("sculpture");
    expect(type(null, "broderie")).toBe("textile");
    expect(type("objet non identifié", "Orfèvrerie")).toBe("metal");
    expect(type(null, "peinture sur verre")).toBe("vitrail");
    expect(type("", "fonderie")).toBe("cloche");
    expect(type("BUSTE-RELIQUAIRE", null)).toBe("metal");
  });

  it("a bronze statue is a sculpture, not a bell", () => {
    expect(type("statue", "fonderie")).toBe("sculpture");
  });

  it("knows nothing of an horloge or of empty fields", () => {
    expect(type("horloge", "horlogerie")).toBeNull();
    expect(type(null, null)).toBeNull();
  });

  it("lists every type, the objet's own first", () => {
    expect(typesDansLOrdre("vitrail")[0]).toBe("vitrail");
    expect([...typesDansLOrdre("vitrail")].sort()).toEqual([...TYPES_OBJETS].sort());
    expect(typesDansLOrdre(null)).toEqual([...TYPES_OBJETS]);
  });
});
