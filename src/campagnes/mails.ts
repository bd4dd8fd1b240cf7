import type { Config } from "../config.ts";
import { renderMail, type MailBlock } from "../platform/mail/layout.tsx";
import type { OutgoingMail } from "../platform/mail/outbox.ts";
import type { CampaignStep } from "../platform/db/schema.ts";
import { CHAMP_DATE, type DatesCampagne, type VarianteMail } from "./rules.ts";
import { adresseDe, de, jourAvecSemaine, joursEntre, lignes, nomAffiche, objetsProteges } from "./mails-format.ts";

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
  /** The commune's signed reply address: a mairie answering the campaign mail writes in its messagerie. */
  replyTo?: string;
};

/** The 11 mails of a campaign: the launch, then each reminder and the end in the variant of the commune's state. */
export const VARIANTES_PAR_ETAPE: Readonly<Record<CampaignStep, readonly VarianteMail[]>> = {
  lancement: ["inactive"],
  relance1: ["inactive"],
  relance2: ["inactive", "started", "to_complete"],
  relance3: ["inactive", "started", "to_complete"],
  fin: ["inactive", "started", "to_complete"],
};

type Contenu = {
  sujet: string;
  /** Short summary shown by mail clients next to the subject. */
  resume: string;
  avant: MailBlock[];
  bouton: { label: string; url: string };
  apres: MailBlock[];
};

const p = (text: string): MailBlock => ({ kind: "paragraph", text });

/**
 * Paragraphs for the départements under the Concordat (Moselle, Bas-Rhin, Haut-Rhin), where the
 * owner of the furnishings of places of worship is often unclear.
 */
export const PARAGRAPHES_CONCORDATAIRES = [
  "Dans votre département, soumis au régime concordataire, on ne sait pas toujours avec certitude à qui appartiennent les objets des églises, temples et synagogues : à la commune, à l’établissement public du culte (fabrique d’église, conseil presbytéral, consistoire) ou à un autre propriétaire.",
  "Que la commune en soit propriétaire ou non, ces objets protégés ont besoin d’être recensés. Les affectataires (curé, pasteur, rabbin, membres du conseil de fabrique ou du conseil presbytéral) connaissent bien ces objets : n’hésitez pas à leur demander de vous aider à les retrouver et à les photographier.",
];

/**
 * One campaign mail for one recipient and step. The idempotency key is `campagne:<recipient>:<step>`:
 * the outbox keeps at most one mail per (recipient, step).
 */
export function mailCampagne(config: Pick<Config, "publicUrl" | "mailFrom">, input: MailCampagneInput): OutgoingMail {
  const { campagne, commune, destinataire, etape, departement } = input;
  const variante: VarianteMail = etape === "lancement" || etape === "relance1" ? "inactive" : input.variante;
  const drac = campagne.nom_drac?.trim() ?? "";
  const desinscription = `${config.publicUrl}/desinscription?jeton=${encodeURIComponent(destinataire.unsubscribeToken)}`;
  const contenu = CONTENUS[etape][variante](config, input);

  const blocs: MailBlock[] = [p("Madame la Maire, Monsieur le Maire,"), ...contenu.avant, { kind: "button", ...contenu.bouton }];
  const message = lignes(campagne.custom_message);
  if (message.length > 0) blocs.push(...message.map(p));
  if (departement.concordataire) blocs.push(...PARAGRAPHES_CONCORDATAIRES.map(p));
  blocs.push(
    ...contenu.apres,
    p(
      "En vous remerciant par avance pour votre participation, nous vous prions d’agréer, Madame la Maire, Monsieur le Maire, l’expression de nos salutations distinguées.",
    ),
  );
  const signature = lignes(campagne.signature);

  const { html, text } = renderMail({
    title: `Direction régionale des affaires culturelles ${drac}`.trim(),
    preheader: contenu.resume,
    blocks: blocs,
    ...(signature.length > 0 ? { signature } : {}),
    footer: [
      "Ceci est une initiative du ministère de la Culture.",
      `Vous recevez ce mail car la commune ${de(commune.nom)} fait partie de la campagne de recensement des objets protégés ${departement.dans_nom}, du ${jourAvecSemaine(campagne.date_lancement)} au ${jourAvecSemaine(campagne.date_fin)}.`,
      `Pour ne plus recevoir les mails de cette campagne : ${desinscription}`,
    ],
  });
  const expediteur = campagne.sender_name?.trim() ? `${campagne.sender_name.trim()} via Collectif Objets` : "Collectif Objets";
  return {
    idempotencyKey: `campagne:${destinataire.recipientId}:${etape}`,
    category: `campagne_${etape}_${variante}`,
    from: `${nomAffiche(expediteur)} <${adresseDe(config.mailFrom)}>`,
    to: destinataire.email,
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
    subject: `[DRAC ${drac}] ${contenu.sujet}`,
    html,
    text,
    headers: {
      "List-Unsubscribe": `<${desinscription}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
}

type Redacteur = (config: Pick<Config, "publicUrl">, input: MailCampagneInput) => Contenu;

function liens(config: Pick<Config, "publicUrl">, insee: string) {
  return {
    connexion: `${config.publicUrl}/communes/connexion?code_insee=${encodeURIComponent(insee)}`,
    objets: `${config.publicUrl}/communes/${encodeURIComponent(insee)}/objets`,
    finalisation: `${config.publicUrl}/communes/${encodeURIComponent(insee)}/dossier/finalisation`,
  };
}

function periode(input: MailCampagneInput): string {
  return `du ${jourAvecSemaine(input.campagne.date_lancement)} au ${jourAvecSemaine(input.campagne.date_fin)}`;
}

/** Days left between the day of this step and the last day of the campaign. */
function joursRestants(input: MailCampagneInput): number {
  return Math.max(0, joursEntre(input.campagne[CHAMP_DATE[input.etape]], input.campagne.date_fin));
}

function enJours(n: number): string {
  return n === 1 ? "1 jour" : `${n} jours`;
}

/** "les 12 objets protégés" / "l’objet protégé". */
function lesObjets(n: number): string {
  return n === 1 ? "l’objet protégé" : `les ${objetsProteges(n)}`;
}

const ROLE_ELUS =
  "Les élus sont les premiers gardiens du patrimoine de leur commune : en recensant ces objets, vous aidez les conservateurs à savoir où ils se trouvent, dans quel état, et à repérer ceux qui ont besoin d’être protégés ou restaurés.";
const SIMPLE =
  "La démarche est simple et ne demande aucune compétence particulière : il suffit de se rendre sur place, de vérifier que chaque objet est toujours là, de le photographier et de répondre à quelques questions en ligne.";

const lancement: Redacteur = (config, input) => {
  const { commune, campagne, departement, objetMisEnAvant } = input;
  const n = commune.objetsCount;
  const avant: MailBlock[] = [
    p(
      `La direction régionale des affaires culturelles organise, ${periode(input)}, une campagne de recensement des objets protégés au titre des monuments historiques ${departement.dans_nom}. ${campagne.communesCount > 1 ? `${campagne.communesCount} communes y sont invitées, dont la vôtre.` : "Votre commune y est invitée."}`,
    ),
    p(
      n === 1
        ? `${commune.nom} conserve un objet protégé au titre des monuments historiques.`
        : `${commune.nom} conserve ${objetsProteges(n)} au titre des monuments historiques${objetMisEnAvant ? ", par exemple celui-ci" : ""}.`,
    ),
  ];
  if (objetMisEnAvant) {
    const items = [objetMisEnAvant.titre];
    if (objetMisEnAvant.edifice) items.push(`Édifice : ${objetMisEnAvant.edifice}`);
    if (objetMisEnAvant.emplacement) items.push(`Emplacement : ${objetMisEnAvant.emplacement}`);
    if (objetMisEnAvant.photoUrl)
      items.push(`Photo : ${objetMisEnAvant.photoUrl}${objetMisEnAvant.credit ? ` (crédit : ${objetMisEnAvant.credit})` : ""}`);
    avant.push({ kind: "list", items });
  }
  avant.push(
    p(
      "Recenser un objet, c’est aller le voir là où il est conservé, vérifier qu’il est toujours présent, en prendre quelques photos et répondre à un court questionnaire sur son état et sa sécurité. Tout se fait en ligne, depuis un ordinateur ou un téléphone.",
    ),
    p(
      "Une fois votre recensement envoyé, les conservateurs l’examineront et pourront vous adresser des conseils pour entretenir, sécuriser ou faire restaurer vos objets.",
    ),
    p(
      "Si une autre personne que vous se charge du recensement (un adjoint, un secrétaire de mairie, un bénévole…), indiquez ses coordonnées dans le champ de commentaire prévu à la fin du recensement.",
    ),
  );
  return {
    sujet: `${commune.nom} est invitée à recenser ses objets protégés`,
    resume: `Campagne de recensement des objets protégés ${departement.dans_nom} ${periode(input)}.`,
    avant,
    bouton: {
      label:
        n === 1
          ? `Commencer le recensement de l’objet protégé ${de(commune.nom)}`
          : `Commencer le recensement des ${n} objets protégés ${de(commune.nom)}`,
      url: liens(config, commune.code_insee).connexion,
    },
    apres: [],
  };
};

const relance1Inactive: Redacteur = (config, input) => {
  const { commune, departement, campagne } = input;
  return {
    sujet: `${commune.nom}, la campagne de recensement des objets protégés ${departement.dans_nom} est ouverte`,
    resume: `Recensez ${lesObjets(commune.objetsCount)} de votre commune avant le ${jourAvecSemaine(campagne.date_fin)}.`,
    avant: [
      p(
        `Le ${jourAvecSemaine(campagne.date_lancement)}, la direction régionale des affaires culturelles vous a invités à recenser ${lesObjets(commune.objetsCount)} ${de(commune.nom)}. Nous n’avons pas encore reçu de recensement de votre part.`,
      ),
      p(ROLE_ELUS),
      p(SIMPLE),
      p("En retour, les conservateurs vous feront part de leurs conseils pour prendre soin de ces objets."),
    ],
    bouton: { label: `Recenser les objets ${de(commune.nom)}`, url: liens(config, commune.code_insee).connexion },
    apres: [p(`La campagne reste ouverte jusqu’au ${jourAvecSemaine(campagne.date_fin)}.`)],
  };
};

const relance2Inactive: Redacteur = (config, input) => {
  const { commune, campagne } = input;
  const reste = enJours(joursRestants(input));
  return {
    sujet: `${commune.nom} : plus que ${reste} pour participer au recensement des objets protégés`,
    resume: `La campagne se termine le ${jourAvecSemaine(campagne.date_fin)}.`,
    avant: [
      p(
        `La campagne de recensement se termine dans ${reste}, le ${jourAvecSemaine(campagne.date_fin)}. ${commune.nom} conserve ${objetsProteges(commune.objetsCount)} au titre des monuments historiques, et nous n’avons pas encore reçu votre recensement.`,
      ),
      p(ROLE_ELUS),
      p(SIMPLE),
      p(
        "Vos photos et vos réponses permettent aux conservateurs de mettre leur expertise à votre service : ils vous indiqueront les précautions à prendre et, si besoin, les démarches pour restaurer un objet.",
      ),
    ],
    bouton: { label: `Recenser les objets ${de(commune.nom)}`, url: liens(config, commune.code_insee).connexion },
    apres: [],
  };
};

const relance2Started: Redacteur = (config, input) => {
  const { commune, campagne } = input;
  return {
    sujet: `Avez-vous besoin d’aide pour terminer le recensement des objets protégés ${de(commune.nom)} ?`,
    resume: `Votre recensement est commencé : terminez-le avant le ${jourAvecSemaine(campagne.date_fin)}.`,
    avant: [
      p(`Merci d’avoir commencé le recensement des objets protégés ${de(commune.nom)} : nous avons bien reçu une partie de vos réponses.`),
      p(
        `Pour que les conservateurs puissent l’examiner, le recensement doit porter sur ${lesObjets(commune.objetsCount)} de la commune, puis être envoyé. La campagne se termine le ${jourAvecSemaine(campagne.date_fin)}.`,
      ),
      p(
        "Un objet est introuvable, ou vous hésitez sur une réponse ? Indiquez-le simplement dans le questionnaire : les conservateurs en tiendront compte.",
      ),
    ],
    bouton: { label: `Terminer le recensement des ${objetsProteges(commune.objetsCount)}`, url: liens(config, commune.code_insee).objets },
    apres: [],
  };
};

const relance2ToComplete: Redacteur = (config, input) => {
  const { commune, campagne } = input;
  return {
    sujet: `${commune.nom} : une dernière étape pour envoyer votre recensement`,
    resume: "Tous vos objets sont recensés : il ne reste qu’à envoyer le dossier.",
    avant: [
      p(`Merci ! Vous avez recensé ${lesObjets(commune.objetsCount)} ${de(commune.nom)}.`),
      p(
        `Votre recensement n’a cependant pas encore été envoyé aux conservateurs : il vous reste à le relire et à le valider. Vous avez jusqu’au ${jourAvecSemaine(campagne.date_fin)} pour le faire.`,
      ),
    ],
    bouton: { label: "Finaliser et envoyer le recensement", url: liens(config, commune.code_insee).finalisation },
    apres: [],
  };
};

const relance3Inactive: Redacteur = (config, input) => {
  const { commune, campagne } = input;
  const reste = enJours(joursRestants(input));
  return {
    sujet: `${commune.nom} : dernier rappel, la campagne de recensement se termine dans ${reste}`,
    resume: `Dernier rappel avant la fin de la campagne, le ${jourAvecSemaine(campagne.date_fin)}.`,
    avant: [
      p(
        `Ce mail est notre dernier rappel : la campagne de recensement des objets protégés se termine le ${jourAvecSemaine(campagne.date_fin)}, et ${commune.nom} n’y a pas encore participé.`,
      ),
      p(ROLE_ELUS),
      p(
        `Même si les ${objetsProteges(commune.objetsCount)} de la commune vous semblent en bon état, votre participation compte : savoir qu’un objet va bien est aussi une information précieuse pour les conservateurs.`,
      ),
    ],
    bouton: { label: `Recenser les objets ${de(commune.nom)}`, url: liens(config, commune.code_insee).connexion },
    apres: [],
  };
};

const relance3Started: Redacteur = (config, input) => {
  const { commune, campagne } = input;
  return {
    sujet: `${commune.nom} : pensez à terminer le recensement de vos objets protégés`,
    resume: `La campagne se termine le ${jourAvecSemaine(campagne.date_fin)}.`,
    avant: [
      p(
        `La campagne de recensement se termine le ${jourAvecSemaine(campagne.date_fin)}. Votre recensement est commencé, mais tous les objets ${de(commune.nom)} ne sont pas encore recensés.`,
      ),
      p(
        `Pour qu’il puisse être examiné, recensez ${lesObjets(commune.objetsCount)} puis envoyez le dossier. Les photos sont particulièrement utiles : elles permettent aux conservateurs de juger de l’état de chaque objet sans se déplacer.`,
      ),
    ],
    bouton: { label: "Reprendre le recensement", url: liens(config, commune.code_insee).objets },
    apres: [],
  };
};

const relance3ToComplete: Redacteur = (config, input) => {
  const { commune, campagne } = input;
  return {
    sujet: `${commune.nom} : votre recensement attend encore d’être envoyé`,
    resume: "Tous vos objets sont recensés : il ne reste qu’à envoyer le dossier.",
    avant: [
      p(
        `La campagne de recensement se termine le ${jourAvecSemaine(campagne.date_fin)}. Tous les objets ${de(commune.nom)} sont recensés, merci ! Il ne manque plus que la validation de votre dossier pour qu’il parvienne aux conservateurs.`,
      ),
    ],
    bouton: { label: "Finaliser et envoyer le recensement", url: liens(config, commune.code_insee).finalisation },
    apres: [],
  };
};

const finInactive: Redacteur = (config, input) => {
  const { commune, departement } = input;
  return {
    sujet: `${commune.nom} : la campagne de recensement des objets protégés se termine aujourd’hui`,
    resume: "Dernier jour de la campagne de recensement.",
    avant: [
      p(
        `La campagne de recensement des objets protégés ${departement.dans_nom} se termine aujourd’hui. ${commune.nom} n’a pas pu y prendre part cette fois-ci.`,
      ),
      p(
        "Ce n’est que partie remise : les conservateurs pourront vous solliciter à nouveau lors d’une prochaine campagne. Votre espace Collectif Objets reste accessible si vous souhaitez recenser vos objets dès maintenant.",
      ),
    ],
    bouton: { label: "Accéder à mon espace", url: liens(config, commune.code_insee).connexion },
    apres: [],
  };
};

const finStarted: Redacteur = (config, input) => {
  const { commune } = input;
  return {
    sujet: `${commune.nom} : la campagne de recensement des objets protégés se termine aujourd’hui`,
    resume: "Dernier jour de la campagne : pensez à terminer votre recensement.",
    avant: [
      p(
        `La campagne de recensement se termine aujourd’hui. Merci d’avoir commencé le recensement des objets protégés ${de(commune.nom)} : une partie seulement des objets a été recensée pour l’instant.`,
      ),
      p(
        `Les conservateurs ne peuvent examiner qu’un dossier complet. Vous pouvez encore le compléter pendant un an : recensez ${lesObjets(commune.objetsCount)}, cliquez sur « Finaliser le recensement », puis validez l’envoi.`,
      ),
    ],
    bouton: { label: "Terminer le recensement", url: liens(config, commune.code_insee).objets },
    apres: [],
  };
};

const finToComplete: Redacteur = (config, input) => {
  const { commune } = input;
  return {
    sujet: `${commune.nom} : dernier jour pour envoyer votre recensement`,
    resume: "Tous vos objets sont recensés : il ne reste qu’à envoyer le dossier.",
    avant: [
      p(
        `La campagne de recensement se termine aujourd’hui. Tous les objets ${de(commune.nom)} sont recensés, merci ! Il reste une dernière étape : valider et envoyer votre dossier aux conservateurs.`,
      ),
    ],
    bouton: { label: "Finaliser et envoyer le recensement", url: liens(config, commune.code_insee).finalisation },
    apres: [],
  };
};

const CONTENUS: Record<CampaignStep, Record<VarianteMail, Redacteur>> = {
  lancement: { inactive: lancement, started: lancement, to_complete: lancement },
  relance1: { inactive: relance1Inactive, started: relance1Inactive, to_complete: relance1Inactive },
  relance2: { inactive: relance2Inactive, started: relance2Started, to_complete: relance2ToComplete },
  relance3: { inactive: relance3Inactive, started: relance3Started, to_complete: relance3ToComplete },
  fin: { inactive: finInactive, started: finStarted, to_complete: finToComplete },
};
