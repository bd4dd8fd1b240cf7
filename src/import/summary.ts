/** What every importer returns and `co import … --json` prints. */
export type ImportSummary = {
  read: number;
  in_scope: number;
  /** Rows left out, by stable snake_case reason key (see the importer's rules). */
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
