import { describe, expect, it } from "vitest";
import {
  categorieCarte,
  contourApproximatif,
  COULEURS_CARTE,
  enveloppeConvexe,
  geojsonCarte,
  phraseObjetsEnPeril,
  projectionPlan,
  type CommunePourCarte,
  type Position,
} from "./carte-rules.ts";

/** Twice the signed area of a ring: positive when counter-clockwise. */
function aireSignee(anneau: readonly Position[]): number {
  let aire = 0;
  for (let i = 0; i < anneau.length; i++) {
    const [x1, y1] = anneau[i]!;
    const [x2, y2] = anneau[(i + 1) % anneau.length]!;
    aire += x1 * y2 - x2 * y1;
  }
  return aire;
}

/** Point inside (or on the edge of) a convex counter-clockwise ring. */
function dansConvexe(anneau: readonly Position[], [x, y]: Position): boolean {
  for (let i = 0; i < anneau.length; i++) {
    const [x1, y1] = anneau[i]!;
    const [x2, y2] = anneau[(i + 1) % anneau.length]!;
    if ((x2 - x1) * (y - y1) - (y2 - y1) * (x - x1) < -1e-12) return false;
  }
  return true;
}

describe("map colours", () => {
  it("follows the commune's progress: inactive grey, started blue-violet, sent green, sent with objets en péril orange", () => {
    expect(categorieCarte(0, 0)).toBe("inactif");
    expect(categorieCarte(0, 3)).toBe("inactif");
    expect(categorieCarte(1, 2)).toBe("commence");
    for (const statut of [2, 3, 4, 5]) {
      expect(categorieCarte(statut, 0)).toBe("transmis");
      expect(categorieCarte(statut, 1)).toBe("peril");
    }
    expect(new Set(Object.values(COULEURS_CARTE)).size).toBe(4);
  });

  it("keeps every colour at 3:1 at least against the white background", () => {
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => {
        const c = parseInt(hex.slice(i, i + 2), 16) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    for (const couleur of Object.values(COULEURS_CARTE)) {
      expect(1.05 / (luminance(couleur) + 0.05)).toBeGreaterThanOrEqual(3);
    }
  });

  it("says how many objets are en péril out of how many, in French", () => {
    expect(phraseObjetsEnPeril(0, 1)).toBe("0 objets en péril sur 1 objet");
    expect(phraseObjetsEnPeril(1, 12)).toBe("1 objet en péril sur 12 objets");
    expect(phraseObjetsEnPeril(3, 4)).toBe("3 objets en péril sur 4 objets");
  });
});

describe("convex hull", () => {
  it("keeps the outer points only, counter-clockwise, whatever the order of the input", () => {
    const carre: Position[] = [
      [0, 0],
      [2, 0],
      [2, 2],
      [0, 2],
    ];
    const interieurs: Position[] = [
      [1, 1],
      [0.5, 1.5],
      [1, 0], // on an edge: not a corner
    ];
    const hull = enveloppeConvexe([...interieurs, ...carre].reverse());
    expect(hull).toHaveLength(4);
    expect(new Set(hull.map((p) => p.join(",")))).toEqual(new Set(carre.map((p) => p.join(","))));
    expect(aireSignee(hull)).toBeGreaterThan(0);
  });

  it("contains every input point, on random clouds", () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    for (let essai = 0; essai < 20; essai++) {
      const points: Position[] = Array.from({ length: 5 + essai * 10 }, () => [-3 + random(), 47.8 + random() * 0.5]);
      const hull = enveloppeConvexe(points);
      expect(hull.length).toBeGreaterThanOrEqual(3);
      expect(aireSignee(hull)).toBeGreaterThan(0);
      for (const point of points) expect(dansConvexe(hull, point)).toBe(true);
    }
  });

  it("has no area for fewer than 3 distinct points or collinear ones", () => {
    expect(enveloppeConvexe([])).toEqual([]);
    expect(
      enveloppeConvexe([
        [1, 1],
        [1, 1],
        [1, 1],
      ]),
    ).toEqual([[1, 1]]);
    expect(
      enveloppeConvexe([
        [0, 0],
        [1, 1],
        [2, 2],
      ]),
    ).toHaveLength(2);
  });
});

describe("approximate outline", () => {
  it("is the closed hull of the mairie points when they enclose an area", () => {
    const contour = contourApproximatif(
      [
        [-3, 47.5],
        [-2, 47.5],
        [-2.5, 48],
        [-2.5, 47.7],
      ],
      null,
    );
    expect(contour?.methode).toBe("enveloppe_convexe");
    expect(contour?.anneau).toHaveLength(4);
    expect(contour?.anneau[0]).toEqual(contour?.anneau[3]);
  });

  it("falls back to the box of the points and of the département's recorded extent", () => {
    const contour = contourApproximatif([[-2.5, 47.7]], { north: 48, south: 47.5, east: -2, west: -3 });
    expect(contour?.methode).toBe("emprise");
    expect(contour?.anneau).toHaveLength(5);
    const lons = contour!.anneau.map((p) => p[0]);
    const lats = contour!.anneau.map((p) => p[1]);
    expect(Math.min(...lons)).toBeLessThan(-3);
    expect(Math.max(...lons)).toBeGreaterThan(-2);
    expect(Math.min(...lats)).toBeLessThan(47.5);
    expect(Math.max(...lats)).toBeGreaterThan(48);
    // A single point still gets a small area around it.
    const seul = contourApproximatif([[-2.5, 47.7]], null);
    expect(seul?.methode).toBe("emprise");
    expect(aireSignee(seul!.anneau.slice(0, -1))).toBeGreaterThan(0);
    expect(contourApproximatif([], null)).toBeNull();
  });
});

describe("plan projection", () => {
  const emprise = { north: 48.2, south: 47.3, east: -2.0, west: -3.7 };

  it("puts the extent's corners at the margins, north up, and keeps proportions with cos(latitude)", () => {
    const projection = projectionPlan(emprise, 1000, 20);
    const nordOuest = projection.projeter([emprise.west, emprise.north]);
    const sudEst = projection.projeter([emprise.east, emprise.south]);
    expect(nordOuest.x).toBeCloseTo(20, 0);
    expect(sudEst.x).toBeCloseTo(980, 0);
    expect(nordOuest.y).toBeLessThan(sudEst.y);
    const largeur = sudEst.x - nordOuest.x;
    const hauteur = sudEst.y - nordOuest.y;
    const kx = Math.cos((47.75 * Math.PI) / 180);
    expect(hauteur / largeur).toBeCloseTo(0.9 / (1.7 * kx), 2);
    expect(projection.hauteur).toBeCloseTo(hauteur + 40, 0);
  });

  it("keeps every point of the extent inside the viewBox, even a very tall or a zero-size extent", () => {
    for (const e of [emprise, { north: 49, south: 47, east: 7.6, west: 7.5 }, { north: 47.7, south: 47.7, east: -2.5, west: -2.5 }]) {
      const projection = projectionPlan(e);
      for (const lon of [e.west, (e.west + e.east) / 2, e.east]) {
        for (const lat of [e.south, (e.south + e.north) / 2, e.north]) {
          const { x, y } = projection.projeter([lon, lat]);
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(projection.largeur);
          expect(y).toBeGreaterThanOrEqual(0);
          expect(y).toBeLessThanOrEqual(projection.hauteur);
        }
      }
    }
    const point = projectionPlan({ north: 47.7, south: 47.7, east: -2.5, west: -2.5 });
    expect(point.projeter([-2.5, 47.7])).toEqual({ x: point.largeur / 2, y: point.hauteur / 2 });
  });
});

describe("GeoJSON of the map", () => {
  const commune = (overrides: Partial<CommunePourCarte>): CommunePourCarte => ({
    code_insee: "56001",
    nom: "Commune",
    latitude: 47.7,
    longitude: -2.8,
    statut_global: 0,
    en_peril_count: 0,
    disparus_count: 0,
    objets_count: 1,
    ...overrides,
  });

  it("puts the outline first, then one point per placed commune, and lists the others apart", () => {
    const geojson = geojsonCarte(
      [
        commune({ code_insee: "56001", statut_global: 3, en_peril_count: 2, objets_count: 5 }),
        commune({ code_insee: "56002", latitude: null, longitude: null, statut_global: 1 }),
      ],
      [
        [-2.8, 47.7],
        [-3, 47.5],
        [-2.5, 47.9],
      ],
      null,
    );
    expect(geojson.features.map((f) => f.properties.type)).toEqual(["contour", "commune"]);
    expect(geojson.features[1]?.properties).toMatchObject({ categorie: "peril", couleur: COULEURS_CARTE.peril, en_peril: 2, objets: 5 });
    expect(geojson.communes_sans_coordonnees).toEqual([
      expect.objectContaining({ code_insee: "56002", categorie: "commence", statut_label: "En cours de recensement" }),
    ]);
    const [west, south, east, north] = geojson.bbox!;
    expect([west, south, east, north]).toEqual([-3, 47.5, -2.5, 47.9]);
  });
});
