import { describe, expect, it } from "vitest";
import {
  anneeRecolement,
  categoriesDe,
  clesCategorie,
  cumulerParSemaine,
  estVuRecemment,
  formatCsv,
  libelleSiecle,
  lirePage,
  lundiDe,
  regrouperRepartitions,
  siecleRetenu,
  sieclesDe,
} from "./rules.ts";

describe("analysis rules", () => {
  it("reads the centuries named in palissy_scle and counts an objet under the earliest", () => {
    expect(sieclesDe("1er quart 17e siècle;18e siècle")).toEqual([17, 18]);
    expect(sieclesDe("4e quart 15e siècle")).toEqual([15]);
    expect(sieclesDe("2e moitié 19e siècle ; 19e siècle")).toEqual([19]);
    expect(sieclesDe("1er siècle")).toEqual([1]);
    expect(sieclesDe(null)).toEqual([]);
    expect(sieclesDe("vers 1650")).toEqual([]);
    expect(siecleRetenu("18e siècle;1er quart 17e siècle")).toBe(17);
    expect(siecleRetenu("")).toBeNull();
    expect(libelleSiecle(17)).toBe("17e siècle");
    expect(libelleSiecle(1)).toBe("1er siècle");
    expect(libelleSiecle(null)).toBe("Siècle non renseigné");
  });

  it("splits palissy_cate on semicolons, trimmed and lowercased, each catégorie once", () => {
    expect(categoriesDe("menuiserie;sculpture")).toEqual(["menuiserie", "sculpture"]);
    expect(categoriesDe("Menuiserie ; Sculpture ; menuiserie")).toEqual(["menuiserie", "sculpture"]);
    expect(categoriesDe(" ; ")).toEqual([]);
    expect(clesCategorie(null)).toEqual(["catégorie non renseignée"]);
  });

  it("counts an objet with two catégories in each of them", () => {
    const groupes = regrouperRepartitions(
      [
        { valeur: "menuiserie;sculpture", etat: "peril", securite: "en_danger", n: 1 },
        { valeur: "sculpture", etat: "bon", securite: "en_securite", n: 2 },
        { valeur: "orfèvrerie", etat: "disparu", securite: null, n: 1 },
      ],
      clesCategorie,
    );
    expect(groupes.map((g) => [g.cle, g.repartition.total])).toEqual([
      ["sculpture", 3],
      ["menuiserie", 1],
      ["orfèvrerie", 1],
    ]);
    const sculpture = groupes[0]!.repartition;
    expect(sculpture.etats).toMatchObject({ bon: 2, peril: 1, disparu: 0 });
    expect(sculpture.securite).toEqual({ en_securite: 2, en_danger: 1, inconnu: 0 });
    // A disparu objet has no security.
    expect(groupes[2]!.repartition.securite).toEqual({ en_securite: 0, en_danger: 0, inconnu: 0 });
  });

  it("keeps the latest plausible year of the date du récolement and ignores typos", () => {
    expect(anneeRecolement("2007/03/15", 2026)).toBe(2007);
    expect(anneeRecolement("20022", 2026)).toBeNull();
    expect(anneeRecolement("récolé en 1998 puis en 2021", 2026)).toBe(2021);
    expect(anneeRecolement("2030", 2026)).toBeNull();
    expect(anneeRecolement("1850", 2026)).toBeNull();
    expect(anneeRecolement(null, 2026)).toBeNull();
  });

  it("sees an objet recensed here or récolé in the last five years", () => {
    const maintenant = new Date("2026-11-27T12:00:00Z");
    expect(estVuRecemment({ dernier_recensement: new Date("2022-01-01"), palissy_denq: null }, maintenant)).toBe(true);
    expect(estVuRecemment({ dernier_recensement: new Date("2021-11-01"), palissy_denq: null }, maintenant)).toBe(false);
    expect(estVuRecemment({ dernier_recensement: null, palissy_denq: "2021/01/10" }, maintenant)).toBe(true);
    expect(estVuRecemment({ dernier_recensement: null, palissy_denq: "2020/12/31" }, maintenant)).toBe(false);
    expect(estVuRecemment({ dernier_recensement: null, palissy_denq: "20022" }, maintenant)).toBe(false);
  });

  it("buckets weeks on Mondays and keeps running totals, earlier weeks included", () => {
    expect(lundiDe("2026-11-27")).toBe("2026-11-23");
    expect(lundiDe("2026-11-23")).toBe("2026-11-23");
    expect(lundiDe("2026-11-22")).toBe("2026-11-16");
    const semaines = cumulerParSemaine(
      [
        { etape: "contactees", semaine: "2026-01-05", n: 4 },
        { etape: "contactees", semaine: "2026-11-09", n: 2 },
        { etape: "envoyees", semaine: "2026-11-23", n: 1 },
      ],
      "2026-11-27",
      3,
    );
    expect(semaines).toEqual([
      { semaine: "2026-11-09", contactees: 6, commencees: 0, envoyees: 0, examinees: 0 },
      { semaine: "2026-11-16", contactees: 6, commencees: 0, envoyees: 0, examinees: 0 },
      { semaine: "2026-11-23", contactees: 6, commencees: 0, envoyees: 1, examinees: 0 },
    ]);
  });

  it("writes CSV for French spreadsheets", () => {
    expect(
      formatCsv(
        ["Catégorie", "Part (%)"],
        [
          ["menuiserie; bois", 12.345],
          ['dit "le grand"', null],
          ["x", 3],
        ],
      ),
    ).toBe('\uFEFFCatégorie;Part (%)\r\n"menuiserie; bois";12,3\r\n"dit ""le grand""";\r\nx;3\r\n');
  });

  it("reads the page number, 1 when missing or invalid", () => {
    expect(lirePage({ page: "3" })).toBe(3);
    expect(lirePage({ page: "0" })).toBe(1);
    expect(lirePage({ page: "abc" })).toBe(1);
    expect(lirePage(undefined)).toBe(1);
  });
});
