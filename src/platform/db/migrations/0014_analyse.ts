import type { Kysely } from "kysely";

/** Reserved for its area; filled in by the work that owns it. */
export async function up(_db: Kysely<unknown>): Promise<void> {}
