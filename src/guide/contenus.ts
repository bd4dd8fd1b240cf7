import type { EtatSanitaire } from "../platform/db/schema.ts";
import type { TypeObjet } from "./types-objets.ts";

/**
 * The census guide, written once and rendered twice: as the /guide-de-recensement page and as its PDF.
 * Plain French for town-hall staff who are not specialists: short sentences, concrete gestures.
 */

/** A piece of text: plain, or a run of plain strings and links (paths of this site or absolute URLs). */
export type Lien = { texte: string; href: string };
export type Texte = string | (string | Lien)[];

export type Bloc =
  | { type: "paragraphe"; texte: Texte }
  | { type: "liste"; items: Texte[]; numerotee?: boolean }
  /** Something to keep in mind, set apart (DSFR callout on the page, a framed paragraph in the PDF). */
  | { type: "important"; titre: string; texte: Texte }
  /** A term and its explanation, e.g. a level of état and what it looks like. */
  | { type: "definitions"; items: { terme: string; definition: Texte }[] };

export type SousSection = { id: string; titre: string; blocs: Bloc[] };
export type Section = { id: string; titre: string; blocs: Bloc[]; sousSections: SousSection[] };

export const URL_GUIDE = "/guide-de-recensement";
export const URL_GUIDE_PDF = "/guide-de-recensement.pdf";

/** Anchors the questionnaire links to. */
export const ANCRES = {
  preparer: "preparer",
  etatSanitaire: "etat-sanitaire",
  securite: "securite",
  photos: "photos",
  objetEnPeril: "objet-en-peril",
  objetDisparu: "objet-disparu",
} as const;

export function ancreType(type: TypeObjet): string {
  return `etat-${type}`;
}

// ——— The four levels of état ———

export type NiveauEtat = { titre: string; resume: string; precision: string };

export const NIVEAUX_ETAT: Record<EtatSanitaire, NiveauEtat> = {
  bon: {
    titre: "Bon état",
    resume: "Aucun dégât visible. L’objet est complet, propre et stable.",
    precision: "Il ressemble à sa photo ancienne, ou il est en meilleur état. Un peu de poussière ne compte pas.",
  },
  moyen: {
    titre: "État moyen",
    resume: "Usure, saleté, petits manques ou petites fissures, sans danger immédiat.",
    precision: "L’objet a vieilli mais ne se dégrade pas vite. Il a besoin d’entretien et d’être surveillé.",
  },
  mauvais: {
    titre: "Mauvais état",
    resume: "Dégâts nets : parties cassées, détachées ou manquantes, moisissures, insectes, traces d’eau.",
    precision: "L’objet s’abîme. Il faudra l’avis d’un spécialiste, peut-être une restauration.",
  },
  peril: {
    titre: "En péril",
    resume: "L’objet risque d’être perdu bientôt : il menace de tomber ou de se briser, l’eau ou les insectes l’attaquent.",
    precision: "Il faut agir vite pour le protéger et prévenir le conservateur.",
  },
};

// ——— What to look at, per type of objet ———

export type ConseilsType = {
  titre: string;
  exemples: string;
  aRegarder: string[];
  /** Said before the list when the objet needs a particular caution. */
  attention?: string;
  niveaux: Record<EtatSanitaire, string>;
};

export const CONSEILS_PAR_TYPE: Record<TypeObjet, ConseilsType> = {
  peinture: {
    titre: "Peintures (tableaux)",
    exemples: "tableaux sur toile ou sur bois, panneaux peints",
    aRegarder: [
      "La toile : trous, déchirures, toile qui gondole ou qui pend dans son cadre.",
      "La peinture : petites écailles qui se soulèvent, manques, craquelures en relief.",
      "Le vernis : très jauni, ou blanchi au point de cacher l’image.",
      "Le dos du tableau, si vous pouvez le voir sans le décrocher : moisissures, traces d’eau, mur humide derrière.",
      "Le cadre : morceaux décollés ou cassés, accroche au mur qui paraît fragile.",
    ],
    niveaux: {
      bon: "L’image est lisible, la toile est bien tendue, aucune écaille.",
      moyen: "Vernis jauni, poussière, craquelures qui ne bougent pas, petits manques au cadre.",
      mauvais: "Écailles qui se soulèvent, trous ou déchirures, toile détendue, moisissures.",
      peril: "La peinture tombe par morceaux, la toile est très déchirée, le tableau est mouillé ou menace de tomber.",
    },
  },
  sculpture: {
    titre: "Sculptures (bois, pierre)",
    exemples: "statues, groupes sculptés, bas-reliefs, fonts baptismaux, tombeaux",
    aRegarder: [
      "Le bois : petits trous ronds et poudre de bois (signe d’insectes), bois tendre qui s’effrite, fentes.",
      "La pierre : surface qui s’effrite ou se détache en plaques, taches d’humidité, dépôts blancs, mousses.",
      "Les couleurs et les dorures : écailles, parties qui se soulèvent.",
      "Les parties fragiles : doigts, mains, objets tenus, couronnes, têtes cassées ou recollées.",
      "La stabilité : socle, fixation au mur, statue qui penche.",
    ],
    niveaux: {
      bon: "Matière saine, couleurs en place, sculpture stable.",
      moyen: "Poussière, usure, petits manques anciens, quelques écailles qui ne bougent pas.",
      mauvais: "Trous d’insectes avec de la poudre fraîche, pierre qui s’effrite, parties cassées, couleurs qui se soulèvent.",
      peril: "Bois qui s’effondre, pierre qui part en morceaux, sculpture instable qui risque de tomber.",
    },
  },
  textile: {
    titre: "Textiles (vêtements liturgiques, bannières)",
    exemples: "chasubles, chapes, étoles, bannières de procession, tapisseries",
    aRegarder: [
      "Trous, accrocs, usure le long des plis.",
      "Broderies et galons : fils qui se détachent, parties décousues.",
      "Taches, couleurs passées par la lumière.",
      "Insectes (petits trous, larves, débris) ou moisissures, odeur de moisi.",
      "Le rangement : tiroir, armoire, textile plié serré ou enfermé dans du plastique.",
    ],
    niveaux: {
      bon: "Tissu souple et propre, broderies en place, rangé à plat ou sur un cintre adapté.",
      moyen: "Couleurs passées, petites usures, poussière.",
      mauvais: "Trous, déchirures, broderies qui se détachent, taches de moisissure.",
      peril: "Le tissu se déchire quand on le touche, des insectes sont en train de le manger, il est mouillé.",
    },
  },
  metal: {
    titre: "Métal et orfèvrerie (calices, croix)",
    exemples: "calices, ciboires, ostensoirs, croix de procession, reliquaires, chandeliers, lustres",
    aRegarder: [
      "Déformations, chocs, pièces dessoudées ou manquantes.",
      "Pierres, émaux ou décors qui manquent.",
      "Corrosion : poudre verte sur le cuivre ou le bronze, rouille sur le fer.",
      "L’argent noirci : c’est normal et ce n’est pas un dégât. Ne le faites pas briller vous-même.",
      "Le rangement : coffre ou armoire fermés à clé.",
    ],
    niveaux: {
      bon: "Objet complet, sans déformation. L’argent peut être un peu noirci.",
      moyen: "Petits chocs, dorure usée, légère corrosion.",
      mauvais: "Pièces dessoudées, tordues ou manquantes, corrosion qui progresse (poudre verte, rouille qui gonfle).",
      peril: "L’objet se disloque, des morceaux se détachent, la corrosion le traverse.",
    },
  },
  mobilier: {
    titre: "Mobilier (retables, stalles, chaire, confessionnal)",
    exemples: "retables, autels, tabernacles, stalles, chaires à prêcher, confessionnaux, bancs",
    aRegarder: [
      "Trous d’insectes et poudre de bois au sol ou sur les boiseries.",
      "Le bas des meubles : bois pourri ou noirci au contact du sol ou d’un mur humide.",
      "Assemblages qui s’ouvrent, éléments décollés ou tombés (moulures, sculptures, colonnes).",
      "Dorures et peintures qui s’écaillent.",
      "La solidité : escalier de la chaire, rampes, panneaux qui bougent.",
    ],
    niveaux: {
      bon: "Bois sain, assemblages serrés, décor complet.",
      moyen: "Poussière, usure, quelques petits éléments manquants depuis longtemps.",
      mauvais: "Insectes actifs, bois abîmé par l’humidité, éléments décollés ou tombés.",
      peril: "La structure bouge ou penche, des pièces risquent de tomber, le bois s’effrite.",
    },
  },
  vitrail: {
    titre: "Vitraux",
    exemples: "verrières, roses",
    attention: "Regardez le vitrail de l’intérieur et de l’extérieur. S’il est haut, des jumelles aident beaucoup.",
    aRegarder: [
      "Verres cassés, fêlés ou manquants, trous.",
      "Les plombs : s’ils sont déformés, le vitrail se bombe et fait un « ventre ».",
      "La peinture sur le verre qui s’efface (visages, détails).",
      "Les barres de fer rouillées, le mastic qui tombe.",
      "Le grillage de protection à l’extérieur, et les traces d’eau sous la fenêtre.",
    ],
    niveaux: {
      bon: "Verres complets, vitrail bien plat, image lisible.",
      moyen: "Quelques fêlures, saleté, léger bombement.",
      mauvais: "Verres cassés ou manquants, plombs déformés, peinture qui s’efface.",
      peril: "Panneau très bombé ou qui se détache, trous qui laissent entrer la pluie ou les oiseaux.",
    },
  },
  orgue: {
    titre: "Orgues",
    exemples: "orgue de tribune, orgue de chœur, buffet d’orgue",
    attention: "Ne jouez pas de l’orgue et n’ouvrez pas son buffet vous-même : demandez à l’organiste ou à la paroisse.",
    aRegarder: [
      "Le buffet (le meuble de l’orgue) : insectes, humidité, éléments décollés.",
      "Les tuyaux de la façade : tuyaux tordus, affaissés ou manquants.",
      "L’orgue est-il encore joué ? Depuis quand ?",
      "La tribune : poussière, gravats, fientes d’oiseaux, traces de rongeurs.",
      "L’eau : fuite de toiture au-dessus de l’instrument.",
    ],
    niveaux: {
      bon: "L’orgue est joué et entretenu, le buffet est sain.",
      moyen: "L’orgue joue mal ou n’est plus joué, poussière, petits dégâts au buffet.",
      mauvais: "Tuyaux affaissés ou manquants, insectes ou humidité dans le buffet.",
      peril: "De l’eau coule sur l’instrument, des tuyaux tombent, la tribune est dangereuse.",
    },
  },
  cloche: {
    titre: "Cloches",
    exemples: "cloches du clocher, clochettes",
    attention:
      "Ne montez pas dans le clocher si l’escalier ou les échelles ne sont pas sûrs, et jamais seul. Si vous ne pouvez pas voir la cloche, répondez que l’objet n’est pas recensable.",
    aRegarder: [
      "Fêlures sur la cloche (le son change parfois).",
      "Le battant, le support (joug) et les fixations : usure, rouille, bois pourri.",
      "Fientes de pigeons, lames des abat-sons cassées.",
      "Inscriptions et décors : photographiez-les, ils aident à reconnaître la cloche.",
    ],
    niveaux: {
      bon: "Cloche intacte, support sain, elle sonne normalement.",
      moyen: "Rouille légère, fientes, battant usé.",
      mauvais: "Support abîmé, fixations rouillées, fêlure.",
      peril: "Le support cède, la cloche risque de tomber.",
    },
  },
};

/** What to look at when we do not know the type of the objet. */
export const A_REGARDER_GENERAL: string[] = [
  "L’objet est-il complet ? Comparez avec la photo ancienne s’il y en a une.",
  "Y a-t-il des parties cassées, fendues, décollées ou tombées au sol ?",
  "Voyez-vous des traces d’insectes (petits trous, poudre), de moisissures ou d’humidité ?",
  "L’objet est-il stable et bien fixé ?",
  "Autour de lui : fuite d’eau, mur humide, fenêtre cassée, chauffage ou soleil direct tout près.",
];

// ——— What to do right away ———

export const URGENCE_PERIL: Texte[] = [
  "Éloignez le public si l’objet menace de tomber.",
  "Protégez-le sans le réparer : mettez une bassine sous une fuite, couvrez-le d’un drap propre contre la poussière et les fientes. Ne le déplacez que si c’est sans risque pour lui et pour vous.",
  "Ne réparez rien vous-même : pas de colle, pas de clou, pas de produit ménager ni de traitement contre les insectes.",
  "Gardez les morceaux tombés dans une boîte, avec une étiquette (nom de l’objet, date).",
  "Photographiez les dégâts, puis prévenez le conservateur sans attendre la fin du recensement, par la messagerie.",
];

export const URGENCE_DISPARU: Texte[] = [
  "Vérifiez qu’il n’a pas été déplacé : sacristie, chapelles, tribune, combles, presbytère, mairie, atelier de restauration, exposition.",
  "Comparez avec la photo ancienne : l’objet a pu être repeint, transformé ou mal décrit.",
  "Demandez autour de vous : curé ou affectataire, sacristain, association, anciens élus, habitants.",
  "S’il reste introuvable, indiquez-le dans le questionnaire et écrivez dans les commentaires tout ce que vous savez.",
  [
    "Si vous pensez qu’il a été volé, portez plainte au plus vite : suivez la fiche ",
    { texte: "Dépôt de plainte", href: "/fiches/depot_plainte" },
    ".",
  ],
];

// ——— The guide ———

function sectionEtatSanitaire(): Section {
  return {
    id: ANCRES.etatSanitaire,
    titre: "Juger l’état de l’objet",
    blocs: [
      {
        type: "paragraphe",
        texte:
          "Le questionnaire vous propose quatre niveaux. Choisissez celui qui décrit le mieux ce que vous voyez. Il ne s’agit pas d’un diagnostic : le conservateur s’appuiera sur vos photos et vos remarques.",
      },
      {
        type: "definitions",
        items: (Object.keys(NIVEAUX_ETAT) as EtatSanitaire[]).map((etat) => ({
          terme: NIVEAUX_ETAT[etat].titre,
          definition: `${NIVEAUX_ETAT[etat].resume} ${NIVEAUX_ETAT[etat].precision}`,
        })),
      },
      {
        type: "important",
        titre: "En cas de doute",
        texte:
          "Si vous hésitez entre deux niveaux, choisissez le moins bon et expliquez pourquoi dans les commentaires. Le conservateur corrigera si besoin.",
      },
      {
        type: "paragraphe",
        texte: "Regardez aussi autour de l’objet : ce qui l’entoure explique souvent ce qui l’abîme.",
      },
      { type: "liste", items: [A_REGARDER_GENERAL[4]!, "Fientes d’oiseaux, toiles d’araignée épaisses, poussière de gravats."] },
    ],
    sousSections: (Object.keys(CONSEILS_PAR_TYPE) as TypeObjet[]).map((type) => {
      const conseils = CONSEILS_PAR_TYPE[type];
      const blocs: Bloc[] = [{ type: "paragraphe", texte: `Par exemple : ${conseils.exemples}.` }];
      if (conseils.attention) blocs.push({ type: "important", titre: "Attention", texte: conseils.attention });
      blocs.push({ type: "paragraphe", texte: "Ce qu’il faut regarder :" }, { type: "liste", items: conseils.aRegarder });
      blocs.push({
        type: "definitions",
        items: (Object.keys(NIVEAUX_ETAT) as EtatSanitaire[]).map((etat) => ({
          terme: NIVEAUX_ETAT[etat].titre,
          definition: conseils.niveaux[etat],
        })),
      });
      return { id: ancreType(type), titre: conseils.titre, blocs };
    }),
  };
}

export const CONSEILS_PHOTOS: string[] = [
  "Une photo par vue : ne cherchez pas à tout montrer sur une seule image.",
  "Tenez le téléphone bien droit, à deux mains, face à l’objet. Appuyez-vous contre un pilier ou un banc pour éviter le flou.",
  "Cadrez l’objet en entier, avec un peu de marge autour.",
  "Profitez de la lumière du jour et allumez l’éclairage de l’édifice.",
  "Pas de flash sur les tableaux, les vitraux, les dorures ou les vitrines : il fait un reflet blanc qui cache l’image. Sans assez de lumière, placez-vous un peu de côté.",
  "Évitez le contre-jour : ne photographiez pas un objet placé devant une fenêtre en face de vous.",
  "Pour un détail, approchez-vous plutôt que de zoomer, puis vérifiez que la photo est nette.",
  "Évitez que des personnes apparaissent sur les photos.",
];

export const VUES_PHOTOS: string[] = [
  "L’objet entier, de face.",
  "L’objet de côté (ou de trois quarts), pour voir son épaisseur et son état.",
  "Un gros plan de chaque dégât : fissure, trou, écaille, moisissure, partie manquante.",
  "L’objet dans son lieu : une vue plus large qui montre où il se trouve dans l’édifice.",
  "Les inscriptions, signatures, dates ou numéros, s’il y en a.",
];

export const GUIDE_TITRE = "Guide de recensement des objets protégés";

export const GUIDE_INTRODUCTION: Texte[] = [
  "Ce guide accompagne les mairies qui recensent leurs objets protégés au titre des monuments historiques.",
  "Il explique comment préparer la visite, comment juger l’état et la sécurité d’un objet, comment prendre des photos utiles, et quoi faire si un objet est en péril ou introuvable.",
];

export const SECTIONS: Section[] = [
  {
    id: "recensement",
    titre: "Qu’est-ce qu’un recensement ?",
    blocs: [
      {
        type: "paragraphe",
        texte:
          "Recenser, c’est aller voir chaque objet protégé de la commune, vérifier qu’il est toujours là et noter son état. Pour chaque objet, vous répondez à quelques questions et vous prenez des photos.",
      },
      {
        type: "paragraphe",
        texte:
          "Les conservateurs du département lisent ensuite vos réponses. Ils repèrent les objets qui ont besoin d’aide et vous envoient leurs conseils.",
      },
      {
        type: "paragraphe",
        texte:
          "Vous n’avez pas besoin d’être un spécialiste. On vous demande de décrire ce que vous voyez, pas de dater ou d’expertiser l’objet.",
      },
      {
        type: "important",
        titre: "Bon à savoir",
        texte:
          "Ces objets appartiennent le plus souvent à la commune et le maire en est responsable. Même quand ils servent au culte, ils restent sous la protection de l’État : on ne les restaure pas et on ne les déplace pas durablement sans son accord.",
      },
    ],
    sousSections: [
      {
        id: ANCRES.preparer,
        titre: "Préparer la visite",
        blocs: [
          {
            type: "liste",
            items: [
              "Connectez-vous une première fois depuis la mairie pour voir la liste des objets, avec leurs photos anciennes. Gardez-la sur votre téléphone ou imprimez-la.",
              "Repérez dans quels édifices se trouvent les objets : église, chapelle, mairie…",
              "Demandez les clés de l’église, de la sacristie et des armoires à la personne qui les garde (curé, sacristain, association). Prévenez-la de votre passage.",
              "Chargez votre téléphone ou votre appareil photo. Une batterie de secours est utile.",
              "Prenez une lampe de poche : chapelles, sacristies et tribunes sont souvent sombres.",
              "Venez de jour, si possible par temps clair. Comptez une demi-journée pour une église d’une dizaine d’objets.",
              "Venez à deux si vous pouvez : l’un regarde et photographie, l’autre note.",
            ],
          },
          {
            type: "important",
            titre: "Votre sécurité d’abord",
            texte:
              "Ne montez pas seul sur une échelle, ni dans un clocher ou une tribune en mauvais état. Si un objet est trop haut ou inaccessible, répondez simplement que l’objet n’est pas recensable.",
          },
        ],
      },
      {
        id: "sur-place",
        titre: "Sur place",
        blocs: [
          {
            type: "liste",
            numerotee: true,
            items: [
              "Retrouvez l’objet grâce à la liste et à la photo ancienne.",
              "Regardez-le de près, de face, de côté et, si possible, par derrière.",
              "Prenez vos photos.",
              "Notez son état et s’il serait facile à voler.",
              "Notez ce qui vous semble important : une fissure, une trace d’eau, un changement de place.",
            ],
          },
          {
            type: "paragraphe",
            texte:
              "Ne touchez pas les objets fragiles, ne les nettoyez pas et ne les déplacez pas. Le réseau est parfois faible dans les églises : vos réponses sont enregistrées à chaque étape, et vous pouvez finir le questionnaire plus tard, à la mairie.",
          },
        ],
      },
    ],
  },
  sectionEtatSanitaire(),
  {
    id: ANCRES.securite,
    titre: "Juger la sécurité de l’objet",
    blocs: [
      {
        type: "paragraphe",
        texte: "Le questionnaire vous demande si l’objet est difficile ou facile à voler. Mettez-vous à la place d’un voleur.",
      },
      {
        type: "definitions",
        items: [
          {
            terme: "Facile à voler",
            definition:
              "L’objet est petit ou léger (une personne peut l’emporter), il n’est pas fixé ou il l’est mal, il est dans un lieu ouvert sans surveillance, ou l’armoire qui le protège ne ferme pas à clé.",
          },
          {
            terme: "Difficile à voler",
            definition:
              "L’objet est lourd, grand ou solidement fixé (retable, cloche, vitrail, stalles), ou bien il est rangé dans une pièce ou une armoire fermée à clé.",
          },
        ],
      },
      { type: "paragraphe", texte: "Quelques mesures simples protègent beaucoup :" },
      {
        type: "liste",
        items: [
          "Fermer l’édifice quand personne n’est présent, ou n’en laisser ouverte qu’une partie.",
          "Ranger les objets précieux et légers (calices, ostensoirs, reliquaires) dans une armoire forte fermée à clé.",
          "Fixer les petites statues et les tableaux à leur support. Demandez conseil avant de percer.",
          "Savoir qui a les clés, et ne pas les laisser sur place.",
          "Garder des photos récentes de chaque objet : en cas de vol, elles aident la gendarmerie à le retrouver.",
          ["Pour aller plus loin, lisez la fiche ", { texte: "Sécuriser vos objets", href: "/fiches/securisation" }, "."],
        ],
      },
    ],
    sousSections: [],
  },
  {
    id: ANCRES.photos,
    titre: "Prendre des photos utiles",
    blocs: [
      {
        type: "paragraphe",
        texte: "Les photos permettent au conservateur de voir l’objet sans se déplacer. Pour chaque objet, prenez si possible :",
      },
      { type: "liste", items: VUES_PHOTOS },
      { type: "paragraphe", texte: "Quelques conseils :" },
      { type: "liste", items: CONSEILS_PHOTOS },
      {
        type: "important",
        titre: "Pour montrer la taille d’un dégât",
        texte: "Placez à côté un mètre ruban ou un objet de taille connue, comme une pièce de monnaie, sans toucher l’objet.",
      },
    ],
    sousSections: [],
  },
  {
    id: ANCRES.objetEnPeril,
    titre: "Si l’objet est en péril",
    blocs: [
      {
        type: "paragraphe",
        texte:
          "Un objet est en péril quand il risque d’être perdu bientôt : il menace de tomber, il est sous une fuite d’eau, des insectes le dévorent. Voici quoi faire tout de suite :",
      },
      { type: "liste", numerotee: true, items: URGENCE_PERIL },
      {
        type: "important",
        titre: "Pourquoi ne pas réparer soi-même ?",
        texte:
          "Une réparation mal faite peut abîmer l’objet pour toujours. Un objet protégé se restaure avec l’accord des services de l’État, par un restaurateur qualifié. Le conservateur vous indiquera les étapes et les aides possibles.",
      },
      {
        type: "paragraphe",
        texte: [
          "Dans le questionnaire, choisissez « en péril » et décrivez ce que vous voyez dans les commentaires. Voir aussi la fiche ",
          { texte: "Étapes préalables à la restauration", href: "/fiches/restauration" },
          ".",
        ],
      },
    ],
    sousSections: [],
  },
  {
    id: ANCRES.objetDisparu,
    titre: "Si l’objet est introuvable",
    blocs: [
      {
        type: "paragraphe",
        texte: "Un objet absent n’est pas forcément volé. Avant de conclure :",
      },
      { type: "liste", numerotee: true, items: URGENCE_DISPARU },
      {
        type: "important",
        titre: "Agir vite",
        texte:
          "Plus un vol est signalé tôt, plus l’objet a de chances d’être retrouvé. Les photos récentes et la description de l’objet aident beaucoup les enquêteurs.",
      },
    ],
    sousSections: [],
  },
  {
    id: "ensuite",
    titre: "Après la visite",
    blocs: [
      {
        type: "liste",
        items: [
          "Quand tous les objets sont recensés, relisez vos réponses et envoyez votre dossier aux conservateurs.",
          "Le conservateur examine chaque objet et vous répond : priorités, entretien, sécurisation, aides possibles.",
          [
            "Pour entretenir vos objets au quotidien, consultez les ",
            { texte: "fiches conseil", href: "/fiches" },
            ". Une question ? Écrivez au conservateur depuis la messagerie de votre espace.",
          ],
        ],
      },
    ],
    sousSections: [],
  },
];

/** Every heading with its anchor, in reading order (table of contents of the page and the PDF). */
export function sommaire(): { id: string; titre: string; niveau: 1 | 2 }[] {
  return SECTIONS.flatMap((section) => [
    { id: section.id, titre: section.titre, niveau: 1 as const },
    ...section.sousSections.map((sous) => ({ id: sous.id, titre: sous.titre, niveau: 2 as const })),
  ]);
}

/** The plain text of a Texte (for tests and the PDF outline). */
export function texteBrut(texte: Texte): string {
  return typeof texte === "string" ? texte : texte.map((part) => (typeof part === "string" ? part : part.texte)).join("");
}
