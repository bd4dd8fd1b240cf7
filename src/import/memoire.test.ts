import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { csvText, fixtureDir, MEMOIRE_LABELS, palissyCsv, palissyRow } from "./fixtures/files.ts";
import { importMemoire } from "./memoire.ts";
import { importPalissy } from "./palissy.ts";
import { ImportFailedError } from "./runs.ts";

const photos = [
  {
    REF_PALISSY: "PM01000001",
    REF_MEMOIRE: "AP01W00056",
    NAME: "Vue d'ensemble.",
    COPY: "© Ministère de la Culture, diffusion RMN",
    URL: "memoire/AP01W00056/ap01w00056_p.jpg",
  },
  {
    REF_PALISSY: "PM01000001",
    REF_MEMOIRE: "AP01W00057",
    NAME: "Détail, avec virgule",
    COPY: "",
    URL: "memoire/AP01W00057/ap01w00057_p.jpg",
  },
  {
    REF_PALISSY: "PM01000002",
    REF_MEMOIRE: "IVR21_1",
    NAME: "Tympan.",
    COPY: "© Inventaire général, ADAGP",
    URL: "memoire/IVR21_1/ivr21_1_p.jpg",
  },
  { REF_PALISSY: "PM99999999", REF_MEMOIRE: "AP00000001", NAME: "Inconnu", COPY: "", URL: "memoire/AP00000001/a.jpg" },
];

describe("Mémoire import", () => {
  let database: TestDatabase;
  const files = fixtureDir();

  beforeAll(async () => {
    database = await createTestDatabase();
    await importPalissy(
      database,
      files.write(
        "palissy.csv",
        palissyCsv([
          palissyRow({ Reference: "PM01000001" }),
          palissyRow({ Reference: "PM01000002" }),
          palissyRow({ Reference: "PM01000003" }),
        ]),
      ),
    );
  });
  afterAll(async () => {
    await database.drop();
    files.remove();
  });

  const photosOf = async (ref: string) =>
    (await database.db.selectFrom("objets").select("palissy_photos").where("palissy_ref", "=", ref).executeTakeFirstOrThrow())
      .palissy_photos;

  it("replaces the photos of known objets from the scraper CSV, with a single slash in URLs", async () => {
    const file = files.write("palissy_to_memoire.csv", csvText(MEMOIRE_LABELS, photos, { delimiter: "," }));
    const summary = await importMemoire(database, file, { photosBaseUrl: "https://cdn.example.org/" });
    expect(summary).toEqual({ read: 4, in_scope: 3, out_of_scope: { objet_inconnu: 1 }, created: 0, updated: 2, deleted: 0, errors: [] });
    expect(await photosOf("PM01000001")).toEqual([
      {
        url: "https://cdn.example.org/memoire/AP01W00056/ap01w00056_p.jpg",
        name: "Vue d'ensemble.",
        credit: "© Ministère de la Culture, diffusion RMN",
        memoire_ref: "AP01W00056",
      },
      {
        url: "https://cdn.example.org/memoire/AP01W00057/ap01w00057_p.jpg",
        name: "Détail, avec virgule",
        credit: null,
        memoire_ref: "AP01W00057",
      },
    ]);
    expect(await photosOf("PM01000003")).toEqual([]);
    expect(await importMemoire(database, file, { photosBaseUrl: "https://cdn.example.org" })).toMatchObject({ updated: 0 });
  });

  it("reads a Datasette JSON page with the default photo host", async () => {
    const page = {
      database: "data",
      table: "palissy_to_memoire",
      rows: photos.slice(2, 3).map((p, i) => ({ rowid: i + 1, ...p })),
      filtered_table_rows_count: 1,
      next_url: null,
    };
    const summary = await importMemoire(database, files.write("page.json", JSON.stringify(page, null, 1)));
    expect(summary).toMatchObject({ read: 1, in_scope: 1, updated: 1, errors: [] });
    expect(await photosOf("PM01000002")).toEqual([
      {
        url: "https://popcorn-prd-perf-assets.s3.gra.io.cloud.ovh.net/memoire/IVR21_1/ivr21_1_p.jpg",
        name: "Tympan.",
        credit: "© Inventaire général, ADAGP",
        memoire_ref: "IVR21_1",
      },
    ]);
  });

  it("refuses a file without the expected columns", async () => {
    const error = await importMemoire(database, files.write("bad.csv", "REF_PALISSY,NAME\nPM01000001,x\n")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFailedError);
    expect((error as Error).message).toContain("ref_memoire, copy, url");
  });
});
