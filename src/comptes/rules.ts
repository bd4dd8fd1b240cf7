import crypto from "node:crypto";
import type { AccessRule } from "../platform/http/access.ts";
import { isMutatingMethod } from "../platform/http/access.ts";

// ——— Who is making the request ———

export type Impersonation = { byAdminId: number; write: boolean };

export type Identity =
  | { kind: "anonymous" }
  | {
      kind: "commune";
      communeUserId: number;
      communeId: number;
      codeInsee: string;
      nom: string;
      email: string;
      /** Messages of the other side not read yet (navigation badge of the messagerie). */
      messagesNonLus?: number;
      impersonation?: Impersonation;
    }
  | {
      kind: "conservateur";
      id: number;
      departementCodes: string[];
      displayName: string;
      /** Threads of the départements with a commune message not read yet (navigation badge). */
      filsNonLus?: number;
      impersonation?: Impersonation;
    }
  | { kind: "admin"; id: number; displayName: string };

export const ANONYMOUS: Identity = { kind: "anonymous" };

// ——— Commune login codes ———

export const LOGIN_CODE_TTL_MINUTES = 30;
export const LOGIN_CODE_MAX_FAILURES = 5;

export type LoginCodeRow = { code: string; expiresAt: Date; usedAt: Date | null; failedAttempts: number };
export type LoginCodeState = "valid" | "used" | "expired" | "locked";

export function loginCodeState(code: LoginCodeRow, now: Date): LoginCodeState {
  if (code.usedAt) return "used";
  if (code.failedAttempts >= LOGIN_CODE_MAX_FAILURES) return "locked";
  if (code.expiresAt.getTime() <= now.getTime()) return "expired";
  return "valid";
}

/** People copy codes with spaces or dashes ("123 456"): only the digits count. */
export function normalizeCodeInput(raw: string): string {
  return raw.replace(/\D/g, "");
}

export type LoginCodeCheck =
  | { outcome: "ok" }
  | { outcome: "malformed" }
  | { outcome: "no_code" }
  | { outcome: "used" }
  | { outcome: "expired" }
  | { outcome: "locked" }
  | { outcome: "incorrect"; remainingAttempts: number };

/**
 * Checks a typed code against the commune's latest code. A dead code (used, expired, locked) is reported
 * as such whatever was typed, so a locked code cannot be brute-forced by watching the messages.
 */
export function checkLoginCode(latest: LoginCodeRow | null, input: string, now: Date): LoginCodeCheck {
  if (!/^[0-9]{6}$/.test(input)) return { outcome: "malformed" };
  if (!latest) return { outcome: "no_code" };
  const state = loginCodeState(latest, now);
  if (state !== "valid") return { outcome: state };
  if (!crypto.timingSafeEqual(Buffer.from(latest.code), Buffer.from(input))) {
    return { outcome: "incorrect", remainingAttempts: Math.max(0, LOGIN_CODE_MAX_FAILURES - latest.failedAttempts - 1) };
  }
  return { outcome: "ok" };
}

export function loginCodeMessage(check: Exclude<LoginCodeCheck, { outcome: "ok" }>): string {
  switch (check.outcome) {
    case "malformed":
      return "Code mal saisi : le code de connexion est composé de 6 chiffres exactement. Vérifiez le code reçu par email.";
    case "no_code":
      return "Aucun code de connexion n’est en cours pour cette commune : demandez un nouveau code de connexion.";
    case "used":
      return "Ce code de connexion a déjà été utilisé : un code ne sert qu’une fois. Demandez un nouveau code de connexion.";
    case "expired":
      return `Code expiré : un code est valable ${LOGIN_CODE_TTL_MINUTES} minutes. Demandez un nouveau code de connexion.`;
    case "locked":
      return `Ce code n’est plus valable après ${LOGIN_CODE_MAX_FAILURES} essais incorrects : demandez un nouveau code de connexion.`;
    case "incorrect":
      return check.remainingAttempts > 0
        ? `Code incorrect. Vérifiez le code reçu dans le dernier email envoyé (encore ${check.remainingAttempts} essai${check.remainingAttempts > 1 ? "s" : ""} possible${check.remainingAttempts > 1 ? "s" : ""}).`
        : `Code incorrect. Ce code n’est plus valable après ${LOGIN_CODE_MAX_FAILURES} essais incorrects : demandez un nouveau code de connexion.`;
  }
}

export function generateLoginCode(): string {
  return String(crypto.randomInt(100_000, 1_000_000));
}

// ——— Passwords and password links ———

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
export const PASSWORD_TOKEN_TTL_HOURS = 6;

export type PasswordErrors = { password?: string; confirmation?: string };

/** Every character is allowed (spaces included); only the length is constrained. */
export function passwordErrors(password: string, confirmation: string): PasswordErrors {
  const errors: PasswordErrors = {};
  if ([...password].length < PASSWORD_MIN_LENGTH)
    errors.password = `Le mot de passe doit contenir au minimum ${PASSWORD_MIN_LENGTH} caractères.`;
  else if ([...password].length > PASSWORD_MAX_LENGTH)
    errors.password = `Le mot de passe doit contenir au maximum ${PASSWORD_MAX_LENGTH} caractères.`;
  if (password !== confirmation) errors.confirmation = "Les deux mots de passe ne correspondent pas, veuillez réessayer.";
  return errors;
}

export type PasswordTokenState = "valid" | "used" | "expired";

export function passwordTokenState(token: { expiresAt: Date; usedAt: Date | null }, now: Date): PasswordTokenState {
  if (token.usedAt) return "used";
  if (token.expiresAt.getTime() <= now.getTime()) return "expired";
  return "valid";
}

export function passwordTokenMessage(state: Exclude<PasswordTokenState, "valid"> | "invalid"): string {
  switch (state) {
    case "invalid":
      return "Ce lien n’est pas valide. Demandez un nouveau lien ci-dessous.";
    case "used":
      return "Ce lien a déjà été utilisé : un lien ne sert qu’une fois. Demandez un nouveau lien ci-dessous si besoin.";
    case "expired":
      return `Ce lien a expiré : il est valable ${PASSWORD_TOKEN_TTL_HOURS} heures. Demandez un nouveau lien ci-dessous.`;
  }
}

/** Secrets in links and cookies are random; only their SHA-256 is stored, so a database leak opens no account. */
export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

export function generateToken(): string {
  return crypto.randomBytes(32).toString("base64url");
}

// ——— Sessions ———

export type AccountType = "commune" | "conservateur" | "admin";

export const REMEMBER_ME_DAYS = 14;
const DAY = 24 * 3600 * 1000;
const IDLE = { commune: 92 * DAY, agent: 12 * 3600 * 1000 } as const;
/** How stale `seenAt` may get before the cookie is rewritten: rarely for communes, often enough for a 12-hour idle limit. */
const REFRESH = { commune: DAY, agent: 5 * 60 * 1000 } as const;

export function sessionFreshness(type: AccountType, seenAt: number, now: number): "fresh" | "refresh" | "expired" {
  const profile = type === "commune" ? "commune" : "agent";
  const idle = now - seenAt;
  if (idle > IDLE[profile]) return "expired";
  return idle > REFRESH[profile] ? "refresh" : "fresh";
}

/** Cookie lifetime: communes stay signed in for 3 months of inactivity; agents' sessions end with the browser. */
export function sessionCookieMaxAgeSeconds(type: AccountType): number | undefined {
  return type === "commune" ? IDLE.commune / 1000 : undefined;
}

// ——— Where people land ———

export function communeHome(codeInsee: string): string {
  return `/communes/${codeInsee}/objets`;
}

export function communeLanding(codeInsee: string, hasCompletedRecensement: boolean, returnTo?: string | null): string {
  if (!hasCompletedRecensement) return `/communes/${codeInsee}/premiere-visite`;
  if (returnTo && returnTo.startsWith(`/communes/${codeInsee}/`)) return returnTo;
  return communeHome(codeInsee);
}

export function conservateurLanding(departementCodes: string[]): string {
  return departementCodes.length === 1 ? `/conservateurs/departements/${departementCodes[0]}` : "/conservateurs/departements";
}

export function homeOf(identity: Identity): string {
  switch (identity.kind) {
    case "anonymous":
      return "/";
    case "commune":
      return communeHome(identity.codeInsee);
    case "conservateur":
      return conservateurLanding(identity.departementCodes);
    case "admin":
      return "/admin";
  }
}

/** Only paths of this site (no scheme, no `//host`) are followed after a form. */
export function safeReturnPath(value: string | undefined | null): string | null {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return null;
  return value;
}

// ——— Authorization ———

export type AccessDecision =
  | { outcome: "allow"; auditWrite: boolean }
  | { outcome: "login"; to: string; message: string }
  | { outcome: "already_signed_in"; to: string; message: string }
  | { outcome: "forbidden" }
  | { outcome: "read_only" }
  | { outcome: "stop_impersonation" }
  | { outcome: "not_found" }
  | { outcome: "api_unauthorized" };

export type AccessContext = {
  method: string;
  params: Record<string, string | undefined>;
  /** Département designated by the URL, for `conservateur_departement` rules (null: no such record). */
  departement?: string | null;
  /** Whether a valid API token came with the request, for `api_token` rules. */
  apiClient?: boolean;
  /** Whether the configured shared secret came with the request, for `shared_secret` rules. */
  sharedSecret?: boolean;
};

export const MESSAGES = {
  alreadySignedIn: "Vous êtes déjà connecté•e.",
  communeRequired: "Vous n’êtes pas connecté•e avec le compte de cette commune : connectez-vous pour accéder à cette page.",
  conservateurRequired: "Vous n’êtes pas connecté•e en tant que conservateur ou conservatrice.",
  adminRequired: "Connectez-vous en tant qu’admin.",
  signedInRequired: "Vous n’êtes pas connecté•e.",
  forbidden: "Vous n’avez pas le droit de faire cette action.",
  readOnly: "Vous incarnez ce compte en mode lecture seule : passez en mode écriture pour faire cette action.",
} as const;

const ALLOW = { outcome: "allow", auditWrite: false } as const;

/** Decides, from the route's declared rule alone, what happens to this request. */
export function decideAccess(rule: AccessRule, identity: Identity, context: AccessContext): AccessDecision {
  switch (rule.kind) {
    case "public":
    case "dev":
      return ALLOW;
    case "api_token":
      return context.apiClient ? ALLOW : { outcome: "api_unauthorized" };
    case "shared_secret":
      return context.sharedSecret ? ALLOW : { outcome: "api_unauthorized" };
    case "anonymous_only":
      return identity.kind === "anonymous"
        ? ALLOW
        : { outcome: "already_signed_in", to: homeOf(identity), message: MESSAGES.alreadySignedIn };
    case "signed_in":
      return identity.kind === "anonymous" ? { outcome: "login", to: "/", message: MESSAGES.signedInRequired } : ALLOW;
    case "admin":
      if (identity.kind === "admin") return ALLOW;
      if (identity.kind !== "anonymous" && identity.impersonation)
        return rule.keepImpersonation ? ALLOW : { outcome: "stop_impersonation" };
      return identity.kind === "anonymous"
        ? { outcome: "login", to: "/admin/connexion", message: MESSAGES.adminRequired }
        : { outcome: "forbidden" };
    case "commune": {
      const codeInsee = context.params[rule.param];
      if (identity.kind === "anonymous") {
        const query = codeInsee && /^[0-9][0-9AB][0-9]{3}$/.test(codeInsee) ? `?code_insee=${codeInsee}` : "";
        return { outcome: "login", to: `/communes/connexion${query}`, message: MESSAGES.communeRequired };
      }
      if (identity.kind !== "commune" || identity.codeInsee !== codeInsee) return { outcome: "forbidden" };
      return impersonationGate(identity.impersonation, context.method);
    }
    case "conservateur":
    case "conservateur_departement": {
      if (identity.kind === "anonymous") return { outcome: "login", to: "/conservateurs/sign_in", message: MESSAGES.conservateurRequired };
      if (identity.kind !== "conservateur") return { outcome: "forbidden" };
      if (rule.kind === "conservateur_departement") {
        if (context.departement === null) return { outcome: "not_found" };
        if (!context.departement || !identity.departementCodes.includes(context.departement)) return { outcome: "forbidden" };
      }
      return impersonationGate(identity.impersonation, context.method);
    }
  }
}

function impersonationGate(impersonation: Impersonation | undefined, method: string): AccessDecision {
  if (!impersonation || !isMutatingMethod(method)) return ALLOW;
  return impersonation.write ? { outcome: "allow", auditWrite: true } : { outcome: "read_only" };
}

// ——— Preferences ———

export function communeNotificationsMessage(enabled: boolean): string {
  return enabled
    ? "Vous recevrez maintenant un email à chaque message reçu sur la plateforme."
    : "Vous ne recevrez plus d’email à chaque message reçu sur la plateforme.";
}

export function conservateurPreferencesMessage(messages: boolean, recap: boolean): string {
  if (messages && recap) return "Vous recevrez un email à chaque message reçu et un récapitulatif hebdomadaire de l’activité des communes.";
  if (messages) return "Vous recevrez un email à chaque message reçu, mais plus de récapitulatif hebdomadaire.";
  if (recap) return "Vous recevrez un récapitulatif hebdomadaire de l’activité des communes, mais plus d’email à chaque message reçu.";
  return "Vous ne recevrez plus d’emails depuis la plateforme.";
}
