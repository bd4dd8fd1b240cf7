import { sql, type Transaction } from "kysely";
import { refreshDepartementBoundingBoxes } from "../patrimoine/departements-reference.ts";
import type { Database } from "../platform/db/database.ts";
import type { DB } from "../platform/db/schema.ts";
import { refreshObjetsCounts } from "./communes-counts.ts";
import { readCsv, startReading, type CsvRecord } from "./csv.ts";
import { recordImportRun, type ImportExecution } from "./runs.ts";
import {
  annuaireRowScope,
  communeNomFromMairie,
  coordinatesFromAdresse,
  departementFromCodeInsee,
  firstEmail,
  isValidCodeInsee,
  parseJsonCell,
  phoneFromTelephone,
} from "./rules.ts";
import { recordset } from "./sql.ts";
import { countOutOfScope, type ImportSummary } from "./summary.ts";

const REQUIRED = ["nom", "pivot", "code_insee_commune", "telephone", "adresse_courriel"] as const;
const OPTIONAL = ["adresse"] as const;

export type AnnuaireRow = CsvRecord<(typeof REQUIRED)[number] | (typeof OPTIONAL)[number]>;

const BATCH_SIZE = 2000;

/** Streams the rows of an annuaire export (`;` CSV, JSON kept as text in some cells); no database. */
export function readAnnuaireRows(file: string): AsyncGenerator<AnnuaireRow> {
  return readCsv(file, { delimiter: ";", required: REQUIRED, optional: OPTIONAL });
}

type Mairie = {
  code_insee: string;
  nom: string;
  departement_code: string;
  phone_number: string | null;
  latitude: number | null;
  longitude: number | null;
  email: string | null;
  /** Main town halls read for this code: more than one drops the code. */
  rows: number;
};

type ExistingCommune = Omit<Mairie, "rows" | "email"> & { id: number; email: string | null };

/**
 * Imports the annuaire's main town halls: communes (name, phone, coordinates) and their account
 * (first e-mail) for INSEE codes that have objets. Codes with several main town halls are dropped;
 * communes left without objets or town hall are deleted unless they have dossiers.
 */
export async function importAnnuaire(
  database: Database,
  file: string,
  options: { onProgress?: (read: number) => void; runId?: number } = {},
): Promise<ImportSummary> {
  return recordImportRun(
    database,
    "annuaire",
    file,
    () => startReading(readAnnuaireRows(file)),
    async (rows, execution) => {
      const { summary } = execution;
      const departements = new Set((await database.db.selectFrom("departements").select("code").execute()).map((d) => d.code));
      const mairies = new Map<string, Mairie>();
      for await (const row of rows) {
        summary.read += 1;
        if (options.onProgress && summary.read % 1000 === 0) options.onProgress(summary.read);
        const mairie = parseMairie(row, departements, execution);
        if (mairie === null) continue;
        const known = mairies.get(mairie.code_insee);
        if (known) known.rows += 1;
        else mairies.set(mairie.code_insee, mairie);
      }
      options.onProgress?.(summary.read);

      const withObjets = new Set(
        (await sql<{ code: string }>`select distinct lieu_actuel_code_insee as code from objets`.execute(database.db)).rows.map(
          (r) => r.code,
        ),
      );
      const kept: Mairie[] = [];
      for (const mairie of mairies.values()) {
        if (mairie.rows > 1) countOutOfScope(summary, "plusieurs_mairies_principales", mairie.rows);
        else if (!withObjets.has(mairie.code_insee)) countOutOfScope(summary, "sans_objet");
        else kept.push(mairie);
      }
      summary.in_scope = kept.length;

      const counts = { comptes_crees: 0, comptes_supprimes: 0, communes_conservees_avec_dossiers: 0 };
      for (let i = 0; i < kept.length; i += BATCH_SIZE) {
        const batch = kept.slice(i, i + BATCH_SIZE);
        await database.db.transaction().execute(async (trx) => {
          counts.comptes_supprimes += await upsertCommunes(trx, batch, summary);
        });
      }
      // Communes deleted before accounts are created, so that their e-mails are free again.
      const removed = await sql<{ has_dossiers: boolean; n: number }>`
        with stale as (
          select c.id, exists (select 1 from dossiers d where d.commune_id = c.id) as has_dossiers
          from communes c where not (c.code_insee = any(${kept.map((m) => m.code_insee)}::text[]))
        ), deleted as (
          delete from communes c using stale s where c.id = s.id and not s.has_dossiers returning c.id
        )
        select has_dossiers, count(*)::int as n from stale group by has_dossiers`.execute(database.db);
      for (const { has_dossiers, n } of removed.rows) {
        if (has_dossiers) counts.communes_conservees_avec_dossiers += n;
        else summary.deleted += n;
      }
      for (let i = 0; i < kept.length; i += BATCH_SIZE) {
        const batch = kept.slice(i, i + BATCH_SIZE);
        await database.db.transaction().execute(async (trx) => {
          counts.comptes_crees += await createAccounts(trx, batch, execution);
        });
      }
      await refreshObjetsCounts(database);
      await refreshDepartementBoundingBoxes(database);
      execution.details = counts;
    },
    { runId: options.runId },
  );
}

function parseMairie(row: AnnuaireRow, departements: Set<string>, execution: ImportExecution): Mairie | null {
  const code = row.code_insee_commune;
  const reason = annuaireRowScope({ code_insee_commune: code, nom: row.nom, pivot: parseJsonCell(row.pivot) });
  if (reason !== null) {
    countOutOfScope(execution.summary, reason);
    return null;
  }
  const departement = departementFromCodeInsee(code);
  if (!isValidCodeInsee(code) || departement === null || !departements.has(departement)) {
    countOutOfScope(execution.summary, "code_insee_invalide");
    return null;
  }
  const nom = communeNomFromMairie(row.nom);
  if (nom === "") {
    execution.errors.add(`ligne ${row.line} (${code}) : nom de mairie vide, ligne ignorée`);
    return null;
  }
  const coordinates = coordinatesFromAdresse(parseJsonCell(row.adresse));
  return {
    code_insee: code,
    nom,
    departement_code: departement,
    phone_number: phoneFromTelephone(parseJsonCell(row.telephone)),
    latitude: coordinates?.latitude ?? null,
    longitude: coordinates?.longitude ?? null,
    email: firstEmail(row.adresse_courriel),
    rows: 1,
  };
}

const COMMUNE_COLUMNS = {
  code_insee: "text",
  nom: "text",
  departement_code: "text",
  phone_number: "text",
  latitude: "double precision",
  longitude: "double precision",
};

function sameCommune(a: ExistingCommune, b: Mairie): boolean {
  return (
    a.nom === b.nom &&
    a.departement_code === b.departement_code &&
    a.phone_number === b.phone_number &&
    a.latitude === b.latitude &&
    a.longitude === b.longitude
  );
}

/** Creates or updates the batch's communes and deletes accounts whose e-mail changed or disappeared. */
async function upsertCommunes(trx: Transaction<DB>, batch: Mairie[], summary: ImportSummary): Promise<number> {
  const existing = new Map(
    (
      await sql<ExistingCommune>`
        select c.id, c.code_insee, c.nom, c.departement_code, c.phone_number, c.latitude, c.longitude, u.email
        from communes c left join commune_users u on u.commune_id = c.id
        where c.code_insee = any(${batch.map((m) => m.code_insee)}::text[])`.execute(trx)
    ).rows.map((c) => [c.code_insee, c]),
  );
  const created: Mairie[] = [];
  const changed: Mairie[] = [];
  const staleAccounts: number[] = [];
  for (const mairie of batch) {
    const commune = existing.get(mairie.code_insee);
    if (!commune) {
      created.push(mairie);
      continue;
    }
    if (!sameCommune(commune, mairie)) changed.push(mairie);
    if (commune.email !== null && commune.email.toLowerCase() !== mairie.email?.toLowerCase()) staleAccounts.push(commune.id);
  }
  if (created.length > 0) {
    await sql`
      insert into communes (code_insee, nom, departement_code, phone_number, latitude, longitude, last_in_scope_at)
      select code_insee, nom, departement_code, phone_number, latitude, longitude, now() from ${recordset(created, COMMUNE_COLUMNS)}`.execute(
      trx,
    );
  }
  if (changed.length > 0) {
    await sql`
      update communes c set nom = t.nom, departement_code = t.departement_code, phone_number = t.phone_number,
        latitude = t.latitude, longitude = t.longitude, updated_at = now()
      from ${recordset(changed, COMMUNE_COLUMNS)} where c.code_insee = t.code_insee`.execute(trx);
  }
  await sql`update communes set last_in_scope_at = now() where code_insee = any(${batch.map((m) => m.code_insee)}::text[])`.execute(trx);
  summary.created += created.length;
  summary.updated += changed.length;
  if (staleAccounts.length === 0) return 0;
  const deleted = await sql`delete from commune_users where commune_id = any(${staleAccounts}::int[])`.execute(trx);
  return Number(deleted.numAffectedRows ?? 0);
}

/** One account per commune, with the town hall's first e-mail; an e-mail already used elsewhere is reported. */
async function createAccounts(trx: Transaction<DB>, batch: Mairie[], execution: ImportExecution): Promise<number> {
  const wanted = batch.filter((m) => m.email !== null).map((m) => ({ code_insee: m.code_insee, email: m.email }));
  if (wanted.length === 0) return 0;
  const inserted = await sql<{ code_insee: string; email: string; created: boolean }>`
    with candidates as (
      select c.id as commune_id, c.code_insee, t.email
      from ${recordset(wanted, { code_insee: "text", email: "text" })} join communes c on c.code_insee = t.code_insee
      where not exists (select 1 from commune_users u where u.commune_id = c.id)
    ), created as (
      insert into commune_users (commune_id, email) select commune_id, email from candidates
      on conflict do nothing returning commune_id
    )
    select k.code_insee, k.email, exists (select 1 from created n where n.commune_id = k.commune_id) as created from candidates k`.execute(
    trx,
  );
  let count = 0;
  for (const row of inserted.rows) {
    if (row.created) count += 1;
    else execution.errors.add(`${row.code_insee} : l’adresse ${row.email} est déjà celle d’une autre commune, compte non créé`);
  }
  return count;
}
