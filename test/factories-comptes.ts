import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import type { Database } from "../src/platform/db/database.ts";
import { hashPassword } from "../src/comptes/agent-login.ts";

type Db = Pick<Database, "db">;
let sequence = 0;

export async function insertCommuneUser(
  database: Db,
  communeId: number,
  overrides: { email?: string; messages_mail_notifications?: boolean } = {},
) {
  sequence += 1;
  return database.db
    .insertInto("commune_users")
    .values({ commune_id: communeId, email: overrides.email ?? `mairie-${sequence}-${communeId}@example.test`, ...overrides })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertAdmin(database: Db, overrides: { email?: string; password?: string; last_sign_in_at?: Date | null } = {}) {
  sequence += 1;
  const { password, ...values } = overrides;
  return database.db
    .insertInto("admins")
    .values({
      email: `admin-${sequence}@example.test`,
      first_name: "Alex",
      last_name: `Admin ${sequence}`,
      password_hash: password ? await hashPassword(password) : null,
      ...values,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setConservateurPassword(database: Db, id: number, password: string): Promise<void> {
  await database.db
    .updateTable("conservateurs")
    .set({ password_hash: await hashPassword(password) })
    .where("id", "=", id)
    .execute();
}

type SessionData = {
  account?: { type: "commune" | "conservateur" | "admin"; id: number };
  impersonation?: { type: "commune" | "conservateur"; id: number; write: boolean };
};

/** A session cookie as if the person had signed in (skips the login flow where it is not under test). */
export function sessionCookie(app: FastifyInstance, data: SessionData, now = Date.now()): string {
  const session = app.createSecureSession({
    ...(data.account ? { account: { ...data.account, signedInAt: now, seenAt: now } } : {}),
    ...(data.impersonation ? { impersonation: { ...data.impersonation, startedAt: now } } : {}),
  });
  return app.encodeSecureSession(session);
}

/** Keeps cookies between requests like a browser, and fills in the CSRF token of the last page it read. */
export class Browser {
  cookies = new Map<string, string>();
  csrf = "";
  last: LightMyRequestResponse | undefined;

  constructor(
    readonly app: FastifyInstance,
    readonly ip = "203.0.113.10",
  ) {}

  withSession(data: SessionData): this {
    this.cookies.set("co_session", sessionCookie(this.app, data));
    return this;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join("; ");
  }

  private remember(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const cookie of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = cookie.value === "" || cookie.maxAge === 0 || (cookie.expires && cookie.expires.getTime() < Date.now());
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) this.csrf = token;
    this.last = response;
    return response;
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.remember(await this.app.inject({ method: "GET", url, remoteAddress: this.ip, headers: { cookie: this.cookieHeader() } }));
  }

  /** Follows redirects like a browser (GET after 303). */
  async follow(response: LightMyRequestResponse, max = 5): Promise<LightMyRequestResponse> {
    let current = response;
    for (let i = 0; i < max && current.statusCode >= 300 && current.statusCode < 400; i++) {
      current = await this.get(String(current.headers.location));
    }
    return current;
  }

  async post(url: string, form: Record<string, string> = {}, options: { csrf?: boolean } = {}): Promise<LightMyRequestResponse> {
    const payload = new URLSearchParams({ ...(options.csrf === false ? {} : { _csrf: this.csrf }), ...form }).toString();
    return this.remember(
      await this.app.inject({
        method: "POST",
        url,
        payload,
        remoteAddress: this.ip,
        headers: { cookie: this.cookieHeader(), "content-type": "application/x-www-form-urlencoded" },
      }),
    );
  }
}

export async function latestMail(database: Db, to?: string) {
  let query = database.db.selectFrom("outbox_mails").selectAll().orderBy("id", "desc").limit(1);
  if (to) query = query.where("to_address", "=", to);
  return query.executeTakeFirst();
}

export async function auditActions(database: Db): Promise<string[]> {
  const rows = await database.db.selectFrom("audit_events").select("action").orderBy("id").execute();
  return rows.map((r) => r.action);
}
