import { describe, expect, it } from "vitest";
import { dansNom, departementCodeOf, departementsReference } from "./departements-reference.ts";

describe("départements reference", () => {
  it("covers the 101 départements: metropolitan France with Corsica, and the five DROM", () => {
    const codes = departementsReference().map((d) => d.code);
    expect(codes).toHaveLength(101);
    expect(codes).toEqual(expect.arrayContaining(["01", "2A", "2B", "95", "971", "972", "973", "974", "976"]));
    expect(codes).not.toContain("975");
    expect(codes).not.toContain("20");
  });

  it("says 'dans'/'en'/'à' as French does", () => {
    expect(dansNom({ code: "01", nom: "Ain", typeLiaison: 5 })).toBe("dans lʼAin");
    expect(dansNom({ code: "88", nom: "Vosges", typeLiaison: 4 })).toBe("dans les Vosges");
    expect(dansNom({ code: "33", nom: "Gironde", typeLiaison: 3 })).toBe("en Gironde");
    expect(dansNom({ code: "67", nom: "Bas-Rhin", typeLiaison: 2 })).toBe("dans le Bas-Rhin");
    expect(dansNom({ code: "38", nom: "Isère", typeLiaison: 5 })).toBe("en Isère");
    expect(dansNom({ code: "75", nom: "Paris", typeLiaison: 0 })).toBe("à Paris");
    const byCode = new Map(departementsReference().map((d) => [d.code, d]));
    expect(byCode.get("974")?.dans_nom).toBe("à La Réunion");
    expect(byCode.get("67")?.concordataire).toBe(true);
    expect(byCode.get("01")?.region).toBe("Auvergne-Rhône-Alpes");
  });

  it("takes 3 characters of the INSEE code overseas, 2 elsewhere", () => {
    expect(departementCodeOf("97105")).toBe("971");
    expect(departementCodeOf("2A004")).toBe("2A");
    expect(departementCodeOf("01004")).toBe("01");
  });
});
