import type { Config } from "./config.ts";
import type { Database } from "./platform/db/database.ts";

/** Everything a request handler or a job may need, built once at start-up. */
export type AppContext = {
  config: Config;
  database: Database;
};
