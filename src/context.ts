import path from "node:path";
import type { Config } from "./config.ts";
import type { Database } from "./platform/db/database.ts";
import type { FileStore } from "./platform/storage/file-store.ts";
import { LocalFileStore } from "./platform/storage/local.ts";
import { cleAdressesReponse } from "./messagerie/adresses.ts";

/** Everything a request handler or a job may need, built once at start-up. */
export type AppContext = {
  config: Config;
  database: Database;
  /** Photos and generated files. */
  files: FileStore;
  /** Key of the signed reply addresses of the messagerie (src/messagerie/adresses.ts). */
  replyKey: Buffer;
};

/** What callers provide: without a file store, files go to the `files` folder of DATA_DIR. */
export type AppContextInput = Omit<AppContext, "files" | "replyKey"> & { files?: FileStore };

export function createContext(input: AppContextInput): AppContext {
  return {
    ...input,
    files: input.files ?? new LocalFileStore(path.join(input.config.dataDir, "files")),
    replyKey: cleAdressesReponse(input.config),
  };
}
