import { leverAlertes } from "../alertes/repository.ts";
import type { Kysely, Transaction } from "kysely";
import { refreshCommuneStatut } from "../dossier/repository.ts";
import { communeTransition, recensementTransition } from "../dossier/rules.ts";
import { audit, type AuditActor } from "../platform/audit.ts";
import { type DB, type DossierStatus, RECENSEMENT_ACTIFS, type RecensementActifStatus } from "../platform/db/schema.ts";
import { BadRequestError, ConflictError, NotFoundError } from "../platform/http/errors.ts";
import {
  MESSAGE_NON_MODIFIABLE,
  nettoyageDeCompletion,
  erreursDeCompletion,
  recensementModifiable,
  type ErreurCompletion,
  type Patch,
  type Reponses,
} from "./rules.ts";

export type RecensementCourant = Reponses & {
  id: number;
  objet_id: number;
  dossier_id: number;
  dossier_status: Exclude<DossierStatus, "archived">;
  status: RecensementActifStatus;
  analyse_fiches: string[];
  analyse_notes: string | null;
  photos_count: number;
  etape_courante: number;
  version: number;
};

const RECENSEMENT_COLUMNS = [
  "r.id",
  "r.objet_id",
  "r.dossier_id",
  "d.status as dossier_status",
  "r.status",
  "r.localisation",
  "r.edifice_nom",
  "r.autre_commune_code_insee",
  "r.recensable",
  "r.etat_sanitaire",
  "r.securisation",
  "r.notes",
  "r.analyse_etat_sanitaire",
  "r.analyse_securisation",
  "r.analyse_fiches",
  "r.analyse_notes",
  "r.photos_count",
  "r.etape_courante",
  "r.version",
] as const;

/** The recensement of this objet in the commune's current dossier, if any. */
export async function findRecensementCourant(db: Kysely<DB>, communeId: number, objetId: number): Promise<RecensementCourant | undefined> {
  const row = await db
    .selectFrom("recensements as r")
    .innerJoin("dossiers as d", "d.id", "r.dossier_id")
    .select(RECENSEMENT_COLUMNS)
    .where("d.commune_id", "=", communeId)
    .where("d.status", "<>", "archived")
    .where("r.objet_id", "=", objetId)
    .where("r.status", "in", RECENSEMENT_ACTIFS)
    .executeTakeFirst();
  return row as RecensementCourant | undefined;
}

/**
 * Loads and locks a recensement of the commune for a change, refusing when the dossier is no longer
 * editable. Every write of the questionnaire and of photos goes through here, inside its transaction.
 */
export async function lockRecensementModifiable(
  trx: Transaction<DB>,
  communeId: number,
  recensementId: number,
): Promise<RecensementCourant> {
  const row = (await trx
    .selectFrom("recensements as r")
    .innerJoin("dossiers as d", "d.id", "r.dossier_id")
    .select(RECENSEMENT_COLUMNS)
    .where("r.id", "=", recensementId)
    .where("d.commune_id", "=", communeId)
    .where("d.status", "<>", "archived")
    .where("r.status", "in", RECENSEMENT_ACTIFS)
    // The dossier row too: a submission waiting on it cannot let an edit slip a draft into a sent dossier.
    .forUpdate("r")
    .forShare("d")
    .executeTakeFirst()) as RecensementCourant | undefined;
  if (!row) throw new NotFoundError("Ce recensement n’existe pas ou n’appartient pas à votre commune.");
  if (!recensementModifiable(row.dossier_status)) throw new ConflictError(MESSAGE_NON_MODIFIABLE);
  return row;
}

/** Objet of the commune (by its current location), or 404. */
export async function findObjetIdDeCommune(db: Kysely<DB>, codeInsee: string, objetId: number): Promise<number> {
  const row = await db
    .selectFrom("objets")
    .select("id")
    .where("id", "=", objetId)
    .where("lieu_actuel_code_insee", "=", codeInsee)
    .executeTakeFirst();
  if (!row) throw new NotFoundError("Cet objet n’est pas dans la liste des objets protégés de votre commune.");
  return row.id;
}

/**
 * "Recenser": starts the commune when needed (creating its dossier, RB §3.1) and opens a draft
 * recensement of the objet. Idempotent: a double click lands on the same draft.
 */
export async function commencerRecensement(
  db: Kysely<DB>,
  actor: AuditActor,
  commune: { communeId: number; codeInsee: string },
  objetId: number,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await findObjetIdDeCommune(trx, commune.codeInsee, objetId);
    const communeRow = await trx
      .selectFrom("communes")
      .select(["id", "status"])
      .where("id", "=", commune.communeId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    let dossier = await trx
      .selectFrom("dossiers")
      .select(["id", "status"])
      .where("commune_id", "=", commune.communeId)
      .where("status", "<>", "archived")
      .executeTakeFirst();
    if (!dossier) {
      // A commune left "started" or "completed" without a current dossier (an archived one) starts over.
      if (communeRow.status !== "inactive")
        await trx.updateTable("communes").set({ status: "inactive" }).where("id", "=", commune.communeId).execute();
      communeTransition("inactive", "start");
      const campaign = await trx
        .selectFrom("campaign_recipients as cr")
        .innerJoin("campaigns as c", "c.id", "cr.campaign_id")
        .select("c.id")
        .where("cr.commune_id", "=", commune.communeId)
        .where("c.status", "=", "ongoing")
        .orderBy("c.date_lancement")
        .executeTakeFirst();
      dossier = await trx
        .insertInto("dossiers")
        .values({ commune_id: commune.communeId, campaign_id: campaign?.id ?? null })
        .returning(["id", "status"])
        .executeTakeFirstOrThrow();
      await audit(trx, { actor, action: "dossier.create", subject: { type: "dossier", id: dossier.id }, communeId: commune.communeId });
    }
    if (!recensementModifiable(dossier.status)) throw new ConflictError(MESSAGE_NON_MODIFIABLE);
    const existing = await trx
      .selectFrom("recensements")
      .select("id")
      .where("dossier_id", "=", dossier.id)
      .where("objet_id", "=", objetId)
      .where("status", "in", RECENSEMENT_ACTIFS)
      .executeTakeFirst();
    if (existing) return existing.id;
    const created = await trx
      .insertInto("recensements")
      .values({ dossier_id: dossier.id, objet_id: objetId })
      .returning("id")
      .executeTakeFirstOrThrow();
    await audit(trx, {
      actor,
      action: "recensement.create",
      subject: { type: "recensement", id: created.id },
      communeId: commune.communeId,
      after: { objet_id: objetId },
    });
    await refreshCommuneStatut(trx, commune.communeId);
    return created.id;
  });
}

/**
 * Marks a locked recensement as changed by the commune: back to draft (RB §3.3), new version.
 * Returns whether it was completed before, so the page can say it must be validated again.
 */
export async function marquerModifie(
  trx: Transaction<DB>,
  recensement: RecensementCourant,
  changes: Patch & { etape_courante?: number; photos_count?: number },
): Promise<void> {
  await trx
    .updateTable("recensements")
    .set((eb) => ({
      ...changes,
      status: recensementTransition(recensement.status, "edit"),
      completed_at: null,
      version: eb("version", "+", 1),
      updated_at: new Date(),
    }))
    .where("id", "=", recensement.id)
    .execute();
}

export type ResultatEnregistrement = { repasseEnBrouillon: boolean };

/** Saves one step of the questionnaire in one transaction (answers, progress, statut global, audit). */
export async function enregistrerEtape(
  db: Kysely<DB>,
  actor: AuditActor,
  communeId: number,
  recensementId: number,
  patch: Patch,
  etapeCourante: number,
): Promise<ResultatEnregistrement> {
  return db.transaction().execute(async (trx) => {
    const recensement = await lockRecensementModifiable(trx, communeId, recensementId);
    const hasChanges = Object.keys(patch).length > 0;
    if (!hasChanges && recensement.status === "draft") {
      if (recensement.etape_courante !== etapeCourante) {
        await trx.updateTable("recensements").set({ etape_courante: etapeCourante }).where("id", "=", recensementId).execute();
      }
      return { repasseEnBrouillon: false };
    }
    if (!hasChanges) return { repasseEnBrouillon: false };
    await marquerModifie(trx, recensement, { ...patch, etape_courante: etapeCourante });
    await audit(trx, {
      actor,
      action: "recensement.update",
      subject: { type: "recensement", id: recensementId },
      communeId,
      before: Object.fromEntries(Object.keys(patch).map((key) => [key, recensement[key as keyof Patch]])),
      after: patch,
    });
    if ("localisation" in patch || "etat_sanitaire" in patch) await refreshCommuneStatut(trx, communeId);
    return { repasseEnBrouillon: recensement.status === "completed" };
  });
}

export type ResultatValidation = { ok: true; photosSupprimees: string[] } | { ok: false; erreurs: ErreurCompletion[] };

/**
 * "Valider le recensement de cet objet": draft → completed after the checks of RB §2.2. An objet
 * that is not recensable keeps no assessment and no photo; the storage keys of removed photos are
 * returned so the caller deletes the files once the transaction has committed.
 */
export async function validerRecensement(
  db: Kysely<DB>,
  actor: AuditActor,
  communeId: number,
  recensementId: number,
): Promise<ResultatValidation> {
  return db.transaction().execute(async (trx) => {
    const recensement = await lockRecensementModifiable(trx, communeId, recensementId);
    const erreurs = erreursDeCompletion(recensement);
    if (erreurs.length > 0) return { ok: false, erreurs };
    const nettoyage = nettoyageDeCompletion(recensement);
    let photosSupprimees: string[] = [];
    if (nettoyage.supprimerPhotos && recensement.photos_count > 0) {
      const deleted = await trx.deleteFrom("photos").where("recensement_id", "=", recensementId).returning("storage_key").execute();
      photosSupprimees = deleted.map((p) => p.storage_key);
    }
    await trx
      .updateTable("recensements")
      .set((eb) => ({
        ...nettoyage.patch,
        ...(nettoyage.supprimerPhotos ? { photos_count: 0 } : {}),
        status: recensementTransition(recensement.status, "complete"),
        completed_at: new Date(),
        etape_courante: 7,
        version: eb("version", "+", 1),
        updated_at: new Date(),
      }))
      .where("id", "=", recensementId)
      .execute();
    await audit(trx, {
      actor,
      action: "recensement.complete",
      subject: { type: "recensement", id: recensementId },
      communeId,
      before: { status: recensement.status },
      after: { status: "completed", ...(photosSupprimees.length > 0 ? { photos_supprimees: photosSupprimees.length } : {}) },
    });
    await refreshCommuneStatut(trx, communeId);
    await leverAlertes(trx, recensementId, "commune");
    return { ok: true, photosSupprimees };
  });
}

export function assertPositiveInt(value: string | undefined, what: string): number {
  if (!value || !/^[1-9][0-9]{0,9}$/.test(value) || Number(value) > 2_147_483_647) throw new BadRequestError(`${what} invalide.`);
  return Number(value);
}

// ——— Reads for the questionnaire pages ———

export type ObjetQuestionnaire = {
  id: number;
  palissy_ref: string;
  palissy_tico: string | null;
  palissy_deno: string | null;
  palissy_cate: string | null;
  palissy_scle: string | null;
  palissy_empl: string | null;
  lieu_actuel_edifice_nom: string | null;
  edifice_id: number | null;
  edifice_nom: string | null;
  memoire_photo_url: string | null;
};

export async function findObjetQuestionnaire(db: Kysely<DB>, codeInsee: string, objetId: number): Promise<ObjetQuestionnaire> {
  const row = await db
    .selectFrom("objets")
    .leftJoin("edifices", "edifices.id", "objets.edifice_id")
    .select((eb) => [
      "objets.id",
      "objets.palissy_ref",
      "objets.palissy_tico",
      "objets.palissy_deno",
      "objets.palissy_cate",
      "objets.palissy_scle",
      "objets.palissy_empl",
      "objets.lieu_actuel_edifice_nom",
      "objets.edifice_id",
      "edifices.nom as edifice_nom",
      eb.ref("objets.palissy_photos", "->").at(0).key("url").$castTo<string | null>().as("memoire_photo_url"),
    ])
    .where("objets.id", "=", objetId)
    .where("objets.lieu_actuel_code_insee", "=", codeInsee)
    .executeTakeFirst();
  if (!row) throw new NotFoundError("Cet objet n’est pas dans la liste des objets protégés de votre commune.");
  return row;
}

/** The commune's other buildings, for step 2 ("dans un autre édifice de la commune"). */
export async function listAutresEdifices(
  db: Kysely<DB>,
  codeInsee: string,
  saufEdificeId: number | null,
): Promise<{ id: number; nom: string }[]> {
  let query = db.selectFrom("edifices").select(["id", "nom"]).where("code_insee", "=", codeInsee);
  if (saufEdificeId !== null) query = query.where("id", "<>", saufEdificeId);
  return query.orderBy("nom").limit(500).execute();
}

export async function findCommuneNom(db: Kysely<DB>, codeInsee: string): Promise<string | null> {
  const row = await db.selectFrom("communes").select("nom").where("code_insee", "=", codeInsee).executeTakeFirst();
  return row?.nom ?? null;
}

export type ObjetRestant = {
  id: number;
  palissy_tico: string | null;
  palissy_deno: string | null;
  palissy_cate: string | null;
  palissy_scle: string | null;
  palissy_ref: string;
  edifice_id: number | null;
};

/** Objets of the commune with no completed recensement in its current dossier, same édifice first. */
export async function listObjetsRestants(db: Kysely<DB>, communeId: number, codeInsee: string): Promise<ObjetRestant[]> {
  return db
    .selectFrom("objets as o")
    .select(["o.id", "o.palissy_ref", "o.palissy_tico", "o.palissy_deno", "o.palissy_cate", "o.palissy_scle", "o.edifice_id"])
    .where("o.lieu_actuel_code_insee", "=", codeInsee)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("recensements as r")
            .innerJoin("dossiers as d", "d.id", "r.dossier_id")
            .select("r.id")
            .whereRef("r.objet_id", "=", "o.id")
            .where("d.commune_id", "=", communeId)
            .where("d.status", "<>", "archived")
            .where("r.status", "=", "completed"),
        ),
      ),
    )
    .orderBy("o.id")
    .execute();
}
