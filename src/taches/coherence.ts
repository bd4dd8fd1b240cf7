import { sql, type Kysely } from "kysely";
import type { Config } from "../config.ts";
import { communeStatusForDossier, statutGlobal, type DossierCourant } from "../dossier/rules.ts";
import type { CommuneStatus, DB, DossierStatus } from "../platform/db/schema.ts";
import { enqueueMail } from "../platform/mail/outbox.ts";
import { coherenceMail, type Constat } from "./mails.ts";
import { jourParis } from "./periodes.ts";

/** Lines listed per check in the mail; the total is always given. */
const DETAILS_MAX = 30;

type CommuneDerivee = {
  code_insee: string;
  nom: string;
  status: CommuneStatus;
  statut_global: number;
  en_peril_count: number;
  disparus_count: number;
  dossier_id: number | null;
  dossier_status: DossierStatus | null;
  replied_automatically_at: Date | null;
  analyses: number;
  en_peril: number;
  disparus: number;
};

function constat(titre: string, lignes: string[]): Constat | null {
  if (lignes.length === 0) return null;
  return { titre, details: lignes.slice(0, DETAILS_MAX), total: lignes.length };
}

/**
 * The stored commune fields (status, statut global, péril/disparus counters) against what the pure
 * rules derive from the current dossier — the same rules refreshCommunesStatut stores. Covers RB §3.8's
 * "started commune whose dossier is not in construction" and "completed commune whose dossier is
 * neither submitted nor accepted". Only communes with a dossier or non-default stored fields are read.
 */
async function communesIncoherentes(db: Kysely<DB>): Promise<Constat[]> {
  const { rows } = await sql<CommuneDerivee>`
    select c.code_insee, c.nom, c.status, c.statut_global, c.en_peril_count, c.disparus_count,
           d.id as dossier_id, d.status as dossier_status, d.replied_automatically_at,
           coalesce(r.analyses, 0)::int as analyses, coalesce(r.en_peril, 0)::int as en_peril, coalesce(r.disparus, 0)::int as disparus
    from communes c
    left join dossiers d on d.commune_id = c.id and d.status <> 'archived'
    left join lateral (
      select count(*) filter (where analysed_at is not null) as analyses,
             count(*) filter (where coalesce(analyse_etat_sanitaire, etat_sanitaire) = 'peril') as en_peril,
             count(*) filter (where localisation = 'absent') as disparus
      from recensements where dossier_id = d.id and status in ('draft', 'completed')
    ) r on true
    where d.id is not null or c.status <> 'inactive' or c.statut_global <> 0 or c.en_peril_count <> 0 or c.disparus_count <> 0
    order by c.code_insee
  `.execute(db);
  const statuts: string[] = [];
  const statutsGlobaux: string[] = [];
  const compteurs: string[] = [];
  for (const row of rows) {
    const courant: DossierCourant | null =
      row.dossier_status && row.dossier_status !== "archived"
        ? { status: row.dossier_status, replied_automatically_at: row.replied_automatically_at, recensementsAnalyses: row.analyses }
        : null;
    const commune = `${row.nom} (${row.code_insee})`;
    const dossier = courant ? `dossier n° ${row.dossier_id} ${courant.status}` : "aucun dossier en cours";
    const status = communeStatusForDossier(courant);
    if (status !== row.status) statuts.push(`${commune} : commune « ${row.status} », ${dossier} (attendu « ${status} »)`);
    const statut = statutGlobal(courant);
    if (statut !== Number(row.statut_global))
      statutsGlobaux.push(`${commune} : statut global enregistré ${row.statut_global}, recalculé ${statut}`);
    const peril = courant ? row.en_peril : 0;
    const disparus = courant ? row.disparus : 0;
    if (peril !== row.en_peril_count || disparus !== row.disparus_count)
      compteurs.push(
        `${commune} : ${row.en_peril_count} en péril / ${row.disparus_count} disparus enregistrés, ${peril} / ${disparus} recalculés`,
      );
  }
  return [
    constat("Statut de la commune différent de celui de son dossier en cours", statuts),
    constat("Statut global enregistré différent du statut recalculé", statutsGlobaux),
    constat("Compteurs d’objets en péril ou disparus faux", compteurs),
  ].filter((c) => c !== null);
}

async function lignes(db: Kysely<DB>, query: ReturnType<typeof sql<{ ligne: string }>>): Promise<string[]> {
  const { rows } = await query.execute(db);
  return rows.map((r) => r.ligne);
}

/**
 * Daily consistency check (05:00 Paris, RB §3.8 and more): each check is one SQL statement; when any
 * finds something, every admin gets one mail listing the findings (keyed per admin and Paris day, so a
 * second run the same day sends nothing more). Clean data sends nothing.
 */
export async function verifierCoherence(
  db: Kysely<DB>,
  config: Pick<Config, "publicUrl" | "mailFrom">,
  now = new Date(),
): Promise<Constat[]> {
  const jour = jourParis(now);
  const constats: Constat[] = [...(await communesIncoherentes(db))];
  const autres: [string, ReturnType<typeof sql<{ ligne: string }>>][] = [
    [
      "Dossier examiné sans conservateur ou sans date d’examen",
      sql`select 'dossier n° ' || d.id || ' de ' || c.nom || ' (' || c.code_insee || ')' as ligne
          from dossiers d join communes c on c.id = d.commune_id
          where d.status = 'accepted' and (d.conservateur_id is null or d.accepted_at is null) order by d.id`,
    ],
    [
      "Dossier envoyé sans date d’envoi",
      sql`select 'dossier n° ' || d.id || ' de ' || c.nom || ' (' || c.code_insee || ')' as ligne
          from dossiers d join communes c on c.id = d.commune_id
          where d.status in ('submitted', 'accepted') and d.submitted_at is null order by d.id`,
    ],
    [
      "Recensement terminé sans les réponses obligatoires",
      sql`select 'recensement n° ' || r.id || ' (dossier n° ' || r.dossier_id || ')' as ligne
          from recensements r
          where r.status = 'completed'
            and (r.localisation is null or r.recensable is null
                 or (r.recensable and (r.etat_sanitaire is null or r.securisation is null)))
          order by r.id`,
    ],
    [
      "Nombre de photos enregistré différent des photos présentes",
      sql`select 'recensement n° ' || r.id || ' : ' || r.photos_count || ' enregistrées, ' || coalesce(p.n, 0) || ' présentes' as ligne
          from recensements r
          left join (select recensement_id, count(*)::int as n from photos group by recensement_id) p on p.recensement_id = r.id
          where r.photos_count <> coalesce(p.n, 0)
          order by r.id`,
    ],
    [
      "Campagne en cours dont la date de fin est passée de plus d’un jour",
      sql`select 'campagne n° ' || id || ' (' || departement_code || '), fin le ' || date_fin as ligne
          from campaigns where status = 'ongoing' and date_fin < ${jour}::date - 1 order by id`,
    ],
    [
      "Campagne planifiée dont la date de lancement est passée",
      sql`select 'campagne n° ' || id || ' (' || departement_code || '), lancement le ' || date_lancement as ligne
          from campaigns where status = 'planned' and date_lancement < ${jour}::date order by id`,
    ],
  ];
  for (const [titre, query] of autres) {
    const trouve = constat(titre, await lignes(db, query));
    if (trouve) constats.push(trouve);
  }
  if (constats.length === 0) return [];
  const admins = await db.selectFrom("admins").select(["id", "email"]).orderBy("id").execute();
  for (const admin of admins) {
    await enqueueMail(db, coherenceMail(config, { to: admin.email, adminId: admin.id, jour, constats }));
  }
  return constats;
}
