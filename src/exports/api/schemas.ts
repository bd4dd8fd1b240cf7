import { z } from "zod";
import { decodeCursor } from "./pagination.ts";

/**
 * The single source of the open API: handlers parse their parameters with these schemas, responses are
 * built to these shapes, and /api/v1/openapi.json is generated from them (openapi.ts).
 */

export const LIMIT_DEFAULT = 100;
export const LIMIT_MAX = 500;

// ——— Parameters ———

const codeDepartement = z
  .string()
  .regex(/^(\d{2}|2A|2B|97[1-6])$/)
  .meta({ description: "Code du département (01…95, 2A, 2B, 971…976).", examples: ["56"] });
const codeInsee = z
  .string()
  .regex(/^(\d{5}|2[AB]\d{3})$/)
  .meta({ description: "Code INSEE de la commune (5 caractères).", examples: ["56263"] });

export const paginationParams = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(LIMIT_MAX)
    .default(LIMIT_DEFAULT)
    .meta({ description: `Nombre d’éléments par page (1 à ${LIMIT_MAX}, ${LIMIT_DEFAULT} par défaut).` }),
  cursor: z
    .string()
    .max(200)
    .refine((value) => decodeCursor(value) !== null)
    .optional()
    .meta({ description: "Curseur opaque de la page suivante, tel que donné par `next` (ne pas le construire soi-même)." }),
  updated_since: z.iso.datetime({ offset: true }).optional().meta({
    description:
      "Ne renvoie que les éléments modifiés à partir de cette date (incluse), au format ISO 8601 avec fuseau, par exemple 2026-01-31T00:00:00Z. Pour une synchronisation incrémentale, repartir de la plus grande valeur `updated_at` déjà reçue.",
  }),
};

export const DepartementsQuery = z.object({ ...paginationParams });
export const CommunesQuery = z.object({
  departement: codeDepartement.optional(),
  q: z.string().trim().min(1).max(100).optional().meta({ description: "Partie du nom de la commune (sans tenir compte des accents)." }),
  ...paginationParams,
});
export const EdificesQuery = z.object({ commune: codeInsee.optional(), ...paginationParams });
export const ObjetsQuery = z.object({
  departement: codeDepartement.optional().meta({ description: "Département où se trouve actuellement l’objet." }),
  commune: codeInsee.optional().meta({ description: "Code INSEE de la commune où se trouve actuellement l’objet." }),
  ...paginationParams,
});
export const RecensementsQuery = z.object({
  departement: codeDepartement
    .optional()
    .meta({ description: "Un département du périmètre du jeton (par défaut : tous ceux du jeton). Hors périmètre : 403." }),
  commune: codeInsee.optional().meta({ description: "Code INSEE d’une commune (hors des départements du jeton : liste vide)." }),
  ...paginationParams,
});
export const DOSSIER_STATUSES = ["construction", "submitted", "accepted", "archived"] as const;
export const DossiersQuery = z.object({
  departement: codeDepartement
    .optional()
    .meta({ description: "Un département du périmètre du jeton (par défaut : tous ceux du jeton). Hors périmètre : 403." }),
  status: z.enum(DOSSIER_STATUSES).optional().meta({ description: "État du dossier." }),
  ...paginationParams,
});

export const DepartementParams = z.object({ code: codeDepartement });
export const CommuneParams = z.object({ code_insee: codeInsee });
export const ObjetParams = z.object({
  palissy_ref: z
    .string()
    .regex(/^PM[0-9A-Z]{8}$/)
    .meta({ description: "Référence Palissy de l’objet (PM suivi de 8 caractères).", examples: ["PM56000123"] }),
});
export const PHOTO_VARIANTS = ["vignette", "affichage", "original"] as const;
export const PhotoParams = z.object({
  photo_id: z.coerce.number().int().min(1).max(2_147_483_647).meta({ description: "Identifiant de la photo." }),
});
export const PhotoQuery = z.object({
  variant: z
    .enum(PHOTO_VARIANTS)
    .default("affichage")
    .meta({ description: "vignette (300×400 au plus), affichage (800×800 au plus) ou original (sans métadonnées EXIF)." }),
});

// ——— Resources ———

const dateTime = z.iso.datetime();
const nullableText = z.string().nullable();

export const Departement = z
  .object({
    code: z.string(),
    nom: z.string(),
    region: z.string(),
    concordataire: z.boolean().meta({ description: "Vrai pour les départements concordataires (Bas-Rhin, Haut-Rhin)." }),
    bbox: z
      .object({ north: z.number(), south: z.number(), east: z.number(), west: z.number() })
      .nullable()
      .meta({ description: "Emprise géographique (degrés WGS 84), si connue." }),
    updated_at: dateTime,
  })
  .meta({ description: "Un département." });

export const DepartementDetail = Departement.extend({
  communes_count: z.number().int().meta({ description: "Communes du département connues de Collectif Objets." }),
  objets_count: z.number().int().meta({ description: "Objets protégés se trouvant actuellement dans le département." }),
}).meta({ description: "Un département avec ses effectifs." });

export const Commune = z
  .object({
    code_insee: z.string(),
    nom: z.string(),
    departement_code: z.string(),
    objets_count: z.number().int().meta({ description: "Objets protégés se trouvant actuellement dans la commune." }),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    updated_at: dateTime,
  })
  .meta({ description: "Une commune ayant des objets protégés." });

export const Edifice = z
  .object({
    id: z.number().int(),
    merimee_ref: nullableText.meta({ description: "Référence Mérimée de l’édifice, s’il est protégé." }),
    nom: z.string(),
    code_insee: z.string(),
    updated_at: dateTime,
  })
  .meta({ description: "Un édifice abritant des objets protégés." });

export const PhotoMemoire = z
  .object({ url: z.string(), name: nullableText, credit: nullableText, memoire_ref: nullableText })
  .meta({ description: "Photo de la médiathèque du patrimoine (Mémoire)." });

const palissy = (description: string) => nullableText.meta({ description });

export const Objet = z
  .object({
    palissy_ref: z.string().meta({ description: "Référence Palissy (REF)." }),
    palissy_tico: palissy("Titre courant (TICO)."),
    palissy_deno: palissy("Dénomination (DENO)."),
    palissy_cate: palissy("Catégorie technique (CATE)."),
    palissy_scle: palissy("Siècle de création (SCLE)."),
    palissy_denq: palissy("Date du dernier récolement (DENQ)."),
    palissy_com: palissy("Commune d’origine (COM)."),
    palissy_insee: palissy("Code INSEE d’origine (INSEE)."),
    palissy_dpt: palissy("Département d’origine (DPT)."),
    palissy_doss: palissy("Typologie du dossier (DOSS)."),
    palissy_edif: palissy("Édifice d’origine (EDIF)."),
    palissy_empl: palissy("Emplacement dans l’édifice (EMPL)."),
    palissy_refa: palissy("Référence Mérimée de l’édifice (REFA)."),
    palissy_prot: palissy("Typologie de la protection (PROT)."),
    palissy_dpro: palissy("Date et typologie de la protection (DPRO)."),
    palissy_stat: palissy("Statut juridique (STAT)."),
    palissy_depl: palissy("Lieu de déplacement (DEPL)."),
    palissy_web: palissy("Code INSEE de la commune actuelle (WEB)."),
    palissy_mosa: palissy("Édifice actuel (MOSA)."),
    lieu_actuel: z
      .object({ code_insee: z.string(), departement_code: z.string(), edifice_nom: nullableText, edifice_ref: nullableText })
      .meta({ description: "Lieu actuel de l’objet, déduit des champs Palissy." }),
    edifice_id: z.number().int().nullable(),
    photos_memoire: z.array(PhotoMemoire),
    updated_at: dateTime,
  })
  .meta({ description: "Un objet protégé au titre des monuments historiques (données Palissy)." });

export const PhotoRecensement = z
  .object({
    id: z.number().int(),
    url: z.string().meta({ description: "Photo (variante affichage) ; même jeton d’accès requis." }),
    vignette_url: z.string(),
    original_url: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    position: z.number().int(),
  })
  .meta({ description: "Photo prise lors du recensement." });

const ETATS = ["bon", "moyen", "mauvais", "peril"] as const;
const SECURISATIONS = ["en_securite", "en_danger"] as const;
const FICHES = ["depot_plainte", "securisation", "restauration", "entretien_edifices", "entretien_objets"] as const;

export const Examen = z
  .object({
    etat_sanitaire: z
      .enum(ETATS)
      .nullable()
      .meta({ description: "État sanitaire corrigé par le conservateur (null : celui de la commune)." }),
    securisation: z
      .enum(SECURISATIONS)
      .nullable()
      .meta({ description: "Sécurisation corrigée par le conservateur (null : celle de la commune)." }),
    fiches: z.array(z.enum(FICHES)).meta({ description: "Fiches conseil jointes." }),
    commentaire: nullableText.meta({ description: "Commentaire du conservateur à la commune." }),
    analysed_at: dateTime.nullable(),
    envoye_at: dateTime.meta({ description: "Date d’envoi de l’examen à la commune." }),
  })
  .meta({ description: "Examen du conservateur, présent une fois l’examen envoyé à la commune." });

export const Recensement = z
  .object({
    id: z.number().int(),
    dossier_id: z.number().int(),
    palissy_ref: nullableText.meta({
      description: "Objet recensé (null s’il a quitté le périmètre et que la trace n’en garde pas la référence).",
    }),
    commune_code_insee: z.string(),
    departement_code: z.string(),
    status: z.enum(["draft", "completed", "deleted", "archived"]),
    localisation: z.enum(["edifice_initial", "autre_edifice", "deplacement_autre_commune", "deplacement_temporaire", "absent"]).nullable(),
    edifice_nom: nullableText,
    autre_commune_code_insee: nullableText,
    recensable: z.boolean().nullable(),
    etat_sanitaire: z.enum(ETATS).nullable(),
    securisation: z.enum(SECURISATIONS).nullable(),
    notes: nullableText.meta({ description: "Commentaire de la commune." }),
    photos: z.array(PhotoRecensement),
    completed_at: dateTime.nullable(),
    created_at: dateTime,
    updated_at: dateTime.meta({ description: "Dernière modification du recensement ou de son dossier (clé de synchronisation)." }),
    examen: Examen.nullable(),
  })
  .meta({ description: "Un recensement d’objet fait par une commune." });

export const Dossier = z
  .object({
    id: z.number().int(),
    commune_code_insee: z.string(),
    commune_nom: z.string(),
    departement_code: z.string(),
    status: z.enum(DOSSIER_STATUSES),
    created_at: dateTime,
    submitted_at: dateTime.nullable(),
    accepted_at: dateTime.nullable(),
    archived_at: dateTime.nullable(),
    statut_global: z.number().int().min(0).max(5).meta({ description: "Statut global actuel de la commune (0 à 5)." }),
    statut_global_libelle: z.string(),
    visite: z.enum(["souhaitable", "prioritaire"]).nullable(),
    examen_commentaire: nullableText.meta({ description: "Commentaire général du conservateur, une fois l’examen envoyé." }),
    updated_at: dateTime,
  })
  .meta({ description: "Le dossier de recensement d’une commune." });

export const ERROR_CODES = [
  "parametre_invalide",
  "authentification_requise",
  "hors_perimetre",
  "introuvable",
  "trop_de_requetes",
  "erreur_interne",
] as const;
export type ApiErrorCode = (typeof ERROR_CODES)[number];

export const ApiError = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string().meta({ description: "Explication en français." }),
      parameter: z.string().optional().meta({ description: "Pour une erreur 400 : le paramètre refusé." }),
    }),
  })
  .meta({ description: "Toute erreur de l’API, avec un code stable." });

const listOf = <T extends z.ZodType>(item: T, description: string) =>
  z
    .object({
      data: z.array(item),
      next: z.string().nullable().meta({ description: "Chemin de la page suivante (null sur la dernière page)." }),
    })
    .meta({ description });

export const DepartementList = listOf(Departement, "Une page de départements.");
export const CommuneList = listOf(Commune, "Une page de communes.");
export const EdificeList = listOf(Edifice, "Une page d’édifices.");
export const ObjetList = listOf(Objet, "Une page d’objets.");
export const RecensementList = listOf(Recensement, "Une page de recensements.");
export const DossierList = listOf(Dossier, "Une page de dossiers.");

/** Named components of the OpenAPI document. */
export const COMPONENTS = {
  Departement,
  DepartementDetail,
  Commune,
  Edifice,
  PhotoMemoire,
  Objet,
  PhotoRecensement,
  Examen,
  Recensement,
  Dossier,
  ApiError,
  DepartementList,
  CommuneList,
  EdificeList,
  ObjetList,
  RecensementList,
  DossierList,
} as const;

export type DepartementOut = z.output<typeof Departement>;
export type DepartementDetailOut = z.output<typeof DepartementDetail>;
export type CommuneOut = z.output<typeof Commune>;
export type EdificeOut = z.output<typeof Edifice>;
export type ObjetOut = z.output<typeof Objet>;
export type RecensementOut = z.output<typeof Recensement>;
export type DossierOut = z.output<typeof Dossier>;
