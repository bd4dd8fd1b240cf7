import { sql, type Kysely } from "kysely";
import { executePrepared } from "../platform/db/prepared.ts";
import type { DB } from "../platform/db/schema.ts";
import type { AccountType, Identity, LoginCodeRow } from "./rules.ts";

type Db = Kysely<DB>;
export type AgentType = Exclude<AccountType, "commune">;

// ——— Identities (one query each, prepared: they run on every page) ———

export async function findCommuneIdentity(db: Db, communeUserId: number): Promise<Extract<Identity, { kind: "commune" }> | undefined> {
  const query = db
    .selectFrom("commune_users as u")
    .innerJoin("communes as c", "c.id", "u.commune_id")
    .select(["u.id as user_id", "u.email", "c.id as commune_id", "c.code_insee", "c.nom"])
    // Unread messages of the messagerie (index messages_commune), computed here so a page costs no extra statement.
    .select(
      sql<string>`(select count(*) from messages m where m.commune_id = c.id and m.author_type <> 'commune'
        and m.id > coalesce((select l.dernier_message_lu_id from message_lectures l
          where l.lecteur_type = 'commune' and l.lecteur_id = u.id and l.commune_id = c.id), 0))`.as("messages_non_lus"),
    )
    .where("u.id", "=", communeUserId)
    .compile();
  const [row] = await executePrepared(db, "identite_commune", query);
  return (
    row && {
      kind: "commune",
      communeUserId: row.user_id,
      communeId: row.commune_id,
      codeInsee: row.code_insee,
      nom: row.nom,
      email: row.email,
      messagesNonLus: Number(row.messages_non_lus),
    }
  );
}

export async function findConservateurIdentity(db: Db, id: number): Promise<Extract<Identity, { kind: "conservateur" }> | undefined> {
  const query = db
    .selectFrom("conservateurs as c")
    .select(["c.id", "c.first_name", "c.last_name", "c.email"])
    .select(
      sql<
        string[]
      >`coalesce((select array_agg(d.departement_code order by d.departement_code) from conservateur_departements d where d.conservateur_id = c.id), '{}')`.as(
        "departement_codes",
      ),
    )
    // Threads whose latest commune message is after the read mark and after the account's creation: the
    // communes of the départements that have written (kept on their row, index communes_message_commune).
    .select(
      sql<string>`(select count(*) from conservateur_departements d
        join communes co on co.departement_code = d.departement_code and co.dernier_message_commune_id is not null
        where d.conservateur_id = c.id and co.dernier_message_commune_at > c.created_at
          and co.dernier_message_commune_id > coalesce((select l.dernier_message_lu_id from message_lectures l
            where l.lecteur_type = 'conservateur' and l.lecteur_id = c.id and l.commune_id = co.id), 0))`.as("fils_non_lus"),
    )
    .where("c.id", "=", id)
    .where("c.deactivated_at", "is", null)
    .compile();
  const [row] = await executePrepared(db, "identite_conservateur", query);
  return (
    row && {
      kind: "conservateur",
      id: row.id,
      departementCodes: row.departement_codes,
      displayName: displayName(row),
      filsNonLus: Number(row.fils_non_lus),
    }
  );
}

export async function findAdminIdentity(db: Db, id: number): Promise<Extract<Identity, { kind: "admin" }> | undefined> {
  const row = await db
    .selectFrom("admins")
    .select(["id", "first_name", "last_name", "email"])
    .where("id", "=", id)
    .where("deactivated_at", "is", null)
    .executeTakeFirst();
  return row && { kind: "admin", id: row.id, displayName: displayName(row) };
}

function displayName(row: { first_name: string; last_name: string; email: string }): string {
  return `${row.first_name} ${row.last_name}`.trim() || row.email;
}

// ——— Commune login ———

export async function listDepartements(db: Db) {
  return db.selectFrom("departements").select(["code", "nom"]).orderBy("code").execute();
}

export async function findDepartement(db: Db, code: string) {
  return db.selectFrom("departements").select(["code", "nom"]).where("code", "=", code).executeTakeFirst();
}

export async function listCommunesOfDepartement(db: Db, departementCode: string) {
  return db
    .selectFrom("communes")
    .select(["code_insee", "nom"])
    .where("departement_code", "=", departementCode)
    .orderBy(sql`search_normalize(nom)`)
    .orderBy("code_insee")
    .execute();
}

export type CommuneForLogin = {
  id: number;
  codeInsee: string;
  nom: string;
  departementCode: string;
  departementNom: string;
  objetsCount: number;
  user: { id: number; email: string } | null;
};

export async function findCommuneForLogin(db: Db, codeInsee: string): Promise<CommuneForLogin | undefined> {
  const row = await db
    .selectFrom("communes as c")
    .innerJoin("departements as d", "d.code", "c.departement_code")
    .leftJoin("commune_users as u", "u.commune_id", "c.id")
    .select([
      "c.id",
      "c.code_insee",
      "c.nom",
      "c.departement_code",
      "d.nom as departement_nom",
      "c.objets_count",
      "u.id as user_id",
      "u.email",
    ])
    .where("c.code_insee", "=", codeInsee)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    codeInsee: row.code_insee,
    nom: row.nom,
    departementCode: row.departement_code,
    departementNom: row.departement_nom,
    objetsCount: row.objets_count,
    user: row.user_id !== null && row.email !== null ? { id: row.user_id, email: row.email } : null,
  };
}

export type StoredLoginCode = LoginCodeRow & { id: number; sendCount: number };

/** Only the latest code counts: requesting a new one after a dead one makes the old ones irrelevant. */
export async function latestLoginCode(db: Db, communeUserId: number): Promise<StoredLoginCode | null> {
  const row = await db
    .selectFrom("login_codes")
    .select(["id", "code", "expires_at", "used_at", "failed_attempts", "send_count"])
    .where("commune_user_id", "=", communeUserId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        code: row.code,
        expiresAt: row.expires_at,
        usedAt: row.used_at,
        failedAttempts: row.failed_attempts,
        sendCount: row.send_count,
      }
    : null;
}

export async function createLoginCode(db: Db, communeUserId: number, code: string, expiresAt: Date): Promise<StoredLoginCode> {
  const row = await db
    .insertInto("login_codes")
    .values({ commune_user_id: communeUserId, code, expires_at: expiresAt })
    .returning(["id", "send_count"])
    .executeTakeFirstOrThrow();
  return { id: row.id, code, expiresAt, usedAt: null, failedAttempts: 0, sendCount: row.send_count };
}

export async function incrementLoginCodeSends(db: Db, codeId: number): Promise<number> {
  const row = await db
    .updateTable("login_codes")
    .set({ send_count: sql`send_count + 1` })
    .where("id", "=", codeId)
    .returning("send_count")
    .executeTakeFirstOrThrow();
  return row.send_count;
}

/** Atomic, so concurrent wrong guesses cannot exceed the limit. */
export async function recordFailedAttempt(db: Db, codeId: number): Promise<void> {
  await db
    .updateTable("login_codes")
    .set({ failed_attempts: sql`failed_attempts + 1` })
    .where("id", "=", codeId)
    .execute();
}

/** Single use even under concurrent submissions: only one update finds the code unused. */
export async function consumeLoginCode(db: Db, codeId: number, maxFailures: number): Promise<boolean> {
  const row = await db
    .updateTable("login_codes")
    .set({ used_at: sql`now()` })
    .where("id", "=", codeId)
    .where("used_at", "is", null)
    .where("failed_attempts", "<", maxFailures)
    .where("expires_at", ">", sql<Date>`now()`)
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

export async function markCommuneSignIn(db: Db, communeUserId: number): Promise<void> {
  await db
    .updateTable("commune_users")
    .set({ last_sign_in_at: sql`now()` })
    .where("id", "=", communeUserId)
    .execute();
}

export async function hasCompletedRecensement(db: Db, communeId: number): Promise<boolean> {
  const row = await db
    .selectFrom("recensements as r")
    .innerJoin("dossiers as d", "d.id", "r.dossier_id")
    .select("r.id")
    .where("d.commune_id", "=", communeId)
    .where("r.status", "=", "completed")
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

// ——— Conservateurs and admins ———

export type Agent = {
  type: AgentType;
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  passwordHash: string | null;
  lastSignInAt: Date | null;
};

// Both tables share these columns; Kysely needs one literal table name to type the query.
function agentTable(type: AgentType): "admins" {
  return (type === "admin" ? "admins" : "conservateurs") as "admins";
}

export async function findAgentByEmail(db: Db, type: AgentType, email: string): Promise<Agent | undefined> {
  const row = await db
    .selectFrom(agentTable(type))
    .select(["id", "email", "first_name", "last_name", "password_hash", "last_sign_in_at"])
    .where(sql`lower(email)`, "=", email.trim().toLowerCase())
    .executeTakeFirst();
  return row && toAgent(type, row);
}

export async function findAgent(db: Db, type: AgentType, id: number): Promise<Agent | undefined> {
  const row = await db
    .selectFrom(agentTable(type))
    .select(["id", "email", "first_name", "last_name", "password_hash", "last_sign_in_at"])
    .where("id", "=", id)
    .executeTakeFirst();
  return row && toAgent(type, row);
}

function toAgent(
  type: AgentType,
  row: { id: number; email: string; first_name: string; last_name: string; password_hash: string | null; last_sign_in_at: Date | null },
): Agent {
  return {
    type,
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    passwordHash: row.password_hash,
    lastSignInAt: row.last_sign_in_at,
  };
}

export async function markAgentSignIn(db: Db, type: AgentType, id: number): Promise<void> {
  await db
    .updateTable(agentTable(type))
    .set({ last_sign_in_at: sql`now()` })
    .where("id", "=", id)
    .execute();
}

export async function setAgentPassword(db: Db, type: AgentType, id: number, passwordHash: string): Promise<void> {
  await db
    .updateTable(agentTable(type))
    .set({ password_hash: passwordHash, updated_at: sql`now()` })
    .where("id", "=", id)
    .execute();
}

export async function createPasswordToken(db: Db, type: AgentType, accountId: number, tokenHash: string, expiresAt: Date): Promise<number> {
  const row = await db
    .insertInto("password_tokens")
    .values({ account_type: type, account_id: accountId, token_hash: tokenHash, expires_at: expiresAt })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findPasswordToken(db: Db, type: AgentType, tokenHash: string) {
  return db
    .selectFrom("password_tokens")
    .select(["id", "account_id", "expires_at", "used_at"])
    .where("account_type", "=", type)
    .where("token_hash", "=", tokenHash)
    .executeTakeFirst();
}

/** Using one link kills every other link of the account. Returns false when the link was used concurrently. */
export async function consumePasswordTokens(db: Db, type: AgentType, accountId: number, tokenId: number): Promise<boolean> {
  const used = await db
    .updateTable("password_tokens")
    .set({ used_at: sql`now()` })
    .where("id", "=", tokenId)
    .where("used_at", "is", null)
    .returning("id")
    .executeTakeFirst();
  if (!used) return false;
  await db
    .updateTable("password_tokens")
    .set({ used_at: sql`now()` })
    .where("account_type", "=", type)
    .where("account_id", "=", accountId)
    .where("used_at", "is", null)
    .execute();
  return true;
}

export async function createRememberToken(db: Db, type: AgentType, accountId: number, tokenHash: string, expiresAt: Date): Promise<void> {
  await db
    .insertInto("remember_tokens")
    .values({ account_type: type, account_id: accountId, token_hash: tokenHash, expires_at: expiresAt })
    .execute();
}

export async function findRememberToken(db: Db, tokenHash: string) {
  return db
    .selectFrom("remember_tokens")
    .select(["account_type", "account_id"])
    .where("token_hash", "=", tokenHash)
    .where("expires_at", ">", sql<Date>`now()`)
    .executeTakeFirst();
}

export async function revokeRememberTokens(db: Db, type: AgentType, accountId: number): Promise<void> {
  await db.deleteFrom("remember_tokens").where("account_type", "=", type).where("account_id", "=", accountId).execute();
}

// ——— Accounts pages ———

export async function findCommuneUserPreferences(db: Db, communeUserId: number) {
  return db
    .selectFrom("commune_users")
    .select(["email", "messages_mail_notifications"])
    .where("id", "=", communeUserId)
    .executeTakeFirstOrThrow();
}

export async function setCommuneUserNotifications(db: Db, communeUserId: number, enabled: boolean): Promise<void> {
  await db
    .updateTable("commune_users")
    .set({ messages_mail_notifications: enabled, updated_at: sql`now()` })
    .where("id", "=", communeUserId)
    .execute();
}

export type ConservateurProfile = {
  firstName: string;
  lastName: string;
  phoneNumber: string | null;
  messagesMailNotifications: boolean;
  sendRecap: boolean;
};

export async function findConservateurProfile(db: Db, id: number): Promise<ConservateurProfile & { email: string }> {
  const row = await db
    .selectFrom("conservateurs")
    .select(["email", "first_name", "last_name", "phone_number", "messages_mail_notifications", "send_recap"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return {
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    phoneNumber: row.phone_number,
    messagesMailNotifications: row.messages_mail_notifications,
    sendRecap: row.send_recap,
  };
}

export async function updateConservateurProfile(db: Db, id: number, profile: ConservateurProfile): Promise<void> {
  await db
    .updateTable("conservateurs")
    .set({
      first_name: profile.firstName,
      last_name: profile.lastName,
      phone_number: profile.phoneNumber,
      messages_mail_notifications: profile.messagesMailNotifications,
      send_recap: profile.sendRecap,
      updated_at: sql`now()`,
    })
    .where("id", "=", id)
    .execute();
}

// ——— API clients ———

export async function findApiClient(db: Db, tokenHash: string) {
  return db
    .selectFrom("api_clients")
    .select(["id", "departement_codes"])
    .where("token_hash", "=", tokenHash)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
}
