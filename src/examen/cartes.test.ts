import { describe, expect, it } from "vitest";
import {
  BADGE_A_EXAMINER,
  BADGE_DISPARU,
  BADGE_EXAMINE,
  BADGE_PERIL,
  BADGE_PHOTOS_MANQUANTES,
  BADGE_PRIORITAIRE,
  ordreDesCartes,
  presentationCarte,
  rangAlerte,
  TAG_PAS_RECENSE,
  type CarteObjet,
  type RecensementCarte,
} from "./cartes.ts";

let sequence = 0;
function recensement(overrides: Partial<RecensementCarte> = {}): RecensementCarte {
  sequence += 1;
  return {
    id: sequence,
    status: "completed",
    localisation: "edifice_initial",
    etat_sanitaire: "bon",
    analyse_etat_sanitaire: null,
    analysed_at: null,
    recensable: true,
    photos_count: 2,
    ...overrides,
  };
}

function carte(ref: string, r: RecensementCarte | null): CarteObjet {
  return { palissy_ref: ref, recensement: r };
}

const refs = (cartes: CarteObjet[]) => cartes.map((c) => c.palissy_ref);

describe("order of the objet cards within an édifice", () => {
  it("puts en péril first, then disparus, then the others, not recensed included", () => {
    const cartes = [
      carte("bon", recensement()),
      carte("pas-recense", null),
      carte("disparu", recensement({ localisation: "absent", etat_sanitaire: null, recensable: false })),
      carte("peril", recensement({ etat_sanitaire: "peril" })),
    ];
    expect(refs(ordreDesCartes(cartes, true))).toEqual(["peril", "disparu", "bon", "pas-recense"]);
  });

  it("counts the conservateur's override: an objet corrected to péril moves up, one corrected from péril moves down", () => {
    const cartes = [
      carte("corrige-bon", recensement({ etat_sanitaire: "peril", analyse_etat_sanitaire: "bon", analysed_at: new Date() })),
      carte("corrige-peril", recensement({ etat_sanitaire: "moyen", analyse_etat_sanitaire: "peril", analysed_at: new Date() })),
    ];
    expect(refs(ordreDesCartes(cartes, true))).toEqual(["corrige-peril", "corrige-bon"]);
    expect(rangAlerte(cartes[0]!.recensement)).toBe(2);
  });

  it("shows the objets not examined yet before the examined ones, these by date of examen", () => {
    const cartes = [
      carte("examine-tard", recensement({ etat_sanitaire: "peril", analysed_at: new Date("2025-03-10T10:00:00Z") })),
      carte("examine-tot", recensement({ etat_sanitaire: "peril", analysed_at: new Date("2025-03-01T10:00:00Z") })),
      carte("a-examiner", recensement({ etat_sanitaire: "peril" })),
      carte("bon-examine", recensement({ analysed_at: new Date("2025-02-01T10:00:00Z") })),
      carte("bon-a-examiner", recensement()),
    ];
    expect(refs(ordreDesCartes(cartes, true))).toEqual(["a-examiner", "examine-tot", "examine-tard", "bon-a-examiner", "bon-examine"]);
  });

  it("keeps the incoming order (by title) between equal cards, and entirely without a dossier", () => {
    const cartes = [carte("b", recensement({ etat_sanitaire: "peril" })), carte("a", null), carte("c", recensement())];
    expect(refs(ordreDesCartes(cartes, false))).toEqual(["b", "a", "c"]);
    expect(refs(ordreDesCartes([carte("z", null), carte("y", null), carte("x", recensement())], true))).toEqual(["z", "y", "x"]);
  });
});

describe("badges, tag and link of a card", () => {
  it("offers the examen of a completed recensement of a sent dossier, badge by priority and progress", () => {
    const peril = recensement({ etat_sanitaire: "peril" });
    expect(presentationCarte("submitted", carte("PM01", peril))).toEqual({
      examen: BADGE_PRIORITAIRE,
      alertes: [BADGE_PERIL],
      tag: null,
      href: `/conservateurs/recensements/${peril.id}/examen`,
    });
    expect(presentationCarte("submitted", carte("PM01", recensement())).examen).toEqual(BADGE_A_EXAMINER);
    expect(presentationCarte("submitted", carte("PM01", recensement({ analysed_at: new Date() }))).examen).toEqual(BADGE_EXAMINE);
    expect(presentationCarte("accepted", carte("PM01", recensement({ analysed_at: new Date() }))).examen).toEqual(BADGE_EXAMINE);
  });

  it("a disparu objet is prioritaire and flagged DISPARU, without a photo warning", () => {
    const disparu = recensement({ localisation: "absent", etat_sanitaire: null, recensable: false, photos_count: 0 });
    const vue = presentationCarte("submitted", carte("PM02", disparu));
    expect(vue.examen).toEqual(BADGE_PRIORITAIRE);
    expect(vue.alertes).toEqual([BADGE_DISPARU]);
  });

  it("warns of missing photos on a completed, recensable recensement without any", () => {
    expect(presentationCarte("submitted", carte("PM03", recensement({ photos_count: 0 }))).alertes).toEqual([BADGE_PHOTOS_MANQUANTES]);
    expect(presentationCarte("submitted", carte("PM03", recensement({ photos_count: 0, recensable: false }))).alertes).toEqual([]);
    expect(presentationCarte("construction", carte("PM03", recensement({ status: "draft", photos_count: 0 }))).alertes).toEqual([]);
  });

  it("links to the public objet page, without examen badge, while the dossier is not sent or the objet not recensed", () => {
    const enCours = presentationCarte("construction", carte("PM04", recensement({ etat_sanitaire: "peril" })));
    expect(enCours).toEqual({ examen: null, alertes: [BADGE_PERIL], tag: null, href: "/objets/PM04" });
    const brouillon = presentationCarte("submitted", carte("PM05", recensement({ status: "draft" })));
    expect(brouillon).toMatchObject({ examen: null, tag: TAG_PAS_RECENSE, href: "/objets/PM05" });
    expect(presentationCarte(null, carte("PM06", null))).toEqual({ examen: null, alertes: [], tag: TAG_PAS_RECENSE, href: "/objets/PM06" });
  });
});
