import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertDossier, insertObjet, insertRecensement } from "../../test/factories.ts";
import { Browser, auditActions, insertCommuneUser, latestMail } from "../../test/factories-comptes.ts";

describe("commune login by emailed code", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let bourg: { id: number; code_insee: string; nom: string };
  let sansEmail: { code_insee: string; nom: string };
  let completed: { id: number; code_insee: string };
  const emailBourg = "mairie@bourg.example.test";
  let ipCounter = 0;
  const browser = () => new Browser(app, `198.51.100.${++ipCounter}`);

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    bourg = await insertCommune(database, { code_insee: "01053", nom: "Bourg-en-Bresse", objets_count: 3 });
    await insertCommuneUser(database, bourg.id, { email: emailBourg });
    sansEmail = await insertCommune(database, { code_insee: "01004", nom: "Ambérieu-en-Bugey" });
    completed = await insertCommune(database, { code_insee: "01007", nom: "Ambronay" });
    await insertCommuneUser(database, completed.id, { email: "mairie@ambronay.example.test" });
    const objet = await insertObjet(database, { lieu_actuel_code_insee: completed.code_insee });
    const dossier = await insertDossier(database, { commune_id: completed.id });
    await insertRecensement(database, { objet_id: objet.id, dossier_id: dossier.id });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });
  beforeEach(async () => {
    await database.db.deleteFrom("rate_limits").execute();
  });

  async function requestCode(b: Browser, codeInsee = bourg.code_insee) {
    await b.get(`/communes/connexion?code_insee=${codeInsee}`);
    return b.post("/communes/connexion", { code_insee: codeInsee });
  }

  async function currentCode(communeUserEmail = emailBourg) {
    const mail = await latestMail(database, communeUserEmail);
    return /\b(\d{6})\b/.exec(mail?.text ?? "")?.[1] ?? "";
  }

  it("walks département → commune without JavaScript", async () => {
    const b = browser();
    const step1 = await b.get("/communes/connexion");
    expect(step1.statusCode).toBe(200);
    expect(step1.body).toContain("Choisir le département");
    expect(step1.body).toContain(">01 - Ain</option>");
    const step2 = await b.get("/communes/connexion?departement=01");
    expect(step2.body).toContain("Choisir la commune");
    expect(step2.body).toContain("Bourg-en-Bresse (01053)");
    const step3 = await b.get("/communes/connexion?departement=01&code_insee=01053");
    expect(step3.body).toContain(`Le code de connexion sera envoyé par email à <strong>${emailBourg}</strong>`);
    expect(step3.body).toContain("Recevoir un code de connexion");
    expect(step3.body).toContain('href="/communes/connexion/code?code_insee=01053"');
    expect(step3.body).toContain("Connectez-vous pour recenser les 3 objets protégés de Bourg-en-Bresse");
  });

  it("explains when the commune has no email, and rejects a commune of another département", async () => {
    const b = browser();
    const none = await b.get(`/communes/connexion?code_insee=${sansEmail.code_insee}`);
    expect(none.body).toContain("Pas d’adresse email pour cette commune");
    expect(none.body).toContain("lannuaire.service-public.fr");
    expect(none.body).not.toContain("Recevoir un code de connexion");
    const mismatch = await b.get("/communes/connexion?departement=02&code_insee=01053");
    expect(mismatch.statusCode).toBe(303);
    expect(mismatch.headers.location).toBe("/communes/connexion");
    expect((await b.follow(mismatch)).body).toContain("choisissez d’abord votre département");
  });

  it("answers tampered parameters with a French 400 page", async () => {
    const b = browser();
    for (const url of [
      "/communes/connexion?departement=01&departement=02",
      "/communes/connexion?code_insee=01053%27--",
      "/communes/connexion/code?code_insee=01053&code_insee=01004",
    ]) {
      const response = await b.get(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.body).toContain("Demande invalide");
    }
    const bracketed = await b.get("/communes/connexion?code_insee[$eq]=01053");
    expect(bracketed.statusCode).toBe(200);
    expect(bracketed.body).toContain("Choisir le département");
    await b.get("/communes/connexion?code_insee=01053");
    const post = await app.inject({
      method: "POST",
      url: "/communes/connexion",
      payload: `_csrf=${encodeURIComponent(b.csrf)}&code_insee=01053&code_insee=01004`,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        cookie: `co_session=${encodeURIComponent(b.cookies.get("co_session") ?? "")}`,
      },
      remoteAddress: b.ip,
    });
    expect(post.statusCode).toBe(400);
  });

  it("mails a 6-digit code with a pre-filled link, and re-sends the same code while it is valid", async () => {
    const b = browser();
    const response = await requestCode(b);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe("/communes/connexion/code?code_insee=01053");
    const first = await latestMail(database, emailBourg);
    expect(first?.subject).toMatch(/^Code de connexion Collectif Objets - envoyé à \d{2}h\d{2} le \d{2}\/\d{2}\/\d{4}$/);
    const code = await currentCode();
    expect(code).toMatch(/^\d{6}$/);
    expect(first?.html).toContain(`/communes/connexion/code?code_insee=01053&amp;code=${code}`);
    expect(first?.text).toContain("valable jusqu’à");
    const page = await b.follow(response);
    expect(page.body).toContain(`Un code de connexion vient d’être envoyé à ${emailBourg}.`);
    expect(page.body).toContain('autocomplete="one-time-code"');
    expect(page.body).toContain('inputmode="numeric"');

    const again = await b.follow(await b.post("/communes/connexion", { code_insee: "01053" }));
    expect(again.body).toContain("toujours valable, vient d’être renvoyé");
    const second = await latestMail(database, emailBourg);
    expect(second?.id).not.toBe(first?.id);
    expect(second?.idempotency_key).not.toBe(first?.idempotency_key);
    expect(await currentCode()).toBe(code);
  });

  it("pre-fills the code from the mail link without consuming it", async () => {
    const b = browser();
    await requestCode(b);
    const code = await currentCode();
    const page = await b.get(`/communes/connexion/code?code_insee=01053&code=${code}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`value="${code}"`);
    expect(page.body).toContain(`Le code de connexion a été envoyé à <strong>${emailBourg}</strong>`);
    expect(b.cookies.has("co_session")).toBe(true);
    expect((await b.get("/communes/01053/preferences")).statusCode).toBe(303);
    const signedIn = await b.post("/communes/connexion/code", { code_insee: "01053", code });
    expect(signedIn.statusCode).toBe(303);
  });

  it("signs in with the right code (spaces allowed), once, and lands on the première visite", async () => {
    const b = browser();
    await requestCode(b);
    const code = await currentCode();
    const response = await b.post("/communes/connexion/code", { code_insee: "01053", code: `${code.slice(0, 3)} ${code.slice(3)}` });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe("/communes/01053/premiere-visite");
    const cookie = response.cookies.find((c) => c.name === "co_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(cookie?.maxAge).toBe(92 * 24 * 3600);
    expect(cookie?.value).not.toContain(code);
    const landing = await b.follow(response);
    expect(landing.statusCode).toBe(200);
    expect(landing.body).toContain("Recensez vos objets en 3 étapes");
    expect(landing.body).toContain("Vous êtes maintenant connecté•e.");
    expect(landing.body).toContain("Voir les objets de Bourg-en-Bresse");
    expect(landing.body).toContain('action="/deconnexion"');
    const user = await database.db
      .selectFrom("commune_users")
      .select("last_sign_in_at")
      .where("commune_id", "=", bourg.id)
      .executeTakeFirstOrThrow();
    expect(user.last_sign_in_at).not.toBeNull();

    const other = browser();
    await other.get("/communes/connexion/code?code_insee=01053");
    const reuse = await other.post("/communes/connexion/code", { code_insee: "01053", code });
    expect(reuse.statusCode).toBe(422);
    expect(reuse.body).toContain("déjà été utilisé");
  });

  it("sends a signed-in commune away from the login pages", async () => {
    const b = browser();
    await requestCode(b);
    await b.post("/communes/connexion/code", { code_insee: "01053", code: await currentCode() });
    const again = await b.get("/communes/connexion");
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe("/communes/01053/objets");
    expect((await b.follow(again)).body).toContain("Vous êtes déjà connecté•e.");
  });

  it("says what is wrong with a typed code, and kills the code after 5 wrong tries", async () => {
    const b = browser();
    await requestCode(b);
    const code = await currentCode();
    const wrong = code === "999999" ? "888888" : "999999";
    const empty = await b.post("/communes/connexion/code", { code_insee: "01053", code: "" });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain("Saisissez le code de connexion reçu par email.");
    expect(empty.body).toContain('aria-describedby="code-hint code-error"');
    const short = await b.post("/communes/connexion/code", { code_insee: "01053", code: "12345" });
    expect(short.body).toContain("6 chiffres exactement");
    for (let attempt = 1; attempt <= 5; attempt++) {
      const response = await b.post("/communes/connexion/code", { code_insee: "01053", code: wrong });
      expect(response.statusCode).toBe(422);
      expect(response.body).toContain("Code incorrect");
    }
    const locked = await b.post("/communes/connexion/code", { code_insee: "01053", code });
    expect(locked.statusCode).toBe(422);
    expect(locked.body).toContain("n’est plus valable après 5 essais incorrects");
    await b.post("/communes/connexion", { code_insee: "01053" });
    const fresh = await currentCode();
    const codes = await database.db.selectFrom("login_codes").select("id").execute();
    expect(codes.length).toBeGreaterThan(1);
    const ok = await b.post("/communes/connexion/code", { code_insee: "01053", code: fresh });
    expect(ok.statusCode).toBe(303);
  });

  it("refuses an expired code", async () => {
    const b = browser();
    await requestCode(b);
    const code = await currentCode();
    await database.db
      .updateTable("login_codes")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("code", "=", code)
      .execute();
    const response = await b.post("/communes/connexion/code", { code_insee: "01053", code });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain("Code expiré");
  });

  it("sends a visitor of a commune page to the login with that commune, and back to the page after signing in", async () => {
    const b = browser();
    const bounced = await b.get(`/communes/${completed.code_insee}/preferences`);
    expect(bounced.statusCode).toBe(303);
    expect(bounced.headers.location).toBe(`/communes/connexion?code_insee=${completed.code_insee}`);
    const login = await b.follow(bounced);
    expect(login.body).toContain("Vous n’êtes pas connecté•e avec le compte de cette commune");
    expect(login.body).toContain("Ambronay (01007)");
    await b.post("/communes/connexion", { code_insee: completed.code_insee });
    const code = await currentCode("mairie@ambronay.example.test");
    const response = await b.post("/communes/connexion/code", { code_insee: completed.code_insee, code });
    expect(response.headers.location).toBe(`/communes/${completed.code_insee}/preferences`);
  });

  it("refuses a form without its CSRF token", async () => {
    const b = browser();
    await b.get("/communes/connexion?code_insee=01053");
    const response = await b.post("/communes/connexion", { code_insee: "01053" }, { csrf: false });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain("Formulaire expiré");
    const forged = await b.post("/communes/connexion", { code_insee: "01053", _csrf: "forged" });
    expect(forged.statusCode).toBe(403);
  });

  it("accepts the CSRF token in the query string or a header, for multipart forms", async () => {
    const b = browser();
    await b.get("/communes/connexion?code_insee=01053");
    const send = (url: string, headers: Record<string, string> = {}) =>
      app.inject({
        method: "POST",
        url,
        payload: "code_insee=01053",
        remoteAddress: b.ip,
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: b.cookieHeader(), ...headers },
      });
    expect((await send(`/communes/connexion?_csrf=${encodeURIComponent(b.csrf)}`)).statusCode).toBe(303);
    expect((await send("/communes/connexion", { "x-csrf-token": b.csrf })).statusCode).toBe(303);
    expect((await send("/communes/connexion", { "x-csrf-token": "forged" })).statusCode).toBe(403);
  });

  it("limits code requests per commune and per IP", async () => {
    const b = browser();
    await b.get("/communes/connexion?code_insee=01053");
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await b.post("/communes/connexion", { code_insee: "01053" })).statusCode);
    expect(statuses).toEqual([303, 303, 303, 303, 303, 429]);
    const limited = b.last!;
    expect(limited.body).toContain("Trop de tentatives");
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    const otherIp = browser();
    await otherIp.get("/communes/connexion?code_insee=01053");
    expect((await otherIp.post("/communes/connexion", { code_insee: "01053" })).statusCode).toBe(429);

    await database.db.deleteFrom("rate_limits").execute();
    const verifier = browser();
    await verifier.get("/communes/connexion/code?code_insee=01007");
    const verifyStatuses = [];
    for (let i = 0; i < 21; i++)
      verifyStatuses.push((await verifier.post("/communes/connexion/code", { code_insee: "01007", code: "000000" })).statusCode);
    expect(verifyStatuses.at(-1)).toBe(429);
  });

  it("signs out with a POST, and audits without secrets", async () => {
    const b = browser();
    await requestCode(b);
    const code = await currentCode();
    await b.post("/communes/connexion/code", { code_insee: "01053", code });
    await b.get("/communes/01053/preferences");
    const out = await b.post("/deconnexion");
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe("/");
    expect((await b.get("/communes/01053/preferences")).statusCode).toBe(303);
    const actions = await auditActions(database);
    expect(actions).toEqual(
      expect.arrayContaining(["commune.login_code_requested", "commune.sign_in", "commune.sign_in_failed", "commune.sign_out"]),
    );
    const rows = await database.db.selectFrom("audit_events").selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(code);
  });
});
