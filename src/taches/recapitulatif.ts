import type { Kysely } from "kysely";
import { alertesOuvertesParDepartement } from "../alertes/repository.ts";
import type { Config } from "../config.ts";
import { STATUT_GLOBAL } from "../dossier/rules.ts";
import type { DB } from "../platform/db/schema.ts";
import { enqueueMail } from "../platform/mail/outbox.ts";
import { recapitulatifMail, type RecapCommuneMessages, type RecapDossier } from "./mails.ts";
import { semainePrecedenteParis } from "./periodes.ts";

const A_EXAMINER = [STATUT_GLOBAL.aExaminer, STATUT_GLOBAL.aExaminerEnPriorite, STATUT_GLOBAL.enCoursDExamen];

/**
 * DepartementActivite (Monday 08:30 Paris, RB §7.3): for every conservateur who asked for it
 * (`send_recap`) and each of their départements with activity during the previous week (Monday to
 * Sunday, Paris time) — messages from communes, dossiers sent and still to examine — one mail.
 * Nothing is sent for a quiet département. The département's alerts (objets disparus or en péril) raised
 * that week and still open, with the number of open alerts, come first. Five statements whatever the number of conservateurs,
 * then one outbox write per mail, keyed per conservateur, département and week.
 */
export async function envoyerRecapitulatifs(
  db: Kysely<DB>,
  config: Pick<Config, "publicUrl" | "mailFrom">,
  now = new Date(),
): Promise<number> {
  const semaine = await semainePrecedenteParis(db, now);
  const abonnes = await db
    .selectFrom("conservateurs as co")
    .innerJoin("conservateur_departements as cd", "cd.conservateur_id", "co.id")
    .innerJoin("departements as dep", "dep.code", "cd.departement_code")
    .select(["co.id", "co.email", "dep.code", "dep.dans_nom"])
    .where("co.send_recap", "=", true)
    .orderBy("co.id")
    .orderBy("dep.code")
    .execute();
  if (abonnes.length === 0) return 0;
  const codes = [...new Set(abonnes.map((a) => a.code))];

  const messages = await db
    .selectFrom("messages as m")
    .innerJoin("communes as c", "c.id", "m.commune_id")
    .select((eb) => ["c.departement_code", "c.code_insee", "c.nom", eb.fn.countAll<string>().as("n")])
    .where("m.author_type", "=", "commune")
    .where("m.created_at", ">=", semaine.debut)
    .where("m.created_at", "<", semaine.fin)
    .where("c.departement_code", "in", codes)
    .groupBy(["c.departement_code", "c.code_insee", "c.nom"])
    .orderBy("c.nom")
    .execute();
  const dossiers = await db
    .selectFrom("dossiers as d")
    .innerJoin("communes as c", "c.id", "d.commune_id")
    .select(["c.departement_code", "c.code_insee", "c.nom", "c.en_peril_count", "c.disparus_count"])
    .where("d.status", "=", "submitted")
    .where("d.submitted_at", ">=", semaine.debut)
    .where("d.submitted_at", "<", semaine.fin)
    .where("c.statut_global", "in", A_EXAMINER)
    .where("c.departement_code", "in", codes)
    .orderBy("c.en_peril_count", "desc")
    .orderBy("c.disparus_count", "desc")
    .orderBy("c.nom")
    .execute();

  const alertesParDep = await alertesOuvertesParDepartement(db, codes, semaine);

  const messagesParDep = new Map<string, RecapCommuneMessages[]>();
  for (const m of messages) {
    const liste = messagesParDep.get(m.departement_code) ?? [];
    liste.push({ codeInsee: m.code_insee, nom: m.nom, messages: Number(m.n) });
    messagesParDep.set(m.departement_code, liste);
  }
  const dossiersParDep = new Map<string, RecapDossier[]>();
  for (const d of dossiers) {
    const liste = dossiersParDep.get(d.departement_code) ?? [];
    liste.push({ codeInsee: d.code_insee, nom: d.nom, enPeril: d.en_peril_count, disparus: d.disparus_count });
    dossiersParDep.set(d.departement_code, liste);
  }

  let envoyes = 0;
  for (const abonne of abonnes) {
    const m = messagesParDep.get(abonne.code) ?? [];
    const d = dossiersParDep.get(abonne.code) ?? [];
    const alertes = alertesParDep.get(abonne.code);
    if (m.length === 0 && d.length === 0 && (alertes?.nouvelles.length ?? 0) === 0) continue;
    const { created } = await enqueueMail(
      db,
      recapitulatifMail(config, {
        to: abonne.email,
        conservateurId: abonne.id,
        departement: { code: abonne.code, dansNom: abonne.dans_nom },
        semaine,
        messages: m,
        dossiers: d,
        alertes: alertes ?? { ouvertes: 0, nouvelles: [] },
      }),
    );
    if (created) envoyes += 1;
  }
  return envoyes;
}
