import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { sql } from "kysely";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../app.tsx";
import { hashToken } from "../../comptes/rules.ts";
import { loadConfig } from "../../config.ts";
import { processAndStorePhoto } from "../../platform/images/stored.ts";
import { hashedKeyPart } from "../../platform/http/rate-limit.ts";
import { LocalFileStore } from "../../platform/storage/local.ts";
import { createTestDatabase, type TestDatabase } from "../../../test/database.ts";
import { insertCommune, insertDossier, insertEdifice, insertObjet, insertRecensement } from "../../../test/factories.ts";
import { decodeCursor, encodeCursor } from "./pagination.ts";

type OpenApi = {
  openapi: string;
  paths: Record<string, { get: { responses: Record<string, { content?: Record<string, { schema: unknown }> }> } }>;
  components: { schemas: Record<string, unknown> };
};

const TOKEN_56 = "jeton-de-test-56-aaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const TOKEN_REVOQUE = "jeton-de-test-revoque-bbbbbbbbbbbbbbbbbbbbbbbb";
const TOKEN_5668 = "jeton-de-test-56-68-cccccccccccccccccccccccccc";

describe("open API /api/v1 (contract: every response is checked against /api/v1/openapi.json)", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let filesDir = "";
  let document: OpenApi;
  let ajv: Ajv2020;
  const validators = new Map<string, ValidateFunction>();
  const covered = new Set<string>();
  let ipCounter = 0;
  const fixtures = {
    objetRefs56: [] as string[],
    communeA: "",
    edificeA: 0,
    photo56: 0,
    photo68: 0,
    clientRevoque: 0,
    client56: 0,
  };

  /** Template of the documented path a URL belongs to. */
  function templateOf(url: string): string | undefined {
    const pathname = url.split("?")[0] ?? "";
    return Object.keys(document.paths).find((template) => new RegExp(`^${template.replace(/\{\w+\}/g, "[^/]+")}$`).test(pathname));
  }

  function validatorFor(template: string, status: number): ValidateFunction | "empty" | "binary" {
    const responses = document.paths[template]?.get.responses ?? {};
    const response = responses[String(status)];
    if (!response) throw new Error(`${template} does not document status ${status}`);
    if (!response.content) return "empty";
    const json = response.content["application/json"];
    if (!json) return "binary";
    const key = `${template} ${status}`;
    const known = validators.get(key);
    if (known) return known;
    const validate = ajv.compile({ $ref: `https://collectif-objets.test/openapi.json${(json.schema as { $ref: string }).$ref}` });
    validators.set(key, validate);
    return validate;
  }

  /** A GET under /api/v1, its response checked against the document. */
  async function get(url: string, headers: Record<string, string> = {}, ip?: string): Promise<LightMyRequestResponse> {
    const response = await app.inject({ method: "GET", url, headers, remoteAddress: ip ?? `198.51.100.${(ipCounter++ % 250) + 1}` });
    expect(response.statusCode, `${url}: ${response.body}`).toBeLessThan(500);
    const template = templateOf(url);
    if (!template) {
      // Not a documented path: still the stable error shape.
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: "introuvable" } });
      return response;
    }
    const validator = validatorFor(template, response.statusCode);
    if (validator === "empty") expect(response.body, url).toBe("");
    else if (validator !== "binary") {
      expect(String(response.headers["content-type"]), url).toMatch(/^application\/json/);
      const body: unknown = response.json();
      const valid = validator(body);
      expect(valid, `${url} ${response.statusCode}: ${JSON.stringify(validator.errors)}\n${response.body.slice(0, 500)}`).toBe(true);
    }
    covered.add(`${template} ${response.statusCode}`);
    return response;
  }

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  async function walk(firstUrl: string, headers: Record<string, string> = {}): Promise<{ rows: Record<string, unknown>[]; pages: number }> {
    const rows: Record<string, unknown>[] = [];
    let url: string | null = firstUrl;
    let pages = 0;
    while (url) {
      const response = await get(url, headers);
      expect(response.statusCode, url).toBe(200);
      const body = response.json<{ data: Record<string, unknown>[]; next: string | null }>();
      rows.push(...body.data);
      if (body.next) expect(response.headers.link).toBe(`<${body.next}>; rel="next"`);
      else expect(response.headers.link).toBeUndefined();
      url = body.next;
      pages++;
      expect(pages).toBeLessThan(100);
    }
    return { rows, pages };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), "api-files-"));
    const files = new LocalFileStore(filesDir);
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database, files });

    const communeA = await insertCommune(database, { code_insee: "56263", nom: "Sainte-Anne-d’Auray", objets_count: 7 });
    const communeB = await insertCommune(database, { code_insee: "56116", nom: "Locmariaquer" });
    await insertCommune(database, { code_insee: "56083", nom: "Hennebont" });
    const communeC = await insertCommune(database, { code_insee: "68066", nom: "Colmar" });
    fixtures.communeA = communeA.code_insee;
    const edificeA = await insertEdifice(database, { code_insee: communeA.code_insee, nom: "basilique", merimee_ref: "PA00091500" });
    fixtures.edificeA = edificeA.id;
    await insertEdifice(database, { code_insee: communeB.code_insee });
    const objets = [];
    for (let i = 0; i < 7; i++) {
      objets.push(
        await insertObjet(database, {
          lieu_actuel_code_insee: communeA.code_insee,
          edifice: edificeA,
          palissy_photos:
            i === 0
              ? [{ url: "https://s3.eu-west-3.amazonaws.com/pop/photo.jpg", name: "vue", credit: "© X", memoire_ref: "AP56P000123" }]
              : [],
        }),
      );
    }
    const objetB = await insertObjet(database, { lieu_actuel_code_insee: communeB.code_insee });
    const objetC = await insertObjet(database, { lieu_actuel_code_insee: communeC.code_insee });
    fixtures.objetRefs56 = [...objets.map((o) => o.palissy_ref), objetB.palissy_ref];

    // Commune A: examen sent; commune B: dossier submitted; Colmar (68): submitted.
    const dossierA = await insertDossier(database, {
      commune_id: communeA.id,
      status: "accepted",
      notes_conservateur: "Bravo pour ce recensement.",
    });
    const dossierB = await insertDossier(database, { commune_id: communeB.id, status: "submitted" });
    const dossierC = await insertDossier(database, { commune_id: communeC.id, status: "submitted" });
    const recensementA = await insertRecensement(database, {
      objet_id: objets[0]!.id,
      dossier_id: dossierA.id,
      etat_sanitaire: "mauvais",
      analyse_etat_sanitaire: "peril",
      analyse_fiches: ["restauration"],
      analyse_notes: "À restaurer d’urgence.",
      analysed_at: new Date(),
      notes: "La statue penche.",
      photos_count: 1,
    });
    for (const objet of objets.slice(1)) await insertRecensement(database, { objet_id: objet.id, dossier_id: dossierA.id });
    await insertRecensement(database, { objet_id: objetB.id, dossier_id: dossierB.id, analyse_notes: "pas encore envoyé" });
    const recensementC = await insertRecensement(database, { objet_id: objetC.id, dossier_id: dossierC.id, photos_count: 1 });

    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#8a6" } })
      .jpeg()
      .toBuffer();
    for (const [recensementId, key] of [
      [recensementA.id, "photos/api-a"],
      [recensementC.id, "photos/api-c"],
    ] as const) {
      const stored = await processAndStorePhoto(files, key, jpeg);
      const row = await database.db
        .insertInto("photos")
        .values({
          recensement_id: recensementId,
          uploaded_by: "commune",
          storage_key: key,
          content_type: "image/jpeg",
          byte_size: jpeg.length,
          width: stored.width,
          height: stored.height,
          sha256: stored.sha256,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      if (recensementId === recensementA.id) fixtures.photo56 = row.id;
      else fixtures.photo68 = row.id;
    }

    const clients = await database.db
      .insertInto("api_clients")
      .values([
        { name: "DRAC Bretagne", token_hash: hashToken(TOKEN_56), departement_codes: ["56"] },
        { name: "Ancien outil", token_hash: hashToken(TOKEN_REVOQUE), departement_codes: ["56"], revoked_at: new Date() },
        { name: "Ministère", token_hash: hashToken(TOKEN_5668), departement_codes: ["56", "68"] },
      ])
      .returning("id")
      .execute();
    fixtures.client56 = clients[0]!.id;
    fixtures.clientRevoque = clients[1]!.id;

    const response = await app.inject({ method: "GET", url: "/api/v1/openapi.json" });
    expect(response.statusCode).toBe(200);
    document = response.json<OpenApi>();
    ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addFormat("date-time", (value: string) => !Number.isNaN(Date.parse(value)));
    ajv.addSchema({ ...document, $id: "https://collectif-objets.test/openapi.json" });
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  it("publishes an OpenAPI 3.1 document whose every schema compiles, documenting every /api/v1 read route", async () => {
    expect(document.openapi).toBe("3.1.0");
    for (const name of Object.keys(document.components.schemas)) {
      expect(() => ajv.getSchema(`https://collectif-objets.test/openapi.json#/components/schemas/${name}`), name).not.toThrow();
    }
    const documented = new Set(Object.keys(document.paths));
    const routes = app.routeTable.filter(
      (route) => route.method === "GET" && route.url.startsWith("/api/v1/") && route.url !== "/api/v1/openapi.json",
    );
    expect(routes.length).toBeGreaterThanOrEqual(10);
    for (const route of routes) expect(documented, route.url).toContain(route.url.replace(/:(\w+)/g, "{$1}"));
    const recensements = document.paths["/api/v1/recensements"]!.get as unknown as { security: unknown[]; parameters: { name: string }[] };
    expect(recensements.security).toEqual([{ bearer: [] }]);
    expect(recensements.parameters.map((p) => p.name)).toEqual(["departement", "commune", "limit", "cursor", "updated_since"]);
  });

  it("serves the public reference data openly, CORS included", async () => {
    const departements = await walk("/api/v1/departements?limit=50");
    expect(departements.rows.map((d) => d.code)).toContain("56");
    expect(departements.pages).toBeGreaterThan(1);
    const departement = await get("/api/v1/departements/56");
    expect(departement.json()).toMatchObject({ code: "56", communes_count: 3, objets_count: 8 });
    expect(departement.headers["access-control-allow-origin"]).toBe("*");

    const communes = await get("/api/v1/communes?departement=56");
    expect(
      communes
        .json<{ data: { code_insee: string }[] }>()
        .data.map((c) => c.code_insee)
        .sort(),
    ).toEqual(["56083", "56116", "56263"]);
    const search = await get("/api/v1/communes?q=sainte%20anne");
    expect(search.json<{ data: { nom: string }[] }>().data.map((c) => c.nom)).toEqual(["Sainte-Anne-d’Auray"]);
    expect((await get("/api/v1/communes/56263")).json()).toMatchObject({
      nom: "Sainte-Anne-d’Auray",
      departement_code: "56",
      objets_count: 7,
    });

    const edifices = await get("/api/v1/edifices?commune=56263");
    expect(edifices.json()).toMatchObject({ data: [{ id: fixtures.edificeA, merimee_ref: "PA00091500", nom: "basilique" }], next: null });

    const objet = await get(`/api/v1/objets/${fixtures.objetRefs56[0]}`);
    expect(objet.json()).toMatchObject({
      palissy_ref: fixtures.objetRefs56[0],
      palissy_prot: "classé au titre objet",
      lieu_actuel: { code_insee: "56263", departement_code: "56", edifice_nom: "basilique" },
      edifice_id: fixtures.edificeA,
      photos_memoire: [{ url: "https://s3.eu-west-3.amazonaws.com/pop/photo.jpg", credit: "© X", memoire_ref: "AP56P000123" }],
    });
    const parCommune = await get("/api/v1/objets?commune=68066");
    expect(parCommune.json<{ data: unknown[] }>().data).toHaveLength(1);

    const preflight = await app.inject({ method: "OPTIONS", url: "/api/v1/objets", headers: { origin: "https://exemple.fr" } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe("*");
    expect(String(preflight.headers["access-control-allow-headers"])).toContain("If-None-Match");
  });

  it("walks a list to its end with a small limit and gets every row exactly once, even when rows share their update time", async () => {
    // The same timestamp for every objet: the order falls back on the id.
    await sql`update objets set updated_at = '2026-03-01T10:00:00.123456Z'`.execute(database.db);
    const { rows, pages } = await walk("/api/v1/objets?departement=56&limit=3");
    expect(pages).toBe(3);
    const refs = rows.map((row) => row.palissy_ref as string);
    expect(new Set(refs).size).toBe(refs.length);
    expect([...refs].sort()).toEqual([...fixtures.objetRefs56].sort());

    // A row changed during the walk moves to the end: it is seen again, nothing is skipped.
    const first = await get("/api/v1/objets?departement=56&limit=3");
    const next = first.json<{ next: string }>().next;
    await sql`update objets set updated_at = now() where palissy_ref = ${fixtures.objetRefs56[0]!}`.execute(database.db);
    const rest = await walk(next);
    expect(rest.rows.map((row) => row.palissy_ref)).toContain(fixtures.objetRefs56[0]);
    expect(rest.rows).toHaveLength(fixtures.objetRefs56.length - 3 + 1);
  });

  it("returns only the rows changed since updated_since", async () => {
    await sql`update objets set updated_at = '2026-01-01T00:00:00Z'`.execute(database.db);
    await sql`update objets set updated_at = '2026-06-01T08:30:00Z' where palissy_ref = ${fixtures.objetRefs56[2]!}`.execute(database.db);
    const changed = await walk("/api/v1/objets?updated_since=2026-03-01T00:00:00%2B02:00");
    expect(changed.rows.map((row) => row.palissy_ref)).toEqual([fixtures.objetRefs56[2]]);
    expect(changed.rows[0]!.updated_at).toBe("2026-06-01T08:30:00.000Z");
    const inclusive = await walk("/api/v1/objets?updated_since=2026-06-01T08:30:00Z");
    expect(inclusive.rows).toHaveLength(1);
    const all = await walk("/api/v1/objets?updated_since=2025-12-31T23:00:00Z&limit=500");
    expect(all.rows).toHaveLength(9);
  });

  it("answers 304 to a matching If-None-Match and a new ETag once the data changes", async () => {
    const url = "/api/v1/communes/56263";
    const first = await get(url);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    const again = await get(url, { "if-none-match": etag });
    expect(again.statusCode).toBe(304);
    expect(again.headers.etag).toBe(etag);
    expect((await get(url, { "if-none-match": `"autre", W/${etag}` })).statusCode).toBe(304);
    await database.db
      .updateTable("communes")
      .set({ nom: "Sainte-Anne-d’Auray (56)", updated_at: new Date() })
      .where("code_insee", "=", "56263")
      .execute();
    const changed = await get(url, { "if-none-match": etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    const list = await get("/api/v1/objets?limit=2");
    expect((await get("/api/v1/objets?limit=2", { "if-none-match": String(list.headers.etag) })).statusCode).toBe(304);
    await database.db.updateTable("communes").set({ nom: "Sainte-Anne-d’Auray" }).where("code_insee", "=", "56263").execute();
  });

  it("serves recensements and dossiers to a token holder, within the token's départements only", async () => {
    const anonymous = await get("/api/v1/recensements");
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers["www-authenticate"]).toBe("Bearer");
    expect(anonymous.json()).toMatchObject({ error: { code: "authentification_requise" } });
    expect((await get("/api/v1/dossiers", { authorization: "Bearer inconnu" })).statusCode).toBe(401);
    expect((await get("/api/v1/recensements", bearer(TOKEN_REVOQUE))).statusCode).toBe(401);
    expect((await get("/api/v1/recensements", { authorization: TOKEN_56 })).statusCode).toBe(401);

    const { rows } = await walk("/api/v1/recensements?limit=4", bearer(TOKEN_56));
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((row) => row.departement_code))).toEqual(new Set(["56"]));
    const examine = rows.find((row) => row.palissy_ref === fixtures.objetRefs56[0])!;
    expect(examine).toMatchObject({
      commune_code_insee: "56263",
      status: "completed",
      etat_sanitaire: "mauvais",
      notes: "La statue penche.",
      examen: { etat_sanitaire: "peril", fiches: ["restauration"], commentaire: "À restaurer d’urgence." },
    });
    const photos = examine.photos as { id: number; url: string }[];
    expect(photos).toHaveLength(1);
    // The examen is not shown before it is sent.
    const nonEnvoye = rows.find((row) => row.commune_code_insee === "56116")!;
    expect(nonEnvoye.examen).toBeNull();

    const image = await get(photos[0]!.url, bearer(TOKEN_56));
    expect(image.statusCode).toBe(200);
    expect(image.headers["content-type"]).toBe("image/jpeg");
    expect((await get(photos[0]!.url, { ...bearer(TOKEN_56), "if-none-match": String(image.headers.etag) })).statusCode).toBe(304);
    expect((await get(`/api/v1/photos/${fixtures.photo68}`, bearer(TOKEN_56))).statusCode).toBe(404);
    expect((await get(`/api/v1/photos/${fixtures.photo68}?variant=vignette`, bearer(TOKEN_5668))).statusCode).toBe(200);
    expect((await get(`/api/v1/photos/${fixtures.photo56}`)).statusCode).toBe(401);

    const refuse = await get("/api/v1/recensements?departement=68", bearer(TOKEN_56));
    expect(refuse.statusCode).toBe(403);
    expect(refuse.json()).toMatchObject({ error: { code: "hors_perimetre" } });
    expect((await get("/api/v1/dossiers?departement=68", bearer(TOKEN_56))).statusCode).toBe(403);
    const deux = await walk("/api/v1/recensements?departement=68", bearer(TOKEN_5668));
    expect(deux.rows).toHaveLength(1);
    expect(deux.rows[0]!.photos).toHaveLength(1);

    const dossiers = await walk("/api/v1/dossiers", bearer(TOKEN_56));
    expect(dossiers.rows.map((d) => d.commune_code_insee).sort()).toEqual(["56116", "56263"]);
    expect(dossiers.rows.find((d) => d.commune_code_insee === "56263")).toMatchObject({
      status: "accepted",
      examen_commentaire: "Bravo pour ce recensement.",
    });
    expect(dossiers.rows.find((d) => d.commune_code_insee === "56116")).toMatchObject({ status: "submitted", examen_commentaire: null });
    const acceptes = await walk("/api/v1/dossiers?status=accepted", bearer(TOKEN_5668));
    expect(acceptes.rows).toHaveLength(1);

    // The token's responses vary with the token: private caching only.
    const private56 = await get("/api/v1/dossiers", bearer(TOKEN_56));
    expect(private56.headers["cache-control"]).toBe("private, no-cache");
    expect(private56.headers["access-control-allow-origin"]).toBeUndefined();

    const client = await database.db
      .selectFrom("api_clients")
      .select("last_used_at")
      .where("id", "=", fixtures.client56)
      .executeTakeFirstOrThrow();
    expect(client.last_used_at).not.toBeNull();
  });

  it("marks the examen as changed when it is sent, for incremental sync", async () => {
    const before = await walk("/api/v1/recensements?commune=56116", bearer(TOKEN_56));
    const since = String(before.rows[0]!.updated_at);
    expect(
      (
        await walk(
          `/api/v1/recensements?commune=56116&updated_since=${encodeURIComponent(new Date(Date.parse(since) + 1).toISOString())}`,
          bearer(TOKEN_56),
        )
      ).rows,
    ).toHaveLength(0);
    await sql`update dossiers set status = 'accepted', accepted_at = now(), conservateur_id = (select id from conservateurs limit 1), updated_at = now() + interval '1 second'
      where commune_id = (select id from communes where code_insee = '56116')`.execute(database.db);
    const after = await walk(
      `/api/v1/recensements?commune=56116&updated_since=${encodeURIComponent(new Date(Date.parse(since) + 1).toISOString())}`,
      bearer(TOKEN_56),
    );
    expect(after.rows).toHaveLength(1);
    expect(after.rows[0]!.examen).toMatchObject({ commentaire: "pas encore envoyé" });
  });

  it("refuses bad parameters with a 400 naming the parameter, in the stable error shape", async () => {
    const cases: [string, string][] = [
      ["/api/v1/objets?limit=0", "limit"],
      ["/api/v1/objets?limit=10000", "limit"],
      ["/api/v1/objets?limit=abc", "limit"],
      ["/api/v1/objets?limit=2.5", "limit"],
      ["/api/v1/objets?limit=1&limit=2", "limit"],
      ["/api/v1/objets?cursor=garbage!", "cursor"],
      ["/api/v1/objets?cursor=Z2FyYmFnZQ", "cursor"],
      [`/api/v1/objets?cursor=${encodeCursor({ at: "2026-02-30T00:00:00.000000", id: 1 })}`, "cursor"],
      [`/api/v1/objets?cursor=${encodeCursor({ at: "2026-01-01T00:00:00.000000", id: "56" })}`, "cursor"],
      [`/api/v1/departements?cursor=${encodeCursor({ at: "2026-01-01T00:00:00.000000", id: 3 })}`, "cursor"],
      ["/api/v1/objets?updated_since=hier", "updated_since"],
      ["/api/v1/objets?updated_since=2026-13-01T00:00:00Z", "updated_since"],
      ["/api/v1/objets?updated_since=2026-01-01", "updated_since"],
      ["/api/v1/objets?departement=999", "departement"],
      ["/api/v1/communes?q=", "q"],
      ["/api/v1/edifices?commune=abc", "commune"],
      ["/api/v1/departements/1", "code"],
      ["/api/v1/communes/5626", "code_insee"],
      ["/api/v1/objets/PM-1", "palissy_ref"],
      ["/api/v1/dossiers?status=perdu", "status"],
    ];
    for (const [url, parameter] of cases) {
      const response = await get(url, bearer(TOKEN_56));
      expect(response.statusCode, url).toBe(400);
      const body = response.json<{ error: { code: string; message: string; parameter?: string } }>();
      expect(body, url).toEqual({ error: { code: "parametre_invalide", message: body.error.message, parameter } });
      expect(body.error.message, url).toContain(parameter);
    }
    expect((await get("/api/v1/photos/0", bearer(TOKEN_56))).statusCode).toBe(400);
    expect((await get(`/api/v1/photos/${fixtures.photo56}?variant=enorme`, bearer(TOKEN_56))).statusCode).toBe(400);
    expect(decodeCursor("")).toBeNull();
  });

  it("answers unknown paths, methods and records with a JSON 404, never HTML", async () => {
    for (const url of ["/api/v1/objets/PM99999999", "/api/v1/communes/99999", "/api/v1/departements/99", "/api/v1/nulle-part", "/api/v1"]) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.json(), url).toMatchObject({ error: { code: "introuvable" } });
    }
    const post = await app.inject({ method: "POST", url: "/api/v1/objets", payload: { a: 1 } });
    expect(post.statusCode).toBe(404);
    expect(post.json()).toMatchObject({ error: { code: "introuvable" } });
  });

  it("limits the rate per token and per IP address, with Retry-After", async () => {
    const window = sql`to_timestamp(floor(extract(epoch from now()) / 60) * 60)`;
    await sql`insert into rate_limits (key, window_start, count) values (${`api:client:${fixtures.client56}`}, ${window}, 100000)
      on conflict (key) do update set window_start = excluded.window_start, count = excluded.count`.execute(database.db);
    const limited = await get("/api/v1/dossiers", bearer(TOKEN_56));
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(limited.json()).toMatchObject({ error: { code: "trop_de_requetes" } });
    // Another token is not affected.
    expect((await get("/api/v1/dossiers", bearer(TOKEN_5668))).statusCode).toBe(200);

    const ip = "192.0.2.77";
    await sql`insert into rate_limits (key, window_start, count) values (${`api:ip:${hashedKeyPart(ip)}`}, ${window}, 100000)
      on conflict (key) do update set window_start = excluded.window_start, count = excluded.count`.execute(database.db);
    const parIp = await get("/api/v1/objets", {}, ip);
    expect(parIp.statusCode).toBe(429);
    expect(parIp.headers["access-control-allow-origin"]).toBe("*");
    await sql`delete from rate_limits`.execute(database.db);
  });

  it("never answers a 5xx nor HTML to generated bad inputs", async () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const nasty = [
      "",
      " ",
      "0",
      "-1",
      "1e309",
      "NaN",
      "null",
      "%00",
      "%FF",
      "'; drop table objets; --",
      "\u00e9",
      "a".repeat(300),
      "2A",
      "[]",
      "{}",
      "..%2F..",
      "9".repeat(30),
      "Z2FyYmFnZQ",
      encodeCursor({ at: "9999-12-31T23:59:59.999999", id: 2147483647 }),
      encodeCursor({ at: "1970-01-01T00:00:00.000000", id: -1 }),
    ];
    const names = ["limit", "cursor", "updated_since", "departement", "commune", "q", "status", "variant"];
    const paths = [
      "/api/v1/departements",
      "/api/v1/communes",
      "/api/v1/edifices",
      "/api/v1/objets",
      "/api/v1/recensements",
      "/api/v1/dossiers",
      "/api/v1/departements/",
      "/api/v1/communes/",
      "/api/v1/objets/",
      "/api/v1/photos/",
    ];
    for (let i = 0; i < 400; i++) {
      const base = paths[Math.floor(random() * paths.length)]!;
      const value = (max = 1000) => encodeURIComponent(nasty[Math.floor(random() * nasty.length)]!.slice(0, max));
      // Path segments stay under the server's 200-character limit (beyond it Fastify itself answers 414).
      const url = base.endsWith("/")
        ? `${base}${value(60) || "x"}`
        : `${base}?${names[Math.floor(random() * names.length)]}=${value()}&${names[Math.floor(random() * names.length)]}=${value()}`;
      await get(url, random() < 0.5 ? bearer(TOKEN_5668) : {});
    }
  });

  it("covered every documented path with a validated 200", () => {
    for (const template of Object.keys(document.paths)) expect(covered, template).toContain(`${template} 200`);
    for (const status of [304, 400, 401, 403, 404, 429])
      expect(
        [...covered].some((key) => key.endsWith(` ${status}`)),
        String(status),
      ).toBe(true);
  });
});
