import type { Kysely } from "kysely";
import type { Config } from "../config.ts";
import { findConservateurDuDossier, refreshCommunesStatut } from "../dossier/repository.ts";
import { dossierTransition, recensementTransition, STATUT_GLOBAL } from "../dossier/rules.ts";
import { listFiches } from "../fiches/fiches.ts";
import { audit, type AuditActor } from "../platform/audit.ts";
import {
  RECENSEMENT_ACTIFS,
  type DB,
  type DossierStatus,
  type EtatSanitaire,
  type Localisation,
  type Securisation,
} from "../platform/db/schema.ts";
import { ConflictError, NotFoundError } from "../platform/http/errors.ts";
import { enqueueMail } from "../platform/mail/outbox.ts";
import { reponseCommune, type AdressageReponses } from "../messagerie/adresses.ts";
import { examenDisponibleMail } from "./mails.ts";
import { etatEnvoiExamen, MESSAGES_ENVOI_IMPOSSIBLE, neContientQueDesObjetsVerts, type RecensementExamine, type Visite } from "./rules.ts";

export const NOTES_CONSERVATEUR_MAX = 10_000;

type MailConfig = Pick<Config, "publicUrl" | "mailFrom">;

export type Acceptation = {
  dossierId: number;
  conservateurId: number;
  /** Global comment for the commune (`notes_conservateur`); blank means none. */
  notes: string | null;
  /** Planned visit, never shown to the commune; `null` = "Pas de visite prévue". */
  visite: Visite | null;
  actor: AuditActor;
  ip?: string | null;
  config: MailConfig;
  /** Reply-To of the mail: the commune's signed address, so a reply lands in its messagerie. */
  reponses: AdressageReponses;
  /** Accepted from the batch screen (recorded in the audit event). */
  enLot?: boolean;
};

export type ResultatAcceptation = {
  dossierId: number;
  communeId: number;
  codeInsee: string;
  communeNom: string;
  acceptedAt: Date;
  /** Draft recensements the commune never finished, now archived. */
  brouillonsArchives: number;
  /** Mails written to the outbox (one per commune user). */
  mails: number;
};

type DossierVerrouille = {
  id: number;
  status: DossierStatus;
  commune_id: number;
  visit: Visite | null;
  notes_conservateur: string | null;
  accepted_at: Date | null;
  code_insee: string;
  nom: string;
  departement_code: string;
  inbound_email_token: string;
  statut_global: number;
  en_peril_count: number;
  disparus_count: number;
};

/** Locks the dossier row (FOR UPDATE) and reads its commune: a concurrent acceptance waits, then sees the new state. */
async function verrouillerDossier(trx: Kysely<DB>, dossierId: number): Promise<DossierVerrouille | undefined> {
  return trx
    .selectFrom("dossiers as d")
    .innerJoin("communes as c", "c.id", "d.commune_id")
    .select([
      "d.id",
      "d.status",
      "d.commune_id",
      "d.visit",
      "d.notes_conservateur",
      "d.accepted_at",
      "c.code_insee",
      "c.nom",
      "c.departement_code",
      "c.inbound_email_token",
      "c.statut_global",
      "c.en_peril_count",
      "c.disparus_count",
    ])
    .where("d.id", "=", dossierId)
    .forUpdate("d")
    .executeTakeFirst();
}

type RecensementVerrouille = RecensementExamine & { id: number; analyse_fiches: string[] };

/** The dossier's active recensements, locked so that no examen is saved while the dossier is being accepted. */
async function verrouillerRecensements(trx: Kysely<DB>, dossierId: number): Promise<RecensementVerrouille[]> {
  return trx
    .selectFrom("recensements")
    .select(["id", "status", "localisation", "etat_sanitaire", "analyse_etat_sanitaire", "analysed_at", "analyse_fiches"])
    .where("dossier_id", "=", dossierId)
    .where("status", "in", RECENSEMENT_ACTIFS)
    .orderBy("id")
    .forUpdate()
    .execute();
}

/**
 * "Finaliser et envoyer l’examen à la commune" (RB §5.9, §3.2 `accept`), inside the caller's transaction:
 * the dossier is locked and checked again (sent by the commune, every prioritaire examined), the drafts
 * the commune never finished are archived (kept in the history, not deleted as the reference did), the
 * dossier becomes accepted with the comment, visit and conservateur, the commune's stored statut follows,
 * the change is audited and every user of the commune gets the mail through the outbox. A second
 * submission finds the dossier accepted and gets a ConflictError: one examen, one mail.
 */
export async function accepterDossier(trx: Kysely<DB>, input: Acceptation): Promise<ResultatAcceptation> {
  const dossier = await verrouillerDossier(trx, input.dossierId);
  if (!dossier) throw new NotFoundError();
  const recensements = await verrouillerRecensements(trx, dossier.id);
  const etat = etatEnvoiExamen(dossier.status, recensements);
  if (!etat.ok) throw new ConflictError(MESSAGES_ENVOI_IMPOSSIBLE[etat.raison]);

  const acceptedAt = new Date();
  const brouillons = recensements.filter((r) => r.status === "draft");
  if (brouillons.length > 0) {
    await trx
      .updateTable("recensements")
      .set({ status: recensementTransition("draft", "archive"), archived_at: acceptedAt, updated_at: acceptedAt })
      .where(
        "id",
        "in",
        brouillons.map((r) => r.id),
      )
      .where("status", "=", "draft")
      .execute();
  }
  const notes = input.notes?.trim() ? input.notes : null;
  const status = dossierTransition(dossier.status, "accept");
  await trx
    .updateTable("dossiers")
    .set({
      status,
      accepted_at: acceptedAt,
      conservateur_id: input.conservateurId,
      notes_conservateur: notes,
      visit: input.visite,
      updated_at: acceptedAt,
    })
    .where("id", "=", dossier.id)
    .execute();
  await refreshCommunesStatut(trx, [dossier.commune_id]);
  await audit(trx, {
    actor: input.actor,
    action: "examen.envoye",
    subject: { type: "dossier", id: dossier.id },
    communeId: dossier.commune_id,
    before: { status: dossier.status, visit: dossier.visit, notes_conservateur: dossier.notes_conservateur },
    after: {
      status,
      accepted_at: acceptedAt.toISOString(),
      visit: input.visite,
      notes_conservateur: notes,
      brouillons_archives: brouillons.length,
      ...(brouillons.length > 0 ? { recensements_archives: brouillons.map((r) => r.id) } : {}),
      ...(input.enLot ? { en_lot: true } : {}),
    },
    ip: input.ip ?? null,
  });

  const [users, conservateur] = await Promise.all([
    trx.selectFrom("commune_users").select(["id", "email"]).where("commune_id", "=", dossier.commune_id).orderBy("id").execute(),
    findConservateurDuDossier(trx, input.conservateurId),
  ]);
  const fiches = titresDesFichesRecommandees(recensements);
  for (const user of users) {
    await enqueueMail(
      trx,
      examenDisponibleMail(input.config, {
        to: user.email,
        communeUserId: user.id,
        dossierId: dossier.id,
        acceptedAt,
        commune: { nom: dossier.nom, codeInsee: dossier.code_insee },
        conservateur: { nom: conservateur?.nom ?? "Le conservateur" },
        notes,
        fiches,
        replyTo: reponseCommune(input.reponses, dossier),
      }),
    );
  }
  return {
    dossierId: dossier.id,
    communeId: dossier.commune_id,
    codeInsee: dossier.code_insee,
    communeNom: dossier.nom,
    acceptedAt,
    brouillonsArchives: brouillons.length,
    mails: users.length,
  };
}

/** Titles of the fiches attached to at least one completed recensement, in the fiches' order (for the mail). */
export function titresDesFichesRecommandees(recensements: readonly Pick<RecensementVerrouille, "status" | "analyse_fiches">[]): string[] {
  const recommandees = new Set(recensements.filter((r) => r.status === "completed").flatMap((r) => r.analyse_fiches));
  return listFiches()
    .filter((fiche) => recommandees.has(fiche.id))
    .map((fiche) => fiche.titre);
}

export const MESSAGE_REOUVERTURE_IMPOSSIBLE = "Ce dossier n’a pas été examiné : il n’y a pas d’examen envoyé à rouvrir.";

/**
 * "Rouvrir le dossier" (RB §5.5, §3.2 `reopen`): an accepted dossier goes back to submitted so that the
 * conservateur can correct the examen and send it again. Archived drafts stay archived.
 */
export async function rouvrirDossier(
  trx: Kysely<DB>,
  input: { dossierId: number; actor: AuditActor; ip?: string | null },
): Promise<{ dossierId: number; communeId: number }> {
  const dossier = await verrouillerDossier(trx, input.dossierId);
  if (!dossier) throw new NotFoundError();
  if (dossier.status !== "accepted") throw new ConflictError(MESSAGE_REOUVERTURE_IMPOSSIBLE);
  const status = dossierTransition(dossier.status, "reopen");
  const now = new Date();
  await trx.updateTable("dossiers").set({ status, accepted_at: null, updated_at: now }).where("id", "=", dossier.id).execute();
  await refreshCommunesStatut(trx, [dossier.commune_id]);
  await audit(trx, {
    actor: input.actor,
    action: "dossier.reopen",
    subject: { type: "dossier", id: dossier.id },
    communeId: dossier.commune_id,
    before: { status: dossier.status, accepted_at: dossier.accepted_at?.toISOString() ?? null },
    after: { status },
    ip: input.ip ?? null,
  });
  return { dossierId: dossier.id, communeId: dossier.commune_id };
}

// ——— What the sending page shows ———

export type CommuneEnvoi = { id: number; code_insee: string; nom: string; departement_code: string; departement_nom: string };

export type DossierEnvoi = {
  id: number;
  status: Exclude<DossierStatus, "archived">;
  submitted_at: Date | null;
  accepted_at: Date | null;
  notes_conservateur: string | null;
  visit: Visite | null;
  conservateur_id: number | null;
};

/** The commune of the URL and its current dossier, in one query. */
export async function findCommuneEtDossier(
  db: Kysely<DB>,
  codeInsee: string,
): Promise<{ commune: CommuneEnvoi; dossier: DossierEnvoi | null } | undefined> {
  const row = await db
    .selectFrom("communes as c")
    .innerJoin("departements as dep", "dep.code", "c.departement_code")
    .leftJoin("dossiers as d", (join) => join.onRef("d.commune_id", "=", "c.id").on("d.status", "<>", "archived"))
    .select([
      "c.id",
      "c.code_insee",
      "c.nom",
      "c.departement_code",
      "dep.nom as departement_nom",
      "d.id as dossier_id",
      "d.status",
      "d.submitted_at",
      "d.accepted_at",
      "d.notes_conservateur",
      "d.visit",
      "d.conservateur_id",
    ])
    .where("c.code_insee", "=", codeInsee)
    .executeTakeFirst();
  if (!row) return undefined;
  const commune = {
    id: row.id,
    code_insee: row.code_insee,
    nom: row.nom,
    departement_code: row.departement_code,
    departement_nom: row.departement_nom,
  };
  if (row.dossier_id === null || row.status === null || row.status === "archived") return { commune, dossier: null };
  return {
    commune,
    dossier: {
      id: row.dossier_id,
      status: row.status,
      submitted_at: row.submitted_at,
      accepted_at: row.accepted_at,
      notes_conservateur: row.notes_conservateur,
      visit: row.visit,
      conservateur_id: row.conservateur_id,
    },
  };
}

/** One active recensement of the dossier as the summary table of the sending page shows it. */
export type RecensementEnvoi = RecensementExamine & {
  id: number;
  objet_id: number;
  recensable: boolean | null;
  securisation: Securisation | null;
  analyse_securisation: Securisation | null;
  analyse_fiches: string[];
  analyse_notes: string | null;
  palissy_ref: string;
  palissy_tico: string | null;
  palissy_deno: string | null;
  palissy_cate: string | null;
  palissy_scle: string | null;
  palissy_edif: string | null;
};

export async function listRecensementsEnvoi(db: Kysely<DB>, dossierId: number): Promise<RecensementEnvoi[]> {
  const rows = await db
    .selectFrom("recensements as r")
    .innerJoin("objets as o", "o.id", "r.objet_id")
    .select([
      "r.id",
      "r.status",
      "r.localisation",
      "r.recensable",
      "r.etat_sanitaire",
      "r.securisation",
      "r.analyse_etat_sanitaire",
      "r.analyse_securisation",
      "r.analyse_fiches",
      "r.analyse_notes",
      "r.analysed_at",
      "o.id as objet_id",
      "o.palissy_ref",
      "o.palissy_tico",
      "o.palissy_deno",
      "o.palissy_cate",
      "o.palissy_scle",
      "o.palissy_edif",
    ])
    .where("r.dossier_id", "=", dossierId)
    .where("r.status", "in", RECENSEMENT_ACTIFS)
    .orderBy("o.palissy_ref")
    .execute();
  return rows.map((row) => ({ ...row, analyse_fiches: row.analyse_fiches ?? [] }));
}

/** "Modifications du conservateur": an override, a fiche or a comment for the mairie. */
export function modifieParLeConservateur(
  r: Pick<RecensementEnvoi, "analyse_etat_sanitaire" | "analyse_securisation" | "analyse_fiches" | "analyse_notes">,
): boolean {
  return r.analyse_etat_sanitaire !== null || r.analyse_securisation !== null || r.analyse_fiches.length > 0 || !!r.analyse_notes?.trim();
}

// ——— Batch acceptance (SPEC §11.4) ———

/** Beyond this, the batch page lists the first communes by name: a second batch takes the rest. */
export const LOT_MAX = 300;

export type DossierEnLot = {
  dossierId: number;
  communeId: number;
  codeInsee: string;
  nom: string;
  statutGlobal: number;
  submittedAt: Date | null;
  /** Completed recensements (all "objets verts"). */
  recenses: number;
  /** Drafts that will be archived. */
  brouillons: number;
};

type EtatRecensementLot = {
  dossier_id: number;
  status: RecensementExamine["status"];
  localisation: Localisation | null;
  etat_sanitaire: EtatSanitaire | null;
  analyse_etat_sanitaire: EtatSanitaire | null;
  analysed_at: Date | null;
};

const STATUTS_LOT = [STATUT_GLOBAL.aExaminer, STATUT_GLOBAL.aExaminerEnPriorite];

/**
 * The département's submitted dossiers nobody has started to examine whose objets are all "verts":
 * the stored counters pick the candidates on an index, the recensements confirm them (two queries).
 */
export async function listDossiersAcceptablesEnLot(
  db: Kysely<DB>,
  departementCode: string,
): Promise<{ dossiers: DossierEnLot[]; tronque: boolean }> {
  const candidats = await db
    .selectFrom("communes as c")
    .innerJoin("dossiers as d", (join) => join.onRef("d.commune_id", "=", "c.id").on("d.status", "=", "submitted"))
    .select([
      "d.id as dossierId",
      "c.id as communeId",
      "c.code_insee as codeInsee",
      "c.nom",
      "c.statut_global as statutGlobal",
      "d.submitted_at as submittedAt",
    ])
    .where("c.departement_code", "=", departementCode)
    .where("c.statut_global", "in", STATUTS_LOT)
    .where("c.en_peril_count", "=", 0)
    .where("c.disparus_count", "=", 0)
    .orderBy("c.nom")
    .orderBy("c.code_insee")
    .limit(LOT_MAX + 1)
    .execute();
  const tronque = candidats.length > LOT_MAX;
  const retenus = candidats.slice(0, LOT_MAX);
  if (retenus.length === 0) return { dossiers: [], tronque };
  const recensements = await db
    .selectFrom("recensements")
    .select(["dossier_id", "status", "localisation", "etat_sanitaire", "analyse_etat_sanitaire", "analysed_at"])
    .where(
      "dossier_id",
      "in",
      retenus.map((d) => d.dossierId),
    )
    .where("status", "in", RECENSEMENT_ACTIFS)
    .execute();
  const parDossier = new Map<number, EtatRecensementLot[]>();
  for (const r of recensements) {
    const list = parDossier.get(r.dossier_id) ?? [];
    list.push(r);
    parDossier.set(r.dossier_id, list);
  }
  const dossiers = retenus.flatMap((d): DossierEnLot[] => {
    const list = parDossier.get(d.dossierId) ?? [];
    if (!eligibleEnLot(list)) return [];
    return [
      {
        ...d,
        recenses: list.filter((r) => r.status === "completed").length,
        brouillons: list.filter((r) => r.status === "draft").length,
      },
    ];
  });
  return { dossiers, tronque };
}

/** Only objets verts and nothing examined yet; the examen can be sent (no prioritaire, by construction). */
function eligibleEnLot(recensements: readonly RecensementExamine[]): boolean {
  return (
    recensements.some((r) => r.status === "completed") &&
    neContientQueDesObjetsVerts(recensements) &&
    recensements.every((r) => r.status !== "completed" || !r.analysed_at)
  );
}

export type RefusEnLot = { dossierId: number; commune: string | null; raison: string };
export type ResultatLot = { acceptes: ResultatAcceptation[]; refuses: RefusEnLot[] };

const RAISONS_LOT = {
  horsDepartement: "ce dossier ne fait pas partie de ce département",
  dejaCommence: "son examen a déjà commencé : envoyez-le depuis la page de la commune",
  prioritaires: "il contient des objets en péril ou disparus",
  vide: "il ne contient aucun recensement terminé",
  erreur: "une erreur inattendue est survenue, réessayez depuis la page de la commune",
} as const;

/**
 * Accepts each selected dossier in its own transaction, checking again under lock that it belongs to the
 * département and is still eligible: one refusal (or failure) leaves the others accepted.
 */
export async function accepterEnLot(
  db: Kysely<DB>,
  input: {
    departementCode: string;
    dossierIds: readonly number[];
    conservateurId: number;
    notes: string | null;
    actor: AuditActor;
    ip?: string | null;
    config: MailConfig;
    reponses: AdressageReponses;
    onError?: (error: unknown, dossierId: number) => void;
  },
): Promise<ResultatLot> {
  const resultat: ResultatLot = { acceptes: [], refuses: [] };
  for (const dossierId of [...new Set(input.dossierIds)]) {
    let commune: string | null = null;
    try {
      const issue = await db.transaction().execute(async (trx): Promise<ResultatAcceptation | RefusEnLot> => {
        const dossier = await verrouillerDossier(trx, dossierId);
        if (!dossier || dossier.departement_code !== input.departementCode) {
          return { dossierId, commune: null, raison: RAISONS_LOT.horsDepartement };
        }
        commune = dossier.nom;
        const refus = (raison: string): RefusEnLot => ({ dossierId, commune: dossier.nom, raison });
        const recensements = await verrouillerRecensements(trx, dossier.id);
        const etat = etatEnvoiExamen(dossier.status, recensements);
        if (!etat.ok && etat.raison !== "prioritaires_restants") return refus(MESSAGES_ENVOI_IMPOSSIBLE[etat.raison]);
        if (dossier.en_peril_count > 0 || dossier.disparus_count > 0 || !neContientQueDesObjetsVerts(recensements)) {
          return refus(RAISONS_LOT.prioritaires);
        }
        if (!(STATUTS_LOT as readonly number[]).includes(dossier.statut_global) || recensements.some((r) => r.analysed_at)) {
          return refus(RAISONS_LOT.dejaCommence);
        }
        if (!recensements.some((r) => r.status === "completed")) return refus(RAISONS_LOT.vide);
        return accepterDossier(trx, {
          dossierId: dossier.id,
          conservateurId: input.conservateurId,
          notes: input.notes,
          visite: null,
          actor: input.actor,
          ip: input.ip ?? null,
          config: input.config,
          reponses: input.reponses,
          enLot: true,
        });
      });
      if ("raison" in issue) resultat.refuses.push(issue);
      else resultat.acceptes.push(issue);
    } catch (error) {
      if (error instanceof ConflictError) {
        resultat.refuses.push({ dossierId, commune, raison: error.message });
      } else {
        input.onError?.(error, dossierId);
        resultat.refuses.push({ dossierId, commune, raison: RAISONS_LOT.erreur });
      }
    }
  }
  return resultat;
}
