import type { Database } from "../src/platform/db/database.ts";
import { openBenchDatabase, type DatabaseLocation } from "./databases.ts";
import { timed, type Timed } from "./measure.ts";

/** Opens (and migrates, untimed) the database of a location, times `work` on it, then closes it: the body of a child step. */
export async function timedOnDatabase<T>(location: DatabaseLocation, work: (database: Database) => Promise<T>): Promise<Timed<T>> {
  const database = await openBenchDatabase(location);
  try {
    return await timed(() => work(database));
  } finally {
    await database.close();
  }
}
