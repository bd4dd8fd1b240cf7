import type { Database } from "../platform/db/database.ts";

export type DemoPersona = { role: string; login: string; how: string };
export type DemoSeedReport = { created: boolean; personas: DemoPersona[] };

/** Placeholder replaced by the demo seed implementation. */
export async function seedDemo(_database: Database): Promise<DemoSeedReport> {
  return { created: false, personas: [] };
}

export async function isDatabaseEmpty(database: Database): Promise<boolean> {
  const row = await database.db.selectFrom("communes").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return row.n === 0;
}
