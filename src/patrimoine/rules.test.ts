import { describe, expect, it } from "vitest";
import {
  deplacementParagraph,
  edificeDisplayName,
  formatPalissyDate,
  groupByEdifice,
  objetTitle,
  pluralize,
  popUrl,
  protection,
  protectionScope,
  safeImageUrl,
  truncate,
} from "./rules.ts";

const titleFields = { palissy_ref: "PM01000001", palissy_tico: null, palissy_deno: null, palissy_cate: null, palissy_scle: null };
const lieu = {
  palissy_com: "Campan",
  palissy_insee: "65123",
  palissy_edif: "église Notre-Dame",
  palissy_depl: null,
  palissy_web: null,
  palissy_mosa: null,
};

describe("edificeDisplayName", () => {
  it("falls back to « Édifice non renseigné » when the name is empty", () => {
    expect(edificeDisplayName(null, "Campan")).toBe("Édifice non renseigné");
    expect(edificeDisplayName("  ", "Campan")).toBe("Édifice non renseigné");
  });
  it("capitalises the first letter only", () => {
    expect(edificeDisplayName("église paroissiale Saint-Louvent", "Blaiserives")).toBe("Église paroissiale Saint-Louvent");
  });
  it("turns a bare « église » into « Une église de <commune> »", () => {
    expect(edificeDisplayName("église", "Campan")).toBe("Une église de Campan");
    expect(edificeDisplayName("Église", "Campan")).toBe("Une église de Campan");
    expect(edificeDisplayName("église", null)).toBe("Église");
  });
});

describe("objetTitle", () => {
  it("uses the editorial title, capitalised", () => {
    expect(objetTitle({ ...titleFields, palissy_tico: "verrière (baie 5)", palissy_deno: "verrière" })).toBe("Verrière (baie 5)");
  });
  it("falls back to the first dénomination with the centuries", () => {
    expect(objetTitle({ ...titleFields, palissy_deno: "autel;retable", palissy_scle: "17e siècle;18e siècle" })).toBe(
      "Autel, 17e siècle, 18e siècle",
    );
  });
  it("then to the catégorie, then to the REF", () => {
    expect(objetTitle({ ...titleFields, palissy_cate: "orfèvrerie" })).toBe("Orfèvrerie");
    expect(objetTitle({ ...titleFields, palissy_scle: "16e siècle" })).toBe("PM01000001, 16e siècle");
  });
});

describe("truncate", () => {
  it("keeps short texts", () => {
    expect(truncate("Statue de saint Martin")).toBe("Statue de saint Martin");
    expect(truncate("x".repeat(45))).toBe("x".repeat(45));
  });
  it("cuts at 45 characters on a word boundary, with an ellipsis", () => {
    const long = "Autel (maître-autel) avec retable, trois tableaux et leurs cadres, six panneaux peints";
    const short = truncate(long);
    expect(Array.from(short).length).toBeLessThanOrEqual(45);
    expect(short).toBe("Autel (maître-autel) avec retable, trois…");
  });
  it("cuts inside a long word when there is no space near the end", () => {
    expect(truncate("a".repeat(60), 10)).toBe(`${"a".repeat(9)}…`);
  });
});

describe("protection", () => {
  it("takes the type from PROT and the date of the last DPRO event", () => {
    expect(protection({ palissy_prot: "inscrit au titre objet", palissy_dpro: "2002/12/19 : inscrit au titre objet" })).toEqual({
      label: "Inscrit au titre objet",
      date: "19 décembre 2002",
    });
  });
  it("falls back to the last DPRO event when PROT is empty", () => {
    expect(
      protection({ palissy_prot: "", palissy_dpro: "1908/07/25 : inscrit au titre objet ; 1909/07/01 : classé au titre immeuble" }),
    ).toEqual({ label: "Classé au titre immeuble", date: "1er juillet 1909" });
  });
  it("returns null with no information", () => {
    expect(protection({ palissy_prot: null, palissy_dpro: null })).toBeNull();
  });
});

describe("protectionScope", () => {
  it("tells classé from inscrit, and excludes declassified objets", () => {
    expect(protectionScope("classé au titre objet")).toBe("classé");
    expect(protectionScope("inscrit au titre objet ; classé au titre objet")).toBe("classé");
    expect(protectionScope("inscrit au titre objet")).toBe("inscrit");
    expect(protectionScope("déclassé au titre objet")).toBeNull();
    expect(protectionScope("désinscrit")).toBeNull();
    expect(protectionScope("non protégé")).toBeNull();
    expect(protectionScope(null)).toBeNull();
  });
});

describe("formatPalissyDate", () => {
  it("formats full, partial and unknown dates", () => {
    expect(formatPalissyDate("1989")).toBe("1989");
    expect(formatPalissyDate("1989/03")).toBe("mars 1989");
    expect(formatPalissyDate("1989/03/05")).toBe("5 mars 1989");
    expect(formatPalissyDate("vers 1900")).toBe("vers 1900");
  });
});

describe("deplacementParagraph", () => {
  it("says nothing when WEB is empty", () => {
    expect(deplacementParagraph(lieu)).toBeNull();
  });
  it("describes a move when WEB and DEPL are set", () => {
    const paragraph = deplacementParagraph({
      ...lieu,
      palissy_web: "65200",
      palissy_depl: "Bagnères-de-Bigorre",
      palissy_mosa: "musée Salies ; PA00095400",
    });
    expect(paragraph?.title).toBe("Déplacement");
    expect(paragraph?.text).toContain("Musée Salies, Bagnères-de-Bigorre");
    expect(paragraph?.text).toBe(
      "Cet objet a été déplacé. Lieu d’origine\u00a0: Église Notre-Dame, Campan. Lieu actuel\u00a0: Musée Salies, Bagnères-de-Bigorre (code INSEE 65200).",
    );
  });
  it("describes a change of INSEE code when only WEB is set", () => {
    const paragraph = deplacementParagraph({ ...lieu, palissy_web: "65999" });
    expect(paragraph?.title).toBe("Changement de code INSEE");
    expect(paragraph?.text).toContain("65123 est devenu 65999");
  });
});

describe("groupByEdifice", () => {
  const objet = (id: number, edifice_id: number | null, edifice_nom: string | null, lieu_nom: string | null, tico: string) => ({
    ...titleFields,
    palissy_ref: `PM0100000${id}`,
    palissy_tico: tico,
    id,
    edifice_id,
    edifice_nom,
    lieu_actuel_edifice_nom: lieu_nom,
  });
  it("groups by édifice, biggest first, unnamed last, objets by title", () => {
    const groups = groupByEdifice(
      [
        objet(1, 1, "chapelle Sainte-Anne", null, "Cloche"),
        objet(2, 2, "église", null, "Tableau"),
        objet(3, 2, "église", null, "Calice"),
        objet(4, null, null, null, "Croix"),
        objet(5, null, "ignored", "Mairie", "Buste"),
        objet(6, 3, "", null, "Ange"),
      ],
      "Joinville",
    );
    expect(groups.map((group) => group.nom)).toEqual([
      "Une église de Joinville",
      "Chapelle Sainte-Anne",
      "Mairie",
      "Édifice non renseigné",
    ]);
    expect(groups[0]?.objets.map((o) => o.palissy_tico)).toEqual(["Calice", "Tableau"]);
    expect(groups.map((group) => group.anchor)).toEqual(["edifice-1", "edifice-2", "edifice-3", "edifice-4"]);
    expect(groups[3]?.objets.map((o) => o.palissy_tico)).toEqual(["Ange", "Croix"]);
  });
});

describe("small helpers", () => {
  it("pluralizes with a non-breaking space and French digits", () => {
    expect(pluralize(1, "objet", "objets")).toBe("1\u00a0objet");
    expect(pluralize(1200, "objet", "objets")).toBe("1\u202f200\u00a0objets");
  });
  it("builds the POP notice URL", () => {
    expect(popUrl("PM65001516")).toBe("https://pop.culture.gouv.fr/notice/palissy/PM65001516");
  });
  it("only lets https or local image URLs through", () => {
    expect(safeImageUrl("https://s3.eu-west-3.amazonaws.com/pop/x.jpg")).toBe("https://s3.eu-west-3.amazonaws.com/pop/x.jpg");
    expect(safeImageUrl("/assets/x.png")).toBe("/assets/x.png");
    expect(safeImageUrl("javascript:alert(1)")).toBeNull();
    expect(safeImageUrl("http://example.com/x.jpg")).toBeNull();
    expect(safeImageUrl("//evil.example/x.jpg")).toBeNull();
  });
});
