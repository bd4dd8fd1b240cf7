import type { Config } from "../config.ts";
import { renderMail } from "../platform/mail/layout.tsx";
import type { OutgoingMail } from "../platform/mail/outbox.ts";

const parisLongDate = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", day: "numeric", month: "long", year: "numeric" });

/** `commune_completed_email` (RB §7.3): thanks to the person who sent the commune's recensement. */
export function dossierEnvoyeMail(
  config: Pick<Config, "publicUrl" | "mailFrom">,
  input: { to: string; dossierId: number; submittedAt: Date; commune: { nom: string; codeInsee: string }; replyTo?: string },
): OutgoingMail {
  const { nom, codeInsee } = input.commune;
  const donneesUrl = `${config.publicUrl}/communes/${codeInsee}/dossier/donnees-envoyees`;
  const { html, text } = renderMail({
    title: "Merci d’avoir contribué à Collectif Objets",
    preheader: `Le recensement des objets protégés de ${nom} a bien été transmis aux conservateurs.`,
    blocks: [
      { kind: "paragraph", text: "Bonjour," },
      {
        kind: "paragraph",
        text: `Le recensement des objets protégés de la commune de ${nom} a bien été transmis aux conservateurs le ${parisLongDate.format(input.submittedAt)}. Merci pour le temps que vous y avez consacré !`,
      },
      {
        kind: "paragraph",
        text: "Vos photos et vos observations aident les conservateurs à suivre l’état du patrimoine mobilier protégé de votre commune et à le préserver.",
      },
      {
        kind: "paragraph",
        text: "Un conservateur va examiner votre recensement. Il pourra vous adresser des recommandations, accompagnées de fiches conseil pour entretenir, sécuriser ou faire restaurer vos objets. Vous recevrez un mail dès que son examen sera disponible.",
      },
      { kind: "button", label: "Accéder à Collectif Objets", url: donneesUrl },
      {
        kind: "paragraph",
        text: `Les fiches conseil sont consultables à tout moment : ${config.publicUrl}/fiches`,
      },
      ...(input.replyTo
        ? [
            {
              kind: "paragraph" as const,
              text: "Une question pour les conservateurs ? Répondez simplement à ce mail : votre message arrivera dans la messagerie de votre commune sur Collectif Objets.",
            },
          ]
        : []),
    ],
    signature: ["Cordialement,", "L’équipe Collectif Objets"],
    footer: [`Vous recevez ce mail car le recensement de la commune de ${nom} a été envoyé depuis Collectif Objets avec cette adresse.`],
  });
  return {
    idempotencyKey: `dossier-submitted:${input.dossierId}:${input.submittedAt.getTime()}`,
    category: "commune_completed",
    from: config.mailFrom,
    to: input.to,
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
    subject: `${nom}, merci d’avoir contribué à Collectif Objets`,
    html,
    text,
  };
}
