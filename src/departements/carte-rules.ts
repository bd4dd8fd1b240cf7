/**
 * Rules of the département map (RB §5.3 "Vue carte"): which colour a commune gets, how its mairie point
 * is placed on the server-drawn plan, and the approximate outline of the département. No contours of
 * communes or départements are available offline: the outline is the convex hull of the communes'
 * mairie points, or their bounding box when they are too few to enclose an area.
 */
import { STATUT_GLOBAL, STATUT_GLOBAL_LABELS, type StatutGlobal } from "../dossier/rules.ts";

/** The four colours of the map, from the commune's statut global and its objets en péril. */
export type CategorieCarte = "peril" | "transmis" | "commence" | "inactif";

export const CATEGORIES_CARTE: readonly CategorieCarte[] = ["peril", "transmis", "commence", "inactif"];

/**
 * Colours contrast at least 3:1 with the white background (WCAG 1.4.11, graphical objects): DSFR
 * warning 425, success 425, blue-france 525 and grey 425.
 */
export const COULEURS_CARTE: Record<CategorieCarte, string> = {
  peril: "#b34000",
  transmis: "#18753c",
  commence: "#6a6af4",
  inactif: "#6f6f6f",
};

export const LEGENDE_CARTE: Record<CategorieCarte, string> = {
  peril: "Dossier transmis avec au moins un objet en péril",
  transmis: "Dossier transmis",
  commence: "Recensement commencé",
  inactif: "Recensement pas commencé",
};

/** Statut global ≥ 2 means the dossier was sent (completed commune); 1 = started; 0 = inactive. */
export function categorieCarte(statutGlobal: number, enPerilCount: number): CategorieCarte {
  if (statutGlobal <= STATUT_GLOBAL.nonRecense) return "inactif";
  if (statutGlobal === STATUT_GLOBAL.enCoursDeRecensement) return "commence";
  return enPerilCount > 0 ? "peril" : "transmis";
}

export function libelleStatutGlobal(statutGlobal: number): string {
  return STATUT_GLOBAL_LABELS[statutGlobal as StatutGlobal] ?? STATUT_GLOBAL_LABELS[0];
}

/** DSFR badge modifier of a statut global (RB §3.6 colours). */
export function badgeStatutGlobal(statutGlobal: number): string {
  switch (statutGlobal) {
    case STATUT_GLOBAL.examine:
      return "fr-badge--success";
    case STATUT_GLOBAL.aExaminerEnPriorite:
      return "fr-badge--warning";
    case STATUT_GLOBAL.aExaminer:
    case STATUT_GLOBAL.enCoursDExamen:
      return "fr-badge--info";
    case STATUT_GLOBAL.enCoursDeRecensement:
      return "fr-badge--new";
    default:
      return "";
  }
}

export function phraseObjetsEnPeril(enPeril: number, objets: number): string {
  const peril = enPeril === 1 ? "1 objet en péril" : `${enPeril} objets en péril`;
  return `${peril} sur ${objets === 1 ? "1 objet" : `${objets} objets`}`;
}

/** Longitude, latitude (GeoJSON order). */
export type Position = readonly [number, number];

export type Emprise = { north: number; south: number; east: number; west: number };

export function empriseDesPoints(points: readonly Position[]): Emprise | null {
  if (points.length === 0) return null;
  let north = -Infinity;
  let south = Infinity;
  let east = -Infinity;
  let west = Infinity;
  for (const [lon, lat] of points) {
    north = Math.max(north, lat);
    south = Math.min(south, lat);
    east = Math.max(east, lon);
    west = Math.min(west, lon);
  }
  return { north, south, east, west };
}

/** Smallest box holding both (either may be missing). */
export function unionEmprises(a: Emprise | null, b: Emprise | null): Emprise | null {
  if (!a) return b;
  if (!b) return a;
  return {
    north: Math.max(a.north, b.north),
    south: Math.min(a.south, b.south),
    east: Math.max(a.east, b.east),
    west: Math.min(a.west, b.west),
  };
}

function cross(o: Position, a: Position, b: Position): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

/**
 * Convex hull (Andrew's monotone chain), counter-clockwise, without repeating the first point; fewer
 * than 3 points when the input is empty, a single point or collinear.
 */
export function enveloppeConvexe(points: readonly Position[]): Position[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const unique = sorted.filter((p, i) => i === 0 || p[0] !== sorted[i - 1]![0] || p[1] !== sorted[i - 1]![1]);
  if (unique.length < 3) return unique;
  const lower: Position[] = [];
  for (const p of unique) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Position[] = [];
  for (const p of [...unique].reverse()) {
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

export type Contour = {
  /** Closed ring (first point repeated last), counter-clockwise, as a GeoJSON Polygon wants it. */
  anneau: Position[];
  methode: "enveloppe_convexe" | "emprise";
};

/** Margin added around a box outline so that a single point or a line still draws an area (degrees). */
const MARGE_EMPRISE = 0.02;

/**
 * Approximate outline of the département: hull of the points when they enclose an area, else the box
 * of the points and of the département's recorded bounding box; null when nothing is known.
 */
export function contourApproximatif(points: readonly Position[], empriseDepartement: Emprise | null): Contour | null {
  const hull = enveloppeConvexe(points);
  if (hull.length >= 3) return { anneau: [...hull, hull[0]!], methode: "enveloppe_convexe" };
  const emprise = unionEmprises(empriseDesPoints(points), empriseDepartement);
  if (!emprise) return null;
  const north = emprise.north + MARGE_EMPRISE;
  const south = emprise.south - MARGE_EMPRISE;
  const east = emprise.east + MARGE_EMPRISE;
  const west = emprise.west - MARGE_EMPRISE;
  return {
    anneau: [
      [west, south],
      [east, south],
      [east, north],
      [west, north],
      [west, south],
    ],
    methode: "emprise",
  };
}

/** Pixel frame of the server-drawn plan. */
export type Cadre = { largeur: number; hauteur: number; marge: number };

export type Projection = {
  /** viewBox width and height, margins included. */
  largeur: number;
  hauteur: number;
  projeter(position: Position): { x: number; y: number };
};

const LARGEUR_PLAN = 1000;
const MARGE_PLAN = 24;
/** A département wider than tall would otherwise give a flat strip; a tall one a needle. */
const RAPPORT_MIN = 0.4;
const RAPPORT_MAX = 1.6;

/**
 * Equirectangular projection of an extent into an SVG viewBox of fixed width: longitudes are shrunk by
 * cos(latitude at the middle of the extent) so that shapes keep their proportions at French latitudes;
 * north is up. The height follows the extent's proportions (bounded); the extent is centred.
 */
export function projectionPlan(emprise: Emprise, largeur = LARGEUR_PLAN, marge = MARGE_PLAN): Projection {
  const latMilieu = (emprise.north + emprise.south) / 2;
  const kx = Math.cos((latMilieu * Math.PI) / 180);
  // A single point (or a line) has no extent: give it a small one so the scale stays finite.
  const largeurGeo = Math.max((emprise.east - emprise.west) * kx, 0.01);
  const hauteurGeo = Math.max(emprise.north - emprise.south, 0.01);
  const utile = largeur - 2 * marge;
  const rapport = Math.min(Math.max(hauteurGeo / largeurGeo, RAPPORT_MIN), RAPPORT_MAX);
  const hauteurUtile = utile * rapport;
  const echelle = Math.min(utile / largeurGeo, hauteurUtile / hauteurGeo);
  const decalageX = marge + (utile - largeurGeo * echelle) / 2;
  const decalageY = marge + (hauteurUtile - hauteurGeo * echelle) / 2;
  const lonMilieu = (emprise.east + emprise.west) / 2;
  return {
    largeur,
    hauteur: Math.round(hauteurUtile + 2 * marge),
    projeter([lon, lat]) {
      // Measured from the middle so that a degenerate (zero-width) extent stays centred.
      const x = decalageX + (largeurGeo / 2 + (lon - lonMilieu) * kx) * echelle;
      const y = decalageY + (hauteurGeo / 2 - (lat - latMilieu)) * echelle;
      return { x: Math.round(x * 10) / 10, y: Math.round(y * 10) / 10 };
    },
  };
}

/** What the GeoJSON and the page need of a commune (see carte-repository.ts). */
export type CommunePourCarte = {
  code_insee: string;
  nom: string;
  latitude: number | null;
  longitude: number | null;
  statut_global: number;
  en_peril_count: number;
  disparus_count: number;
  objets_count: number;
};

export type ProprietesCommune = {
  type: "commune";
  code_insee: string;
  nom: string;
  statut: number;
  statut_label: string;
  /** DSFR badge modifier of the statut global. */
  statut_badge: string;
  categorie: CategorieCarte;
  categorie_label: string;
  en_peril: number;
  disparus: number;
  objets: number;
  couleur: string;
  /** Drawing order: communes with objets en péril on top. */
  rang: number;
};

export type ProprietesContour = { type: "contour"; approximatif: true; methode: Contour["methode"]; libelle: string };

export type PointCommune = { type: "Feature"; geometry: { type: "Point"; coordinates: [number, number] }; properties: ProprietesCommune };
export type PolygoneContour = {
  type: "Feature";
  geometry: { type: "Polygon"; coordinates: [number, number][][] };
  properties: ProprietesContour;
};

export type GeojsonCarte = {
  type: "FeatureCollection";
  features: (PointCommune | PolygoneContour)[];
  /** Foreign members: the communes the map cannot place, and the extent to show. */
  communes_sans_coordonnees: Omit<ProprietesCommune, "type" | "rang">[];
  bbox?: [number, number, number, number];
};

const RANG: Record<CategorieCarte, number> = { inactif: 0, commence: 1, transmis: 2, peril: 3 };

export function proprietesCommune(commune: CommunePourCarte): ProprietesCommune {
  const categorie = categorieCarte(commune.statut_global, commune.en_peril_count);
  return {
    type: "commune",
    code_insee: commune.code_insee,
    nom: commune.nom,
    statut: commune.statut_global,
    statut_label: libelleStatutGlobal(commune.statut_global),
    statut_badge: badgeStatutGlobal(commune.statut_global),
    categorie,
    categorie_label: LEGENDE_CARTE[categorie],
    en_peril: commune.en_peril_count,
    disparus: commune.disparus_count,
    objets: commune.objets_count,
    couleur: COULEURS_CARTE[categorie],
    rang: RANG[categorie],
  };
}

export const LIBELLE_CONTOUR = "Contour approximatif du département (d’après la position des mairies)";

/**
 * The map's data: one point per commune with objets and coordinates, plus the approximate outline
 * (first, so that it is drawn under the points). The communes without coordinates travel alongside.
 */
export function geojsonCarte(
  communes: readonly CommunePourCarte[],
  pointsContour: readonly Position[],
  empriseDepartement: Emprise | null,
): GeojsonCarte {
  const features: GeojsonCarte["features"] = [];
  const contour = contourApproximatif(pointsContour, empriseDepartement);
  if (contour) {
    features.push({
      type: "Feature",
      geometry: { type: "Polygon", coordinates: [contour.anneau.map(([lon, lat]) => [lon, lat])] },
      properties: { type: "contour", approximatif: true, methode: contour.methode, libelle: LIBELLE_CONTOUR },
    });
  }
  const sansCoordonnees: GeojsonCarte["communes_sans_coordonnees"] = [];
  const places: Position[] = [];
  for (const commune of communes) {
    const properties = proprietesCommune(commune);
    if (commune.latitude === null || commune.longitude === null) {
      const { type: _type, rang: _rang, ...reste } = properties;
      sansCoordonnees.push(reste);
      continue;
    }
    places.push([commune.longitude, commune.latitude]);
    features.push({ type: "Feature", geometry: { type: "Point", coordinates: [commune.longitude, commune.latitude] }, properties });
  }
  const emprise = unionEmprises(empriseDesPoints([...places, ...(contour?.anneau ?? [])]), empriseDepartement);
  return {
    type: "FeatureCollection",
    ...(emprise ? { bbox: [emprise.west, emprise.south, emprise.east, emprise.north] as [number, number, number, number] } : {}),
    features,
    communes_sans_coordonnees: sansCoordonnees,
  };
}
