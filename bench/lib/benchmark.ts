/** One line of the human-readable table. */
export interface TableRow {
  readonly figure: string;
  readonly value: string | number;
  readonly unit?: string;
  /** The target, as text, e.g. "≤ 25 ms". */
  readonly target?: string;
  readonly met?: boolean;
}

export interface BenchReport {
  /** Everything measured, written to the JSON result as is. */
  readonly figures: Record<string, unknown>;
  readonly table: readonly TableRow[];
}

export interface Benchmark {
  readonly name: string;
  readonly description: string;
  run(): Promise<BenchReport>;
}
