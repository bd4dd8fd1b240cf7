import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import type { AccessRule } from "../platform/http/access.ts";
import { enqueueMail } from "../platform/mail/outbox.ts";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { processAndStorePhoto } from "../platform/images/stored.ts";
import { LocalFileStore } from "../platform/storage/local.ts";
import { insertCommune, insertConservateur, insertDossier, insertEdifice, insertObjet, insertRecensement } from "../../test/factories.ts";
import { Browser, insertAdmin, insertCommuneUser } from "../../test/factories-comptes.ts";

type Persona = "anonymous" | "communeA" | "communeB" | "conservateurA" | "conservateurAutre" | "admin" | "adminIncarneA";
type Outcome = "allow" | "login" | "forbidden" | "home" | "stop_impersonation" | "read_only" | "api_unauthorized";

const PERSONAS: Persona[] = ["anonymous", "communeA", "communeB", "conservateurA", "conservateurAutre", "admin", "adminIncarneA"];
const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const LOGIN_PAGES = ["/communes/connexion", "/conservateurs/sign_in", "/admin/connexion"];
const FORBIDDEN_TEXT = "Vous n’avez pas le droit de faire cette action.";

/**
 * What each persona must get from a route, written from the rules' meaning (not from the code under test).
 * Every commune URL is commune A's, every département URL is commune A's département.
 */
function expectedOutcome(rule: AccessRule, persona: Persona, method: string): Outcome {
  const signedIn = persona !== "anonymous";
  switch (rule.kind) {
    case "public":
    case "dev":
      return "allow";
    case "api_token":
    case "shared_secret":
      return "api_unauthorized";
    case "anonymous_only":
      return signedIn ? "home" : "allow";
    case "signed_in":
      return signedIn ? "allow" : "login";
    case "commune":
      if (persona === "communeA") return "allow";
      if (persona === "adminIncarneA") return MUTATING.has(method) ? "read_only" : "allow";
      return signedIn ? "forbidden" : "login";
    case "conservateur":
      if (persona === "conservateurA" || persona === "conservateurAutre") return "allow";
      return signedIn ? "forbidden" : "login";
    case "conservateur_departement":
      if (persona === "conservateurA") return "allow";
      return signedIn ? "forbidden" : "login";
    case "admin":
      if (persona === "admin") return "allow";
      if (persona === "adminIncarneA") return rule.keepImpersonation ? "allow" : "stop_impersonation";
      return signedIn ? "forbidden" : "login";
  }
}

describe("route × persona authorization matrix", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  const browsers = new Map<Persona, Browser>();
  const params: Record<string, string> = {};
  let mailId = 0;
  let emailA = "";
  let filesDir = "";

  beforeAll(async () => {
    database = await createTestDatabase();
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), "matrix-files-"));
    const files = new LocalFileStore(filesDir);
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database, files });
    const communeA = await insertCommune(database, { code_insee: "01053", nom: "Bourg-en-Bresse" });
    const communeB = await insertCommune(database, { code_insee: "75056", nom: "Paris" });
    const userA = await insertCommuneUser(database, communeA.id, { email: "mairie-a@example.test" });
    const userB = await insertCommuneUser(database, communeB.id, { email: "mairie-b@example.test" });
    emailA = userA.email;
    const conservateurA = await insertConservateur(database, { departement_codes: ["01"] });
    const conservateurAutre = await insertConservateur(database, { departement_codes: ["75"] });
    const admin = await insertAdmin(database);
    mailId = (
      await enqueueMail(database.db, {
        idempotencyKey: "matrix",
        category: "test",
        from: "a@example.test",
        to: "b@example.test",
        subject: "s",
        html: "<p>h</p>",
        text: "t",
      })
    ).id;
    const edificeA = await insertEdifice(database, { code_insee: communeA.code_insee });
    const objetA = await insertObjet(database, { lieu_actuel_code_insee: communeA.code_insee, edifice: edificeA });
    // Commune A has sent its dossier: one completed recensement with a real stored photo.
    const dossierA = await insertDossier(database, { commune_id: communeA.id, status: "submitted" });
    const recensementA = await insertRecensement(database, { objet_id: objetA.id, dossier_id: dossierA.id, photos_count: 1 });
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#8a6" } })
      .jpeg()
      .toBuffer();
    const photo = await processAndStorePhoto(files, "photos/matrix", jpeg);
    const photoA = await database.db
      .insertInto("photos")
      .values({
        recensement_id: recensementA.id,
        uploaded_by: "commune",
        storage_key: "photos/matrix",
        content_type: "image/jpeg",
        byte_size: jpeg.length,
        width: photo.width,
        height: photo.height,
        sha256: photo.sha256,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const campagneA = await database.db
      .insertInto("campaigns")
      .values({
        departement_code: "01",
        date_lancement: "2099-03-02",
        date_relance1: "2099-03-16",
        date_relance2: "2099-03-30",
        date_relance3: "2099-04-13",
        date_fin: "2099-04-27",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    // Commune A's thread: a message with an attachment (a stored copy of the photo's thumbnail).
    const messageA = await database.db
      .insertInto("messages")
      .values({ commune_id: communeA.id, origin: "web", author_type: "commune", author_id: userA.id, text: "Bonjour" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await files.put("messages/matrix/fichier.jpg", jpeg, "image/jpeg");
    const pieceA = await database.db
      .insertInto("message_attachments")
      .values({
        message_id: messageA.id,
        storage_key: "messages/matrix/fichier.jpg",
        filename: "photo.jpg",
        content_type: "image/jpeg",
        byte_size: jpeg.length,
        kind: "image",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const exportA = await database.db
      .insertInto("pop_exports")
      .values({ base: "memoire", departement_code: "01" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const apiClient = await database.db
      .insertInto("api_clients")
      .values({ name: "Matrice", token_hash: "matrix-token-hash", departement_codes: ["01"] })
      .returning("id")
      .executeTakeFirstOrThrow();
    const commentaire = await database.db
      .insertInto("admin_comments")
      .values({ commune_id: communeA.id, admin_id: admin.id, body: "Appeler la mairie le mardi." })
      .returning("id")
      .executeTakeFirstOrThrow();
    const importRun = await database.db
      .insertInto("import_runs")
      .values({ kind: "palissy", source_file: "palissy.csv", status: "succeeded", details: "{}", errors: "[]", out_of_scope: "{}" })
      .returning("id")
      .executeTakeFirstOrThrow();
    // An open alert of commune A: its recensement was reported en péril.
    const alerteA = await database.db
      .insertInto("alertes")
      .values({
        commune_id: communeA.id,
        departement_code: "01",
        objet_id: objetA.id,
        recensement_id: recensementA.id,
        kind: "peril",
        source: "commune",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    Object.assign(params, {
      admin_id: String(admin.id),
      alerte_id: String(alerteA.id),
      comment_id: String(commentaire.id),
      dossier_id: String(dossierA.id),
      import_run_id: String(importRun.id),
      // A pg-boss job id (uuid): none needs to exist, admin job pages answer 404 for an unknown one.
      job_id: "00000000-0000-4000-8000-000000000000",
      mail_id: String(mailId),
      api_client_id: String(apiClient.id),
      edifice_id: String(edificeA.id),
      export_id: String(exportA.id),
      message_id: String(messageA.id),
      piece_jointe_id: String(pieceA.id),
      campaign_id: String(campagneA.id),
      code_insee: communeA.code_insee,
      code: "01",
      id: String(conservateurA.id),
      objet_id: String(objetA.id),
      etape: "1",
      n: "1",
      photo_id: String(photoA.id),
      recensement_id: String(recensementA.id),
      variant: "vignette",
    });

    const sessions: Record<Persona, Parameters<Browser["withSession"]>[0] | null> = {
      anonymous: null,
      communeA: { account: { type: "commune", id: userA.id } },
      communeB: { account: { type: "commune", id: userB.id } },
      conservateurA: { account: { type: "conservateur", id: conservateurA.id } },
      conservateurAutre: { account: { type: "conservateur", id: conservateurAutre.id } },
      admin: { account: { type: "admin", id: admin.id } },
      adminIncarneA: { account: { type: "admin", id: admin.id }, impersonation: { type: "commune", id: userA.id, write: false } },
    };
    let ip = 0;
    for (const persona of PERSONAS) {
      const browser = new Browser(app, `203.0.113.${++ip}`);
      const session = sessions[persona];
      if (session) browser.withSession(session);
      // Any page with a form gives the persona a CSRF token bound to its session.
      await browser.get(session ? (persona === "adminIncarneA" ? "/communes/01053/objets" : "/") : "/conservateurs/sign_in");
      expect(browser.csrf, persona).not.toBe("");
      browsers.set(persona, browser);
    }
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  function concreteUrl(url: string, rule: AccessRule): string {
    return url.replace(/:(\w+)/g, (_match, name: string) => {
      if (url.startsWith("/dev/mails/") && name === "id") return String(mailId);
      const value = params[name];
      if (value !== undefined) return value;
      // Any value exercises a public route (a 404 is fine); a protected one needs a fixture that means something.
      if (rule.kind === "public" || rule.kind === "dev") return "x";
      throw new Error(`No fixture value for :${name} in ${url}: add one to the matrix test`);
    });
  }

  function check(
    outcome: Outcome,
    response: LightMyRequestResponse,
    context: { url: string; method: string; persona: Persona; rule: AccessRule },
  ) {
    const where = `${context.persona} ${context.method} ${context.url} (${context.rule.kind})`;
    const location = String(response.headers.location ?? "");
    const toLogin = response.statusCode === 303 && LOGIN_PAGES.some((page) => location.startsWith(page));
    switch (outcome) {
      case "allow":
        expect(response.statusCode, where).toBeLessThan(500);
        expect([401, 403], where).not.toContain(response.statusCode);
        if (context.rule.kind !== "anonymous_only") expect(toLogin, `${where} → ${location}`).toBe(false);
        break;
      case "login":
        expect(response.statusCode, where).toBe(303);
        expect(toLogin || (context.rule.kind === "signed_in" && location === "/"), `${where} → ${location}`).toBe(true);
        break;
      case "home":
        expect(response.statusCode, where).toBe(303);
        expect(
          LOGIN_PAGES.some((page) => location.startsWith(page)),
          `${where} → ${location}`,
        ).toBe(false);
        break;
      case "forbidden":
        expect(response.statusCode, where).toBe(403);
        expect(response.body, where).toContain(FORBIDDEN_TEXT);
        expect(response.body, where).not.toContain(emailA);
        break;
      case "read_only":
        expect(response.statusCode, where).toBe(403);
        expect(response.body, where).toContain("lecture seule");
        break;
      case "stop_impersonation":
        expect(response.statusCode, where).toBe(303);
        expect(location, where).toBe(context.method === "GET" ? context.url : "/admin");
        break;
      case "api_unauthorized":
        expect(response.statusCode, where).toBe(401);
        break;
    }
  }

  it("declares a known access rule on every route and gives each persona the expected answer", async () => {
    const routes = app.routeTable;
    expect(routes.length).toBeGreaterThan(10);
    let checked = 0;
    for (const route of routes) {
      const rule = route.access;
      expect(rule, `${route.method} ${route.url} has no access rule`).toBeDefined();
      if (!rule) continue;
      const url = concreteUrl(route.url, rule);
      for (const persona of PERSONAS) {
        const browser = browsers.get(persona)!;
        const response = await app.inject({
          method: route.method as "GET",
          url,
          remoteAddress: browser.ip,
          headers: {
            cookie: browser.cookieHeader(),
            ...(MUTATING.has(route.method) ? { "content-type": "application/x-www-form-urlencoded" } : {}),
          },
          ...(MUTATING.has(route.method) ? { payload: new URLSearchParams({ _csrf: browser.csrf }).toString() } : {}),
        });
        // The campaign calendar is for conservateurs and admins: a signed-in commune (or its impersonation) is refused.
        const expected =
          route.url === "/campaigns.ics" && (persona === "communeA" || persona === "communeB" || persona === "adminIncarneA")
            ? "forbidden"
            : expectedOutcome(rule, persona, route.method);
        check(expected, response, { url, method: route.method, persona, rule });
        checked++;
      }
    }
    expect(checked).toBe(routes.length * PERSONAS.length);
    console.info(`authorization matrix: ${routes.length} routes × ${PERSONAS.length} personas = ${checked} checks`);
    // About 1,600 requests in sequence: minutes on a loaded 2-core machine.
  }, 300_000);

  it("never let commune B or a read-only impersonation write commune A's data", async () => {
    const writes = await database.db
      .selectFrom("audit_events")
      .select(["action", "actor_type", "actor_id", "impersonator_admin_id", "commune_id"])
      .where("action", "not like", "impersonation.%")
      .where("action", "not like", "%sign%")
      .execute();
    const communeA = await database.db.selectFrom("communes").select("id").where("code_insee", "=", "01053").executeTakeFirstOrThrow();
    for (const event of writes.filter((e) => e.commune_id === communeA.id)) {
      expect(event.impersonator_admin_id, JSON.stringify(event)).toBeNull();
      expect(event.actor_type).toBe("commune");
    }
    expect(writes.some((e) => e.action === "impersonation.write")).toBe(false);
  });
});
