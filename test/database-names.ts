import path from "node:path";

export const PGLITE_TEMPLATE_DIR_PREFIX = path.resolve("tmp/test-pglite-template");

/** Names carry the pid of the vitest run that made them, so a run only cleans up after dead runs. */
export function templateDatabaseName(pid: number): string {
  return `co_tpl_${pid}`;
}

export function runPidOf(databaseName: string): number | undefined {
  const match = /^co_(?:tpl|test)_(\d+)/.exec(databaseName);
  return match ? Number(match[1]) : undefined;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
    pgliteTemplateDir: string;
  }
}
