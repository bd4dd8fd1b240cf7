import crypto from "node:crypto";
import { sql, type RawBuilder } from "kysely";
import { z } from "zod";

/**
 * Keyset pagination of the /api/v1 lists: rows come in (sync key, id) order, the sync key being the
 * row's last change (microsecond precision, UTC). The cursor is the last row's key, opaque to clients
 * (base64url of a small JSON); no OFFSET, so a page costs the same at the end of a list as at its start.
 */
export type CursorKey = { at: string; id: number | string };

const AT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;
const cursorSchema = z.object({
  at: z.string().regex(AT_PATTERN),
  id: z.union([z.number().int().min(0).max(2_147_483_647), z.string().min(1).max(20)]),
});

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify({ at: key.at, id: key.id })).toString("base64url");
}

/** The decoded key, or null when the value is not one of our cursors (the caller answers 400). */
export function decodeCursor(value: string): CursorKey | null {
  if (value.length > 200 || !/^[A-Za-z0-9_-]+$/.test(value)) return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
    if (!parsed.success) return null;
    // A real date: PostgreSQL would refuse 2026-02-31 with an error.
    const date = new Date(`${parsed.data.at.slice(0, 23)}Z`);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 23) !== parsed.data.at.slice(0, 23)) return null;
    if (date.getUTCFullYear() < 1900) return null;
    return parsed.data;
  } catch {
    return null;
  }
}

/** The sync key of a timestamptz expression, as the text the cursor carries (UTC, microseconds). */
export function syncKeyText(expression: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`to_char(${expression} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
}

/** The cursor's timestamp back as a timestamptz, exactly (no float on the way). */
export function cursorTimestamp(key: CursorKey): RawBuilder<Date> {
  return sql<Date>`(${key.at}::timestamp at time zone 'UTC')`;
}

/** Rows of one page: `limit + 1` are fetched to know whether a next page exists. */
export function pageOf<T extends { sync_key: string }>(
  rows: T[],
  limit: number,
  idOf: (row: T) => number | string,
): { rows: T[]; nextKey: CursorKey | null } {
  if (rows.length <= limit) return { rows, nextKey: null };
  const page = rows.slice(0, limit);
  const last = page[page.length - 1]!;
  return { rows: page, nextKey: { at: last.sync_key, id: idOf(last) } };
}

/** URL of the next page: the same query with the new cursor. */
export function nextUrl(path: string, query: Record<string, unknown>, cursor: string): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (name === "cursor" || (typeof value !== "string" && typeof value !== "number") || value === "") continue;
    params.set(name, String(value));
  }
  params.set("cursor", cursor);
  return `${path}?${params.toString()}`;
}

/** Strong ETag of a response body. */
export function etagOf(body: string): string {
  return `"${crypto.createHash("sha256").update(body).digest("base64url")}"`;
}

/** RFC 9110 If-None-Match: `*` or a list of tags, weak ones compared weakly (as GET requires). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  return ifNoneMatch
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .includes(etag);
}
