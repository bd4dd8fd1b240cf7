import type { Kysely } from "kysely";

// Reserved for its area's tables; filled in by the work on that area.
export async function up(_db: Kysely<unknown>): Promise<void> {}
