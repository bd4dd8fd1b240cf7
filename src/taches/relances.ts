import type { Kysely } from "kysely";
import type { Config } from "../config.ts";
import { refreshCommunesStatut } from "../dossier/repository.ts";
import { dossierTransition } from "../dossier/rules.ts";
import type { DB } from "../platform/db/schema.ts";
import { enqueueMail } from "../platform/mail/outbox.ts";
import { relanceDossierMail, type Relance } from "./mails.ts";
import { debutDuMoisParis } from "./periodes.ts";

export type BilanRelances = { relances: number[]; dernieresRelances: number[]; archives: number[] };

/**
 * RelanceDossiers (1st of the month, 08:00 Paris). Construction dossiers created during the calendar
 * month 9 months ago get a reminder, 11 months ago the last reminder, and those created up to the end of
 * the month 12 months ago are archived. Unlike the reference (RB §3.2 ⚠), archiving refreshes the
 * commune in the same transaction: without a current dossier it becomes inactive, "Non recensé", and
 * its next recensement opens a new dossier; the old recensements stay with the archived dossier.
 * Mails carry a key per dossier, kind and address, so running the job twice sends each once.
 */
export async function relancerDossiersIncomplets(
  db: Kysely<DB>,
  config: Pick<Config, "publicUrl" | "mailFrom">,
  now = new Date(),
): Promise<BilanRelances> {
  const moisMoins9 = await debutDuMoisParis(db, now, 9);
  const moisMoins8 = await debutDuMoisParis(db, now, 8);
  const moisMoins11 = await debutDuMoisParis(db, now, 11);
  const moisMoins10 = await debutDuMoisParis(db, now, 10);
  // Created during month M-9: archived by the run of the 1st of M+3; during M-11: by the run of M+1.
  const dans3Mois = await debutDuMoisParis(db, now, -3);
  const dans1Mois = await debutDuMoisParis(db, now, -1);

  const relances = await relancer(db, config, "relance", moisMoins9, moisMoins8, dans3Mois);
  const dernieresRelances = await relancer(db, config, "derniere_relance", moisMoins11, moisMoins10, dans1Mois);
  const archives = await archiver(db, moisMoins11, now);
  return { relances, dernieresRelances, archives };
}

async function relancer(
  db: Kysely<DB>,
  config: Pick<Config, "publicUrl" | "mailFrom">,
  relance: Relance,
  du: Date,
  au: Date,
  archivageLe: Date,
): Promise<number[]> {
  const rows = await db
    .selectFrom("dossiers as d")
    .innerJoin("communes as c", "c.id", "d.commune_id")
    .innerJoin("commune_users as u", "u.commune_id", "c.id")
    .select(["d.id", "c.nom", "c.code_insee", "u.email"])
    .where("d.status", "=", "construction")
    .where("d.created_at", ">=", du)
    .where("d.created_at", "<", au)
    .orderBy("d.id")
    .orderBy("u.id")
    .execute();
  const dossiers = new Set<number>();
  for (const row of rows) {
    await enqueueMail(
      db,
      relanceDossierMail(config, {
        to: row.email,
        dossierId: row.id,
        relance,
        commune: { nom: row.nom, codeInsee: row.code_insee },
        archivageLe: archivageLe,
      }),
    );
    dossiers.add(row.id);
  }
  return [...dossiers];
}

async function archiver(db: Kysely<DB>, avant: Date, now: Date): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    const archives = await trx
      .updateTable("dossiers")
      .set({ status: dossierTransition("construction", "archive"), archived_at: now, updated_at: now })
      .where("status", "=", "construction")
      .where("created_at", "<", avant)
      .returning(["id", "commune_id"])
      .execute();
    if (archives.length === 0) return [];
    await refreshCommunesStatut(
      trx,
      archives.map((d) => d.commune_id),
    );
    await trx
      .insertInto("audit_events")
      .values(
        archives.map((d) => ({
          actor_type: "system" as const,
          actor_id: null,
          action: "dossier.archive_incomplet",
          subject_type: "dossier",
          subject_id: String(d.id),
          commune_id: d.commune_id,
          before: JSON.stringify({ status: "construction" }),
          after: JSON.stringify({ status: "archived", archived_at: now.toISOString() }),
        })),
      )
      .execute();
    return archives.map((d) => d.id).sort((a, b) => a - b);
  });
}
