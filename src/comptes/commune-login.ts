import type { Kysely } from "kysely";
import type { Config } from "../config.ts";
import { audit } from "../platform/audit.ts";
import type { DB } from "../platform/db/schema.ts";
import { enqueueMail } from "../platform/mail/outbox.ts";
import { loginCodeMail } from "./mails.ts";
import {
  consumeLoginCode,
  createLoginCode,
  incrementLoginCodeSends,
  latestLoginCode,
  markCommuneSignIn,
  recordFailedAttempt,
  type CommuneForLogin,
} from "./repository.ts";
import {
  LOGIN_CODE_MAX_FAILURES,
  LOGIN_CODE_TTL_MINUTES,
  checkLoginCode,
  generateLoginCode,
  loginCodeState,
  type LoginCodeCheck,
} from "./rules.ts";

type Commune = CommuneForLogin & { user: { id: number; email: string } };

/**
 * Mails a login code: the same code again while it is still valid (so the mails a mairie receives
 * never contradict each other), else a new one.
 */
export async function sendLoginCode(
  db: Kysely<DB>,
  config: Pick<Config, "publicUrl" | "mailFrom">,
  commune: Commune,
  ip: string,
): Promise<{ resent: boolean }> {
  return db.transaction().execute(async (trx) => {
    const now = new Date();
    const latest = await latestLoginCode(trx, commune.user.id);
    let code;
    if (latest && loginCodeState(latest, now) === "valid") {
      code = { ...latest, sendCount: await incrementLoginCodeSends(trx, latest.id) };
    } else {
      code = await createLoginCode(trx, commune.user.id, generateLoginCode(), new Date(now.getTime() + LOGIN_CODE_TTL_MINUTES * 60_000));
    }
    await enqueueMail(
      trx,
      loginCodeMail(config, {
        to: commune.user.email,
        codeId: code.id,
        sendCount: code.sendCount,
        code: code.code,
        expiresAt: code.expiresAt,
        commune,
        now,
      }),
    );
    await audit(trx, {
      actor: { type: "anonymous", id: null },
      action: "commune.login_code_requested",
      subject: { type: "commune_user", id: commune.user.id },
      communeId: commune.id,
      after: { resent: code.sendCount > 1 },
      ip,
    });
    return { resent: code.sendCount > 1 };
  });
}

/** Checks the typed code; on success the code is spent and the sign-in recorded. */
export async function verifyLoginCode(db: Kysely<DB>, commune: Commune, input: string, ip: string): Promise<LoginCodeCheck> {
  const latest = await latestLoginCode(db, commune.user.id);
  let check = checkLoginCode(latest, input, new Date());
  if (latest && check.outcome === "incorrect") await recordFailedAttempt(db, latest.id);
  // Two simultaneous submissions of the right code: only one wins.
  if (latest && check.outcome === "ok" && !(await consumeLoginCode(db, latest.id, LOGIN_CODE_MAX_FAILURES))) check = { outcome: "used" };
  if (check.outcome === "ok") await markCommuneSignIn(db, commune.user.id);
  await audit(db, {
    actor: check.outcome === "ok" ? { type: "commune", id: commune.user.id } : { type: "anonymous", id: null },
    action: check.outcome === "ok" ? "commune.sign_in" : "commune.sign_in_failed",
    subject: { type: "commune_user", id: commune.user.id },
    communeId: commune.id,
    after: check.outcome === "ok" ? undefined : { reason: check.outcome },
    ip,
  });
  return check;
}
