import { describe, expect, it } from "vitest";
import {
  annuaireRowScope,
  communeNomFromMairie,
  coordinatesFromAdresse,
  departementFromCodeInsee,
  edificeSlug,
  extractMerimeeRef,
  firstCodeInsee,
  firstEmail,
  isMairiePrincipale,
  lieuActuel,
  memoirePhotoUrl,
  palissyScopeReasons,
  parameterize,
  parseJsonCell,
  phoneFromTelephone,
  scopeMessage,
  type PalissyScopeFields,
} from "./rules.ts";

const inScope: PalissyScopeFields = {
  cog_insee: "01004",
  typologie_du_dossier: "dossier individuel",
  statut_juridique_de_l_objet: "",
  titre_editorial: "calice",
  statut_juridique_du_proprietaire: "propriété de la commune",
  date_et_typologie_de_la_protection: "1908/06/12 : classé au titre objet",
};

describe("Palissy scope rules", () => {
  it("keeps a complete, individual, communal, protected notice", () => {
    expect(palissyScopeReasons(inScope)).toEqual([]);
  });

  it("rule 1: a notice without INSEE code is out", () => {
    expect(palissyScopeReasons({ ...inScope, cog_insee: "" })).toEqual(["sans_code_insee"]);
    expect(palissyScopeReasons({ ...inScope, cog_insee: "  " })).toEqual(["sans_code_insee"]);
  });

  it("rule 2: only the five spellings of an individual dossier are in", () => {
    for (const doss of [
      "dossier individuel",
      "dossier avec sous-dossier",
      "individuel",
      "dossier indiviuel",
      "dossier avec sous-dossiers",
    ]) {
      expect(palissyScopeReasons({ ...inScope, typologie_du_dossier: doss })).toEqual([]);
    }
    for (const doss of ["sous-dossier", "", "Dossier individuel", "dossier collectif"]) {
      expect(palissyScopeReasons({ ...inScope, typologie_du_dossier: doss })).toEqual(["pas_dossier_individuel"]);
    }
  });

  it("rule 3: stolen or missing objets are out, exact values only", () => {
    expect(palissyScopeReasons({ ...inScope, statut_juridique_de_l_objet: "volé" })).toEqual(["manquant_ou_vole"]);
    expect(palissyScopeReasons({ ...inScope, statut_juridique_de_l_objet: "manquant" })).toEqual(["manquant_ou_vole"]);
    expect(palissyScopeReasons({ ...inScope, statut_juridique_de_l_objet: "manquant;volé" })).toEqual([]);
  });

  it("rule 4: a notice being written is out", () => {
    expect(palissyScopeReasons({ ...inScope, titre_editorial: "Traitement en cours" })).toEqual(["en_cours_de_traitement"]);
    expect(palissyScopeReasons({ ...inScope, titre_editorial: "traitement en cours" })).toEqual([]);
  });

  it("rule 5: State-owned objets are out, exact ASCII elements only", () => {
    expect(palissyScopeReasons({ ...inScope, statut_juridique_du_proprietaire: "propriété de l'Etat" })).toEqual(["propriete_de_l_etat"]);
    expect(
      palissyScopeReasons({ ...inScope, statut_juridique_du_proprietaire: "propriété de la commune;propriété de l'Etat (?)" }),
    ).toEqual(["propriete_de_l_etat"]);
    expect(palissyScopeReasons({ ...inScope, statut_juridique_du_proprietaire: "propriété de l'État" })).toEqual([]);
    expect(palissyScopeReasons({ ...inScope, statut_juridique_du_proprietaire: "propriété de la commune; propriété de l'Etat" })).toEqual(
      [],
    );
  });

  it("rule 6: only the last protection event counts for déclassé", () => {
    expect(
      palissyScopeReasons({ ...inScope, date_et_typologie_de_la_protection: "1910/05/02 : classé au titre objet ; 1933/02/24 : déclassé" }),
    ).toEqual(["declasse"]);
    expect(
      palissyScopeReasons({ ...inScope, date_et_typologie_de_la_protection: "1937/04/09 : déclassé ; 1911/09/30 : classé au titre objet" }),
    ).toEqual([]);
    expect(palissyScopeReasons({ ...inScope, date_et_typologie_de_la_protection: "1950 : déclassé au titre objet" })).toEqual(["declasse"]);
    expect(palissyScopeReasons({ ...inScope, date_et_typologie_de_la_protection: "" })).toEqual([]);
  });

  it("reports every failed rule in order, with the reference messages", () => {
    const reasons = palissyScopeReasons({ ...inScope, cog_insee: "", statut_juridique_du_proprietaire: "propriété de l'Etat" });
    expect(reasons).toEqual(["sans_code_insee", "propriete_de_l_etat"]);
    expect(scopeMessage(reasons)).toBe("la notice n’a pas de code INSEE, l’objet est propriété de l’État");
  });
});

describe("lieu actuel", () => {
  const base = {
    cog_insee: "01004",
    nom_de_l_edifice: "chapelle des Allymes",
    reference_a_une_notice_merimee_mh: "https://www.pop.culture.gouv.fr/notice/merimee/PA00113792",
    code_insee_commune_actuelle: "",
    lieu_de_deplacement_de_l_objet: "",
    edifice_actuel: "",
  };

  it("WEB blank: INSEE, EDIF and REFA, whatever DEPL and MOSA say", () => {
    expect(lieuActuel({ ...base, lieu_de_deplacement_de_l_objet: "ailleurs", edifice_actuel: "mosa-imgCHAM : Images" })).toEqual({
      cas: "origine",
      code_insee: "01004",
      departement_code: "01",
      edifice_nom: "chapelle des Allymes",
      edifice_ref: "PA00113792",
    });
  });

  it("WEB blank and several INSEE codes: the first one", () => {
    expect(lieuActuel({ ...base, cog_insee: "01004,01053" }).code_insee).toBe("01004");
  });

  it("WEB filled, DEPL blank: the commune changed code, the édifice stays", () => {
    expect(lieuActuel({ ...base, cog_insee: "01340", code_insee_commune_actuelle: "01015" })).toEqual({
      cas: "changement_de_code",
      code_insee: "01015",
      departement_code: "01",
      edifice_nom: "chapelle des Allymes",
      edifice_ref: "PA00113792",
    });
  });

  it("WEB and DEPL filled: moved, édifice from MOSA (never REFA)", () => {
    expect(
      lieuActuel({
        ...base,
        code_insee_commune_actuelle: "01384",
        lieu_de_deplacement_de_l_objet: "déposé",
        edifice_actuel: "église Saint-Rambert ; PA00116543",
      }),
    ).toEqual({
      cas: "deplacement",
      code_insee: "01384",
      departement_code: "01",
      edifice_nom: "église Saint-Rambert",
      edifice_ref: "PA00116543",
    });
    expect(
      lieuActuel({ ...base, code_insee_commune_actuelle: "01004", lieu_de_deplacement_de_l_objet: "mairie", edifice_actuel: "mairie" }),
    ).toEqual({
      cas: "deplacement",
      code_insee: "01004",
      departement_code: "01",
      edifice_nom: "mairie",
      edifice_ref: null,
    });
    expect(
      lieuActuel({ ...base, code_insee_commune_actuelle: "01004", lieu_de_deplacement_de_l_objet: "mairie", edifice_actuel: "" }),
    ).toMatchObject({
      edifice_nom: null,
      edifice_ref: null,
    });
  });

  it("no INSEE code at all: no lieu actuel", () => {
    expect(lieuActuel({ ...base, cog_insee: "" })).toMatchObject({ code_insee: null, departement_code: null });
  });

  it("département: 2 characters, 3 overseas, none unless 5 characters", () => {
    expect(departementFromCodeInsee("2A004")).toBe("2A");
    expect(departementFromCodeInsee("97105")).toBe("971");
    expect(departementFromCodeInsee("65123")).toBe("65");
    expect(departementFromCodeInsee("1004")).toBeNull();
  });
});

describe("Mérimée REF and INSEE cells", () => {
  it("takes the first PA REF, ignores IA refs", () => {
    expect(extractMerimeeRef("https://www.pop.culture.gouv.fr/notice/merimee/PA00113792")).toBe("PA00113792");
    expect(extractMerimeeRef("PA2A000001 ; PA00000002")).toBe("PA2A000001");
    expect(extractMerimeeRef("IA52000209")).toBeNull();
    expect(extractMerimeeRef("")).toBeNull();
  });

  it("keeps the first of several INSEE codes", () => {
    expect(firstCodeInsee("01004,01053")).toBe("01004");
    expect(firstCodeInsee("")).toBe("");
  });
});

describe("édifice slug", () => {
  it("parameterizes like Rails", () => {
    expect(parameterize("Église Saint-Étienne  (Œuvre)")).toBe("eglise-saint-etienne-oeuvre");
  });

  it("removes filler words once each, in order, without overlap", () => {
    expect(edificeSlug("église Notre-Dame-de-l'Assomption")).toBe("eglise-notre-dame-assomption");
    expect(edificeSlug("église paroissiale Saint-Luc")).toBe("eglise-saint-luc");
    expect(edificeSlug("église paroissiale de la Conception-de-la-Vierge")).toBe("eglise-conception-vierge");
    expect(edificeSlug("Église Saint-Jean")).toBe(edificeSlug("eglise Saint Jean"));
    expect(edificeSlug("chapelle des Allymes")).toBe("chapelle-des-allymes");
    expect(edificeSlug("a la la b")).toBe("a-la-b");
    expect(edificeSlug("église Saints-Pierre-et-Paul du Bourg")).toBe("eglise-saints-pierre-paul-bourg");
    expect(edificeSlug(null)).toBe("");
    expect(edificeSlug("   ")).toBe("");
  });
});

describe("annuaire rows", () => {
  const pivot = [{ type_service_local: "mairie", code_insee_commune: ["01004"] }];

  it("keeps main town halls only", () => {
    expect(annuaireRowScope({ code_insee_commune: "01004", nom: "Mairie - Ambérieu-en-Bugey", pivot })).toBeNull();
    expect(annuaireRowScope({ code_insee_commune: "", nom: "Mairie - Sans code", pivot })).toBe("sans_code_insee");
    expect(annuaireRowScope({ code_insee_commune: "64445", nom: "Conseil départemental", pivot: [{ type_service_local: "cg" }] })).toBe(
      "pas_une_mairie",
    );
    expect(
      annuaireRowScope({
        code_insee_commune: "97701",
        nom: "Mairie",
        pivot: [{ type_service_local: "cg" }, { type_service_local: "mairie" }],
      }),
    ).toBe("pas_une_mairie");
    expect(annuaireRowScope({ code_insee_commune: "01004", nom: "Mairie", pivot: null })).toBe("pas_une_mairie");
    for (const nom of [
      "Mairie déléguée - Blaiserives",
      "Mairie annexe - Joinville",
      "Mairie - Saint-Malo - annexe Saint-Servan",
      "Bureau annexe de la mairie - Pau",
      "Mairie - Lyon - antenne Vaise",
    ]) {
      expect(isMairiePrincipale(nom)).toBe(false);
      expect(annuaireRowScope({ code_insee_commune: "01004", nom, pivot })).toBe("pas_une_mairie_principale");
    }
  });

  it("cleans names, phones, e-mails and coordinates", () => {
    expect(communeNomFromMairie("Mairie - Campan")).toBe("Campan");
    expect(communeNomFromMairie("Mairie -Campan ")).toBe("Campan");
    expect(phoneFromTelephone([{ valeur: "04 00 00 00 01", description: "" }])).toBe("04 00 00 00 01");
    expect(phoneFromTelephone([{ valeur: "f", description: "" }])).toBeNull();
    expect(phoneFromTelephone([{ valeur: " ", description: "" }])).toBeNull();
    expect(phoneFromTelephone(null)).toBeNull();
    expect(firstEmail("accueil@campan.example.org;secretariat@campan.example.org")).toBe("accueil@campan.example.org");
    expect(firstEmail("")).toBeNull();
    expect(
      coordinatesFromAdresse([
        { latitude: "", longitude: "" },
        { latitude: "45.95", longitude: "5.36" },
      ]),
    ).toEqual({ latitude: 45.95, longitude: 5.36 });
    expect(coordinatesFromAdresse([{ latitude: "123", longitude: "5" }])).toBeNull();
    expect(parseJsonCell("[1]")).toEqual([1]);
    expect(parseJsonCell("{broken")).toBeNull();
    expect(parseJsonCell("")).toBeNull();
  });
});

describe("Mémoire photo URL", () => {
  it("joins base and path with a single slash", () => {
    expect(memoirePhotoUrl("https://cdn.example.org/", "memoire/A/a.jpg")).toBe("https://cdn.example.org/memoire/A/a.jpg");
    expect(memoirePhotoUrl("https://cdn.example.org", "/memoire/A/a.jpg")).toBe("https://cdn.example.org/memoire/A/a.jpg");
  });
});
