import argon2 from "argon2";
import type { Kysely } from "kysely";
import type { Config } from "../config.ts";
import { audit } from "../platform/audit.ts";
import type { DB } from "../platform/db/schema.ts";
import { enqueueMail } from "../platform/mail/outbox.ts";
import { passwordLinkMail } from "./mails.ts";
import {
  consumePasswordTokens,
  createPasswordToken,
  createRememberToken,
  findAgent,
  findAgentByEmail,
  findPasswordToken,
  markAgentSignIn,
  revokeRememberTokens,
  setAgentPassword,
  type Agent,
  type AgentType,
} from "./repository.ts";
import {
  PASSWORD_TOKEN_TTL_HOURS,
  REMEMBER_ME_DAYS,
  generateToken,
  hashToken,
  passwordTokenState,
  type PasswordTokenState,
} from "./rules.ts";

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

// Verifying against a throw-away hash when the account does not exist keeps both answers equally slow.
let decoyHash: Promise<string> | undefined;

async function passwordMatches(agent: Agent | undefined, password: string): Promise<boolean> {
  if (!agent?.passwordHash) {
    decoyHash ??= hashPassword("collectif-objets-decoy");
    await argon2.verify(await decoyHash, password);
    return false;
  }
  try {
    return await argon2.verify(agent.passwordHash, password);
  } catch {
    return false;
  }
}

/** An account deactivated by an admin (0010_admin) signs in with nothing and receives no password link. */
async function isDeactivated(db: Kysely<DB>, type: AgentType, id: number): Promise<boolean> {
  const row =
    type === "admin"
      ? await db.selectFrom("admins").select("deactivated_at").where("id", "=", id).executeTakeFirst()
      : await db.selectFrom("conservateurs").select("deactivated_at").where("id", "=", id).executeTakeFirst();
  return Boolean(row?.deactivated_at);
}

export async function authenticate(db: Kysely<DB>, type: AgentType, email: string, password: string, ip: string): Promise<Agent | null> {
  const found = await findAgentByEmail(db, type, email);
  const deactivated = found ? await isDeactivated(db, type, found.id) : false;
  const agent = deactivated ? undefined : found;
  const ok = await passwordMatches(agent, password);
  if (ok && agent) await markAgentSignIn(db, type, agent.id);
  await audit(db, {
    actor: ok && agent ? { type, id: agent.id } : { type: "anonymous", id: null },
    action: ok ? `${type}.sign_in` : `${type}.sign_in_failed`,
    subject: found ? { type, id: found.id } : undefined,
    after: ok ? { method: "password" } : { reason: deactivated ? "deactivated" : agent ? "wrong_password" : "unknown_email" },
    ip,
  });
  return ok && agent ? agent : null;
}

/** Returns the cookie value; only its hash is stored. */
export async function rememberAgent(db: Kysely<DB>, type: AgentType, id: number): Promise<{ token: string; maxAgeSeconds: number }> {
  const token = generateToken();
  const maxAgeSeconds = REMEMBER_ME_DAYS * 24 * 3600;
  await createRememberToken(db, type, id, hashToken(token), new Date(Date.now() + maxAgeSeconds * 1000));
  return { token, maxAgeSeconds };
}

export async function forgetAgent(db: Kysely<DB>, type: AgentType, id: number): Promise<void> {
  await revokeRememberTokens(db, type, id);
}

/** The caller answers the same whatever happens here: no account enumeration. */
export async function requestPasswordLink(
  db: Kysely<DB>,
  config: Pick<Config, "publicUrl" | "mailFrom">,
  type: AgentType,
  email: string,
  ip: string,
): Promise<void> {
  const agent = await findAgentByEmail(db, type, email);
  if (!agent || (await isDeactivated(db, type, agent.id))) {
    await audit(db, { actor: { type: "anonymous", id: null }, action: `${type}.password_link_requested`, after: { known: false }, ip });
    return;
  }
  await db.transaction().execute(async (trx) => {
    const token = generateToken();
    const tokenId = await createPasswordToken(
      trx,
      type,
      agent.id,
      hashToken(token),
      new Date(Date.now() + PASSWORD_TOKEN_TTL_HOURS * 3600_000),
    );
    await enqueueMail(
      trx,
      passwordLinkMail(config, {
        type,
        to: agent.email,
        tokenId,
        token,
        firstSignIn: agent.lastSignInAt === null,
        validHours: PASSWORD_TOKEN_TTL_HOURS,
      }),
    );
    await audit(trx, {
      actor: { type: "anonymous", id: null },
      action: `${type}.password_link_requested`,
      subject: { type, id: agent.id },
      after: { known: true },
      ip,
    });
  });
}

export type PasswordLink = { state: "invalid" } | { state: PasswordTokenState; tokenId: number; accountId: number };

export async function checkPasswordLink(db: Kysely<DB>, type: AgentType, token: string): Promise<PasswordLink> {
  const row = token ? await findPasswordToken(db, type, hashToken(token)) : undefined;
  if (!row) return { state: "invalid" };
  return {
    state: passwordTokenState({ expiresAt: row.expires_at, usedAt: row.used_at }, new Date()),
    tokenId: row.id,
    accountId: row.account_id,
  };
}

/** Sets the password through a mailed link; the link and every other pending link of the account die. */
export async function resetPassword(
  db: Kysely<DB>,
  type: AgentType,
  link: { tokenId: number; accountId: number },
  password: string,
  ip: string,
): Promise<boolean> {
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    if (!(await consumePasswordTokens(trx, type, link.accountId, link.tokenId))) return false;
    await setAgentPassword(trx, type, link.accountId, passwordHash);
    await revokeRememberTokens(trx, type, link.accountId);
    await markAgentSignIn(trx, type, link.accountId);
    await audit(trx, {
      actor: { type, id: link.accountId },
      action: `${type}.password_changed`,
      subject: { type, id: link.accountId },
      after: { via: "link" },
      ip,
    });
    await audit(trx, {
      actor: { type, id: link.accountId },
      action: `${type}.sign_in`,
      subject: { type, id: link.accountId },
      after: { method: "password_link" },
      ip,
    });
    return true;
  });
}

/** From "Mon compte": the current password is required. */
export async function changePassword(
  db: Kysely<DB>,
  type: AgentType,
  id: number,
  current: string,
  next: string,
  actor: { impersonatorAdminId: number | null; ip: string },
): Promise<boolean> {
  const agent = await findAgent(db, type, id);
  if (!agent || !(await passwordMatches(agent, current))) {
    await audit(db, {
      actor: { type, id, impersonatorAdminId: actor.impersonatorAdminId },
      action: `${type}.password_change_failed`,
      subject: { type, id },
      ip: actor.ip,
    });
    return false;
  }
  await setAgentPassword(db, type, id, await hashPassword(next));
  await audit(db, {
    actor: { type, id, impersonatorAdminId: actor.impersonatorAdminId },
    action: `${type}.password_changed`,
    subject: { type, id },
    after: { via: "account_page" },
    ip: actor.ip,
  });
  return true;
}
