import fsp from "node:fs/promises";
import path from "node:path";
import { sql, type Kysely } from "kysely";
import type { DB } from "../platform/db/schema.ts";
import { purgeRateLimits } from "../platform/http/rate-limit.ts";
import type { FileStore, StoredEntry } from "../platform/storage/file-store.ts";

/** RemoveOldSessionCodes (RB §7.1) and its kin: expired login codes, password and remember tokens, rate-limit counters. */
export async function nettoyerConnexions(db: Kysely<DB>): Promise<void> {
  await sql`delete from login_codes where created_at < now() - interval '1 month'`.execute(db);
  await sql`delete from password_tokens where expires_at < now() - interval '1 month'`.execute(db);
  await sql`delete from remember_tokens where expires_at < now()`.execute(db);
  await purgeRateLimits(db);
}

/** A file is only a candidate once it is this old: an upload writes its files before its row commits. */
export const AGE_MINIMUM_ORPHELIN_MS = 2 * 24 * 3600 * 1000;
const LOT = 500;

/**
 * Stored folders and the columns whose keys point into them. A photo or a message attachment is a folder
 * (`photos/<uuid>`, `messages/<uuid>`) holding its variants; a bordereau or an export is a file. A new kind of
 * stored file must be added here, never guessed: a wrong guess would delete referenced files.
 */
const SOURCES: readonly { prefix: string; references: readonly { table: string; column: string }[] }[] = [
  { prefix: "photos/", references: [{ table: "photos", column: "storage_key" }] },
  { prefix: "messages/", references: [{ table: "message_attachments", column: "storage_key" }] },
  { prefix: "bordereaux/", references: [{ table: "bordereaux", column: "storage_key" }] },
  {
    prefix: "exports/",
    references: [
      { table: "pop_exports", column: "csv_key" },
      { table: "pop_exports", column: "zip_key" },
    ],
  },
];

async function clesReferencees(db: Kysely<DB>, source: (typeof SOURCES)[number], cles: string[]): Promise<Set<string>> {
  const requetes = source.references.map(
    ({ table, column }) => sql`select ${sql.ref(column)} as cle from ${sql.table(table)} where ${sql.ref(column)} = any(${cles}::text[])`,
  );
  const { rows } = await sql<{ cle: string }>`${sql.join(requetes, sql` union `)}`.execute(db);
  return new Set(rows.map((r) => r.cle));
}

/** The key itself and each of its parent folders: a row's `storage_key` may name the file or its folder. */
function clesPossibles(key: string): string[] {
  const parts = key.split("/");
  const cles: string[] = [];
  for (let i = 2; i <= parts.length; i += 1) cles.push(parts.slice(0, i).join("/"));
  return cles;
}

/**
 * PurgeUnattachedBlobs (RB §7.1): deletes stored files (photos, attachments, bordereaux, exports) that no row
 * references and that were last written more than 2 days ago — the upload that left them failed or
 * was abandoned. Files are examined in batches of 500 with one query per batch; a file whose key (or
 * folder) is in the database is never deleted, whatever its age.
 */
export async function supprimerFichiersOrphelins(db: Kysely<DB>, files: FileStore, now = new Date()): Promise<string[]> {
  const limite = now.getTime() - AGE_MINIMUM_ORPHELIN_MS;
  const supprimes: string[] = [];
  for (const source of SOURCES) {
    let lot: StoredEntry[] = [];
    const traiter = async () => {
      if (lot.length === 0) return;
      const cles = [...new Set(lot.flatMap((entry) => clesPossibles(entry.key)))];
      const referencees = await clesReferencees(db, source, cles);
      for (const entry of lot) {
        if (clesPossibles(entry.key).some((cle) => referencees.has(cle))) continue;
        await files.delete(entry.key);
        supprimes.push(entry.key);
      }
      lot = [];
    };
    for await (const entry of files.list(source.prefix)) {
      if (entry.modifiedAt.getTime() >= limite) continue;
      lot.push(entry);
      if (lot.length >= LOT) await traiter();
    }
    await traiter();
  }
  return supprimes.sort();
}

/**
 * Files uploaded for a back-office import (DATA_DIR/imports, outside the file store: the importers read a
 * local file) that no pending or running run points to, older than 2 days: an upload interrupted before
 * its run was recorded. The import job removes the files of the runs it finishes itself.
 */
export async function supprimerImportsOrphelins(db: Kysely<DB>, dossier: string, now = new Date()): Promise<string[]> {
  const limite = now.getTime() - AGE_MINIMUM_ORPHELIN_MS;
  const noms = await fsp.readdir(dossier).catch(() => [] as string[]);
  if (noms.length === 0) return [];
  const { rows } = await sql<{ upload_file: string }>`
    select upload_file from import_runs where upload_file = any(${noms}::text[])`.execute(db);
  const referencees = new Set(rows.map((r) => r.upload_file));
  const supprimes: string[] = [];
  for (const nom of noms) {
    if (referencees.has(nom)) continue;
    const fichier = path.join(dossier, nom);
    const stat = await fsp.stat(fichier).catch(() => null);
    if (!stat?.isFile() || stat.mtime.getTime() >= limite) continue;
    await fsp.rm(fichier, { force: true });
    supprimes.push(nom);
  }
  return supprimes.sort();
}
