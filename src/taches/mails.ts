import type { AlertesDuRecapitulatif } from "../alertes/repository.ts";
import type { Config } from "../config.ts";
import { renderMail, type MailBlock } from "../platform/mail/layout.tsx";
import type { OutgoingMail } from "../platform/mail/outbox.ts";

type MailConfig = Pick<Config, "publicUrl" | "mailFrom">;
type Commune = { nom: string; codeInsee: string };

const SIGNATURE = ["Cordialement,", "L’équipe Collectif Objets"];
const parisLongDate = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", day: "numeric", month: "long", year: "numeric" });
const parisJour = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", weekday: "long", day: "numeric", month: "long" });

/** `dossier_auto_submitted_email` (RB §7.3): the recensement finished a month ago was forwarded for the commune. */
export function dossierAutoSoumisMail(config: MailConfig, input: { to: string; dossierId: number; commune: Commune }): OutgoingMail {
  const { nom, codeInsee } = input.commune;
  const { html, text } = renderMail({
    title: "Vos recensements ont été transmis aux conservateurs",
    preheader: `Le recensement des objets protégés de ${nom} est maintenant entre les mains des conservateurs.`,
    blocks: [
      { kind: "paragraph", text: "Bonjour," },
      {
        kind: "paragraph",
        text: `Tous les objets protégés de ${nom} ont été recensés il y a plusieurs semaines, mais le recensement n’avait pas été envoyé. Pour que votre travail ne reste pas sans suite, nous l’avons transmis aux conservateurs à votre place.`,
      },
      {
        kind: "paragraph",
        text: "Un conservateur va l’examiner et pourra vous adresser des recommandations. Vous recevrez un mail dès que son examen sera disponible.",
      },
      { kind: "button", label: "Voir les données envoyées", url: `${config.publicUrl}/communes/${codeInsee}/dossier/donnees-envoyees` },
    ],
    signature: SIGNATURE,
    footer: [`Vous recevez ce mail car votre adresse est celle d’un compte de la commune de ${nom} sur Collectif Objets.`],
  });
  return {
    idempotencyKey: `dossier-auto-submitted:${input.dossierId}:${input.to.toLowerCase()}`,
    category: "dossier_auto_submitted",
    from: config.mailFrom,
    to: input.to,
    subject: "Vos recensements d’objets ont été transmis aux conservateurs",
    html,
    text,
  };
}

export type Relance = "relance" | "derniere_relance";

/** `relance_dossier_incomplet` / `derniere_relance_dossier_incomplet` (RB §7.3): an unfinished recensement will be archived. */
export function relanceDossierMail(
  config: MailConfig,
  input: {
    to: string;
    dossierId: number;
    relance: Relance;
    commune: Commune;
    /** Start (Paris) of the day the dossier is archived. */ archivageLe: Date;
  },
): OutgoingMail {
  const { nom, codeInsee } = input.commune;
  const delai = input.relance === "relance" ? "3 mois" : "un mois";
  const subject =
    input.relance === "relance" ? "Plus que 3 mois pour finaliser votre recensement" : "Plus qu’un mois pour finaliser votre recensement";
  const { html, text } = renderMail({
    title: subject,
    preheader: `Le recensement commencé à ${nom} n’a pas encore été envoyé aux conservateurs.`,
    blocks: [
      { kind: "paragraph", text: "Bonjour," },
      {
        kind: "paragraph",
        text: `Vous avez commencé le recensement des objets protégés de ${nom}, mais il n’a pas encore été envoyé aux conservateurs. Nous conservons un recensement inachevé pendant un an : il vous reste ${delai}, jusqu’au ${parisLongDate.format(new Date(input.archivageLe.getTime() - 12 * 3600 * 1000))} inclus, pour le terminer.`,
      },
      {
        kind: "paragraph",
        text: "Passé ce délai, le recensement en cours sera archivé et ne pourra plus être envoyé : il faudra recommencer.",
      },
      { kind: "button", label: "Finir de recenser les objets", url: `${config.publicUrl}/communes/${codeInsee}/objets` },
    ],
    signature: SIGNATURE,
    footer: [`Vous recevez ce mail car votre adresse est celle d’un compte de la commune de ${nom} sur Collectif Objets.`],
  });
  return {
    idempotencyKey: `${input.relance === "relance" ? "relance-dossier" : "derniere-relance-dossier"}:${input.dossierId}:${input.to.toLowerCase()}`,
    category: input.relance === "relance" ? "relance_dossier_incomplet" : "derniere_relance_dossier_incomplet",
    from: config.mailFrom,
    to: input.to,
    subject,
    html,
    text,
  };
}

export type RecapCommuneMessages = { codeInsee: string; nom: string; messages: number };
export type RecapDossier = { codeInsee: string; nom: string; enPeril: number; disparus: number };

/** `activite_email` (RB §7.3): the week's activity of one département for one conservateur. */
export function recapitulatifMail(
  config: MailConfig,
  input: {
    to: string;
    conservateurId: number;
    departement: { code: string; dansNom: string };
    /** Monday 00:00 and the following Monday 00:00, Paris time. */
    semaine: { debut: Date; fin: Date; cle: string };
    messages: RecapCommuneMessages[];
    dossiers: RecapDossier[];
    /** Alerts raised during the week and still open, and how many are open in all. */
    alertes?: AlertesDuRecapitulatif;
  },
): OutgoingMail {
  const dimanche = new Date(input.semaine.fin.getTime() - 12 * 3600 * 1000);
  const periode = `du ${parisJour.format(input.semaine.debut)} au ${parisJour.format(dimanche)}`;
  const blocks: MailBlock[] = [{ kind: "paragraph", text: "Bonjour," }];
  blocks.push({ kind: "paragraph", text: `Voici ce qui s’est passé ${periode} ${input.departement.dansNom} sur Collectif Objets.` });
  const { nouvelles, ouvertes } = input.alertes ?? { nouvelles: [], ouvertes: 0 };
  if (nouvelles.length > 0) {
    blocks.push({
      kind: "paragraph",
      text: `${nouvelles.length} nouvelle${nouvelles.length > 1 ? "s" : ""} alerte${nouvelles.length > 1 ? "s" : ""} (objets disparus ou en péril) cette semaine :`,
    });
    blocks.push({
      kind: "list",
      items: nouvelles.map((a) => `${a.objet} à ${a.nom} (${a.codeInsee}) : ${a.kind === "disparu" ? "disparu" : "en péril"}`),
    });
  }
  if (ouvertes > 0) {
    blocks.push({
      kind: "paragraph",
      text: `${ouvertes} alerte${ouvertes > 1 ? "s" : ""} ${ouvertes > 1 ? "restent" : "reste"} à traiter ${input.departement.dansNom} : ${config.publicUrl}/conservateurs/departements/${input.departement.code}/alertes`,
    });
  }
  if (input.messages.length > 0) {
    const total = input.messages.reduce((sum, c) => sum + c.messages, 0);
    blocks.push({
      kind: "paragraph",
      text: `Vous avez reçu ${total} message${total > 1 ? "s" : ""} de ${input.messages.length} commune${input.messages.length > 1 ? "s" : ""} :`,
    });
    blocks.push({
      kind: "list",
      items: input.messages.map(
        (c) =>
          `${c.nom} (${c.messages} message${c.messages > 1 ? "s" : ""}) : ${config.publicUrl}/conservateurs/communes/${c.codeInsee}/messagerie`,
      ),
    });
  }
  if (input.dossiers.length > 0) {
    const n = input.dossiers.length;
    blocks.push({
      kind: "paragraph",
      text: `${n} dossier${n > 1 ? "s" : ""} envoyé${n > 1 ? "s" : ""} pendant cette semaine ${n > 1 ? "sont" : "est"} à examiner :`,
    });
    blocks.push({
      kind: "list",
      items: input.dossiers.map((d) => {
        const alertes = [
          d.enPeril > 0 ? `${d.enPeril} objet${d.enPeril > 1 ? "s" : ""} en péril` : null,
          d.disparus > 0 ? `${d.disparus} objet${d.disparus > 1 ? "s" : ""} disparu${d.disparus > 1 ? "s" : ""}` : null,
        ].filter((a) => a !== null);
        return `${d.nom}${alertes.length > 0 ? ` (${alertes.join(", ")})` : ""} : ${config.publicUrl}/conservateurs/communes/${d.codeInsee}`;
      }),
    });
  }
  blocks.push({ kind: "button", label: "Ne plus recevoir ce récapitulatif", url: `${config.publicUrl}/conservateurs/compte` });
  const { html, text } = renderMail({
    title: `Récapitulatif d’activité ${input.departement.dansNom}`,
    preheader: `L’activité des communes ${periode}.`,
    blocks,
    signature: SIGNATURE,
    footer: ["Vous recevez ce récapitulatif chaque lundi car vous l’avez demandé. Vous pouvez l’arrêter depuis votre compte."],
  });
  return {
    idempotencyKey: `recap:${input.conservateurId}:${input.departement.code}:${input.semaine.cle}`,
    category: "activite",
    from: config.mailFrom,
    to: input.to,
    subject: `Récapitulatif d’activité ${periode} ${input.departement.dansNom}`,
    html,
    text,
  };
}

export type Constat = { titre: string; details: string[]; total: number };

/** Daily consistency check findings, to an admin (RB §3.8; in the reference, a hard-coded developer address). */
export function coherenceMail(config: MailConfig, input: { to: string; adminId: number; jour: string; constats: Constat[] }): OutgoingMail {
  const blocks: MailBlock[] = [
    { kind: "paragraph", text: `La vérification quotidienne des données du ${input.jour} a trouvé des incohérences :` },
  ];
  for (const constat of input.constats) {
    blocks.push({ kind: "paragraph", text: `${constat.titre} (${constat.total})` });
    const reste = constat.total - constat.details.length;
    blocks.push({ kind: "list", items: reste > 0 ? [...constat.details, `… et ${reste} autre${reste > 1 ? "s" : ""}`] : constat.details });
  }
  blocks.push({ kind: "button", label: "Ouvrir l’administration", url: `${config.publicUrl}/admin` });
  const { html, text } = renderMail({
    title: "Incohérences dans les données",
    blocks,
    footer: ["Vous recevez ce mail car vous êtes administrateur de Collectif Objets."],
  });
  return {
    idempotencyKey: `coherence:${input.jour}:${input.adminId}`,
    category: "sanity_check_alert",
    from: config.mailFrom,
    to: input.to,
    subject: `Collectif Objets — ${input.constats.reduce((n, c) => n + c.total, 0)} incohérence(s) le ${input.jour}`,
    html,
    text,
  };
}
