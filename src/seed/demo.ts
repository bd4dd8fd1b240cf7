import crypto from "node:crypto";
import argon2 from "argon2";
import { sql, type Insertable, type Kysely } from "kysely";
import { leverAlertesExistantes } from "../alertes/repository.ts";
import { refreshCommunesStatut } from "../dossier/repository.ts";
import type { Database } from "../platform/db/database.ts";
import type {
  CampaignStep,
  DB,
  DossierStatus,
  EtatSanitaire,
  FicheId,
  Localisation,
  PalissyPhoto,
  RecensementsTable,
  Securisation,
} from "../platform/db/schema.ts";
import {
  DEMO_ADMIN_EMAIL,
  DEMO_COMMUNES_PERSONAS,
  DEMO_CONSERVATEUR_EMAIL,
  DEMO_DEPARTEMENTS,
  DEMO_OBJET_MODELES,
  DEMO_PASSWORD,
  demoCommuneEmail,
  type DemoCommune,
  type DemoDepartement,
  type DemoDossier,
  type DemoObjetPhare,
  type DemoProfil,
} from "./demo-data.ts";

export type DemoPersona = { role: string; login: string; how: string };
export type DemoSeedReport = { created: boolean; personas: DemoPersona[] };

const DAY = 86_400_000;
const MEMOIRE_HOST = "https://popcorn-prd-perf-assets.s3.gra.io.cloud.ovh.net";
const MEMOIRE_CREDIT = "© Ministère de la Culture (France), Médiathèque du patrimoine et de la photographie, diffusion RMN-GP";
const CAMPAIGN_STEPS: CampaignStep[] = ["lancement", "relance1", "relance2", "relance3", "fin"];

/**
 * Creates the demo dataset (SPEC §2) in one transaction; does nothing when it is already there.
 * `now` anchors every date, so campaigns and dossiers always look current.
 */
export async function seedDemo(database: Database, options: { now?: Date } = {}): Promise<DemoSeedReport> {
  const now = options.now ?? new Date();
  const personas = demoPersonas();
  const [adminHash, conservateurHash] = await Promise.all([hashPassword(), hashPassword()]);
  const created = await database.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('collectif-objets:seed-demo'))`.execute(trx);
    const existing = await trx
      .selectFrom("admins")
      .select("id")
      .where(sql<string>`lower(email)`, "=", DEMO_ADMIN_EMAIL)
      .executeTakeFirst();
    if (existing) return false;
    const codes = DEMO_DEPARTEMENTS.flatMap((d) => d.communes.map((c) => c.code));
    const taken = await trx.selectFrom("communes").select("code_insee").where("code_insee", "in", codes).execute();
    if (taken.length > 0) {
      throw new Error(
        `Les données de démonstration ne peuvent pas être créées : la base contient déjà les communes ${taken.map((t) => t.code_insee).join(", ")}.`,
      );
    }
    await insertDemo(trx, now, adminHash, conservateurHash);
    await leverAlertesExistantes(trx);
    return true;
  });
  return { created, personas };
}

export async function isDatabaseEmpty(database: Database): Promise<boolean> {
  const row = await database.db
    .selectFrom("communes")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return row.n === 0;
}

function hashPassword(): Promise<string> {
  return argon2.hash(DEMO_PASSWORD, { type: argon2.argon2id });
}

function demoPersonas(): DemoPersona[] {
  const communes = new Map(DEMO_DEPARTEMENTS.flatMap((d) => d.communes.map((c) => [c.code, c] as const)));
  return [
    { role: "Administrateur", login: `${DEMO_ADMIN_EMAIL} / ${DEMO_PASSWORD}`, how: "sur /admin/connexion" },
    {
      role: "Conservateur",
      login: `${DEMO_CONSERVATEUR_EMAIL} / ${DEMO_PASSWORD}`,
      how: `sur /conservateurs/sign_in (départements ${DEMO_DEPARTEMENTS.map((d) => d.code).join(", ")})`,
    },
    ...DEMO_COMMUNES_PERSONAS.map((persona) => ({
      role: `Commune de ${communes.get(persona.code_insee)?.nom ?? persona.code_insee}`,
      login: demoCommuneEmail(persona.code_insee),
      how: `sur /communes/connexion, puis le code reçu dans /dev/mails — ${persona.situation}`,
    })),
  ];
}

type Trx = Kysely<DB>;

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY);
}

/** Campaign dates may not fall on a Saturday or Sunday (RB §3.4). */
function weekdayOnOrAfter(date: Date): Date {
  const day = date.getUTCDay();
  return day === 6 ? addDays(date, 2) : day === 0 ? addDays(date, 1) : date;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Nothing in the demo happens in the future, except campaign dates still to come. */
function past(date: Date, now: Date): Date {
  return date.getTime() < now.getTime() ? date : addDays(now, -1 / 24);
}

function slugify(nom: string): string {
  const filler = new Set(["le", "la", "l", "de", "d", "du", "et", "paroissiale"]);
  return nom
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== "" && !filler.has(word))
    .join("-");
}

type CampagneDates = { lancement: Date; relance1: Date; relance2: Date; relance3: Date; fin: Date };

function campagneDates(lancement: Date): CampagneDates {
  const l = weekdayOnOrAfter(lancement);
  return {
    lancement: l,
    relance1: weekdayOnOrAfter(addDays(l, 14)),
    relance2: weekdayOnOrAfter(addDays(l, 28)),
    relance3: weekdayOnOrAfter(addDays(l, 42)),
    fin: weekdayOnOrAfter(addDays(l, 84)),
  };
}

/** The last step whose date has come (RB §3.4). */
function stepAt(dates: CampagneDates, date: Date): CampaignStep | null {
  return CAMPAIGN_STEPS.filter((step) => dates[step].getTime() <= date.getTime()).at(-1) ?? null;
}

async function insertCampagne(
  trx: Trx,
  departement: DemoDepartement,
  dates: CampagneDates,
  status: "ongoing" | "finished",
): Promise<number> {
  const conservatrice = "Camille Durand";
  const row = await trx
    .insertInto("campaigns")
    .values({
      departement_code: departement.code,
      status,
      date_lancement: isoDate(dates.lancement),
      date_relance1: isoDate(dates.relance1),
      date_relance2: isoDate(dates.relance2),
      date_relance3: isoDate(dates.relance3),
      date_fin: isoDate(dates.fin),
      sender_name: conservatrice,
      signature: `${conservatrice}\nConservatrice des antiquités et objets d’art\nDRAC ${departement.nomDrac}`,
      nom_drac: departement.nomDrac,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

type ObjetSeed = { id: number; ref: string; edificeNoms: string[] };

async function insertDemo(trx: Trx, now: Date, adminHash: string, conservateurHash: string): Promise<void> {
  await trx
    .insertInto("admins")
    .values({ email: DEMO_ADMIN_EMAIL, first_name: "Alex", last_name: "Martin", password_hash: adminHash })
    .execute();
  const conservateur = await trx
    .insertInto("conservateurs")
    .values({
      email: DEMO_CONSERVATEUR_EMAIL,
      first_name: "Camille",
      last_name: "Durand",
      phone_number: "01 40 15 80 00",
      password_hash: conservateurHash,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await trx
    .insertInto("conservateur_departements")
    .values(DEMO_DEPARTEMENTS.map((d) => ({ conservateur_id: conservateur.id, departement_code: d.code })))
    .execute();

  for (const departement of DEMO_DEPARTEMENTS) {
    await insertDepartement(trx, departement, now, conservateur.id);
  }
  await sql`
    update departements d set
      bbox_north = b.north, bbox_south = b.south, bbox_east = b.east, bbox_west = b.west, updated_at = now()
    from (
      select departement_code, max(latitude) as north, min(latitude) as south, max(longitude) as east, min(longitude) as west
      from communes where latitude is not null group by departement_code
    ) b
    where b.departement_code = d.code and d.code in (${sql.join(DEMO_DEPARTEMENTS.map((d) => d.code))})`.execute(trx);
}

async function insertDepartement(trx: Trx, departement: DemoDepartement, now: Date, conservateurId: number): Promise<void> {
  // The ongoing campaign started three weeks ago; the finished one ran last year; an older one explains archived dossiers.
  const courante =
    departement.campagne === "en_cours"
      ? campagneDates(addDays(now, -24))
      : departement.campagne === "terminee"
        ? campagneDates(addDays(now, -400))
        : null;
  const ancienne = departement.campagne === "en_cours" ? campagneDates(addDays(now, -760)) : null;
  const courantId = courante
    ? await insertCampagne(trx, departement, courante, departement.campagne === "en_cours" ? "ongoing" : "finished")
    : null;
  const ancienneId = ancienne ? await insertCampagne(trx, departement, ancienne, "finished") : null;

  const phare = new Map<string, DemoObjetPhare[]>();
  let objetNumero = 0;
  const communeIds: number[] = [];
  for (const [index, commune] of departement.communes.entries()) {
    phare.set(commune.code, commune.phares ?? []);
    const digits = commune.code.slice(2).replace(/\D/g, "0").padStart(3, "0");
    const row = await trx
      .insertInto("communes")
      .values({
        code_insee: commune.code,
        nom: commune.nom,
        departement_code: departement.code,
        phone_number: `${departement.telephone} ${digits.slice(0, 2)} ${String(10 + index * 3).slice(-2)} ${String(20 + index).slice(-2)}`,
        latitude: commune.latitude,
        longitude: commune.longitude,
        last_in_scope_at: now,
        objets_count: commune.objets,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const user = await trx
      .insertInto("commune_users")
      .values({ commune_id: row.id, email: demoCommuneEmail(commune.code) })
      .returning("id")
      .executeTakeFirstOrThrow();

    const edifices: { id: number; nom: string; ref: string | null }[] = [];
    for (const edifice of commune.edifices) {
      const inserted = await trx
        .insertInto("edifices")
        .values({ merimee_ref: edifice.merimeeRef, code_insee: commune.code, nom: edifice.nom, slug: slugify(edifice.nom) })
        .returning("id")
        .executeTakeFirstOrThrow();
      edifices.push({ id: inserted.id, nom: edifice.nom, ref: edifice.merimeeRef });
    }

    const objets = await insertObjets(trx, departement, commune, index, edifices, objetNumero);
    objetNumero += objets.length;

    const voisine = departement.communes.find((c) => c.code !== commune.code);
    const context: DossierContext = { trx, now, conservateurId, communeId: row.id, commune, objets, voisine, userId: user.id };
    const dossierCourant = commune.dossier
      ? await insertDossiers(context, commune.dossier, courante, ancienne, courantId, ancienneId)
      : null;

    if (courantId !== null && courante) {
      // Communes that began their recensement during the campaign received no further reminder.
      const step = commune.optOut || dossierCourant?.campaignId === courantId ? "lancement" : stepAt(courante, now);
      await insertRecipient(trx, courantId, row.id, step, commune.optOut === true);
    }
    if (ancienneId !== null && ancienne && (commune.dossier?.scenario === "archive" || index < 4)) {
      await insertRecipient(trx, ancienneId, row.id, commune.dossier?.scenario === "archive" ? "lancement" : "fin", false);
    }
    communeIds.push(row.id);
  }
  await refreshCommunesStatut(trx, communeIds);
}

async function insertRecipient(trx: Trx, campaignId: number, communeId: number, step: CampaignStep | null, optOut: boolean): Promise<void> {
  await trx
    .insertInto("campaign_recipients")
    .values({
      campaign_id: campaignId,
      commune_id: communeId,
      current_step: step,
      opt_out: optOut,
      opt_out_reason: optOut ? "postponed" : null,
      unsubscribe_token: crypto.randomBytes(30).toString("hex"),
    })
    .execute();
}

async function insertObjets(
  trx: Trx,
  departement: DemoDepartement,
  commune: DemoCommune,
  communeIndex: number,
  edifices: { id: number; nom: string; ref: string | null }[],
  premierNumero: number,
): Promise<ObjetSeed[]> {
  const phares = commune.phares ?? [];
  const rows = Array.from({ length: commune.objets }, (_, i) => {
    const numero = premierNumero + i;
    const edifice = edifices[i % 3 === 2 && edifices.length > 1 ? 1 : 0] ?? edifices[0];
    if (!edifice) throw new Error(`La commune de démonstration ${commune.code} n'a pas d'édifice`);
    const modele = DEMO_OBJET_MODELES[(communeIndex * 7 + i * 11) % DEMO_OBJET_MODELES.length]!;
    const phareObjet = phares[i];
    const classe = phareObjet ? phareObjet.prot === "classé" : numero % 4 !== 3;
    const anneeProtection = 1900 + ((numero * 37) % 110);
    const dateProtection = `${anneeProtection}/${String(1 + (numero % 12)).padStart(2, "0")}/${String(1 + ((numero * 7) % 28)).padStart(2, "0")}`;
    const ref = phareObjet?.ref ?? `PM${departement.code}${String(100 * (communeIndex + 1) + 50 + i).padStart(6, "0")}`;
    const dpro =
      phareObjet?.dpro ??
      (classe && numero % 5 === 0
        ? `${anneeProtection - 20}/05/14 : inscrit au titre objet ; ${dateProtection} : classé au titre objet`
        : `${dateProtection} : ${classe ? "classé" : "inscrit"} au titre objet`);
    const venuDe = i === commune.objets - 1 ? commune.dernierObjetVenuDe : undefined;
    const photos: PalissyPhoto[] =
      !phareObjet && (numero % 5 === 2 || numero % 5 === 4) ? [] : memoirePhotos(departement.code, numero, numero % 3 === 0 ? 2 : 1);
    return {
      palissy_ref: ref,
      palissy_tico: phareObjet?.tico ?? modele.tico,
      palissy_deno: phareObjet?.deno ?? modele.deno,
      palissy_cate: phareObjet?.cate ?? modele.cate,
      palissy_scle: phareObjet?.scle ?? modele.scles[numero % modele.scles.length]!,
      palissy_denq: numero % 2 === 0 ? `${2000 + (numero % 20)}/${String(1 + (numero % 9)).padStart(2, "0")}/15` : null,
      palissy_com: venuDe?.nom ?? commune.nom,
      palissy_insee: venuDe?.code ?? commune.code,
      palissy_dpt: departement.code,
      palissy_doss: modele.doss ?? "dossier individuel",
      palissy_edif: edifice.nom,
      palissy_empl: phareObjet?.empl ?? modele.empls[numero % modele.empls.length]!,
      palissy_refa: edifice.ref,
      palissy_prot: classe ? "classé au titre objet" : "inscrit au titre objet",
      palissy_dpro: dpro,
      palissy_stat: "propriété de la commune",
      palissy_depl: venuDe?.deplace ? commune.nom : null,
      palissy_web: venuDe ? commune.code : null,
      palissy_mosa: venuDe?.deplace ? [edifice.nom, edifice.ref].filter(Boolean).join(";") : null,
      palissy_photos: JSON.stringify(photos),
      lieu_actuel_code_insee: commune.code,
      lieu_actuel_edifice_nom: edifice.nom,
      lieu_actuel_edifice_ref: edifice.ref,
      lieu_actuel_departement_code: departement.code,
      edifice_id: edifice.id,
    };
  });
  const inserted = await trx.insertInto("objets").values(rows).returning(["id", "palissy_ref"]).execute();
  return inserted.map((o) => ({ id: o.id, ref: o.palissy_ref, edificeNoms: edifices.map((e) => e.nom) }));
}

function memoirePhotos(departementCode: string, numero: number, count: number): PalissyPhoto[] {
  return Array.from({ length: count }, (_, k) => {
    const memoireRef = `AP${departementCode}L${String(40_000 + numero * 3 + k).padStart(6, "0")}`;
    return {
      url: `${MEMOIRE_HOST}/memoire/${memoireRef}/${memoireRef.toLowerCase()}_p.jpg`,
      name: k === 0 ? "Vue générale" : "Détail",
      credit: MEMOIRE_CREDIT,
      memoire_ref: memoireRef,
    };
  });
}

type DossierContext = {
  trx: Trx;
  now: Date;
  conservateurId: number;
  communeId: number;
  userId: number;
  commune: DemoCommune;
  objets: ObjetSeed[];
  voisine: DemoCommune | undefined;
};

type DossierInsere = { id: number; status: DossierStatus; campaignId: number | null };

/** Inserts the commune's dossiers and returns its current one (null when only archived ones remain). */
async function insertDossiers(
  ctx: DossierContext,
  plan: DemoDossier,
  courante: CampagneDates | null,
  ancienne: CampagneDates | null,
  courantId: number | null,
  ancienneId: number | null,
): Promise<DossierInsere | null> {
  const { now } = ctx;
  if (plan.ancienDossierArchive) {
    const debut = addDays(courante?.lancement ?? now, -500);
    await insertDossier(ctx, { scenario: "examine", profils: ["vert", "moyen"] }, debut, null, courante?.lancement ?? addDays(now, -30));
  }
  if (plan.scenario === "archive") {
    const debut = addDays(ancienne?.lancement ?? addDays(now, -700), 5);
    await insertDossier(ctx, plan, debut, ancienneId, courante?.lancement ?? addDays(now, -30));
    return null;
  }
  // Recensements begun after a campaign mail belong to that campaign; a construction dossier of a département
  // whose campaign ended long ago was started spontaneously, a few weeks ago.
  const pendantCampagne = courante !== null && (courante.fin.getTime() > now.getTime() || plan.scenario !== "construction");
  const debut = pendantCampagne
    ? addDays(courante.lancement, 2 + (ctx.communeId % 6))
    : addDays(now, plan.scenario === "construction" ? -40 : -150);
  return insertDossier(ctx, plan, debut, pendantCampagne ? courantId : null, null);
}

async function insertDossier(
  ctx: DossierContext,
  plan: DemoDossier,
  debut: Date,
  campaignId: number | null,
  archivedAt: Date | null,
): Promise<DossierInsere> {
  const { trx, now, conservateurId } = ctx;
  const created = past(debut, now);
  const envoye = plan.scenario !== "construction";
  const submittedAt = envoye ? past(addDays(created, 9), now) : null;
  const examine = plan.scenario === "examine" || plan.scenario === "archive";
  const acceptedAt = examine && submittedAt ? past(addDays(submittedAt, 25), now) : null;
  const status: DossierStatus = archivedAt ? "archived" : examine ? "accepted" : envoye ? "submitted" : "construction";
  const dossier = await trx
    .insertInto("dossiers")
    .values({
      commune_id: ctx.communeId,
      status,
      created_at: created,
      updated_at: archivedAt ?? acceptedAt ?? submittedAt ?? created,
      submitted_at: submittedAt,
      accepted_at: acceptedAt,
      archived_at: archivedAt,
      notes_commune: envoye ? "Recensement fait avec l’aide du sacristain ; la tribune n’était pas accessible le jour de la visite." : null,
      recenseur: envoye ? "Marie Le Goff, adjointe au patrimoine, 06 12 34 56 78" : null,
      notes_conservateur: examine
        ? "Merci pour ce recensement soigné. Les objets signalés en mauvais état demandent une intervention : voyez les fiches conseil jointes et n’hésitez pas à m’écrire."
        : null,
      conservateur_id: examine ? conservateurId : null,
      visit: examine ? (plan.visit ?? null) : null,
      // The automatic "objets verts" reply goes out once the campaign is over.
      replied_automatically_at: plan.scenario === "reponse_auto" && submittedAt ? past(addDays(submittedAt, 80), now) : null,
      campaign_id: campaignId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();

  const recensements = recensementRows(ctx, plan, dossier.id, created, submittedAt, acceptedAt);
  if (recensements.length > 0) await trx.insertInto("recensements").values(recensements).execute();
  await insertMessages(ctx, plan, created, submittedAt, acceptedAt);
  return { id: dossier.id, status, campaignId };
}

type Reponse = {
  localisation: Localisation;
  recensable: boolean;
  etat_sanitaire: EtatSanitaire | null;
  securisation: Securisation | null;
  notes: string | null;
  edifice_nom?: string | null;
  autre_commune_code_insee?: string | null;
};

function reponse(ctx: DossierContext, profil: DemoProfil, objet: ObjetSeed): Reponse {
  const enPlace = (etat: EtatSanitaire, securisation: Securisation, notes: string | null = null): Reponse => ({
    localisation: "edifice_initial",
    recensable: true,
    etat_sanitaire: etat,
    securisation,
    notes,
  });
  const horsLieu = (localisation: Localisation, notes: string): Reponse => ({
    localisation,
    recensable: false,
    etat_sanitaire: null,
    securisation: null,
    notes,
  });
  switch (profil) {
    case "vert":
      return enPlace("bon", "en_securite");
    case "moyen":
      return enPlace("moyen", "en_securite", "Poussière et petites usures, rien d’alarmant.");
    case "mauvais":
      return enPlace(
        "mauvais",
        "en_danger",
        "Vermoulure visible au revers, quelques éléments décollés. L’objet est près de l’entrée, sans protection.",
      );
    case "peril":
      return enPlace("peril", "en_danger", "Infiltrations d’eau juste au-dessus : la polychromie s’écaille et le bois est humide.");
    case "autre_edifice":
      return {
        ...enPlace("moyen", "en_securite", "Mis à l’abri pendant les travaux de toiture."),
        localisation: "autre_edifice",
        edifice_nom: objet.edificeNoms[1] ?? "mairie",
      };
    case "autre_commune":
      return {
        ...horsLieu("deplacement_autre_commune", "Prêté durablement à la paroisse voisine."),
        edifice_nom: ctx.voisine?.edifices[0]?.nom ?? "église paroissiale",
        autre_commune_code_insee: ctx.voisine?.code ?? null,
      };
    case "temporaire":
      return horsLieu("deplacement_temporaire", "Confié à un atelier de restauration jusqu’à la fin de l’année.");
    case "absent":
      return horsLieu("absent", "Introuvable : ni dans l’église ni dans la sacristie. Le dernier témoignage date d’une dizaine d’années.");
    case "non_recensable":
      return {
        ...horsLieu("edifice_initial", "Objet en place mais inaccessible : la tribune est fermée pour raison de sécurité."),
        recensable: false,
      };
  }
}

function fichesPour(profil: DemoProfil, r: Reponse): FicheId[] {
  const fiches: FicheId[] = [];
  if (profil === "absent") fiches.push("depot_plainte");
  if (profil === "peril") fiches.push("restauration", "entretien_edifices");
  if (profil === "mauvais" || profil === "moyen") fiches.push("entretien_objets");
  if (r.securisation === "en_danger") fiches.push("securisation");
  return fiches;
}

function recensementRows(
  ctx: DossierContext,
  plan: DemoDossier,
  dossierId: number,
  created: Date,
  submittedAt: Date | null,
  acceptedAt: Date | null,
): Insertable<RecensementsTable>[] {
  const { now, objets } = ctx;
  const completes = plan.scenario === "construction" ? Math.min(plan.completes ?? 0, objets.length) : objets.length;
  const brouillons = plan.scenario === "construction" ? Math.min(plan.brouillons ?? 0, objets.length - completes) : 0;
  const analyses =
    plan.scenario === "examine" || plan.scenario === "archive"
      ? objets.length
      : plan.scenario === "examen_partiel"
        ? Math.max(1, Math.floor(objets.length / 2))
        : 0;

  return objets.slice(0, completes + brouillons).map((objet, i) => {
    const profil = plan.profils[i % plan.profils.length]!;
    const when = past(addDays(created, i * 0.2), now);
    if (i >= completes) {
      // A draft stops part-way through the questionnaire.
      return {
        objet_id: objet.id,
        dossier_id: dossierId,
        status: "draft",
        localisation: "edifice_initial",
        recensable: true,
        created_at: when,
        updated_at: when,
      };
    }
    const r = reponse(ctx, profil, objet);
    const completedAt = past(addDays(when, 0.1), now);
    const base: Insertable<RecensementsTable> = {
      objet_id: objet.id,
      dossier_id: dossierId,
      status: "completed",
      ...r,
      completed_at: completedAt,
      created_at: when,
      updated_at: completedAt,
    };
    if (i >= analyses || !submittedAt) return base;
    const analysedAt = past(addDays(acceptedAt ?? addDays(submittedAt, 3), -1 + i * 0.01), now);
    // Some overrides, so that lists show the conservateur's opinion winning over the commune's.
    const surclassement =
      r.etat_sanitaire === "mauvais" && i % 2 === 1 ? "peril" : r.etat_sanitaire === "moyen" && i % 2 === 0 ? "mauvais" : null;
    return {
      ...base,
      analyse_etat_sanitaire: surclassement,
      analyse_securisation: r.securisation === "en_danger" && profil === "mauvais" && i % 3 === 0 ? "en_securite" : null,
      analyse_fiches: fichesPour(profil, r),
      analyse_notes:
        profil === "vert"
          ? null
          : "Merci pour la précision des photos. Voyez la fiche conseil correspondante ; je reste disponible pour en parler.",
      analysed_at: analysedAt,
      conservateur_id: ctx.conservateurId,
      updated_at: analysedAt,
    };
  });
}

async function insertMessages(
  ctx: DossierContext,
  plan: DemoDossier,
  created: Date,
  submittedAt: Date | null,
  acceptedAt: Date | null,
): Promise<void> {
  const { trx, now, communeId, userId, conservateurId, commune } = ctx;
  const commun = { commune_id: communeId, origin: "web" as const };
  const messages: { author: "commune" | "conservateur"; text: string; at: Date }[] = [];
  if (plan.scenario === "construction" && (plan.brouillons ?? 0) > 0) {
    messages.push(
      {
        author: "commune",
        text: `Bonjour, à ${commune.nom} la cloche est dans le clocher et nous ne pouvons pas y monter. Comment la recenser ?`,
        at: addDays(created, 2),
      },
      {
        author: "conservateur",
        text: "Bonjour, indiquez « objet non recensable » et précisez pourquoi dans le commentaire : je viendrai la voir lors d’une visite.",
        at: addDays(created, 3),
      },
    );
  }
  if (plan.scenario === "soumis" && submittedAt) {
    messages.push({
      author: "commune",
      text: "Bonjour, nous avons envoyé le recensement. Un objet n’a pas été retrouvé : faut-il porter plainte ?",
      at: addDays(submittedAt, 1),
    });
  }
  if (plan.scenario === "examine" && acceptedAt && plan.visit) {
    messages.push(
      {
        author: "conservateur",
        text: "Bonjour, je souhaite venir voir les objets en péril. Le mardi matin vous conviendrait-il ?",
        at: addDays(acceptedAt, 2),
      },
      {
        author: "commune",
        text: "Bonjour, oui : le secrétariat de mairie vous remettra les clés de l’église.",
        at: addDays(acceptedAt, 3),
      },
    );
  }
  if (messages.length === 0) return;
  await trx
    .insertInto("messages")
    .values(
      messages.map((m) => ({
        ...commun,
        author_type: m.author,
        author_id: m.author === "commune" ? userId : conservateurId,
        text: m.text,
        created_at: past(m.at, now),
      })),
    )
    .execute();
}
