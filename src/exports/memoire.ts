import { once } from "node:events";
import { PassThrough } from "node:stream";
import { ZipArchive } from "archiver";
import { sql, type Kysely } from "kysely";
import { sendInTransaction } from "../platform/jobs/boss.ts";
import type { AppContext } from "../context.ts";
import { objetTitle } from "../patrimoine/rules.ts";
import { audit, type AuditActor } from "../platform/audit.ts";
import type { DB } from "../platform/db/schema.ts";
import { ConflictError, NotFoundError } from "../platform/http/errors.ts";
import { variantKey } from "../platform/images/stored.ts";
import { findExportMemoire, findPhotoDuDepartement, photosExportablesBase } from "./repository.ts";
import {
  anneeParis,
  COLONNES_MEMOIRE,
  ligneMemoire,
  lignesCsvMemoire,
  nomFichierMemoire,
  nump,
  refImg,
  refMemoire,
  TAILLE_LOT,
  type LigneMemoireSource,
} from "./rules.ts";

/** pg-boss queue of the Mémoire generation; `{ exportId }` in the job data. */
export const JOB_EXPORT_MEMOIRE = "export-memoire";

/** A claimed generation older than this is considered abandoned (worker stopped) and may be claimed again. */
const GENERATION_ABANDONNEE = "30 minutes";

type Auteur = { actor: AuditActor; type: "conservateur" | "admin"; id: number; ip: string | null };

/**
 * "Générer l'export": links every exportable photo of the département to a new export, gives each photo
 * without a Mémoire number the next numbers of the département (counter row locked for the transaction:
 * two simultaneous exports never share a number), and enqueues the generation. Set-based: a fixed number of
 * statements whatever the number of photos.
 */
export async function creerExportMemoire(db: Kysely<DB>, code: string, auteur: Auteur, now = new Date()): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto("memoire_compteurs")
      .values({ departement_code: code })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const compteur = await trx
      .selectFrom("memoire_compteurs")
      .select("dernier_numero")
      .where("departement_code", "=", code)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const exportRow = await trx
      .insertInto("pop_exports")
      .values({ base: "memoire", departement_code: code, created_by_type: auteur.type, created_by_id: auteur.id, created_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    const liees = await trx
      .updateTable("photos")
      .set({ pop_export_id: exportRow.id })
      .where("id", "in", photosExportablesBase(trx, code).where("p.exportable", "=", true).select("p.id"))
      .returning("id")
      .execute();
    if (liees.length === 0) throw new ConflictError("Aucune photo n’est à exporter pour ce département : rien n’a été créé.");
    const annee = anneeParis(now);
    const numerotees = await sql<{ numero: number }>`
      insert into memoire_numeros (photo_id, departement_code, numero, annee)
      select p.id, ${code}, ${compteur.dernier_numero} + row_number() over (order by p.id), ${annee}
      from photos p
      where p.pop_export_id = ${exportRow.id} and not exists (select 1 from memoire_numeros m where m.photo_id = p.id)
      returning numero`.execute(trx);
    if (numerotees.rows.length > 0) {
      await trx
        .updateTable("memoire_compteurs")
        .set({ dernier_numero: compteur.dernier_numero + numerotees.rows.length })
        .where("departement_code", "=", code)
        .execute();
    }
    // The documented column keeps the number too, for readers of the photos table.
    await sql`update photos p set memoire_number = m.numero from memoire_numeros m
      where m.photo_id = p.id and p.pop_export_id = ${exportRow.id} and p.memoire_number is distinct from m.numero`.execute(trx);
    await trx.updateTable("pop_exports").set({ photos_count: liees.length }).where("id", "=", exportRow.id).execute();
    await audit(trx, {
      actor: auteur.actor,
      action: "export_memoire.creation",
      subject: { type: "pop_export", id: exportRow.id },
      after: { departement: code, photos: liees.length, numerotees: numerotees.rows.length },
      ip: auteur.ip,
    });
    await sendInTransaction(trx, JOB_EXPORT_MEMOIRE, { exportId: exportRow.id });
    return exportRow.id;
  });
}

/** "Exclure de l'export" / "Réintégrer": only a photo of this département that no export holds. */
export async function changerExportabilite(
  db: Kysely<DB>,
  code: string,
  photoId: number,
  exportable: boolean,
  auteur: Pick<Auteur, "actor" | "ip">,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const photo = await findPhotoDuDepartement(trx, code, photoId);
    if (!photo) throw new NotFoundError();
    if (photo.pop_export_id !== null)
      throw new ConflictError("Cette photo fait déjà partie d’un export : supprimez d’abord cet export pour la modifier.");
    if (photo.exportable === exportable) return;
    await trx.updateTable("photos").set({ exportable }).where("id", "=", photoId).execute();
    await audit(trx, {
      actor: auteur.actor,
      action: exportable ? "export_memoire.photo_reintegree" : "export_memoire.photo_exclue",
      subject: { type: "photo", id: photoId },
      communeId: photo.commune_id,
      before: { exportable: photo.exportable },
      after: { exportable },
      ip: auteur.ip,
    });
  });
}

/**
 * "Supprimer": the photos are unlinked (exportable again, their Mémoire numbers kept), the row and its files
 * are removed. Returns the keys of the files to delete once committed.
 */
export async function supprimerExportMemoire(ctx: AppContext, code: string, exportId: number, auteur: Pick<Auteur, "actor" | "ip">) {
  const cles = await ctx.database.db.transaction().execute(async (trx) => {
    const exportRow = await trx
      .selectFrom("pop_exports")
      .select(["id", "csv_key", "zip_key", "photos_count"])
      .where("id", "=", exportId)
      .where("departement_code", "=", code)
      .where("base", "=", "memoire")
      .forUpdate()
      .executeTakeFirst();
    if (!exportRow) throw new NotFoundError();
    await trx.updateTable("photos").set({ pop_export_id: null }).where("pop_export_id", "=", exportId).execute();
    await trx.deleteFrom("pop_exports").where("id", "=", exportId).execute();
    await audit(trx, {
      actor: auteur.actor,
      action: "export_memoire.suppression",
      subject: { type: "pop_export", id: exportId },
      before: { departement: code, photos: exportRow.photos_count },
      ip: auteur.ip,
    });
    return [exportRow.csv_key, exportRow.zip_key].filter((k): k is string => k !== null);
  });
  for (const cle of cles) await ctx.files.delete(cle);
}

// ——— Generation (job) ———

/** Keyset batches of the export's photos with what the CSV needs, in number order. */
async function lotPhotosExport(db: Kysely<DB>, exportId: number, apresNumero: number, limit: number) {
  const rows = await db
    .selectFrom("photos as p")
    .innerJoin("memoire_numeros as m", "m.photo_id", "p.id")
    .innerJoin("recensements as r", "r.id", "p.recensement_id")
    .innerJoin("dossiers as d", "d.id", "r.dossier_id")
    .innerJoin("communes as c", "c.id", "d.commune_id")
    .innerJoin("objets as o", "o.id", "r.objet_id")
    .leftJoin("edifices as e", "e.id", "o.edifice_id")
    .select([
      "p.id as photo_id",
      "p.storage_key",
      "p.created_at as photo_created_at",
      "o.palissy_ref",
      "o.palissy_tico",
      "o.palissy_deno",
      "o.palissy_cate",
      "o.palissy_scle",
      "c.nom as commune_nom",
      "c.code_insee",
      sql<string | null>`coalesce(e.nom, o.lieu_actuel_edifice_nom, o.palissy_edif)`.as("edifice"),
      "m.departement_code",
      "m.numero",
      "m.annee",
    ])
    .where("p.pop_export_id", "=", exportId)
    .where("m.numero", ">", apresNumero)
    .orderBy("m.numero")
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, titre: objetTitle(row) }) satisfies LigneMemoireSource & { storage_key: string });
}

/** Claims a pending export (or one whose generation was abandoned): true when this worker must generate it. */
async function reserver(db: Kysely<DB>, exportId: number): Promise<boolean> {
  const row = await db
    .updateTable("pop_exports")
    .set({ started_at: sql`now()`, error: null })
    .where("id", "=", exportId)
    .where("status", "=", "pending")
    .where((eb) => eb.or([eb("started_at", "is", null), eb("started_at", "<", sql<Date>`now() - ${GENERATION_ABANDONNEE}::interval`)]))
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Writes the export's CSV and ZIP to the file store, streaming both: photos are read in batches of
 * TAILLE_LOT, each original is appended to the archive only once the previous one is written (one open file
 * at a time), the archive flows to the store as it is produced. No transaction is held meanwhile.
 */
export async function genererExportMemoire(ctx: AppContext, exportId: number): Promise<"genere" | "ignore"> {
  const db = ctx.database.db;
  if (!(await reserver(db, exportId))) return "ignore";
  const exportRow = await db
    .selectFrom("pop_exports")
    .select(["departement_code", "created_at"])
    .where("id", "=", exportId)
    .executeTakeFirstOrThrow();
  const base = nomFichierMemoire(exportRow.departement_code, exportRow.created_at);
  const csvKey = `exports/memoire/${exportId}/${base}.csv`;
  const zipKey = `exports/memoire/${exportId}/${base}.zip`;
  const csv = new PassThrough();
  const archive = new ZipArchive({ zlib: { level: 1 } });
  const zipOut = new PassThrough();
  const ecritures: Promise<void>[] = [];
  try {
    archive.pipe(zipOut);
    const ecritureCsv = ctx.files.put(csvKey, csv, "text/csv");
    const ecritureZip = ctx.files.put(zipKey, zipOut, "application/zip");
    ecritures.push(ecritureCsv, ecritureZip);
    const erreurArchive = new Promise<never>((_resolve, reject) => archive.on("error", reject));
    erreurArchive.catch(() => undefined);
    const ecrire = async () => {
      csv.write(lignesCsvMemoire([[...COLONNES_MEMOIRE]]));
      let apres = 0;
      for (;;) {
        const lot = await lotPhotosExport(db, exportId, apres, TAILLE_LOT);
        if (lot.length === 0) break;
        if (!csv.write(lignesCsvMemoire(lot.map(ligneMemoire)))) await once(csv, "drain");
        for (const photo of lot) {
          const fichier = await ctx.files.createReadStream(variantKey(photo.storage_key, "original"));
          if (!fichier) throw new Error(`photo ${photo.photo_id}: original missing from the store`);
          const nom = refImg(refMemoire(photo.departement_code, nump(photo.annee, photo.departement_code, photo.numero)));
          const ecrite = once(archive, "entry");
          archive.append(fichier.stream, { name: nom, date: photo.photo_created_at });
          await ecrite;
        }
        apres = lot[lot.length - 1]!.numero;
        if (lot.length < TAILLE_LOT) break;
      }
      csv.end();
      await archive.finalize();
    };
    await Promise.race([Promise.all([ecrire(), ecritureCsv, ecritureZip]), erreurArchive]);
  } catch (error) {
    // Stop the writes still in progress (a destroyed stream ends their reading with a premature close), and wait
    // for them to remove their temporary files, before removing what they left.
    archive.abort();
    csv.destroy();
    zipOut.destroy();
    await Promise.allSettled(ecritures);
    await ctx.files.delete(csvKey).catch(() => undefined);
    await ctx.files.delete(zipKey).catch(() => undefined);
    await db
      .updateTable("pop_exports")
      .set({ status: "failed", error: error instanceof Error ? error.message.slice(0, 500) : String(error) })
      .where("id", "=", exportId)
      .execute();
    throw error;
  }
  const fini = await db
    .updateTable("pop_exports")
    .set({ status: "ready", csv_key: csvKey, zip_key: zipKey, generated_at: sql`now()` })
    .where("id", "=", exportId)
    .returning("id")
    .executeTakeFirst();
  // Deleted while it was being generated: its files go too.
  if (!fini) {
    await ctx.files.delete(csvKey);
    await ctx.files.delete(zipKey);
  }
  return "genere";
}

/** The sweep: every export still waiting (its job lost, or enqueued before the queue existed). */
export async function genererExportsEnAttente(ctx: AppContext): Promise<number> {
  const rows = await ctx.database.db
    .selectFrom("pop_exports")
    .select("id")
    .where("base", "=", "memoire")
    .where("status", "=", "pending")
    .where((eb) => eb.or([eb("started_at", "is", null), eb("started_at", "<", sql<Date>`now() - ${GENERATION_ABANDONNEE}::interval`)]))
    .orderBy("id")
    .limit(20)
    .execute();
  let n = 0;
  for (const row of rows) if ((await genererExportMemoire(ctx, row.id)) === "genere") n++;
  return n;
}

export { findExportMemoire };
