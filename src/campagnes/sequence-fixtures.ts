import crypto from "node:crypto";
import type { Database } from "../platform/db/database.ts";
import type { CampaignStatus } from "../platform/db/schema.ts";
import type { DatesCampagne } from "./rules.ts";

/** Test fixtures of the daily sequence tests (campaign with recipients, commune users). */

export const DATES_TEST: DatesCampagne = {
  date_lancement: "2027-01-04",
  date_relance1: "2027-01-18",
  date_relance2: "2027-02-01",
  date_relance3: "2027-02-15",
  date_fin: "2027-03-01",
};

export async function insertCampagne(
  database: Pick<Database, "db">,
  input: { departement_code: string; status: CampaignStatus; communeIds: number[]; dates?: DatesCampagne },
): Promise<{ id: number; recipients: Map<number, number> }> {
  const campagne = await database.db
    .insertInto("campaigns")
    .values({
      departement_code: input.departement_code,
      status: input.status,
      ...(input.dates ?? DATES_TEST),
      sender_name: "Jeanne Conservatrice",
      signature: "Jeanne Conservatrice\nCAOA",
      nom_drac: "Auvergne-Rhône-Alpes",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const recipients = new Map<number, number>();
  for (let start = 0; start < input.communeIds.length; start += 500) {
    const rows = await database.db
      .insertInto("campaign_recipients")
      .values(
        input.communeIds.slice(start, start + 500).map((commune_id) => ({
          campaign_id: campagne.id,
          commune_id,
          unsubscribe_token: crypto.randomBytes(12).toString("hex"),
        })),
      )
      .returning(["id", "commune_id"])
      .execute();
    for (const row of rows) recipients.set(row.commune_id, row.id);
  }
  return { id: campagne.id, recipients };
}

export async function insertCommuneUser(database: Pick<Database, "db">, communeId: number, email: string): Promise<void> {
  await database.db.insertInto("commune_users").values({ commune_id: communeId, email }).execute();
}
