import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertDossier, insertObjet, insertRecensement } from "../../test/factories.ts";
import { insertCommuneUser } from "../../test/factories-comptes.ts";
import { LocalFileStore } from "../platform/storage/local.ts";
import { nettoyerConnexions, supprimerFichiersOrphelins } from "./nettoyage.ts";

const JOUR = 24 * 3600 * 1000;

describe("daily clean-up: expired login codes and orphan files (RB §7.1)", () => {
  let database: TestDatabase;
  let root: string;
  let files: LocalFileStore;
  beforeAll(async () => {
    database = await createTestDatabase();
    root = fs.mkdtempSync(path.join(os.tmpdir(), "co-orphelins-"));
    files = new LocalFileStore(root);
  });
  afterAll(async () => {
    await database.drop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function fichier(key: string, ageJours: number) {
    await files.put(key, Buffer.from("jpeg"), "image/jpeg");
    const date = new Date(Date.now() - ageJours * JOUR);
    fs.utimesSync(path.join(root, ...key.split("/")), date, date);
  }

  it("deletes unreferenced photo files older than 2 days, never a referenced one, and a second run deletes nothing", async () => {
    const commune = await insertCommune(database);
    const objet = await insertObjet(database, { lieu_actuel_code_insee: commune.code_insee });
    const dossier = await insertDossier(database, { commune_id: commune.id });
    const recensement = await insertRecensement(database, { objet_id: objet.id, dossier_id: dossier.id });
    const reference = "photos/0b6f3f0e-1111-4c4c-9d9d-000000000001";
    await database.db
      .insertInto("photos")
      .values({
        recensement_id: recensement.id,
        uploaded_by: "commune",
        storage_key: reference,
        content_type: "image/jpeg",
        byte_size: 4,
        width: 10,
        height: 10,
        sha256: "a".repeat(64),
      })
      .execute();
    await fichier(`${reference}/original.jpg`, 400);
    await fichier(`${reference}/display.jpg`, 400);
    const orphelin = "photos/0b6f3f0e-2222-4c4c-9d9d-000000000002";
    await fichier(`${orphelin}/original.jpg`, 3);
    await fichier(`${orphelin}/thumbnail.jpg`, 3);
    // An upload in progress: written an hour ago, its row not committed yet.
    const recent = "photos/0b6f3f0e-3333-4c4c-9d9d-000000000003";
    await fichier(`${recent}/original.jpg`, 1 / 24);
    await fichier("autres/palissy.csv", 400);
    // A message attachment kept, one whose message was never recorded; a Mémoire export and a leftover one.
    const message = await database.db
      .insertInto("messages")
      .values({ commune_id: commune.id, origin: "web", author_type: "commune", author_id: 1, text: "Bonjour" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto("message_attachments")
      .values({
        message_id: message.id,
        storage_key: "messages/piece-gardee",
        filename: "devis.pdf",
        content_type: "application/pdf",
        byte_size: 4,
      })
      .execute();
    await fichier("messages/piece-gardee/fichier", 400);
    await fichier("messages/piece-perdue/fichier", 400);
    await database.db
      .insertInto("pop_exports")
      .values({ base: "memoire", departement_code: "01", csv_key: "exports/memoire/1/export.csv", zip_key: "exports/memoire/1/export.zip" })
      .execute();
    await fichier("exports/memoire/1/export.csv", 400);
    await fichier("exports/memoire/1/export.zip", 400);
    await fichier("exports/memoire/2/export.zip", 400);

    expect(await supprimerFichiersOrphelins(database.db, files)).toEqual([
      "exports/memoire/2/export.zip",
      "messages/piece-perdue/fichier",
      `${orphelin}/original.jpg`,
      `${orphelin}/thumbnail.jpg`,
    ]);
    expect(await supprimerFichiersOrphelins(database.db, files)).toEqual([]);
    expect(await files.exists(`${reference}/original.jpg`)).toBe(true);
    expect(await files.exists(`${reference}/display.jpg`)).toBe(true);
    expect(await files.exists(`${orphelin}/original.jpg`)).toBe(false);
    expect(await files.exists(`${recent}/original.jpg`)).toBe(true);
    expect(await files.exists("autres/palissy.csv")).toBe(true);
    expect(await files.exists("messages/piece-gardee/fichier")).toBe(true);
    expect(await files.exists("exports/memoire/1/export.zip")).toBe(true);
  });

  it("removes login codes older than a month and keeps recent ones, twice in a row", async () => {
    const commune = await insertCommune(database);
    const user = await insertCommuneUser(database, commune.id);
    const vieux = new Date(Date.now() - 40 * JOUR);
    await database.db
      .insertInto("login_codes")
      .values([
        { commune_user_id: user.id, code: "111111", expires_at: vieux, created_at: vieux },
        { commune_user_id: user.id, code: "222222", expires_at: new Date(Date.now() + JOUR) },
      ] as never)
      .execute();
    await nettoyerConnexions(database.db);
    await nettoyerConnexions(database.db);
    const codes = await database.db.selectFrom("login_codes").select("code").where("commune_user_id", "=", user.id).execute();
    expect(codes).toEqual([{ code: "222222" }]);
  });
});
