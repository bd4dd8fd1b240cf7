import type { Config } from "../config.ts";
import type { OutgoingMail } from "../platform/mail/outbox.ts";
import type { CampaignStep } from "../platform/db/schema.ts";
import type { DatesCampagne, VarianteMail } from "./rules.ts";

/** Everything a campaign mail says (RB §7.4): gathered by the caller, rendered here without any query. */
export type MailCampagneInput = {
  campagne: DatesCampagne & {
    id: number;
    nom_drac: string | null;
    sender_name: string | null;
    signature: string | null;
    custom_message: string | null;
    /** Number of communes the campaign mails. */
    communesCount: number;
  };
  departement: { code: string; nom: string; dans_nom: string; concordataire: boolean };
  commune: { nom: string; code_insee: string; objetsCount: number };
  destinataire: { recipientId: number; email: string; unsubscribeToken: string };
  etape: CampaignStep;
  variante: VarianteMail;
  /** The objet shown in the launch mail (best Palissy photo), when there is one. */
  objetMisEnAvant?: { titre: string; edifice: string | null; emplacement: string | null; photoUrl: string | null; credit: string | null };
};

/**
 * One campaign mail for one recipient and step. The idempotency key is `campagne:<recipient>:<step>`:
 * the outbox keeps at most one mail per (recipient, step).
 * Placeholder until the mail variants are written (issue 6).
 */
export function mailCampagne(config: Pick<Config, "publicUrl" | "mailFrom">, input: MailCampagneInput): OutgoingMail {
  const { commune, destinataire, etape } = input;
  const subject = `[DRAC ${input.campagne.nom_drac ?? ""}] Recensement des objets monuments historiques de ${commune.nom}`;
  const text = `Madame la Maire, Monsieur le Maire,\n\n${config.publicUrl}/communes/${commune.code_insee}/objets\n`;
  return {
    idempotencyKey: `campagne:${destinataire.recipientId}:${etape}`,
    category: `campagne_${etape}_${input.variante}`,
    from: config.mailFrom,
    to: destinataire.email,
    subject,
    html: `<p>${text}</p>`,
    text,
  };
}
