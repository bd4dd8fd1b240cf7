/** What every importer returns and `co import … --json` prints. */
export type ImportSummary = {
  read: number;
  in_scope: number;
  /**
   * Rows left out, by stable snake_case reason key; a row counts once, under its first failed rule.
   * - palissy: sans_code_insee, pas_dossier_individuel, manquant_ou_vole, en_cours_de_traitement,
   *   propriete_de_l_etat, declasse (PALISSY_SCOPE_RULES in rules.ts, in that order);
   * - annuaire (rows): sans_code_insee, pas_une_mairie, pas_une_mairie_principale, code_insee_invalide,
   *   plusieurs_mairies_principales, sans_objet (ANNUAIRE_SCOPE_RULES);
   * - merimee: sans_code_insee, code_insee_invalide, edifice_absent (no such édifice: never created);
   * - memoire (photo rows): objet_inconnu.
   */
  out_of_scope: Record<string, number>;
  created: number;
  updated: number;
  deleted: number;
  errors: string[];
};

/** Row errors kept in a summary; beyond this only their number is reported. */
export const MAX_REPORTED_ERRORS = 1000;

export function emptySummary(): ImportSummary {
  return { read: 0, in_scope: 0, out_of_scope: {}, created: 0, updated: 0, deleted: 0, errors: [] };
}

export function countOutOfScope(summary: ImportSummary, reason: string, count = 1): void {
  summary.out_of_scope[reason] = (summary.out_of_scope[reason] ?? 0) + count;
}

export class ErrorLog {
  private readonly kept: string[] = [];
  private dropped = 0;

  add(message: string): void {
    if (this.kept.length < MAX_REPORTED_ERRORS) this.kept.push(message);
    else this.dropped += 1;
  }

  list(): string[] {
    return this.dropped === 0 ? [...this.kept] : [...this.kept, `… et ${this.dropped} autres erreurs`];
  }
}
