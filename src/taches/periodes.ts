import { sql, type Kysely } from "kysely";
import type { DB } from "../platform/db/schema.ts";

/** Start of the calendar month `moisAvant` months before the one of `now`, at 00:00 Paris time. */
export async function debutDuMoisParis(db: Kysely<DB>, now: Date, moisAvant: number): Promise<Date> {
  const { rows } = await sql<{ debut: Date }>`
    select ((date_trunc('month', ${now}::timestamptz at time zone 'Europe/Paris') - make_interval(months => ${moisAvant}))
            at time zone 'Europe/Paris') as debut
  `.execute(db);
  return new Date(rows[0]!.debut);
}

/** Monday 00:00 (Paris) of the week before the one of `now`, the next Monday, and the Monday's date as 'YYYY-MM-DD'. */
export async function semainePrecedenteParis(db: Kysely<DB>, now: Date): Promise<{ debut: Date; fin: Date; cle: string }> {
  const { rows } = await sql<{ debut: Date; fin: Date; cle: string }>`
    select ((date_trunc('week', ${now}::timestamptz at time zone 'Europe/Paris') - interval '7 days') at time zone 'Europe/Paris') as debut,
           (date_trunc('week', ${now}::timestamptz at time zone 'Europe/Paris') at time zone 'Europe/Paris') as fin,
           to_char(date_trunc('week', ${now}::timestamptz at time zone 'Europe/Paris') - interval '7 days', 'YYYY-MM-DD') as cle
  `.execute(db);
  const row = rows[0]!;
  return { debut: new Date(row.debut), fin: new Date(row.fin), cle: row.cle };
}

/** The Paris calendar day of `now`, as 'YYYY-MM-DD'. */
export function jourParis(now: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}
