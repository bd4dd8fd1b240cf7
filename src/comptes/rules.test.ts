import { describe, expect, it } from "vitest";
import type { AccessRule } from "../platform/http/access.ts";
import {
  ANONYMOUS,
  checkLoginCode,
  communeLanding,
  conservateurLanding,
  conservateurPreferencesMessage,
  decideAccess,
  generateLoginCode,
  homeOf,
  loginCodeMessage,
  loginCodeState,
  normalizeCodeInput,
  passwordErrors,
  passwordTokenState,
  safeReturnPath,
  sessionCookieMaxAgeSeconds,
  sessionFreshness,
  type Identity,
} from "./rules.ts";

const NOW = new Date("2025-03-10T10:00:00Z");
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);
const code = (overrides: Partial<{ code: string; expiresAt: Date; usedAt: Date | null; failedAttempts: number }> = {}) => ({
  code: "123456",
  expiresAt: minutes(30),
  usedAt: null,
  failedAttempts: 0,
  ...overrides,
});

describe("login codes", () => {
  it("are 6 random digits", () => {
    for (let i = 0; i < 200; i++) expect(generateLoginCode()).toMatch(/^[1-9][0-9]{5}$/);
  });

  it("keep only the digits people typed", () => {
    expect(normalizeCodeInput(" 123 456 ")).toBe("123456");
    expect(normalizeCodeInput("123-456")).toBe("123456");
    expect(normalizeCodeInput("abc")).toBe("");
  });

  it("are valid 30 minutes, once, and die after 5 wrong tries", () => {
    expect(loginCodeState(code(), NOW)).toBe("valid");
    expect(loginCodeState(code({ expiresAt: NOW }), NOW)).toBe("expired");
    expect(loginCodeState(code({ usedAt: minutes(-1) }), NOW)).toBe("used");
    expect(loginCodeState(code({ failedAttempts: 4 }), NOW)).toBe("valid");
    expect(loginCodeState(code({ failedAttempts: 5 }), NOW)).toBe("locked");
  });

  it("accept the right code and count down wrong ones", () => {
    expect(checkLoginCode(code(), "123456", NOW)).toEqual({ outcome: "ok" });
    expect(checkLoginCode(code(), "654321", NOW)).toEqual({ outcome: "incorrect", remainingAttempts: 4 });
    expect(checkLoginCode(code({ failedAttempts: 4 }), "654321", NOW)).toEqual({ outcome: "incorrect", remainingAttempts: 0 });
  });

  it("refuse malformed input before looking at any code", () => {
    expect(checkLoginCode(code(), "12345", NOW).outcome).toBe("malformed");
    expect(checkLoginCode(code(), "1234567", NOW).outcome).toBe("malformed");
    expect(checkLoginCode(null, "12a456", NOW).outcome).toBe("malformed");
  });

  it("report a dead code the same way whether the typed code matches or not", () => {
    for (const [row, outcome] of [
      [code({ failedAttempts: 5 }), "locked"],
      [code({ usedAt: NOW }), "used"],
      [code({ expiresAt: minutes(-1) }), "expired"],
    ] as const) {
      expect(checkLoginCode(row, "123456", NOW).outcome).toBe(outcome);
      expect(checkLoginCode(row, "999999", NOW).outcome).toBe(outcome);
    }
    expect(checkLoginCode(null, "123456", NOW).outcome).toBe("no_code");
  });

  it("have a French message for every failure", () => {
    expect(loginCodeMessage({ outcome: "malformed" })).toContain("6 chiffres exactement");
    expect(loginCodeMessage({ outcome: "expired" })).toContain("expiré");
    expect(loginCodeMessage({ outcome: "incorrect", remainingAttempts: 2 })).toContain("encore 2 essais possibles");
    expect(loginCodeMessage({ outcome: "incorrect", remainingAttempts: 1 })).toContain("encore 1 essai possible");
    expect(loginCodeMessage({ outcome: "incorrect", remainingAttempts: 0 })).toContain("n’est plus valable");
    expect(loginCodeMessage({ outcome: "locked" })).toContain("5 essais");
  });
});

describe("passwords", () => {
  it("take 8 to 128 characters of any kind, spaces included", () => {
    expect(passwordErrors("        ", "        ")).toEqual({});
    expect(passwordErrors("é".repeat(8), "é".repeat(8))).toEqual({});
    expect(passwordErrors("1234567", "1234567").password).toBe("Le mot de passe doit contenir au minimum 8 caractères.");
    expect(passwordErrors("x".repeat(129), "x".repeat(129)).password).toContain("maximum 128");
    expect(passwordErrors("x".repeat(128), "x".repeat(128))).toEqual({});
  });

  it("need a matching confirmation", () => {
    expect(passwordErrors("motdepasse", "motdepassf").confirmation).toBe(
      "Les deux mots de passe ne correspondent pas, veuillez réessayer.",
    );
  });

  it("links are single-use and expire", () => {
    expect(passwordTokenState({ expiresAt: minutes(1), usedAt: null }, NOW)).toBe("valid");
    expect(passwordTokenState({ expiresAt: minutes(0), usedAt: null }, NOW)).toBe("expired");
    expect(passwordTokenState({ expiresAt: minutes(60), usedAt: NOW }, NOW)).toBe("used");
  });
});

describe("sessions", () => {
  const HOUR = 3600_000;
  const DAY = 24 * HOUR;
  it("keep communes signed in for 3 months of inactivity, refreshing the cookie at most daily", () => {
    const now = NOW.getTime();
    expect(sessionFreshness("commune", now - 10 * HOUR, now)).toBe("fresh");
    expect(sessionFreshness("commune", now - 2 * DAY, now)).toBe("refresh");
    expect(sessionFreshness("commune", now - 91 * DAY, now)).toBe("refresh");
    expect(sessionFreshness("commune", now - 93 * DAY, now)).toBe("expired");
    expect(sessionCookieMaxAgeSeconds("commune")).toBe(92 * 24 * 3600);
  });

  it("end agents' sessions after 12 hours idle and with the browser", () => {
    const now = NOW.getTime();
    expect(sessionFreshness("conservateur", now - 60_000, now)).toBe("fresh");
    expect(sessionFreshness("admin", now - HOUR, now)).toBe("refresh");
    expect(sessionFreshness("conservateur", now - 13 * HOUR, now)).toBe("expired");
    expect(sessionCookieMaxAgeSeconds("conservateur")).toBeUndefined();
  });
});

describe("landing pages", () => {
  it("send a commune without a completed recensement to the première visite", () => {
    expect(communeLanding("01053", false, "/communes/01053/objets/3")).toBe("/communes/01053/premiere-visite");
    expect(communeLanding("01053", true)).toBe("/communes/01053/objets");
    expect(communeLanding("01053", true, "/communes/01053/dossier")).toBe("/communes/01053/dossier");
    expect(communeLanding("01053", true, "/communes/01004/dossier")).toBe("/communes/01053/objets");
  });

  it("send a conservateur with one département to its dashboard", () => {
    expect(conservateurLanding(["01"])).toBe("/conservateurs/departements/01");
    expect(conservateurLanding(["01", "2A"])).toBe("/conservateurs/departements");
    expect(conservateurLanding([])).toBe("/conservateurs/departements");
  });

  it("follow only paths of this site", () => {
    expect(safeReturnPath("/communes/01053/objets?x=1")).toBe("/communes/01053/objets?x=1");
    expect(safeReturnPath("//evil.example/")).toBeNull();
    expect(safeReturnPath("https://evil.example/")).toBeNull();
    expect(safeReturnPath("/\\evil.example")).toBeNull();
    expect(safeReturnPath(undefined)).toBeNull();
  });
});

describe("preferences messages", () => {
  it("describe the four combinations", () => {
    const messages = [
      conservateurPreferencesMessage(true, true),
      conservateurPreferencesMessage(true, false),
      conservateurPreferencesMessage(false, true),
      conservateurPreferencesMessage(false, false),
    ];
    expect(new Set(messages).size).toBe(4);
    expect(messages[3]).toBe("Vous ne recevrez plus d’emails depuis la plateforme.");
  });
});

describe("access decisions", () => {
  const communeA: Identity = { kind: "commune", communeUserId: 1, communeId: 10, codeInsee: "01053", nom: "Bourg", email: "m@a.test" };
  const communeB: Identity = { ...communeA, communeUserId: 2, communeId: 11, codeInsee: "01004", nom: "Ambérieu" };
  const consA: Identity = { kind: "conservateur", id: 5, departementCodes: ["01"], displayName: "C A" };
  const consOther: Identity = { kind: "conservateur", id: 6, departementCodes: ["75"], displayName: "C O" };
  const admin: Identity = { kind: "admin", id: 9, displayName: "Adm" };
  const impersonatingRead: Identity = { ...communeA, impersonation: { byAdminId: 9, write: false } };
  const impersonatingWrite: Identity = { ...communeA, impersonation: { byAdminId: 9, write: true } };
  const consImpersonated: Identity = { ...consA, impersonation: { byAdminId: 9, write: false } };

  const commune: AccessRule = { kind: "commune", param: "code_insee" };
  const departement: AccessRule = { kind: "conservateur_departement", departement: async () => "01" };
  const get = (params: Record<string, string> = {}, departementCode?: string | null) => ({
    method: "GET",
    params,
    departement: departementCode,
  });
  const post = (params: Record<string, string> = {}, departementCode?: string | null) => ({
    method: "POST",
    params,
    departement: departementCode,
  });

  it("let everyone through public and dev routes", () => {
    for (const identity of [ANONYMOUS, communeA, consA, admin, impersonatingRead]) {
      expect(decideAccess({ kind: "public" }, identity, post()).outcome).toBe("allow");
      expect(decideAccess({ kind: "dev" }, identity, get()).outcome).toBe("allow");
    }
  });

  it("send signed-in people away from login pages, to their home", () => {
    expect(decideAccess({ kind: "anonymous_only" }, ANONYMOUS, get()).outcome).toBe("allow");
    expect(decideAccess({ kind: "anonymous_only" }, communeA, get())).toEqual({
      outcome: "already_signed_in",
      to: "/communes/01053/objets",
      message: "Vous êtes déjà connecté•e.",
    });
    expect(decideAccess({ kind: "anonymous_only" }, consA, get())).toMatchObject({ to: "/conservateurs/departements/01" });
    expect(decideAccess({ kind: "anonymous_only" }, admin, get())).toMatchObject({ to: "/admin" });
    expect(homeOf(consOther)).toBe("/conservateurs/departements/75");
  });

  it("open a commune's pages to that commune only", () => {
    expect(decideAccess(commune, communeA, get({ code_insee: "01053" })).outcome).toBe("allow");
    expect(decideAccess(commune, communeA, post({ code_insee: "01053" })).outcome).toBe("allow");
    for (const identity of [communeB, consA, admin]) {
      expect(decideAccess(commune, identity, get({ code_insee: "01053" })).outcome).toBe("forbidden");
      expect(decideAccess(commune, identity, post({ code_insee: "01053" })).outcome).toBe("forbidden");
    }
    expect(decideAccess(commune, ANONYMOUS, get({ code_insee: "01053" }))).toMatchObject({
      outcome: "login",
      to: "/communes/connexion?code_insee=01053",
    });
    expect(decideAccess(commune, ANONYMOUS, get({ code_insee: "../x" }))).toMatchObject({ to: "/communes/connexion" });
  });

  it("refuse every write during read-only impersonation, audit them in write mode", () => {
    expect(decideAccess(commune, impersonatingRead, get({ code_insee: "01053" })).outcome).toBe("allow");
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      expect(decideAccess(commune, impersonatingRead, { method, params: { code_insee: "01053" } }).outcome).toBe("read_only");
    }
    expect(decideAccess(commune, impersonatingWrite, post({ code_insee: "01053" }))).toEqual({ outcome: "allow", auditWrite: true });
    expect(decideAccess({ kind: "conservateur" }, consImpersonated, post()).outcome).toBe("read_only");
    expect(decideAccess({ kind: "signed_in" }, impersonatingRead, post()).outcome).toBe("allow");
  });

  it("keep conservateurs within their départements", () => {
    expect(decideAccess(departement, consA, get({}, "01")).outcome).toBe("allow");
    expect(decideAccess(departement, consOther, get({}, "01")).outcome).toBe("forbidden");
    expect(decideAccess(departement, consA, get({}, null)).outcome).toBe("not_found");
    expect(decideAccess(departement, consA, get({}, undefined)).outcome).toBe("forbidden");
    expect(decideAccess(departement, ANONYMOUS, get()).outcome).toBe("login");
    for (const identity of [communeA, admin, impersonatingRead])
      expect(decideAccess(departement, identity, get({}, "01")).outcome).toBe("forbidden");
    expect(decideAccess({ kind: "conservateur" }, consOther, get()).outcome).toBe("allow");
    expect(decideAccess({ kind: "conservateur" }, communeA, get()).outcome).toBe("forbidden");
  });

  it("reserve admin pages to admins and stop impersonation there", () => {
    expect(decideAccess({ kind: "admin" }, admin, post()).outcome).toBe("allow");
    expect(decideAccess({ kind: "admin" }, ANONYMOUS, get())).toMatchObject({ outcome: "login", to: "/admin/connexion" });
    expect(decideAccess({ kind: "admin" }, consA, get()).outcome).toBe("forbidden");
    expect(decideAccess({ kind: "admin" }, impersonatingRead, get()).outcome).toBe("stop_impersonation");
    expect(decideAccess({ kind: "admin", keepImpersonation: true }, impersonatingRead, post()).outcome).toBe("allow");
  });

  it("require a token on API routes and a person on signed-in routes", () => {
    expect(decideAccess({ kind: "api_token" }, admin, { method: "GET", params: {}, apiClient: false }).outcome).toBe("api_unauthorized");
    expect(decideAccess({ kind: "api_token" }, ANONYMOUS, { method: "GET", params: {}, apiClient: true }).outcome).toBe("allow");
    expect(decideAccess({ kind: "signed_in" }, ANONYMOUS, post())).toMatchObject({ outcome: "login", to: "/" });
  });
});
