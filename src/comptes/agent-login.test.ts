import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertConservateur } from "../../test/factories.ts";
import {
  Browser,
  auditActions,
  insertAdmin,
  insertCommuneUser,
  latestMail,
  sessionCookie,
  setConservateurPassword,
} from "../../test/factories-comptes.ts";

const PASSWORD = "un mot de passe solide";

describe("conservateur and admin accounts", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let one: { id: number; email: string };
  let two: { id: number; email: string };
  let fresh: { id: number; email: string };
  let admin: { id: number; email: string };
  let ipCounter = 0;
  const browser = () => new Browser(app, `192.0.2.${++ipCounter}`);

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    await insertCommune(database, { code_insee: "01053", nom: "Bourg-en-Bresse" });
    one = await insertConservateur(database, {
      email: "Jeanne.Martin@culture.gouv.fr",
      departement_codes: ["01"],
      last_sign_in_at: new Date(),
    });
    await setConservateurPassword(database, one.id, PASSWORD);
    two = await insertConservateur(database, {
      email: "deux@culture.gouv.fr",
      departement_codes: ["01", "2A"],
      last_sign_in_at: new Date(),
    });
    await setConservateurPassword(database, two.id, PASSWORD);
    fresh = await insertConservateur(database, { email: "nouvelle@culture.gouv.fr", departement_codes: ["01"] });
    admin = await insertAdmin(database, { email: "admin@example.test", password: PASSWORD, last_sign_in_at: new Date() });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });
  beforeEach(async () => {
    await database.db.deleteFrom("rate_limits").execute();
  });

  async function signIn(b: Browser, email: string, password = PASSWORD, remember = true) {
    await b.get("/conservateurs/sign_in");
    return b.post("/conservateurs/sign_in", { email, password, ...(remember ? { remember: "1" } : {}) });
  }

  it("shows the login form with remember-me checked and a show/hide password field", async () => {
    const page = await browser().get("/conservateurs/sign_in");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Connexion conservateur / conservatrice");
    expect(page.body).toMatch(/id="remember" type="checkbox" value="1" checked/);
    expect(page.body).toContain("fr-password__input");
    expect(page.body).toContain('href="/conservateurs/password/new"');
  });

  it("answers the same to a wrong password and an unknown email", async () => {
    const wrong = await signIn(browser(), one.email, "pas le bon mot de passe");
    const unknown = await signIn(browser(), "personne@culture.gouv.fr", PASSWORD);
    for (const response of [wrong, unknown]) {
      expect(response.statusCode).toBe(422);
      expect(response.body).toContain("Email ou mot de passe incorrect.");
    }
    expect(await auditActions(database)).toContain("conservateur.sign_in_failed");
  });

  it("signs in (email case-insensitive) and lands on the only département, or the list", async () => {
    const b = browser();
    const response = await signIn(b, "jeanne.martin@CULTURE.gouv.fr", PASSWORD, false);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe("/conservateurs/departements/01");
    const session = response.cookies.find((c) => c.name === "co_session");
    expect(session?.maxAge).toBeUndefined();
    expect(response.cookies.find((c) => c.name === "co_remember")).toBeUndefined();
    const landing = await b.follow(response);
    expect(landing.statusCode).toBe(200);
    expect(landing.body).toContain("Vous êtes connecté•e.");
    expect(landing.body).toContain("Mon compte");
    const other = await signIn(browser(), two.email);
    expect(other.headers.location).toBe("/conservateurs/departements");
    expect(
      (
        await browser()
          .withSession({ account: { type: "conservateur", id: two.id } })
          .get("/conservateurs/departements")
      ).body,
    ).toContain("2A - Corse-du-Sud");
  });

  it("remembers the conservateur for 2 weeks, until sign-out revokes every token", async () => {
    const b = browser();
    const response = await signIn(b, one.email);
    const remember = response.cookies.find((c) => c.name === "co_remember");
    expect(remember).toMatchObject({ httpOnly: true, sameSite: "Lax", maxAge: 14 * 24 * 3600 });
    const stored = await database.db.selectFrom("remember_tokens").select("token_hash").where("account_id", "=", one.id).execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(remember?.value);

    const nextWeek = browser();
    nextWeek.cookies.set("co_remember", remember!.value);
    expect((await nextWeek.get("/conservateurs/compte")).statusCode).toBe(200);

    await b.get("/conservateurs/compte");
    const out = await b.post("/deconnexion");
    expect(out.statusCode).toBe(303);
    expect(await database.db.selectFrom("remember_tokens").select("id").where("account_id", "=", one.id).execute()).toEqual([]);
    const afterSignOut = browser();
    afterSignOut.cookies.set("co_remember", remember!.value);
    expect((await afterSignOut.get("/conservateurs/compte")).statusCode).toBe(303);
  });

  it("ends a session after 12 hours without activity", async () => {
    const b = browser();
    b.cookies.set("co_session", sessionCookie(app, { account: { type: "conservateur", id: one.id } }, Date.now() - 13 * 3600_000));
    const response = await b.get("/conservateurs/compte");
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe("/conservateurs/sign_in");
    expect((await b.follow(response)).body).toContain("Votre session a expiré");
  });

  it("mails a password link without revealing whether the account exists", async () => {
    const flashes = [];
    for (const email of ["inconnue@culture.gouv.fr", fresh.email]) {
      const b = browser();
      await b.get("/conservateurs/password/new");
      const response = await b.post("/conservateurs/password/new", { email });
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe("/conservateurs/sign_in");
      const page = await b.follow(response);
      flashes.push({
        status: page.statusCode,
        notice: /class="fr-alert[^"]*"[^>]*><p>([^<]*)<\/p>/.exec(page.body)?.[1]?.replace(email, "EMAIL"),
      });
    }
    expect(flashes[0]).toEqual(flashes[1]);
    expect(flashes[0]?.notice).toContain("Si un compte correspond à l’adresse EMAIL, un email vient de lui être envoyé");
    expect(await latestMail(database, "inconnue@culture.gouv.fr")).toBeUndefined();
    const welcome = await latestMail(database, fresh.email);
    expect(welcome?.subject).toBe("Collectif Objets - Bienvenue, définissez votre mot de passe pour accéder à votre compte");
    expect(welcome?.text).toContain("Définir mon mot de passe");

    const b = browser();
    await b.get("/conservateurs/password/new");
    await b.post("/conservateurs/password/new", { email: one.email });
    expect((await latestMail(database, one.email))?.subject).toBe("Collectif Objets - Réinitialisation de votre mot de passe");
    const invalid = await b.post("/conservateurs/password/new", { email: "pas-un-email" });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.body).toContain('aria-describedby="email-error"');
  });

  it("sets the password through the single-use link, signs in, and kills the other links", async () => {
    const b = browser();
    await b.get("/conservateurs/password/new");
    await b.post("/conservateurs/password/new", { email: fresh.email });
    const older = /token=([\w-]+)/.exec((await latestMail(database, fresh.email))!.text)![1]!;
    await b.post("/conservateurs/password/new", { email: fresh.email });
    const token = /token=([\w-]+)/.exec((await latestMail(database, fresh.email))!.text)![1]!;
    expect(token).not.toBe(older);
    expect(JSON.stringify(await database.db.selectFrom("password_tokens").selectAll().execute())).not.toContain(token);

    const form = await b.get(`/conservateurs/password/edit?token=${token}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain("(Re-)définir votre mot de passe conservateur");
    const mismatch = await b.post("/conservateurs/password/edit", { token, password: "abcdefgh", password_confirmation: "abcdefgX" });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.body).toContain("Les deux mots de passe ne correspondent pas, veuillez réessayer");
    const short = await b.post("/conservateurs/password/edit", { token, password: "court", password_confirmation: "court" });
    expect(short.body).toContain("Le mot de passe doit contenir au minimum 8 caractères.");
    const ok = await b.post("/conservateurs/password/edit", {
      token,
      password: "  espaces permis ",
      password_confirmation: "  espaces permis ",
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe("/conservateurs/departements/01");
    expect((await b.follow(ok)).body).toContain("Votre mot de passe a bien été modifié. Vous êtes maintenant connecté•e.");

    for (const used of [token, older]) {
      const again = browser();
      const response = await again.get(`/conservateurs/password/edit?token=${used}`);
      expect(response.headers.location).toBe("/conservateurs/password/new");
      expect((await again.follow(response)).body).toContain("déjà été utilisé");
    }
    expect((await signIn(browser(), fresh.email, "  espaces permis ")).statusCode).toBe(303);
  });

  it("refuses expired and invalid links", async () => {
    const b = browser();
    await b.get("/conservateurs/password/new");
    await b.post("/conservateurs/password/new", { email: two.email });
    const token = /token=([\w-]+)/.exec((await latestMail(database, two.email))!.text)![1]!;
    await database.db
      .updateTable("password_tokens")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("account_id", "=", two.id)
      .execute();
    expect((await b.follow(await b.get(`/conservateurs/password/edit?token=${token}`))).body).toContain("Ce lien a expiré");
    expect((await b.follow(await b.get("/conservateurs/password/edit?token=nimportequoi"))).body).toContain("Ce lien n’est pas valide");
    expect((await b.get("/conservateurs/password/edit?token=a&token=b")).statusCode).toBe(400);
  });

  it("limits sign-in attempts per email", async () => {
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await signIn(browser(), two.email, "mauvais mot de passe")).statusCode);
    expect(statuses.slice(0, 10).every((s) => s === 422)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it("runs the same flows for admins under /admin", async () => {
    const anonymous = browser();
    const bounced = await anonymous.get("/admin/communes");
    expect(bounced.headers.location).toBe("/admin/connexion");
    expect((await anonymous.follow(bounced)).body).toContain("Connectez-vous en tant qu’admin.");
    await anonymous.post("/admin/connexion", { email: admin.email, password: "faux mot de passe" });
    expect(anonymous.last?.statusCode).toBe(422);
    const ok = await anonymous.post("/admin/connexion", { email: admin.email, password: PASSWORD });
    expect(ok.headers.location).toBe("/admin");
    expect((await anonymous.follow(ok)).body).toContain("Administration");

    const b = browser();
    await b.get("/admin/password/new");
    await b.post("/admin/password/new", { email: admin.email });
    const mail = await latestMail(database, admin.email);
    expect(mail?.text).toContain("/admin/password/edit?token=");
    expect(await latestMail(database, one.email)).not.toMatchObject({ id: mail?.id });
    const conservateurLink = await b.post("/conservateurs/password/new", { email: admin.email });
    expect(conservateurLink.statusCode).toBe(303);
    expect((await latestMail(database, admin.email))?.id).toBe(mail?.id);
  });

  it("lets a conservateur edit their profile and change their password", async () => {
    const b = browser().withSession({ account: { type: "conservateur", id: two.id } });
    const page = await b.get("/conservateurs/compte");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Recevoir chaque semaine un récapitulatif de l’activité des communes.");
    const saved = await b.post("/conservateurs/compte", {
      first_name: "Marie",
      last_name: "Curie",
      phone_number: "01 23 45 67 89",
      messages_mail_notifications: "1",
    });
    expect(saved.statusCode).toBe(303);
    expect((await b.follow(saved)).body).toContain(
      "Vous recevrez un email à chaque message reçu, mais plus de récapitulatif hebdomadaire.",
    );
    const row = await database.db.selectFrom("conservateurs").selectAll().where("id", "=", two.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      first_name: "Marie",
      last_name: "Curie",
      phone_number: "01 23 45 67 89",
      messages_mail_notifications: true,
      send_recap: false,
    });
    const badPhone = await b.post("/conservateurs/compte", { first_name: "Marie", last_name: "Curie", phone_number: "<script>" });
    expect(badPhone.statusCode).toBe(422);
    expect(badPhone.body).toContain('aria-describedby="phone_number-error"');
    expect(badPhone.body).not.toContain("<script>");

    const wrongCurrent = await b.post("/conservateurs/compte/mot-de-passe", {
      current_password: "pas le bon",
      password: "nouveau mot de passe",
      password_confirmation: "nouveau mot de passe",
    });
    expect(wrongCurrent.statusCode).toBe(422);
    expect(wrongCurrent.body).toContain("Le mot de passe actuel est incorrect.");
    const changed = await b.post("/conservateurs/compte/mot-de-passe", {
      current_password: PASSWORD,
      password: "nouveau mot de passe",
      password_confirmation: "nouveau mot de passe",
    });
    expect(changed.statusCode).toBe(303);
    await database.db.deleteFrom("rate_limits").execute();
    expect((await signIn(browser(), two.email, "nouveau mot de passe")).statusCode).toBe(303);
    expect(await auditActions(database)).toEqual(expect.arrayContaining(["conservateur.profile_updated", "conservateur.password_changed"]));
  });

  it("lets a commune switch message notifications", async () => {
    const commune = await insertCommune(database, { code_insee: "01004", nom: "Ambérieu-en-Bugey" });
    const user = await insertCommuneUser(database, commune.id);
    const b = browser().withSession({ account: { type: "commune", id: user.id } });
    const page = await b.get("/communes/01004/preferences");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(user.email);
    const off = await b.follow(await b.post("/communes/01004/preferences", {}));
    expect(off.body).toContain("Vous ne recevrez plus d’email à chaque message reçu");
    const on = await b.follow(await b.post("/communes/01004/preferences", { messages_mail_notifications: "1" }));
    expect(on.body).toContain("Vous recevrez maintenant un email à chaque message reçu");
    const event = await database.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "commune.preferences_updated")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      actor_type: "commune",
      actor_id: user.id,
      before: { messages_mail_notifications: false },
      after: { messages_mail_notifications: true },
    });
  });
});
