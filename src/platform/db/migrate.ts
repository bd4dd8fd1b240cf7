import { Migrator, type Kysely, type Migration, type MigrationProvider } from "kysely";
import * as m0001 from "./migrations/0001_data_model.ts";
import * as m0002mail from "./migrations/0002_mail_outbox.ts";
import * as m0003comptes from "./migrations/0003_comptes.ts";
import * as m0004recensement from "./migrations/0004_recensement.ts";
import * as m0005examen from "./migrations/0005_examen.ts";
import * as m0006messagerie from "./migrations/0006_messagerie.ts";
import * as m0007bordereaux from "./migrations/0007_bordereaux.ts";
import * as m0008exports from "./migrations/0008_exports.ts";
import * as m0009api from "./migrations/0009_api.ts";
import * as m0010admin from "./migrations/0010_admin.ts";
import * as m0011suivi from "./migrations/0011_suivi.ts";
import * as m0012alertes from "./migrations/0012_alertes.ts";
import * as m0013imports from "./migrations/0013_imports.ts";
import * as m0014analyse from "./migrations/0014_analyse.ts";
import * as m0015messagesNonLus from "./migrations/0015_messages_non_lus.ts";

// Static list: works the same under tsx, in tests and in a bundled build.
const migrations: Record<string, Migration> = {
  "0001_data_model": m0001,
  "0002_mail_outbox": m0002mail,
  "0003_comptes": m0003comptes,
  "0004_recensement": m0004recensement,
  "0005_examen": m0005examen,
  "0006_messagerie": m0006messagerie,
  "0007_bordereaux": m0007bordereaux,
  "0008_exports": m0008exports,
  "0009_api": m0009api,
  "0010_admin": m0010admin,
  "0011_suivi": m0011suivi,
  "0012_alertes": m0012alertes,
  "0013_imports": m0013imports,
  "0014_analyse": m0014analyse,
  "0015_messages_non_lus": m0015messagesNonLus,
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
