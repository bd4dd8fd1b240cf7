import type { Config } from "../config.ts";
import { renderMail } from "../platform/mail/layout.tsx";
import type { OutgoingMail } from "../platform/mail/outbox.ts";
import type { AgentType } from "./repository.ts";

const parisDate = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", day: "2-digit", month: "2-digit", year: "numeric" });
const parisTime = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

/** "14h05 le 03/02/2025", in Paris time whatever the server's zone. */
export function parisTimestamp(date: Date): { time: string; date: string } {
  return { time: parisTime.format(date).replace(":", "h"), date: parisDate.format(date) };
}

export function loginCodeMail(
  config: Pick<Config, "publicUrl" | "mailFrom">,
  input: {
    to: string;
    codeId: number;
    sendCount: number;
    code: string;
    expiresAt: Date;
    commune: { nom: string; codeInsee: string };
    now: Date;
  },
): OutgoingMail {
  const sent = parisTimestamp(input.now);
  const until = parisTimestamp(input.expiresAt);
  const entryUrl = `${config.publicUrl}/communes/connexion/code?code_insee=${input.commune.codeInsee}&code=${input.code}`;
  const newCodeUrl = `${config.publicUrl}/communes/connexion?code_insee=${input.commune.codeInsee}`;
  const { html, text } = renderMail({
    title: "Votre code de connexion",
    preheader: `Code de connexion pour ${input.commune.nom}, valable jusqu’à ${until.time}`,
    blocks: [
      {
        kind: "paragraph",
        text: `Voici le code pour vous connecter à Collectif Objets avec le compte de la commune de ${input.commune.nom} :`,
      },
      { kind: "code", code: input.code, caption: `Ce code est valable jusqu’à ${until.time} le ${until.date} et ne sert qu’une fois.` },
      { kind: "button", label: "Me connecter avec ce code", url: entryUrl },
      { kind: "paragraph", text: `Code expiré ou déjà utilisé ? Demandez-en un nouveau : ${newCodeUrl}` },
    ],
    signature: ["L’équipe Collectif Objets"],
    footer: [
      `Vous recevez ce mail car un code de connexion a été demandé pour la commune de ${input.commune.nom} sur Collectif Objets.`,
      "Si vous n’êtes pas à l’origine de cette demande, ignorez ce mail : personne ne peut se connecter sans ce code.",
    ],
  });
  return {
    idempotencyKey: `login-code:${input.codeId}:${input.sendCount}`,
    category: "login_code",
    from: config.mailFrom,
    to: input.to,
    subject: `Code de connexion Collectif Objets - envoyé à ${sent.time} le ${sent.date}`,
    html,
    text,
  };
}

export function passwordLinkMail(
  config: Pick<Config, "publicUrl" | "mailFrom">,
  input: { type: AgentType; to: string; tokenId: number; token: string; firstSignIn: boolean; validHours: number },
): OutgoingMail {
  const base = input.type === "admin" ? "/admin/password" : "/conservateurs/password";
  const url = `${config.publicUrl}${base}/edit?token=${input.token}`;
  const { html, text } = renderMail(
    input.firstSignIn
      ? {
          title: "Bienvenue sur Collectif Objets",
          blocks: [
            {
              kind: "paragraph",
              text:
                input.type === "admin"
                  ? "Un compte administrateur Collectif Objets a été créé pour vous. Pour y accéder, définissez votre mot de passe :"
                  : "Un compte conservateur ou conservatrice a été créé pour vous sur Collectif Objets. Pour y accéder, définissez votre mot de passe :",
            },
            { kind: "button", label: "Définir mon mot de passe", url },
            { kind: "paragraph", text: `Ce lien est valable ${input.validHours} heures et ne sert qu’une fois.` },
          ],
          signature: ["L’équipe Collectif Objets"],
          footer: ["Si vous n’attendiez pas ce mail, ignorez-le : aucun mot de passe ne sera défini sans vous."],
        }
      : {
          title: "Réinitialisation de votre mot de passe",
          blocks: [
            {
              kind: "paragraph",
              text: "Vous avez demandé à réinitialiser votre mot de passe Collectif Objets. Choisissez-en un nouveau :",
            },
            { kind: "button", label: "Choisir un nouveau mot de passe", url },
            { kind: "paragraph", text: `Ce lien est valable ${input.validHours} heures et ne sert qu’une fois.` },
          ],
          signature: ["L’équipe Collectif Objets"],
          footer: ["Si vous n’êtes pas à l’origine de cette demande, ignorez ce mail : votre mot de passe actuel reste valable."],
        },
  );
  return {
    idempotencyKey: `password-link:${input.tokenId}`,
    category: input.firstSignIn ? "password_welcome" : "password_reset",
    from: config.mailFrom,
    to: input.to,
    subject: input.firstSignIn
      ? "Collectif Objets - Bienvenue, définissez votre mot de passe pour accéder à votre compte"
      : "Collectif Objets - Réinitialisation de votre mot de passe",
    html,
    text,
  };
}
