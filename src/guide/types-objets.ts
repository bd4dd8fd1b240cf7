/** The families of objets the guide gives specific advice for. */
export const TYPES_OBJETS = ["peinture", "sculpture", "textile", "metal", "mobilier", "vitrail", "orgue", "cloche"] as const;
export type TypeObjet = (typeof TYPES_OBJETS)[number];

type Regle = { type: TypeObjet; motif: RegExp };

/**
 * Palissy "dénomination" words, checked first: they name the objet itself, while the "catégorie" names a
 * craft that several kinds of objets share (a "menuiserie;sculpture" may be a retable or a statue).
 * Patterns run on lower-case text without accents.
 */
const REGLES_DENOMINATION: Regle[] = [
  { type: "cloche", motif: /\b(cloche|clochette|carillon|bourdon)/ },
  { type: "orgue", motif: /\b(orgue|buffet d.orgue|harmonium)/ },
  { type: "vitrail", motif: /\b(verriere|vitra(il|ux))|^(rose|oculus)$/ },
  // Before the metalwork rule, which claims every other "croix".
  { type: "sculpture", motif: /\b(christ|crucifix|calvaire|croix (monumentale|de chemin|de cimetiere|de mission))/ },
  {
    type: "textile",
    motif:
      /\b(chasuble|etole|manipule|chape|dalmatique|tunicelle|voile|bourse|banniere|drapeau|etendard|tapisserie|tenture|devant d.autel|antependium|nappe|aube|surplis|mitre|vetement|ornement)/,
  },
  {
    type: "metal",
    motif:
      /\b(calice|patene|ciboire|ostensoir|monstrance|reliquaire|croix|encensoir|navette|burette|aiguiere|bassin|plat|lampe|lustre|chandelier|flambeau|lampadaire|custode|pyxide|bras reliquaire|chef reliquaire|coffret|grille)/,
  },
  { type: "peinture", motif: /\b(tableau|toile|peinture|panneau peint|triptyque|diptyque|polyptyque|portrait|icone|ex-voto peint)/ },
  {
    type: "mobilier",
    motif:
      /\b(retable|autel|maitre-autel|tabernacle|stalle|chaire|confessionnal|lutrin|banc|armoire|coffre|buffet|table de communion|clotture|cloture|boiserie|lambris|dais|tribune|porte|credence|prie-dieu|siege|fauteuil|baldaquin)/,
  },
  {
    type: "sculpture",
    motif:
      /\b(statue|statuette|groupe sculpte|buste|bas-relief|haut-relief|relief|gisant|tombeau|dalle funeraire|fonts baptismaux|benitier|calvaire|christ|crucifix|pieta|mise au tombeau)/,
  },
];

/** Palissy "catégorie" words, used when the dénomination says nothing we know. */
const REGLES_CATEGORIE: Regle[] = [
  { type: "orgue", motif: /\b(facture d.orgue|facture instrumentale|orgue)/ },
  // Most cast objets kept in churches are bells: the rare bronze statue is recognised by its dénomination.
  { type: "cloche", motif: /\b(fonderie|fondeur)/ },
  { type: "vitrail", motif: /\b(vitrail|peinture sur verre)/ },
  { type: "textile", motif: /\b(broderie|textile|tissu|tapisserie|dentelle|costume)/ },
  { type: "metal", motif: /\b(orfevrerie|dinanderie|ferronnerie|serrurerie|bronze|etain|argenterie|metal|emaillerie|emaux)/ },
  { type: "peinture", motif: /\b(peinture)/ },
  { type: "mobilier", motif: /\b(menuiserie|ebenisterie|marqueterie|dorure)/ },
  { type: "sculpture", motif: /\b(sculpture|marbrerie|statuaire|taille de pierre)/ },
];

function normaliser(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[’']/g, "'");
}

/** "calice ; patène" → ["calice", "patene"]: Palissy separates the values of a field with ";" (spaces vary). */
function termes(field: string | null | undefined): string[] {
  if (!field) return [];
  return normaliser(field)
    .split(/[;,]/)
    .map((t) => t.trim())
    .filter((t) => t !== "");
}

function premierType(valeurs: string[], regles: Regle[]): TypeObjet | null {
  for (const valeur of valeurs) {
    for (const regle of regles) if (regle.motif.test(valeur)) return regle.type;
  }
  return null;
}

/**
 * The family of an objet from its Palissy fields: the first dénomination we recognise, else the first
 * catégorie, else null (the guide then shows its general advice).
 */
export function typeObjet(objet: { palissy_deno: string | null; palissy_cate: string | null }): TypeObjet | null {
  return premierType(termes(objet.palissy_deno), REGLES_DENOMINATION) ?? premierType(termes(objet.palissy_cate), REGLES_CATEGORIE);
}

/** Every type, the objet's own first (so that its advice comes before the others). */
export function typesDansLOrdre(premier: TypeObjet | null): TypeObjet[] {
  return premier ? [premier, ...TYPES_OBJETS.filter((t) => t !== premier)] : [...TYPES_OBJETS];
}
