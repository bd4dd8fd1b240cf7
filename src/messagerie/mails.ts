import type { Config } from "../config.ts";
import { renderMail, type MailBlock } from "../platform/mail/layout.tsx";
import type { OutgoingMail } from "../platform/mail/outbox.ts";

/** Longest part of the message quoted in a notification: the rest is read in the thread. */
export const CITATION_MAX = 1500;

export type NotificationMessage = {
  messageId: number;
  /** Side of the recipient: the commune's users, or a conservateur of the département. */
  destinataire: { type: "commune" | "conservateur"; id: number; email: string };
  auteur: { type: "commune" | "conservateur" | "admin"; nom: string };
  commune: { nom: string; codeInsee: string };
  texte: string;
  piecesJointes: number;
  /** The signed address of the recipient's side: answering the mail posts in the thread. */
  replyTo: string;
};

export function messagerieCommuneUrl(config: Pick<Config, "publicUrl">, codeInsee: string): string {
  return `${config.publicUrl}/communes/${codeInsee}/messagerie`;
}

export function messagerieConservateurUrl(config: Pick<Config, "publicUrl">, codeInsee: string): string {
  return `${config.publicUrl}/conservateurs/communes/${codeInsee}/messagerie`;
}

/** RB §7.3 `message_received_email`: the subject depends on the side that receives it. */
export function notificationSujet(input: Pick<NotificationMessage, "destinataire" | "auteur" | "commune">): string {
  return input.destinataire.type === "conservateur"
    ? `${input.commune.nom} vous a envoyé un message`
    : `${input.auteur.nom} vous a envoyé un message sur Collectif Objets`;
}

/** `"<nom> via Collectif Objets" <adresse de l’expéditeur configuré>`. */
export function fromAuteur(mailFrom: string, nom: string): string {
  const address = /<([^<>]+)>\s*$/.exec(mailFrom)?.[1] ?? mailFrom.trim();
  const propre = nom.replace(/["\\<>\r\n]/g, "").trim();
  return propre ? `"${propre} via Collectif Objets" <${address}>` : mailFrom;
}

/** The message cut at a line or word boundary when too long, with an ellipsis. */
export function citationCourte(texte: string, max = CITATION_MAX): { lignes: string[]; tronque: boolean } {
  const propre = texte.replace(/\r\n?/g, "\n").trim();
  let coupe = propre;
  let tronque = false;
  if ([...propre].length > max) {
    coupe = [...propre].slice(0, max).join("");
    const espace = coupe.search(/\s\S*$/);
    if (espace > max * 0.6) coupe = coupe.slice(0, espace);
    coupe = `${coupe.trimEnd()} […]`;
    tronque = true;
  }
  const lignes = coupe
    .split("\n")
    .map((ligne) => ligne.trimEnd())
    .filter((ligne, index, all) => ligne !== "" || (index > 0 && all[index - 1] !== ""));
  return { lignes, tronque };
}

function introduction(input: NotificationMessage): string {
  const { auteur, commune, destinataire } = input;
  if (destinataire.type === "conservateur") return `La commune de ${commune.nom} a écrit dans sa messagerie sur Collectif Objets :`;
  if (auteur.type === "admin") return `L’équipe support de Collectif Objets a écrit à la commune de ${commune.nom} :`;
  return `${auteur.nom}, conservateur ou conservatrice des monuments historiques, a écrit à la commune de ${commune.nom} :`;
}

/** `message_received_email` (RB §7.3), to one reader of the other side. */
export function notificationMessageMail(config: Pick<Config, "publicUrl" | "mailFrom">, input: NotificationMessage): OutgoingMail {
  const { commune, destinataire } = input;
  const url =
    destinataire.type === "conservateur"
      ? messagerieConservateurUrl(config, commune.codeInsee)
      : messagerieCommuneUrl(config, commune.codeInsee);
  const { lignes, tronque } = citationCourte(input.texte);
  const blocks: MailBlock[] = [
    { kind: "paragraph", text: "Bonjour," },
    { kind: "paragraph", text: introduction(input) },
    ...lignes.filter(Boolean).map((ligne, index, all): MailBlock => ({
      kind: "paragraph",
      text: `${index === 0 ? "« " : ""}${ligne}${index === all.length - 1 ? " »" : ""}`,
    })),
  ];
  if (tronque) blocks.push({ kind: "paragraph", text: "Le message est plus long : lisez-le en entier dans la messagerie." });
  if (input.piecesJointes > 0) {
    blocks.push({
      kind: "paragraph",
      text:
        input.piecesJointes === 1
          ? "Une pièce jointe accompagne ce message : elle est disponible dans la messagerie."
          : `${input.piecesJointes} pièces jointes accompagnent ce message : elles sont disponibles dans la messagerie.`,
    });
  }
  blocks.push(
    { kind: "button", label: destinataire.type === "conservateur" ? "Répondre à ce message" : "Accéder à la messagerie", url },
    {
      kind: "paragraph",
      text: "Vous pouvez répondre directement à ce mail : votre réponse sera ajoutée à la messagerie de la commune, visible par la commune et par les conservateurs du département.",
    },
  );
  const reglages =
    destinataire.type === "conservateur"
      ? `Pour ne plus recevoir ces notifications, décochez « Recevoir un email à chaque message reçu sur la plateforme » dans votre compte : ${config.publicUrl}/conservateurs/compte`
      : `Pour ne plus recevoir ces notifications, décochez « Recevoir un email à chaque message reçu sur la plateforme » dans vos préférences : ${config.publicUrl}/communes/${commune.codeInsee}/preferences`;
  const sujet = notificationSujet(input);
  const { html, text } = renderMail({
    title: sujet,
    preheader: lignes.find(Boolean)?.slice(0, 120) ?? sujet,
    blocks,
    signature: ["Cordialement,", "L’équipe Collectif Objets"],
    footer: [`Vous recevez ce mail car un message a été écrit dans la messagerie de la commune de ${commune.nom}.`, reglages],
  });
  return {
    idempotencyKey: `message:${input.messageId}:${destinataire.type}:${destinataire.id}`,
    category: "message_received",
    from: fromAuteur(config.mailFrom, input.auteur.nom),
    to: destinataire.email,
    replyTo: input.replyTo,
    subject: sujet,
    html,
    text,
  };
}
