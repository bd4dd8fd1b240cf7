import { describe, expect, it } from "vitest";
import {
  lireDate,
  lireFiltresTableau,
  lirePeriode,
  motsRecherche,
  ordreSql,
  pagesAffichees,
  periodeParDefaut,
  phraseCampagne,
  phraseObjetsProteges,
  pourcentage,
  statutsDuFiltre,
  triSuivant,
  urlTableau,
} from "./rules.ts";

describe("communes table query string", () => {
  it("defaults to the dossiers to examine, sorted by péril, page 1", () => {
    expect(lireFiltresTableau({}, undefined)).toEqual({
      statut: "a-examiner",
      statutExplicite: false,
      q: "",
      tri: "peril",
      sens: "desc",
      triExplicite: false,
      page: 1,
    });
    expect(statutsDuFiltre("a-examiner")).toEqual([2, 3, 4]);
    expect(statutsDuFiltre("tous")).toBeNull();
    expect(statutsDuFiltre("5")).toEqual([5]);
  });

  it("applies the remembered statut when the URL has none, and the URL's otherwise", () => {
    expect(lireFiltresTableau({}, "tous").statut).toBe("tous");
    expect(lireFiltresTableau({ statut: "1" }, "tous")).toMatchObject({ statut: "1", statutExplicite: true });
    expect(lireFiltresTableau({}, "n'importe quoi").statut).toBe("a-examiner");
  });

  it("falls back to the defaults on malformed values, arrays included", () => {
    const bad = lireFiltresTableau({ statut: ["1", "2"], tri: "drop table", ordre: "sideways", page: "-3", q: ["a"] }, undefined);
    expect(bad).toMatchObject({ statut: "a-examiner", statutExplicite: false, tri: "peril", sens: "desc", page: 1, q: "" });
    expect(lireFiltresTableau({ page: "0" }, undefined).page).toBe(1);
    expect(lireFiltresTableau({ page: "1e3" }, undefined).page).toBe(1);
    expect(lireFiltresTableau({ page: "99999" }, undefined).page).toBe(10_000);
    expect(lireFiltresTableau({ q: `  ${"x".repeat(300)} ` }, undefined).q).toHaveLength(100);
  });

  it("gives each column its first direction and reverses the current one", () => {
    expect(lireFiltresTableau({ tri: "commune" }, undefined)).toMatchObject({ tri: "commune", sens: "asc", triExplicite: true });
    expect(lireFiltresTableau({ tri: "activite" }, undefined).sens).toBe("desc");
    expect(triSuivant({ tri: "commune", sens: "asc" }, "commune")).toBe("desc");
    expect(triSuivant({ tri: "commune", sens: "desc" }, "commune")).toBe("asc");
    expect(triSuivant({ tri: "commune", sens: "asc" }, "objets")).toBe("desc");
  });

  it("sorts by the column, the other alert count for péril and disparus, then the name", () => {
    expect(ordreSql("peril", "desc")).toEqual([
      { cle: "en_peril_count", sens: "desc" },
      { cle: "disparus_count", sens: "desc" },
      { cle: "nom", sens: "asc" },
    ]);
    expect(ordreSql("disparus", "asc")).toEqual([
      { cle: "disparus_count", sens: "asc" },
      { cle: "en_peril_count", sens: "asc" },
      { cle: "nom", sens: "asc" },
    ]);
    expect(ordreSql("commune", "desc")).toEqual([{ cle: "nom", sens: "desc" }]);
    expect(ordreSql("examen", "asc")).toEqual([
      { cle: "statut_global", sens: "asc" },
      { cle: "nom", sens: "asc" },
    ]);
  });

  it("searches word by word, whatever the punctuation", () => {
    expect(motsRecherche("saint-anne")).toEqual(["saint", "anne"]);
    expect(motsRecherche(" Sainte-Anne-d’Auray ")).toEqual(["Sainte", "Anne", "d", "Auray"]);
    expect(motsRecherche("%_\\")).toEqual([]);
  });

  it("builds URLs that keep the filters and leave the default sort out", () => {
    const filtres = lireFiltresTableau({ q: "Saint é" }, undefined);
    expect(urlTableau("2A", filtres)).toBe("/conservateurs/departements/2A?statut=a-examiner&q=Saint+%C3%A9");
    expect(urlTableau("01", { ...filtres, q: "", tri: "objets", sens: "asc", triExplicite: true, page: 3 })).toBe(
      "/conservateurs/departements/01?statut=a-examiner&tri=objets&ordre=asc&page=3",
    );
  });

  it("shows the first, last and neighbouring pages with ellipses", () => {
    expect(pagesAffichees(1, 1)).toEqual([1]);
    expect(pagesAffichees(1, 4)).toEqual([1, 2, 3, 4]);
    expect(pagesAffichees(10, 20)).toEqual([1, null, 8, 9, 10, 11, 12, null, 20]);
    expect(pagesAffichees(20, 20)).toEqual([1, null, 18, 19, 20]);
  });
});

describe("activity period", () => {
  it("defaults to the Monday of last week until today, in Paris", () => {
    // Wednesday 12 March 2025, 23:30 UTC = Thursday 13 March in Paris.
    expect(periodeParDefaut(new Date("2025-03-12T23:30:00Z"))).toEqual({ du: "2025-03-03", au: "2025-03-13" });
    // A Monday: the Monday of the week before.
    expect(periodeParDefaut(new Date("2025-03-10T10:00:00Z"))).toEqual({ du: "2025-03-03", au: "2025-03-10" });
    // A Sunday, across the end of a year.
    expect(periodeParDefaut(new Date("2025-01-05T10:00:00Z"))).toEqual({ du: "2024-12-23", au: "2025-01-05" });
  });

  it("reads ISO and French dates and refuses impossible ones", () => {
    expect(lireDate("2025-02-28")).toBe("2025-02-28");
    expect(lireDate("3/4/2025")).toBe("2025-04-03");
    expect(lireDate("2025-02-30")).toBeNull();
    expect(lireDate("1850-01-01")).toBeNull();
    expect(lireDate("hier")).toBeNull();
  });

  it("explains a wrong or inverted period in French", () => {
    const now = new Date("2025-03-12T10:00:00Z");
    expect(lirePeriode({}, now)).toEqual({ ok: true, periode: { du: "2025-03-03", au: "2025-03-12" } });
    expect(lirePeriode({ du: "2025-01-01" }, now)).toEqual({ ok: true, periode: { du: "2025-01-01", au: "2025-03-12" } });
    const wrong = lirePeriode({ du: "31/02/2025", au: "2025-03-01" }, now);
    expect(wrong).toMatchObject({ ok: false, erreurs: { du: expect.stringContaining("pas une date valide") as string } });
    const inverted = lirePeriode({ du: "2025-03-10", au: "2025-03-01" }, now);
    expect(inverted).toMatchObject({ ok: false, erreurs: { au: "La date de fin doit être le même jour que la date de début ou après." } });
    expect(lirePeriode({ du: ["2025-01-01"] }, now)).toMatchObject({ ok: false });
  });
});

describe("texts", () => {
  it("says where the campaign stands", () => {
    expect(phraseCampagne(null)).toBe("Aucune campagne n’est en cours dans ce département.");
    expect(phraseCampagne({ status: "ongoing", date_lancement: "2025-03-03" })).toBe("Une campagne est en cours dans ce département.");
    expect(phraseCampagne({ status: "planned", date_lancement: "2025-04-01" })).toBe(
      "Une campagne est planifiée pour commencer le 1 avril 2025.",
    );
    expect(phraseCampagne({ status: "draft", date_lancement: "2025-04-01" })).toBe("Une campagne est en brouillon pour ce département.");
  });

  it("counts objets and communes in French", () => {
    expect(phraseObjetsProteges(1, 1)).toBe("1 objet protégé dans 1 commune");
    expect(phraseObjetsProteges(0, 0)).toBe("0 objet protégé dans 0 commune");
    expect(phraseObjetsProteges(1234, 56)).toBe("1\u202f234 objets protégés dans 56 communes");
    expect(pourcentage(1, 3)).toBe(33);
    expect(pourcentage(5, 0)).toBe(0);
  });
});
