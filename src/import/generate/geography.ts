import { createRequire } from "node:module";
import { departementCodeOf } from "../../patrimoine/departements-reference.ts";

const require = createRequire(import.meta.url);

type DecoupageCommune = {
  code: string;
  nom: string;
  type: string;
  departement?: string;
  region?: string;
  population?: number;
  siren?: string;
  codesPostaux?: string[];
  anciensCodes?: string[];
  chefLieu?: string;
};
type DecoupageNamed = { code: string; nom: string; region?: string };

export type Commune = {
  code: string;
  nom: string;
  departement: string;
  population: number;
  siren: string;
  codePostal: string;
  anciensCodes: readonly string[];
  /** 0-based position of the commune in its département, by code (stable: used to build Mérimée REFs). */
  rang: number;
};

export type CommuneDeleguee = { code: string; nom: string; chefLieu: string };

export type Departement = { code: string; nom: string; region: string; regionCode: string };

export type Geography = {
  /** Communes actuelles of the 101 départements the service covers, sorted by code. */
  communes: readonly Commune[];
  /** Every commune actuelle of the COG (COM included): the annuaire has a mairie for each. */
  toutesCommunes: readonly Commune[];
  deleguees: readonly CommuneDeleguee[];
  departements: ReadonlyMap<string, Departement>;
  communesParDepartement: ReadonlyMap<string, readonly Commune[]>;
  communeParCode: ReadonlyMap<string, Commune>;
};

/**
 * Approximate bounding boxes (south, north, west, east; WGS84 degrees, rounded to 0.01°) of the 101
 * départements, from the public `departements-bounds.csv` of the reference app (Licence Ouverte).
 * decoupage-administratif has no coordinates; a point drawn in the central part of its département's box is
 * plausible for a map, although near coasts and borders it may fall outside the real outline.
 */
const BOUNDING_BOXES =
  "01:45.61,46.52,4.73,6.17 02:48.84,50.07,2.96,4.25 03:45.93,46.80,2.28,4.01 04:43.67,44.66,5.50,6.97 " +
  "05:44.19,45.13,5.42,7.08 06:43.48,44.36,6.64,7.72 07:44.26,45.37,3.86,4.89 08:49.23,50.17,4.03,5.39 " +
  "09:42.57,43.32,0.83,2.18 10:47.92,48.72,3.39,4.86 11:42.65,43.46,1.69,3.24 12:43.69,44.94,1.84,3.45 " +
  "13:43.16,43.92,4.23,5.81 14:48.75,49.43,-1.16,0.45 15:44.62,45.48,2.06,3.37 16:45.19,46.14,-0.46,0.95 " +
  "17:45.09,46.37,-1.56,0.01 18:46.42,47.63,1.77,3.08 19:44.92,45.76,1.23,2.53 2A:41.36,42.38,8.54,9.41 " +
  "2B:41.83,43.01,8.57,9.56 21:46.90,48.03,4.07,5.52 22:48.04,48.87,-3.66,-1.91 23:45.66,46.45,1.37,2.61 " +
  "24:44.57,45.71,-0.04,1.45 25:46.55,47.58,5.70,7.06 26:44.12,45.34,4.65,5.83 27:48.67,49.49,0.30,1.80 " +
  "28:47.95,48.94,0.76,1.99 29:47.76,48.75,-5.14,-3.39 30:43.46,44.46,3.26,4.85 31:42.69,43.92,0.44,2.05 " +
  "32:43.31,44.08,-0.28,1.20 33:44.19,45.57,-1.26,0.32 34:43.21,43.97,2.54,4.19 35:47.63,48.70,-2.29,-1.02 " +
  "36:46.35,47.28,0.87,2.20 37:46.74,47.71,0.05,1.37 38:44.70,45.88,4.74,6.36 39:46.26,47.31,5.25,6.20 " +
  "40:43.49,44.53,-1.52,0.14 41:47.19,48.13,0.58,2.25 42:45.23,46.28,3.69,4.76 43:44.74,45.43,3.08,4.49 " +
  "44:46.86,47.83,-2.56,-0.95 45:47.48,48.34,1.51,3.13 46:44.20,45.05,0.98,2.21 47:43.97,44.76,-0.14,1.08 " +
  "48:44.11,44.97,2.98,4.00 49:46.97,47.81,-1.35,0.23 50:48.46,49.73,-1.95,-0.74 51:48.52,49.41,3.40,5.04 " +
  "52:47.58,48.69,4.63,5.89 53:47.73,48.57,-1.24,-0.05 54:48.35,49.56,5.43,7.12 55:48.41,49.62,4.89,5.85 " +
  "56:47.28,48.21,-3.73,-2.04 57:48.53,49.51,5.89,7.64 58:46.65,47.59,2.85,4.23 59:49.97,51.09,2.07,4.23 " +
  "60:49.06,49.76,1.69,3.16 61:48.18,48.97,-0.86,0.98 62:50.02,51.01,1.56,3.19 63:45.29,46.26,2.39,3.98 " +
  "64:42.78,43.60,-1.79,0.03 65:42.67,43.61,-0.33,0.65 66:42.33,42.92,1.73,3.17 67:48.12,49.08,6.94,8.23 " +
  "68:47.42,48.31,6.84,7.62 69:45.46,46.30,4.24,5.16 70:47.25,48.02,5.37,6.82 71:46.16,47.16,3.62,5.46 " +
  "72:47.57,48.48,-0.45,0.91 73:45.05,45.94,5.62,7.18 74:45.68,46.41,5.81,7.04 75:48.82,48.90,2.22,2.47 " +
  "76:49.25,50.07,0.07,1.79 77:48.12,49.12,2.39,3.56 78:48.44,49.08,1.45,2.23 79:45.97,47.11,-0.89,0.22 " +
  "80:49.57,50.37,1.38,3.20 81:43.38,44.20,1.54,2.94 82:43.77,44.39,0.74,2.00 83:42.98,43.81,5.66,6.93 " +
  "84:43.66,44.43,4.65,5.76 85:46.27,47.08,-2.40,-0.54 86:46.05,47.18,-0.10,1.21 87:45.44,46.40,0.63,1.91 " +
  "88:47.81,48.51,5.39,7.20 89:47.31,48.40,2.85,4.34 90:47.43,47.82,6.76,7.14 91:48.28,48.78,1.91,2.59 " +
  "92:48.73,48.95,2.15,2.34 93:48.81,49.01,2.29,2.60 94:48.69,48.86,2.31,2.61 95:48.91,49.23,1.61,2.59 " +
  "971:15.64,16.71,-62.02,-60.79 972:14.22,15.08,-61.44,-60.60 973:2.11,5.78,-54.60,-51.63 " +
  "974:-21.39,-20.87,55.22,55.84 976:-13.27,-12.38,44.74,45.51";

export type BoundingBox = { south: number; north: number; west: number; east: number };

export const boundingBoxes: ReadonlyMap<string, BoundingBox> = new Map(
  BOUNDING_BOXES.split(" ").map((entry) => {
    const [code = "", values = ""] = entry.split(":");
    const [south = 0, north = 0, west = 0, east = 0] = values.split(",").map(Number);
    return [code, { south, north, west, east }];
  }),
);

/** Share of each side of the box kept around its centre: inner points are more often inside the outline. */
const INNER_SHARE = 0.7;

/** Deterministic mairie coordinates for a commune, from two uniform numbers in [0, 1). */
export function coordinatesIn(departement: string, u: number, v: number): { latitude: number; longitude: number } | undefined {
  const box = boundingBoxes.get(departement);
  if (!box) return undefined;
  const margin = (1 - INNER_SHARE) / 2;
  return {
    latitude: box.south + (box.north - box.south) * (margin + INNER_SHARE * u),
    longitude: box.west + (box.east - box.west) * (margin + INNER_SHARE * v),
  };
}

let cached: Geography | undefined;

export function loadGeography(): Geography {
  if (cached) return cached;
  const raw = require("@etalab/decoupage-administratif/data/communes.json") as DecoupageCommune[];
  const departementsRaw = require("@etalab/decoupage-administratif/data/departements.json") as DecoupageNamed[];
  const regions = new Map((require("@etalab/decoupage-administratif/data/regions.json") as DecoupageNamed[]).map((r) => [r.code, r.nom]));
  const departements = new Map<string, Departement>();
  for (const d of departementsRaw) {
    if (boundingBoxes.has(d.code))
      departements.set(d.code, { code: d.code, nom: d.nom, region: regions.get(d.region ?? "") ?? "", regionCode: d.region ?? "" });
  }

  const actuelles = raw.filter((c) => c.type === "commune-actuelle").sort((a, b) => compare(a.code, b.code));
  const rangs = new Map<string, number>();
  const toutesCommunes: Commune[] = actuelles.map((c) => {
    const departement = c.departement ?? departementCodeOf(c.code);
    const rang = rangs.get(departement) ?? 0;
    rangs.set(departement, rang + 1);
    return {
      code: c.code,
      nom: c.nom,
      departement,
      population: c.population ?? 0,
      siren: c.siren ?? "",
      codePostal: c.codesPostaux?.[0] ?? "",
      anciensCodes: c.anciensCodes ?? [],
      rang,
    };
  });
  const communes = toutesCommunes.filter((c) => departements.has(c.departement));
  const communesParDepartement = new Map<string, Commune[]>();
  for (const commune of communes) {
    const list = communesParDepartement.get(commune.departement) ?? [];
    list.push(commune);
    communesParDepartement.set(commune.departement, list);
  }
  const deleguees = raw
    .filter((c) => c.type === "commune-deleguee" && c.chefLieu)
    .map((c) => ({ code: c.code, nom: c.nom, chefLieu: c.chefLieu ?? "" }))
    .sort((a, b) => compare(a.code, b.code) || compare(a.nom, b.nom));
  cached = {
    communes,
    toutesCommunes,
    deleguees,
    departements,
    communesParDepartement,
    communeParCode: new Map(toutesCommunes.map((c) => [c.code, c])),
  };
  return cached;
}

/** Code-point order, independent of the locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
