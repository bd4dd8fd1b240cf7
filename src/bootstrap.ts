import { ConfigError, loadConfig, type Config } from "./config.ts";
import { createContext, type AppContext } from "./context.ts";
import { openDatabase } from "./platform/db/database.ts";
import { DataDirLockedError } from "./platform/db/lock.ts";
import { migrateToLatest } from "./platform/db/migrate.ts";
import { ensureDepartements } from "./patrimoine/departements-reference.ts";

/** Loads the configuration, opens (and locks) the database and migrates it. Exits with a clear message on failure. */
export async function bootstrap(overrides: Partial<Config> = {}): Promise<AppContext> {
  let config: Config;
  try {
    config = { ...loadConfig(), ...overrides };
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  try {
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    await migrateToLatest(database.db);
    await ensureDepartements(database);
    return createContext({ config, database });
  } catch (error) {
    if (error instanceof DataDirLockedError) fail(error.message);
    throw error;
  }
}

export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
