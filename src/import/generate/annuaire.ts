import { ANNUAIRE_COLUMNS, type AnnuaireColumn } from "./columns.ts";
import type { CsvWriter } from "./csv-writer.ts";
import { departementCodeOf } from "../../patrimoine/departements-reference.ts";
import { withoutAccents } from "./edifices.ts";
import { coordinatesIn, type Commune, type Geography } from "./geography.ts";
import { createRandom, deriveSeed, type Random } from "./random.ts";
import type { AnnuaireScopeReason } from "../rules.ts";

/** Role of a generated annuaire row, and so what the communes sync (IMPORT-NOTES §6) must do with it. */
type Role = "principale" | "non_principale" | "autre_pivot" | "pivot_mairie_en_second" | "sans_code";

/** What the annuaire import must report on a database holding the generated in-scope objets. */
export type AnnuaireCounts = {
  read: number;
  /** Communes kept (and, on an empty database, created): one mairie principale and at least one objet. */
  in_scope: number;
  /** Rows left out by row rule; `plusieurs_mairies_principales` counts rows, `sans_objet` codes (one row each). */
  out_of_scope: Record<AnnuaireScopeReason, number>;
  /** Kept communes whose mairie has an e-mail, hence a commune account. */
  users: number;
  /** Communes with objets but no usable mairie: their objets stay orphans. */
  communes_avec_objets_sans_mairie: number;
};

const DUPLICATED_CODES = 50;
const PIVOT_MAIRIE_EN_SECOND_CODES = 10;
const ROWS_WITHOUT_CODE = 20;
const ANNEXE_RATE = 0.01;
/** ≈5,000 offices of other kinds next to the 35k mairies, as in the real export. */
const OTHER_PIVOT_RATE = 5_000 / 34_969;
const OTHER_PIVOTS = [
  ["ccas", "Centre communal d'action sociale"],
  ["gendarmerie", "Brigade de gendarmerie"],
  ["epci", "Communauté de communes"],
  ["sie", "Service des impôts des entreprises"],
  ["cg", "Conseil départemental"],
  ["la_poste", "Agence postale communale"],
] as const;
const COLUMN_INDEX = new Map<AnnuaireColumn, number>(ANNUAIRE_COLUMNS.map((column, index) => [column, index]));

/**
 * Phone numbers come from the ranges ARCEP reserves for fiction (01 99 00, 02 61 91, 03 53 01, 04 65 71,
 * 05 36 49), so no generated number can reach a real town hall.
 */
const FICTION_PHONE_PREFIX: Record<string, string> = {
  "11": "01 99 00",
  "24": "02 61 91",
  "28": "02 61 91",
  "52": "02 61 91",
  "53": "02 61 91",
  "27": "03 53 01",
  "32": "03 53 01",
  "44": "03 53 01",
  "84": "04 65 71",
  "93": "04 65 71",
  "94": "04 65 71",
};

export async function writeAnnuaire(
  writer: CsvWriter,
  geography: Geography,
  seed: number,
  communesWithObjets: ReadonlySet<string>,
): Promise<AnnuaireCounts> {
  const random = createRandom(deriveSeed(seed, "annuaire"));
  const withObjets = geography.communes.filter((c) => communesWithObjets.has(c.code));
  const withoutObjets = geography.communes.filter((c) => !communesWithObjets.has(c.code));
  // Some of the codes with two mairies principales hold objets, so the rule changes what gets imported.
  const duplicatedWithObjets = Math.min(25, Math.ceil(withObjets.length * 0.01));
  const duplicated = new Set(
    [...sample(withObjets, duplicatedWithObjets, random), ...sample(withoutObjets, DUPLICATED_CODES - duplicatedWithObjets, random)].map(
      (c) => c.code,
    ),
  );
  const secondPivotWithObjets = Math.min(2, withObjets.length);
  const mairieEnSecond = new Set(
    [
      ...sample(
        withObjets.filter((c) => !duplicated.has(c.code)),
        secondPivotWithObjets,
        random,
      ),
      ...sample(
        withoutObjets.filter((c) => !duplicated.has(c.code)),
        PIVOT_MAIRIE_EN_SECOND_CODES - secondPivotWithObjets,
        random,
      ),
    ].map((c) => c.code),
  );
  const delegueesByChefLieu = new Map<string, { code: string; nom: string }[]>();
  for (const deleguee of geography.deleguees) {
    const list = delegueesByChefLieu.get(deleguee.chefLieu) ?? [];
    list.push(deleguee);
    delegueesByChefLieu.set(deleguee.chefLieu, list);
  }

  const counts: AnnuaireCounts = {
    read: 0,
    in_scope: 0,
    out_of_scope: {
      sans_code_insee: 0,
      code_insee_invalide: 0,
      pas_une_mairie: 0,
      pas_une_mairie_principale: 0,
      plusieurs_mairies_principales: 0,
      sans_objet: 0,
    },
    users: 0,
    communes_avec_objets_sans_mairie: 0,
  };
  const principales = new Map<string, { rows: number; email: boolean }>();

  const emit = async (role: Role, fields: Partial<Record<AnnuaireColumn, string>>): Promise<void> => {
    const record = new Array<string>(ANNUAIRE_COLUMNS.length).fill("");
    record[COLUMN_INDEX.get("id") ?? 0] = uuid(random);
    record[COLUMN_INDEX.get("categorie") ?? 0] = "SL";
    record[COLUMN_INDEX.get("statut_de_diffusion") ?? 0] = "true";
    record[COLUMN_INDEX.get("date_modification") ?? 0] =
      `${pad2(random.int(1, 28))}/${pad2(random.int(1, 12))}/${random.int(2019, 2025)} ${pad2(random.int(7, 19))}:${pad2(random.int(0, 59))}:00`;
    for (const [column, value] of Object.entries(fields)) record[COLUMN_INDEX.get(column as AnnuaireColumn) ?? 0] = value ?? "";
    await writer.write(record);
    counts.read += 1;
    const code = fields.code_insee_commune ?? "";
    if (role === "sans_code") counts.out_of_scope.sans_code_insee += 1;
    else if (role === "autre_pivot" || role === "pivot_mairie_en_second") counts.out_of_scope.pas_une_mairie += 1;
    else if (role === "non_principale") counts.out_of_scope.pas_une_mairie_principale += 1;
    else if (!geography.departements.has(departementCodeOf(code))) counts.out_of_scope.code_insee_invalide += 1;
    else {
      const entry = principales.get(code) ?? { rows: 0, email: false };
      entry.rows += 1;
      entry.email = (fields.adresse_courriel ?? "") !== "";
      principales.set(code, entry);
    }
  };

  const mairie = (
    commune: Commune,
    nom: string,
    pivots: readonly string[],
    sequence: number,
    withContact: boolean,
  ): Partial<Record<AnnuaireColumn, string>> => {
    const fields: Partial<Record<AnnuaireColumn, string>> = {
      nom,
      pivot: jsonText(pivots.map((type) => ({ type_service_local: type, code_insee_commune: [commune.code] }))),
      code_insee_commune: commune.code,
      adresse: adresse(commune, seed),
      siren: commune.siren,
      ancien_code_pivot: `${pivots[0]}-${commune.code}-${pad2(sequence)}`,
    };
    if (!withContact) return fields;
    const phone = random.next();
    if (phone >= 0.02) fields.telephone = jsonText([{ valeur: phoneNumber(geography, commune, random), description: "" }]);
    else if (phone >= 0.01) fields.telephone = jsonText([{ valeur: "f", description: "" }]);
    const email = random.next();
    const domain = `${slug(commune.nom)}-${commune.code.toLowerCase()}.example.org`;
    if (email >= 0.08) fields.adresse_courriel = `mairie@${domain}`;
    else if (email >= 0.05) fields.adresse_courriel = `accueil@${domain};secretariat@${domain}`;
    if (random.chance(0.2)) fields.site_internet = jsonText([{ valeur: `https://www.${domain}`, libelle: "" }]);
    return fields;
  };

  for (const commune of geography.toutesCommunes) {
    if (mairieEnSecond.has(commune.code)) {
      await emit("pivot_mairie_en_second", mairie(commune, `Mairie - ${commune.nom}`, ["cg", "mairie"], 1, true));
    } else {
      await emit("principale", mairie(commune, `Mairie - ${commune.nom}`, ["mairie"], 1, true));
    }
    if (duplicated.has(commune.code))
      await emit("principale", mairie(commune, `Mairie - ${commune.nom} (Hôtel de ville)`, ["mairie"], 2, true));
    if (random.chance(ANNEXE_RATE)) {
      const nom = random.pick([
        `Mairie annexe - ${commune.nom}`,
        `Mairie - ${commune.nom} - annexe du Bourg`,
        `Mairie - ${commune.nom} - antenne de quartier`,
        `Bureau annexe de la mairie - ${commune.nom}`,
      ]);
      await emit("non_principale", mairie(commune, nom, ["mairie"], 3, false));
    }
    for (const deleguee of delegueesByChefLieu.get(commune.code) ?? []) {
      const fields = mairie(
        { ...commune, code: deleguee.code, nom: deleguee.nom },
        `Mairie déléguée - ${deleguee.nom}`,
        ["mairie"],
        4,
        random.chance(0.5),
      );
      await emit("non_principale", fields);
    }
    if (random.chance(OTHER_PIVOT_RATE)) {
      const [type, label] = random.pick(OTHER_PIVOTS);
      await emit("autre_pivot", mairie(commune, `${label} - ${commune.nom}`, [type], 1, true));
    }
  }
  for (let i = 1; i <= ROWS_WITHOUT_CODE; i++) {
    await emit("sans_code", {
      nom: `Mairie - Lieu-dit sans code ${i}`,
      pivot: jsonText([{ type_service_local: "mairie", code_insee_commune: [] }]),
      adresse_courriel: `lieu-dit-${i}@example.org`,
    });
  }

  for (const [code, entry] of principales) {
    if (entry.rows > 1) {
      counts.out_of_scope.plusieurs_mairies_principales += entry.rows;
    } else if (!communesWithObjets.has(code)) {
      counts.out_of_scope.sans_objet += 1;
    } else {
      counts.in_scope += 1;
      if (entry.email) counts.users += 1;
    }
  }
  for (const code of communesWithObjets) {
    const entry = principales.get(code);
    if (!entry || entry.rows !== 1) counts.communes_avec_objets_sans_mairie += 1;
  }
  return counts;
}

/** Mairie coordinates: a stable point per commune inside its département (see `coordinatesIn`). */
export function communeCoordinates(seed: number, commune: Commune): { latitude: number; longitude: number } | undefined {
  const random = createRandom(deriveSeed(seed, "coordonnees", commune.code));
  return coordinatesIn(commune.departement, random.next(), random.next());
}

function adresse(commune: Commune, seed: number): string {
  const point = communeCoordinates(seed, commune);
  const longitude = point ? point.longitude.toFixed(6) : "";
  const latitude = point ? point.latitude.toFixed(6) : "";
  return (
    `[{"type_adresse": "Adresse", "complement1": "", "complement2": "", "numero_voie": "1 place de la Mairie", ` +
    `"service_distribution": "", "code_postal": "${commune.codePostal}", "nom_commune": ${JSON.stringify(commune.nom)}, ` +
    `"pays": "", "continent": "", "longitude": "${longitude}", "latitude": "${latitude}", "accessibilite": "", "note_accessibilite": ""}]`
  );
}

function phoneNumber(geography: Geography, commune: Commune, random: Random): string {
  const region = geography.departements.get(commune.departement)?.regionCode ?? "";
  return `${FICTION_PHONE_PREFIX[region] ?? "05 36 49"} ${pad2(random.int(0, 99))} ${pad2(random.int(0, 99))}`;
}

/** JSON as the annuaire export writes it inside a cell: Python-style `", "` and `": "` separators. */
function jsonText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jsonText).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}: ${jsonText(item)}`)
      .join(", ")}}`;
  }
  return JSON.stringify(value);
}

function sample<T>(items: readonly T[], count: number, random: Random): T[] {
  const pool = [...items];
  const picked: T[] = [];
  while (picked.length < count && pool.length > 0) {
    const index = Math.floor(random.next() * pool.length);
    picked.push(pool[index] as T);
    pool[index] = pool[pool.length - 1] as T;
    pool.pop();
  }
  return picked;
}

function uuid(random: Random): string {
  let hex = "";
  for (let i = 0; i < 8; i++)
    hex += Math.floor(random.next() * 0x10000)
      .toString(16)
      .padStart(4, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function slug(text: string): string {
  return withoutAccents(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function pad2(value: number): string {
  return String(value).padStart(2, "0");
}
