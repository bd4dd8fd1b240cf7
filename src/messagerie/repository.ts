import { sql, type Kysely } from "kysely";
import type { DB } from "../platform/db/schema.ts";
import { FILS_PAR_PAGE, MESSAGES_PAR_PAGE, type AuteurType } from "./rules.ts";

/** Reads of the messagerie: each page issues a fixed number of statements whatever the thread's length. */

export type CommuneMessagerie = {
  id: number;
  code_insee: string;
  nom: string;
  departement_code: string;
  inbound_email_token: string;
  phone_number: string | null;
  /** Addresses of the commune's users (one in practice). */
  emails: string[];
};

export async function findCommuneMessagerie(db: Kysely<DB>, codeInsee: string): Promise<CommuneMessagerie | undefined> {
  const row = await db
    .selectFrom("communes as c")
    .select(["c.id", "c.code_insee", "c.nom", "c.departement_code", "c.inbound_email_token", "c.phone_number"])
    .select(
      sql<string[]>`coalesce((select array_agg(u.email order by u.id) from commune_users u where u.commune_id = c.id), '{}')`.as("emails"),
    )
    .where("c.code_insee", "=", codeInsee)
    .executeTakeFirst();
  return row;
}

export type MessageVue = {
  id: number;
  origin: "web" | "inbound_email" | "rejection";
  author_type: AuteurType;
  author_id: number;
  auteur_nom: string;
  text: string;
  body_html: string | null;
  quoted_text: string | null;
  signature: string | null;
  from_email: string | null;
  date: Date;
  omitted_attachments: { filename: string; reason: string }[];
};

export type PieceJointeVue = {
  id: number;
  message_id: number;
  filename: string;
  content_type: string;
  byte_size: number;
  kind: "image" | "fichier";
  width: number | null;
  height: number | null;
};

export type PageDuFil = {
  messages: MessageVue[];
  pieces: Map<number, PieceJointeVue[]>;
  /** Id to pass as `avant` to read the messages before these ones; null when these are the first. */
  plusAnciens: number | null;
  /** Set when this page is not the latest one. */
  plusRecents: boolean;
};

/**
 * A page of a commune's thread, oldest first: the latest messages, or those before the message `avant`.
 * Two statements: the messages with their authors' names, then the attachments of all of them.
 */
export async function pageDuFil(db: Kysely<DB>, communeId: number, avant: number | null): Promise<PageDuFil> {
  let query = db
    .selectFrom("messages as m")
    .innerJoin("communes as c", "c.id", "m.commune_id")
    .leftJoin("conservateurs as k", (join) => join.onRef("k.id", "=", "m.author_id").on("m.author_type", "=", "conservateur"))
    .leftJoin("admins as a", (join) => join.onRef("a.id", "=", "m.author_id").on("m.author_type", "=", "admin"))
    .select([
      "m.id",
      "m.origin",
      "m.author_type",
      "m.author_id",
      "m.text",
      "m.body_html",
      "m.quoted_text",
      "m.signature",
      "m.from_email",
      sql<Date>`coalesce(m.sent_at, m.created_at)`.as("date"),
      "m.omitted_attachments",
      sql<string>`case m.author_type
        when 'commune' then c.nom
        when 'conservateur' then coalesce(nullif(trim(concat_ws(' ', k.first_name, k.last_name)), ''), 'Conservateur')
        else coalesce(nullif(trim(concat_ws(' ', a.first_name, a.last_name)), ''), 'Support Collectif Objets') end`.as("auteur_nom"),
    ])
    .where("m.commune_id", "=", communeId)
    .orderBy("m.id", "desc")
    .limit(MESSAGES_PAR_PAGE + 1);
  if (avant !== null) query = query.where("m.id", "<", avant);
  const rows = await query.execute();
  const plusAnciens = rows.length > MESSAGES_PAR_PAGE;
  const shown = rows.slice(0, MESSAGES_PAR_PAGE).reverse();
  const messages: MessageVue[] = shown.map((row) => ({
    ...row,
    omitted_attachments: Array.isArray(row.omitted_attachments) ? row.omitted_attachments : [],
  }));
  const pieces = new Map<number, PieceJointeVue[]>();
  if (messages.length > 0) {
    const rowsPieces = await db
      .selectFrom("message_attachments")
      .select(["id", "message_id", "filename", "content_type", "byte_size", "kind", "width", "height"])
      .where(
        "message_id",
        "in",
        messages.map((m) => m.id),
      )
      .orderBy("id")
      .execute();
    for (const piece of rowsPieces) {
      const list = pieces.get(piece.message_id) ?? [];
      list.push(piece);
      pieces.set(piece.message_id, list);
    }
  }
  return {
    messages,
    pieces,
    plusAnciens: plusAnciens ? (messages[0]?.id ?? null) : null,
    plusRecents: avant !== null,
  };
}

/** The attachment, provided it belongs to a message of this commune's thread. */
export async function findPieceJointe(db: Kysely<DB>, codeInsee: string, pieceId: number) {
  return db
    .selectFrom("message_attachments as p")
    .innerJoin("messages as m", "m.id", "p.message_id")
    .innerJoin("communes as c", "c.id", "m.commune_id")
    .select(["p.id", "p.storage_key", "p.filename", "p.content_type", "p.byte_size", "p.kind", "p.sha256"])
    .where("c.code_insee", "=", codeInsee)
    .where("p.id", "=", pieceId)
    .executeTakeFirst();
}

/** Unread messages of a commune for one of its users (the same expression as the navigation's count). */
export async function nonLusCommune(db: Kysely<DB>, communeId: number, communeUserId: number): Promise<number> {
  const row = await db
    .selectNoFrom(
      sql<string>`(select count(*) from messages m where m.commune_id = ${communeId} and m.author_type <> 'commune'
        and m.id > coalesce((select l.dernier_message_lu_id from message_lectures l
          where l.lecteur_type = 'commune' and l.lecteur_id = ${communeUserId} and l.commune_id = ${communeId}), 0))`.as("n"),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type FilConservateur = {
  commune_id: number;
  code_insee: string;
  nom: string;
  departement_code: string;
  dernier_id: number;
  dernier_at: Date;
  dernier_texte: string;
  dernier_auteur: AuteurType;
  non_lus: number;
};

/** Unread messages counted per thread up to this bound (the list shows "99+" beyond). */
export const NON_LUS_MAX = 99;

/**
 * The threads of the conservateur's départements (communes with at least one message), unread first then
 * most recent, one page in one statement. Unread: written by the commune after the read mark and after the
 * conservateur's account was created (older history is not news to a newcomer).
 */
export async function listFilsConservateur(
  db: Kysely<DB>,
  conservateur: { id: number; departementCodes: string[] },
  page: number,
): Promise<{ fils: FilConservateur[]; total: number }> {
  if (conservateur.departementCodes.length === 0) return { fils: [], total: 0 };
  const result = await sql<FilConservateur & { total: string }>`
    with k as (select created_at from conservateurs where id = ${conservateur.id}),
    fils as (
      select co.id as commune_id, co.code_insee, co.nom, co.departement_code,
        dernier.id as dernier_id, coalesce(dernier.sent_at, dernier.created_at) as dernier_at, dernier.text as dernier_texte,
        dernier.author_type as dernier_auteur,
        (select count(*) from (
          select 1 from messages n, k
          where n.commune_id = co.id and n.author_type = 'commune' and n.created_at > k.created_at
            and n.id > coalesce(l.dernier_message_lu_id, 0)
          limit ${NON_LUS_MAX + 1}) x)::int as non_lus
      from communes co
      cross join lateral (
        select m.id, m.created_at, m.sent_at, m.text, m.author_type from messages m
        where m.commune_id = co.id order by m.id desc limit 1
      ) dernier
      left join message_lectures l on l.lecteur_type = 'conservateur' and l.lecteur_id = ${conservateur.id} and l.commune_id = co.id
      where co.departement_code in (${sql.join(conservateur.departementCodes)})
    )
    select fils.*, count(*) over () as total from fils
    order by (non_lus > 0) desc, dernier_id desc
    limit ${FILS_PAR_PAGE} offset ${(page - 1) * FILS_PAR_PAGE}`.execute(db);
  return {
    fils: result.rows.map(({ total: _total, ...row }) => row),
    total: Number(result.rows[0]?.total ?? 0),
  };
}
