import fs from "node:fs";

/** The embedded database of the run is thrown away; the server is stopped right after. */
export default function globalTeardown(): void {
  const dir = process.env.CO_E2E_DATA_DIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
