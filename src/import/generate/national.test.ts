import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse";
import { parse as parseSync } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  PALISSY_SCOPE_RULES,
  edificeSlug,
  firstPivotIsMairie,
  isMairiePrincipale,
  lieuActuel,
  palissyScopeReasons,
  parseJsonCell,
} from "../rules.ts";
import { parseGenerateArguments } from "./cli.ts";
import { ANNUAIRE_COLUMNS, MEMOIRE_COLUMNS, MERIMEE_COLUMNS, PALISSY_COLUMNS } from "./columns.ts";
import { boundingBoxes } from "./geography.ts";
import { FILES, generateNational, type ExpectedCounts } from "./national.ts";
import { ROW_KINDS } from "./plan.ts";

const SCALE = 0.01;
const SHARED_DATA_DIR = process.env.CO_SHARED_DATA_DIR ?? "../shared/data";

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "co-generate-"));
}

function sha1(file: string): string {
  return crypto.createHash("sha1").update(fs.readFileSync(file)).digest("hex");
}

async function* records(file: string, delimiter: string): AsyncGenerator<Record<string, string>> {
  yield* fs.createReadStream(file).pipe(parse({ delimiter, columns: true, relax_quotes: false }));
}

describe("co generate national", () => {
  const first = tempDir();
  const second = tempDir();
  const otherSeed = tempDir();
  let expected: ExpectedCounts;

  beforeAll(async () => {
    expected = await generateNational({ out: first, seed: 7, scale: SCALE });
    await generateNational({ out: second, seed: 7, scale: SCALE });
    await generateNational({ out: otherSeed, seed: 8, scale: SCALE });
  }, 120_000);
  afterAll(() => {
    for (const dir of [first, second, otherSeed]) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("gives the same bytes for the same seed and scale, other bytes for another seed", () => {
    for (const name of Object.values(FILES)) {
      expect(sha1(path.join(second, name)), name).toBe(sha1(path.join(first, name)));
      expect(sha1(path.join(otherSeed, name)), name).not.toBe(sha1(path.join(first, name)));
    }
  });

  it("writes the real export formats: UTF-8 without BOM, CRLF, `;` (`,` for Mémoire), header labels", () => {
    const headers: [string, readonly string[], string][] = [
      [FILES.palissy, PALISSY_COLUMNS, ";"],
      [FILES.merimee, MERIMEE_COLUMNS, ";"],
      [FILES.annuaire, ANNUAIRE_COLUMNS, ";"],
      [FILES.memoire, MEMOIRE_COLUMNS, ","],
    ];
    for (const [name, columns, delimiter] of headers) {
      const head = fs.readFileSync(path.join(first, name)).subarray(0, 4096);
      expect(head[0], name).not.toBe(0xef);
      const firstLine = head.toString("utf8").split("\r\n")[0];
      expect(firstLine, name).toBe(columns.join(delimiter));
    }
    expect(PALISSY_COLUMNS).toHaveLength(82);
    expect(MERIMEE_COLUMNS).toHaveLength(76);
  });

  it("uses the labels of the real Palissy and Mérimée exports", (context) => {
    const columnsFile = path.join(SHARED_DATA_DIR, "palissy-columns.csv");
    if (!fs.existsSync(columnsFile)) {
      console.log(`Test sauté : ${columnsFile} absent (CO_SHARED_DATA_DIR).`);
      context.skip();
    }
    const dictionary = parseSync<{ position: string; export_label: string }>(fs.readFileSync(columnsFile), {
      delimiter: ";",
      columns: true,
    });
    expect(PALISSY_COLUMNS).toEqual(dictionary.sort((a, b) => Number(a.position) - Number(b.position)).map((c) => c.export_label));
    const merimeeHeader = fs.readFileSync(path.join(SHARED_DATA_DIR, "merimee-sample.csv"), "utf8").split(/\r?\n/)[0];
    expect(MERIMEE_COLUMNS.join(";")).toBe(merimeeHeader);
    const annuaireHeader = fs.readFileSync(path.join(SHARED_DATA_DIR, "annuaire-mairies-sample.csv"), "utf8").split(/\r?\n/)[0];
    expect(ANNUAIRE_COLUMNS.join(";")).toBe(annuaireHeader);
  });

  it("parses back as well-formed CSV, with quoted multi-line cells, and every row meets its intended rule", async () => {
    let rows = 0;
    let multiLine = 0;
    let inScope = 0;
    const outOfScope: Record<string, number> = {};
    const slugsByEdificeName = new Map<string, Set<string>>();
    for await (const record of records(path.join(first, FILES.palissy), ";")) {
      rows += 1;
      expect(Object.keys(record)).toHaveLength(82);
      if (Object.values(record).some((value) => value.includes("\n"))) multiLine += 1;
      const row = Object.fromEntries(Object.entries(record).map(([key, value]) => [key.toLowerCase(), value.trim()])) as Record<
        string,
        string
      >;
      const reasons = palissyScopeReasons(row as never);
      if (reasons.length > 1) throw new Error(`${row.reference} échoue à plusieurs règles : ${reasons.join(", ")}`);
      const reason = reasons[0];
      if (reason === undefined) {
        inScope += 1;
        const lieu = lieuActuel(row as never);
        const key = `${lieu.code_insee}|${edificeSlug(lieu.edifice_nom)}`;
        const set = slugsByEdificeName.get(key) ?? new Set();
        set.add(lieu.edifice_ref ?? "");
        slugsByEdificeName.set(key, set);
      } else {
        outOfScope[reason] = (outOfScope[reason] ?? 0) + 1;
      }
    }
    expect(rows).toBe(expected.palissy.read);
    expect(multiLine).toBe(expected.palissy.multi_line_rows);
    expect(multiLine).toBeGreaterThan(0);
    expect(inScope).toBe(expected.palissy.in_scope);
    expect(outOfScope).toEqual(Object.fromEntries(Object.entries(expected.palissy.out_of_scope).filter(([, n]) => n > 0)));
    // Spelling variants fall on their édifice's slug: one (commune, slug) per generated édifice.
    expect(slugsByEdificeName.size).toBe(expected.palissy.edifices);
    for (const [key, refs] of slugsByEdificeName) expect([...refs].filter((ref) => ref !== "").length, key).toBeLessThanOrEqual(1);

    let photos = 0;
    let previous = "";
    for await (const record of records(path.join(first, FILES.memoire), ",")) {
      photos += 1;
      expect(record.REF_PALISSY! >= previous).toBe(true);
      previous = record.REF_PALISSY!;
      expect(record.URL).toMatch(/^memoire\/[A-Z0-9]+\/[a-z0-9]+_p\.jpg$/);
    }
    expect(photos).toBe(expected.memoire.read);

    let merimee = 0;
    for await (const record of records(path.join(first, FILES.merimee), ";")) {
      merimee += 1;
      expect(record.Reference).toMatch(/^PA[0-9AB]{2}\d{6}$/);
    }
    expect(merimee).toBe(expected.merimee.read);
  });

  it("keeps the proportions of IMPORT-NOTES §11", () => {
    const { palissy, memoire } = expected;
    expect(palissy.read).toBe(3000);
    expect(palissy.in_scope / palissy.read).toBeCloseTo(0.83, 2);
    for (const { kind, rate, inScope } of ROW_KINDS) {
      if (!inScope) expect(Object.keys(PALISSY_SCOPE_RULES)).toContain(kind);
      if (rate > 0) expect(Math.abs(palissy.rows_by_case[kind] - rate * palissy.read), kind).toBeLessThanOrEqual(1);
    }
    expect(palissy.multi_line_rows / palissy.read).toBeGreaterThan(0.03);
    expect(palissy.multi_line_rows / palissy.read).toBeLessThan(0.07);
    expect(memoire.objets_with_photos / palissy.in_scope).toBeGreaterThan(0.35);
    expect(memoire.objets_with_photos / palissy.in_scope).toBeLessThan(0.45);
    expect(memoire.read).toBeGreaterThan(memoire.rows_for_objets);
    const averageRowBytes = expected.files.palissy.bytes / palissy.read;
    expect(averageRowBytes).toBeGreaterThan(800);
    expect(averageRowBytes).toBeLessThan(1200);
    const sum = Object.values(palissy.objets_by_departement).reduce((a, b) => a + b, 0);
    expect(sum).toBe(palissy.in_scope);
  });

  it("writes one mairie principale per commune with plausible coordinates, and the annuaire's noise", async () => {
    const { annuaire } = expected;
    let mairies = 0;
    let deleguees = 0;
    let phoneF = 0;
    let withoutEmail = 0;
    let otherPivots = 0;
    for await (const record of records(path.join(first, FILES.annuaire), ";")) {
      const pivot = parseJsonCell(record.pivot!);
      if (!firstPivotIsMairie(pivot)) otherPivots += 1;
      if (record.nom!.startsWith("Mairie déléguée - ")) deleguees += 1;
      if (!firstPivotIsMairie(pivot) || !isMairiePrincipale(record.nom!)) continue;
      mairies += 1;
      if (record.telephone!.includes('"valeur": "f"')) phoneF += 1;
      if (record.adresse_courriel === "") withoutEmail += 1;
      else expect(record.adresse_courriel).toMatch(/@([a-z0-9-]+\.)?example\.org(;|$)/);
      const [adresse] = (parseJsonCell(record.adresse!) ?? []) as { latitude: string; longitude: string }[];
      const code = record.code_insee_commune!;
      const box = boundingBoxes.get(code.startsWith("97") ? code.slice(0, 3) : code.slice(0, 2));
      if (box && adresse) {
        expect(Number(adresse.latitude)).toBeGreaterThanOrEqual(box.south);
        expect(Number(adresse.latitude)).toBeLessThanOrEqual(box.north);
        expect(Number(adresse.longitude)).toBeGreaterThanOrEqual(box.west);
        expect(Number(adresse.longitude)).toBeLessThanOrEqual(box.east);
      }
    }
    expect(mairies).toBeGreaterThan(34_969);
    expect(deleguees).toBeGreaterThan(2_000);
    expect(otherPivots).toBeGreaterThan(4_000);
    expect(phoneF / mairies).toBeGreaterThan(0.005);
    expect(withoutEmail / mairies).toBeGreaterThan(0.03);
    expect(annuaire.out_of_scope.plusieurs_mairies_principales).toBe(100);
    expect(annuaire.in_scope + annuaire.communes_avec_objets_sans_mairie).toBe(expected.palissy.communes_with_objets);
  });

  it("approximates the real bounding boxes of the départements", (context) => {
    const file = path.join(SHARED_DATA_DIR, "departements.csv");
    if (!fs.existsSync(file)) {
      console.log(`Test sauté : ${file} absent (CO_SHARED_DATA_DIR).`);
      context.skip();
    }
    const rows = parseSync<Record<string, string>>(fs.readFileSync(file), { columns: true });
    expect(boundingBoxes.size).toBe(rows.length);
    for (const row of rows) {
      const box = boundingBoxes.get(row.code!);
      expect(box, row.code).toBeDefined();
      expect(Math.abs(box!.north - Number(row.bbox_north))).toBeLessThan(0.01);
      expect(Math.abs(box!.west - Number(row.bbox_west))).toBeLessThan(0.01);
    }
  });
});

describe("generate arguments", () => {
  it("reads --out, --seed and --scale with defaults", () => {
    expect(parseGenerateArguments(["national", "--out", "x"])).toEqual({ out: path.resolve("x"), seed: 1, scale: 1 });
    expect(parseGenerateArguments(["national", "--out", "x", "--seed", "42", "--scale", "0.01"])).toEqual({
      out: path.resolve("x"),
      seed: 42,
      scale: 0.01,
    });
  });

  it("answers wrong arguments with a French message", () => {
    expect(parseGenerateArguments([])).toMatch(/Jeu de données inconnu/);
    expect(parseGenerateArguments(["national"])).toMatch(/--out/);
    expect(parseGenerateArguments(["national", "--out"])).toMatch(/attend une valeur/);
    expect(parseGenerateArguments(["national", "--out", "x", "--scale", "0"])).toMatch(/--scale/);
    expect(parseGenerateArguments(["national", "--out", "x", "--seed", "-3"])).toMatch(/--seed/);
    expect(parseGenerateArguments(["national", "--out", "x", "--taille", "2"])).toMatch(/Option inconnue/);
  });
});
