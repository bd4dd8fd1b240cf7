import { sql, type Kysely, type Transaction } from "kysely";
import type { Config } from "../config.ts";
import { objetTitle } from "../patrimoine/rules.ts";
import { audit, type AuditActor } from "../platform/audit.ts";
import type { AlerteKind, AlerteSource, DB } from "../platform/db/schema.ts";
import { ConflictError, NotFoundError } from "../platform/http/errors.ts";
import { enqueueMail } from "../platform/mail/outbox.ts";
import { listPhotosRecensements, type PhotoVue } from "../recensement/photos-repository.ts";
import { alerteMail, type AlerteDuMail } from "./mails.ts";
import { ALERTES_PAR_PAGE, alertesLevees, jourParis, MESSAGES_ALERTES, peutTraiter, type VueAlertes } from "./rules.ts";

// ——— Raising alerts, inside the transaction that records what the recensement says ———

/**
 * Raises the alerts a recensement's answers call for (commune: completed as absent or en péril;
 * conservateur: examen overriding the état to en péril). Called in the same transaction as the change;
 * a recensement never raises the same kind twice (unique (recensement_id, kind)). Returns how many were new.
 */
export async function leverAlertes(trx: Transaction<DB> | Kysely<DB>, recensementId: number, source: AlerteSource): Promise<number> {
  const r = await trx
    .selectFrom("recensements as r")
    .innerJoin("dossiers as d", "d.id", "r.dossier_id")
    .innerJoin("communes as c", "c.id", "d.commune_id")
    .select([
      "r.id",
      "r.objet_id",
      "r.localisation",
      "r.etat_sanitaire",
      "r.analyse_etat_sanitaire",
      "c.id as commune_id",
      "c.departement_code",
    ])
    .where("r.id", "=", recensementId)
    .executeTakeFirst();
  if (!r) return 0;
  const kinds = alertesLevees(source, r);
  if (kinds.length === 0) return 0;
  const inserted = await trx
    .insertInto("alertes")
    .values(
      kinds.map((kind) => ({
        commune_id: r.commune_id,
        departement_code: r.departement_code,
        objet_id: r.objet_id,
        recensement_id: r.id,
        kind,
        source,
      })),
    )
    .onConflict((oc) => oc.columns(["recensement_id", "kind"]).doNothing())
    .returning("id")
    .execute();
  return inserted.length;
}

/**
 * Alerts for the recensements already completed as absent or en péril (demo data, or data imported
 * before alerts existed), set-based. Already notified: they describe the past, no mail goes out for them.
 */
export async function leverAlertesExistantes(db: Kysely<DB>): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    insert into alertes (commune_id, departement_code, objet_id, recensement_id, kind, source, created_at, notified_at)
    select c.id, c.departement_code, r.objet_id, r.id,
           case when r.localisation = 'absent' then 'disparu' else 'peril' end,
           case when r.localisation = 'absent' or r.etat_sanitaire = 'peril' then 'commune' else 'conservateur' end,
           coalesce(r.completed_at, now()), coalesce(r.completed_at, now())
    from recensements r
    join dossiers d on d.id = r.dossier_id
    join communes c on c.id = d.commune_id
    where r.status = 'completed'
      and (r.localisation = 'absent' or r.etat_sanitaire = 'peril' or r.analyse_etat_sanitaire = 'peril')
    on conflict (recensement_id, kind) do nothing
    returning id`.execute(db);
  return rows.length;
}

// ——— The alert mails: at most one per commune and Paris calendar day ———

/** A commune's alerts are mailed once it has been quiet this long, so that one visit gives one mail. */
export const ALERTES_DELAI_MINUTES = 10;

export type RapportAlertes = { communes: number; mails: number };

/**
 * For every commune with alerts not yet mailed (and none newer than `delaiMinutes`), one mail to each
 * conservateur of its département who wants alerts and is not deactivated, listing those alerts. The
 * (commune, Paris day) row of `alertes_envois` is the guard: a commune already mailed today waits for
 * tomorrow, and two runs at once send once (the second blocks on the locked alerts, then finds none).
 */
export async function envoyerAlertes(
  db: Kysely<DB>,
  config: Pick<Config, "publicUrl" | "mailFrom">,
  now = new Date(),
  options: { delaiMinutes?: number } = {},
): Promise<RapportAlertes> {
  const jour = jourParis(now);
  const calme = new Date(now.getTime() - (options.delaiMinutes ?? ALERTES_DELAI_MINUTES) * 60_000);
  const communes = await db
    .selectFrom("alertes as a")
    .select("a.commune_id")
    .where("a.notified_at", "is", null)
    .where("a.created_at", "<=", now)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom("alertes_envois as e").select("e.id").whereRef("e.commune_id", "=", "a.commune_id").where("e.jour", "=", jour),
        ),
      ),
    )
    .groupBy("a.commune_id")
    .having((eb) => eb.fn.max("a.created_at"), "<=", calme)
    .orderBy("a.commune_id")
    .execute();
  const rapport: RapportAlertes = { communes: 0, mails: 0 };
  for (const { commune_id: communeId } of communes) {
    const mails = await db.transaction().execute((trx) => envoyerAlertesCommune(trx, config, communeId, jour, now));
    if (mails !== null) {
      rapport.communes += 1;
      rapport.mails += mails;
    }
  }
  return rapport;
}

async function envoyerAlertesCommune(
  trx: Transaction<DB>,
  config: Pick<Config, "publicUrl" | "mailFrom">,
  communeId: number,
  jour: string,
  now: Date,
): Promise<number | null> {
  const verrouillees = await trx
    .selectFrom("alertes")
    .select("id")
    .where("commune_id", "=", communeId)
    .where("notified_at", "is", null)
    .where("created_at", "<=", now)
    .forUpdate()
    .execute();
  if (verrouillees.length === 0) return null;
  const envoi = await trx
    .insertInto("alertes_envois")
    .values({ commune_id: communeId, jour })
    .onConflict((oc) => oc.columns(["commune_id", "jour"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!envoi) return null;
  const ids = verrouillees.map((a) => a.id);
  await trx.updateTable("alertes").set({ notified_at: now, envoi_id: envoi.id }).where("id", "in", ids).execute();

  const alertes = await trx
    .selectFrom("alertes as a")
    .innerJoin("communes as c", "c.id", "a.commune_id")
    .innerJoin("departements as dep", "dep.code", "a.departement_code")
    .leftJoin("objets as o", "o.id", "a.objet_id")
    .select([
      "a.id",
      "a.kind",
      "a.source",
      "a.recensement_id",
      "c.nom as commune_nom",
      "c.code_insee",
      "dep.code as departement_code",
      "dep.dans_nom",
      "o.palissy_ref",
      "o.palissy_tico",
      "o.palissy_deno",
      "o.palissy_cate",
      "o.palissy_scle",
    ])
    .where("a.id", "in", ids)
    .orderBy("a.created_at")
    .orderBy("a.id")
    .execute();
  const premiere = alertes[0]!;
  const destinataires = await trx
    .selectFrom("conservateurs as co")
    .innerJoin("conservateur_departements as cd", "cd.conservateur_id", "co.id")
    .select(["co.id", "co.email"])
    .where("cd.departement_code", "=", premiere.departement_code)
    .where("co.alertes_mail_notifications", "=", true)
    .where("co.deactivated_at", "is", null)
    .orderBy("co.id")
    .execute();
  const liste: AlerteDuMail[] = alertes.map((a) => ({
    objet: a.palissy_ref ? objetTitle({ ...a, palissy_ref: a.palissy_ref }) : "Objet retiré de la base Palissy",
    palissyRef: a.palissy_ref,
    kind: a.kind,
    source: a.source,
    recensementId: a.recensement_id,
  }));
  for (const destinataire of destinataires) {
    await enqueueMail(
      trx,
      alerteMail(config, {
        to: destinataire.email,
        conservateurId: destinataire.id,
        envoiId: envoi.id,
        jour,
        commune: { nom: premiere.commune_nom, codeInsee: premiere.code_insee },
        departement: { code: premiere.departement_code, dansNom: premiere.dans_nom },
        alertes: liste,
      }),
    );
  }
  return destinataires.length;
}

// ——— The département's Alertes list ———

export type LigneAlerte = {
  id: number;
  kind: AlerteKind;
  source: AlerteSource;
  createdAt: Date;
  traiteeAt: Date | null;
  traiteePar: string | null;
  recensementId: number;
  objet: string;
  palissyRef: string | null;
  commune: { nom: string; codeInsee: string };
  notes: string | null;
  photos: PhotoVue[];
};

export type ListeAlertes = { lignes: LigneAlerte[]; ouvertes: number; traitees: number; hasNext: boolean };

/**
 * One page (20) of a département's alerts, open ones newest first or handled ones latest handled first,
 * with both counts and every listed recensement's photos: three statements whatever the page.
 */
export async function listAlertes(db: Kysely<DB>, code: string, vue: VueAlertes, page: number): Promise<ListeAlertes> {
  const [comptes, rows] = await Promise.all([
    db
      .selectFrom("alertes")
      .select((eb) => [
        eb.fn.count<string>("id").filterWhere("traitee_at", "is", null).as("ouvertes"),
        eb.fn.count<string>("id").filterWhere("traitee_at", "is not", null).as("traitees"),
      ])
      .where("departement_code", "=", code)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("alertes as a")
      .innerJoin("communes as c", "c.id", "a.commune_id")
      .innerJoin("recensements as r", "r.id", "a.recensement_id")
      .leftJoin("objets as o", "o.id", "a.objet_id")
      .leftJoin("conservateurs as t", "t.id", "a.traitee_par")
      .select([
        "a.id",
        "a.kind",
        "a.source",
        "a.created_at",
        "a.traitee_at",
        "a.recensement_id",
        "c.nom as commune_nom",
        "c.code_insee",
        "r.notes",
        "o.palissy_ref",
        "o.palissy_tico",
        "o.palissy_deno",
        "o.palissy_cate",
        "o.palissy_scle",
        "t.first_name",
        "t.last_name",
      ])
      .where("a.departement_code", "=", code)
      .$if(vue === "ouvertes", (q) => q.where("a.traitee_at", "is", null).orderBy("a.created_at", "desc"))
      .$if(vue === "traitees", (q) => q.where("a.traitee_at", "is not", null).orderBy("a.traitee_at", "desc"))
      .orderBy("a.id", "desc")
      .limit(ALERTES_PAR_PAGE + 1)
      .offset((page - 1) * ALERTES_PAR_PAGE)
      .execute(),
  ]);
  const visibles = rows.slice(0, ALERTES_PAR_PAGE);
  const photos = await listPhotosRecensements(
    db,
    visibles.map((r) => r.recensement_id),
  );
  return {
    ouvertes: Number(comptes.ouvertes),
    traitees: Number(comptes.traitees),
    hasNext: rows.length > ALERTES_PAR_PAGE,
    lignes: visibles.map((r) => ({
      id: r.id,
      kind: r.kind,
      source: r.source,
      createdAt: new Date(r.created_at),
      traiteeAt: r.traitee_at ? new Date(r.traitee_at) : null,
      traiteePar: r.traitee_at ? [r.first_name, r.last_name].filter(Boolean).join(" ") || "Un conservateur" : null,
      recensementId: r.recensement_id,
      objet: r.palissy_ref ? objetTitle({ ...r, palissy_ref: r.palissy_ref }) : "Objet retiré de la base Palissy",
      palissyRef: r.palissy_ref,
      commune: { nom: r.commune_nom, codeInsee: r.code_insee },
      notes: r.notes,
      photos: photos.get(r.recensement_id) ?? [],
    })),
  };
}

export type AlertesDuRecapitulatif = { ouvertes: number; nouvelles: { codeInsee: string; nom: string; objet: string; kind: AlerteKind }[] };

/**
 * For the weekly digest: per département, how many alerts are still open and the open ones raised during
 * the period [debut, fin). Two statements for all départements.
 */
export async function alertesOuvertesParDepartement(
  db: Kysely<DB>,
  codes: readonly string[],
  periode: { debut: Date; fin: Date },
): Promise<Map<string, AlertesDuRecapitulatif>> {
  const result = new Map<string, AlertesDuRecapitulatif>();
  if (codes.length === 0) return result;
  const [comptes, nouvelles] = await Promise.all([
    db
      .selectFrom("alertes")
      .select((eb) => ["departement_code", eb.fn.countAll<string>().as("n")])
      .where("departement_code", "in", [...codes])
      .where("traitee_at", "is", null)
      .groupBy("departement_code")
      .execute(),
    db
      .selectFrom("alertes as a")
      .innerJoin("communes as c", "c.id", "a.commune_id")
      .leftJoin("objets as o", "o.id", "a.objet_id")
      .select([
        "a.departement_code",
        "a.kind",
        "c.code_insee",
        "c.nom",
        "o.palissy_ref",
        "o.palissy_tico",
        "o.palissy_deno",
        "o.palissy_cate",
        "o.palissy_scle",
      ])
      .where("a.departement_code", "in", [...codes])
      .where("a.traitee_at", "is", null)
      .where("a.created_at", ">=", periode.debut)
      .where("a.created_at", "<", periode.fin)
      .orderBy("c.nom")
      .orderBy("a.id")
      .execute(),
  ]);
  for (const c of comptes) result.set(c.departement_code, { ouvertes: Number(c.n), nouvelles: [] });
  for (const r of nouvelles) {
    result.get(r.departement_code)?.nouvelles.push({
      codeInsee: r.code_insee,
      nom: r.nom,
      objet: r.palissy_ref ? objetTitle({ ...r, palissy_ref: r.palissy_ref }) : "Objet retiré de la base Palissy",
      kind: r.kind,
    });
  }
  return result;
}

// ——— Marking an alert as handled ———

/** The département of an alert, for the access rule; null when it does not exist. */
export async function departementDeLAlerte(db: Kysely<DB>, alerteId: number): Promise<string | null> {
  const row = await db.selectFrom("alertes").select("departement_code").where("id", "=", alerteId).executeTakeFirst();
  return row?.departement_code ?? null;
}

export async function traiterAlerte(
  db: Kysely<DB>,
  input: { alerteId: number; departementCode: string; conservateurId: number; actor: AuditActor; ip: string | null; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  await db.transaction().execute(async (trx) => {
    const alerte = await trx
      .selectFrom("alertes")
      .select(["id", "commune_id", "kind", "recensement_id", "traitee_at"])
      .where("id", "=", input.alerteId)
      .where("departement_code", "=", input.departementCode)
      .forUpdate()
      .executeTakeFirst();
    if (!alerte) throw new NotFoundError();
    if (!peutTraiter(alerte)) throw new ConflictError(MESSAGES_ALERTES.dejaTraitee);
    await trx.updateTable("alertes").set({ traitee_at: now, traitee_par: input.conservateurId }).where("id", "=", alerte.id).execute();
    await audit(trx, {
      actor: input.actor,
      action: "alerte.traitee",
      subject: { type: "alerte", id: alerte.id },
      communeId: alerte.commune_id,
      before: { traitee_at: null },
      after: { traitee_at: now.toISOString(), traitee_par: input.conservateurId, kind: alerte.kind, recensement_id: alerte.recensement_id },
      ip: input.ip,
    });
  });
}

// ——— The conservateur's preference ———

export async function findPreferenceAlertes(db: Kysely<DB>, conservateurId: number): Promise<boolean> {
  const row = await db.selectFrom("conservateurs").select("alertes_mail_notifications").where("id", "=", conservateurId).executeTakeFirst();
  return row?.alertes_mail_notifications ?? true;
}

export async function updatePreferenceAlertes(db: Kysely<DB>, conservateurId: number, value: boolean): Promise<void> {
  await db.updateTable("conservateurs").set({ alertes_mail_notifications: value }).where("id", "=", conservateurId).execute();
}
