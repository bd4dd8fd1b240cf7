import { Migrator, type Kysely, type Migration, type MigrationProvider } from "kysely";
import * as m0001 from "./migrations/0001_data_model.ts";
import * as m0002mail from "./migrations/0002_mail_outbox.ts";
import * as m0003comptes from "./migrations/0003_comptes.ts";
import * as m0004recensement from "./migrations/0004_recensement.ts";
import * as m0005examen from "./migrations/0005_examen.ts";

// Static list: works the same under tsx, in tests and in a bundled build.
const migrations: Record<string, Migration> = {
  "0001_data_model": m0001,
  "0002_mail_outbox": m0002mail,
  "0003_comptes": m0003comptes,
  "0004_recensement": m0004recensement,
  "0005_examen": m0005examen,
};

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  // Areas add migrations in parallel branches of work; order by name but accept late-merged ones.
  const migrator = new Migrator({ db, provider: new StaticProvider(), allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    throw new Error(`Échec de la migration ${failed ?? ""} / migration failed: ${(error as Error).message ?? error}`);
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
