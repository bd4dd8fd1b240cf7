import type { Config } from "../config.ts";
import type { AlerteKind, AlerteSource } from "../platform/db/schema.ts";
import { renderMail } from "../platform/mail/layout.tsx";
import type { OutgoingMail } from "../platform/mail/outbox.ts";
import { ceQuiAEteSignale } from "./rules.ts";

type MailConfig = Pick<Config, "publicUrl" | "mailFrom">;

export type AlerteDuMail = { objet: string; palissyRef: string | null; kind: AlerteKind; source: AlerteSource; recensementId: number };

/** The day's alerts of one commune, to one conservateur of its département. */
export function alerteMail(
  config: MailConfig,
  input: {
    to: string;
    conservateurId: number;
    envoiId: number;
    /** Paris day, 'YYYY-MM-DD'. */
    jour: string;
    commune: { nom: string; codeInsee: string };
    departement: { code: string; dansNom: string };
    alertes: AlerteDuMail[];
  },
): OutgoingMail {
  const n = input.alertes.length;
  const disparus = input.alertes.filter((a) => a.kind === "disparu").length;
  const resume = [
    disparus > 0 ? `${disparus} objet${disparus > 1 ? "s" : ""} disparu${disparus > 1 ? "s" : ""}` : null,
    n - disparus > 0 ? `${n - disparus} objet${n - disparus > 1 ? "s" : ""} en péril` : null,
  ]
    .filter((p) => p !== null)
    .join(" et ");
  const listeUrl = `${config.publicUrl}/conservateurs/departements/${input.departement.code}/alertes`;
  const { html, text } = renderMail({
    title: `Alerte : ${resume} à ${input.commune.nom}`,
    preheader: `Objets signalés à ${input.commune.nom} (${input.commune.codeInsee}) sur Collectif Objets.`,
    blocks: [
      { kind: "paragraph", text: "Bonjour," },
      {
        kind: "paragraph",
        text: `Le recensement de ${input.commune.nom} (${input.commune.codeInsee}) signale ${n > 1 ? "des objets" : "un objet"} qui demande${n > 1 ? "nt" : ""} votre attention :`,
      },
      {
        kind: "list",
        items: input.alertes.map(
          (a) =>
            `${a.objet}${a.palissyRef ? ` (${a.palissyRef})` : ""} — ${ceQuiAEteSignale(a.kind, a.source)} : ${config.publicUrl}/conservateurs/recensements/${a.recensementId}/examen`,
        ),
      },
      ...(disparus > 0
        ? [
            {
              kind: "paragraph" as const,
              text: "Pour un objet disparu, la fiche conseil « Dépôt de plainte » peut être jointe à votre examen.",
            },
          ]
        : []),
      { kind: "button", label: `Voir les alertes ${input.departement.dansNom}`, url: listeUrl },
    ],
    signature: ["Cordialement,", "L’équipe Collectif Objets"],
    footer: [
      `Vous recevez ce mail car vous êtes conservateur ${input.departement.dansNom} sur Collectif Objets. Vous pouvez arrêter ces alertes depuis votre compte : ${config.publicUrl}/conservateurs/compte`,
    ],
  });
  return {
    idempotencyKey: `alertes:${input.envoiId}:${input.conservateurId}`,
    category: "alertes",
    from: config.mailFrom,
    to: input.to,
    subject: `Alerte Collectif Objets : ${resume} à ${input.commune.nom}`,
    html,
    text,
  };
}
