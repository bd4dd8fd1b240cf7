import type { Config } from "../config.ts";
import { renderMail } from "../platform/mail/layout.tsx";
import type { OutgoingMail } from "../platform/mail/outbox.ts";

/**
 * `commune_avec_objets_verts` (RB §7.3–7.4): automatic reply after a campaign to a commune whose
 * recensement reports no objet in peril nor missing. One per dossier (idempotency key).
 */
export function mailObjetsVerts(
  config: Pick<Config, "publicUrl" | "mailFrom">,
  input: {
    to: string;
    dossierId: number;
    commune: { nom: string; codeInsee: string };
    departement: { dans_nom: string };
    replyTo?: string;
  },
): OutgoingMail {
  const { nom, codeInsee } = input.commune;
  const subject = `Suite à votre participation à la campagne de recensement des objets monuments historiques ${input.departement.dans_nom}`;
  const { html, text } = renderMail({
    title: "Merci pour votre recensement",
    preheader: `Votre recensement ne signale aucun objet en péril ni disparu à ${nom}.`,
    blocks: [
      { kind: "paragraph", text: "Madame la Maire, Monsieur le Maire," },
      {
        kind: "paragraph",
        text: `Merci d’avoir participé à la campagne de recensement des objets monuments historiques ${input.departement.dans_nom}. Grâce à votre contribution, les conservateurs disposent d’un état à jour des objets protégés de ${nom}.`,
      },
      {
        kind: "paragraph",
        text: "Collectif Objets repose sur un travail commun entre les communes et les services patrimoniaux : chaque photo et chaque observation aide à suivre ce patrimoine dans le temps.",
      },
      {
        kind: "paragraph",
        text: "Votre recensement ne signale aucun objet en péril ni aucun objet disparu : aucune action urgente n’est attendue de votre part. Les conservateurs pourront revenir vers vous s’ils le jugent utile.",
      },
      {
        kind: "paragraph",
        text: "Si l’état d’un objet venait à se dégrader, ou si un objet disparaissait, prévenez sans attendre le conservateur des antiquités et objets d’art (CAOA) de votre département, par exemple depuis la messagerie.",
      },
      { kind: "button", label: "Accéder à la messagerie", url: `${config.publicUrl}/communes/${codeInsee}/messagerie` },
    ],
    signature: ["Cordialement,", "L’équipe Collectif Objets"],
    footer: [`Vous recevez ce mail car la commune de ${nom} a participé à une campagne de recensement avec cette adresse.`],
  });
  return {
    idempotencyKey: `objets-verts:${input.dossierId}`,
    category: "commune_avec_objets_verts",
    from: config.mailFrom,
    to: input.to,
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
    subject,
    html,
    text,
  };
}
