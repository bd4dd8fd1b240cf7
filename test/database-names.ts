import path from "node:path";

export const PGLITE_TEMPLATE_DIR = path.resolve("tmp/test-pglite-template");
export const TEMPLATE_DATABASE = "co_template";

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
