import type { Config } from "../config.ts";
import { renderMail, type MailBlock } from "../platform/mail/layout.tsx";
import type { OutgoingMail } from "../platform/mail/outbox.ts";

export type ExamenDisponible = {
  to: string;
  /** The commune user the mail goes to: one mail per user and per sending of the examen. */
  communeUserId: number;
  dossierId: number;
  acceptedAt: Date;
  commune: { nom: string; codeInsee: string };
  conservateur: { nom: string };
  /** The conservateur's global comment, if any. */
  notes: string | null;
  /** Titles of the fiches conseil recommended for at least one objet, in the fiches' order. */
  fiches: string[];
  /** The commune's signed reply address (src/messagerie/adresses.ts). */
  replyTo?: string;
};

export function examenDisponibleSujet(communeNom: string): string {
  return `L’examen du recensement de ${communeNom} est disponible`;
}

export function examenUrl(config: Pick<Config, "publicUrl">, codeInsee: string): string {
  return `${config.publicUrl}/communes/${codeInsee}/dossier`;
}

/** `"Jeanne Dupont via Collectif Objets" <adresse de l’expéditeur configuré>` (RB §7.3). */
function fromConservateur(mailFrom: string, conservateurNom: string): string {
  const address = /<([^<>]+)>\s*$/.exec(mailFrom)?.[1] ?? mailFrom.trim();
  const nom = conservateurNom.replace(/["\\<>\r\n]/g, "").trim();
  return nom ? `"${nom} via Collectif Objets" <${address}>` : mailFrom;
}

/** The comment quoted line by line, « between French quotes », blank lines dropped. */
function citation(notes: string): MailBlock[] {
  const lignes = notes
    .replace(/\r\n/g, "\n")
    .split("\n")
    .map((ligne) => ligne.trim())
    .filter(Boolean);
  return lignes.map((ligne, index) => ({
    kind: "paragraph",
    text: `${index === 0 ? "« " : ""}${ligne}${index === lignes.length - 1 ? " »" : ""}`,
  }));
}

/**
 * `dossier_accepted_email` (RB §7.3): the examen of the commune's recensement is online. Never says a
 * word of the visit the conservateur may plan: that flag is for the conservateurs only.
 */
export function examenDisponibleMail(config: Pick<Config, "publicUrl" | "mailFrom">, input: ExamenDisponible): OutgoingMail {
  const { nom, codeInsee } = input.commune;
  const conservateur = input.conservateur.nom;
  const notes = input.notes?.trim() ? input.notes : null;
  const blocks: MailBlock[] = [
    { kind: "paragraph", text: "Bonjour," },
    {
      kind: "paragraph",
      text: `${conservateur} a examiné le recensement des objets protégés de ${nom}. Merci pour le temps que vous avez consacré à ce recensement : vos photos et vos réponses aident à préserver le patrimoine de votre commune.`,
    },
  ];
  if (notes) {
    blocks.push({ kind: "paragraph", text: `Voici son commentaire pour la commune :` }, ...citation(notes));
  }
  if (input.fiches.length > 0) {
    blocks.push(
      {
        kind: "paragraph",
        text:
          input.fiches.length > 1
            ? "Pour certains objets, le conservateur vous recommande la lecture de ces fiches conseil :"
            : "Pour certains objets, le conservateur vous recommande la lecture de cette fiche conseil :",
      },
      { kind: "list", items: input.fiches },
    );
  }
  blocks.push(
    {
      kind: "paragraph",
      text: "L’examen complet, objet par objet, avec les observations du conservateur et les fiches conseil, est consultable en ligne :",
    },
    { kind: "button", label: "Découvrir l’examen de mon recensement", url: examenUrl(config, codeInsee) },
    {
      kind: "paragraph",
      text: input.replyTo
        ? "Pour toute question, répondez simplement à ce mail : votre réponse arrivera dans la messagerie de votre commune sur Collectif Objets, que les conservateurs lisent."
        : "Pour toute question, écrivez aux conservateurs depuis la messagerie de votre commune sur Collectif Objets.",
    },
  );
  const { html, text } = renderMail({
    title: examenDisponibleSujet(nom),
    preheader: `${conservateur} a examiné le recensement des objets protégés de ${nom}.`,
    blocks,
    signature: ["Cordialement,", "L’équipe Collectif Objets"],
    footer: [`Vous recevez ce mail car votre adresse est celle de la commune de ${nom} sur Collectif Objets.`],
  });
  return {
    idempotencyKey: `examen-envoye:${input.dossierId}:${input.acceptedAt.getTime()}:${input.communeUserId}`,
    category: "dossier_accepted",
    from: fromConservateur(config.mailFrom, conservateur),
    to: input.to,
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
    subject: examenDisponibleSujet(nom),
    html,
    text,
  };
}
