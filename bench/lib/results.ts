import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BenchReport, TableRow } from './benchmark.ts';
import type { MachineInfo } from './machine.ts';
import { BENCH_SEED } from './random.ts';

export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

export interface BenchResult {
  readonly benchmark: string;
  readonly description: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly seed: number;
  readonly machine: MachineInfo;
  readonly table: readonly TableRow[];
  readonly figures: Record<string, unknown>;
}

/** Writes bench/results/<name>.json (the latest) and a timestamped copy; answers the latest's path. */
export async function saveResult(name: string, description: string, startedAt: Date, machine: MachineInfo, report: BenchReport): Promise<string> {
  const result: BenchResult = {
    benchmark: name,
    description,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    seed: BENCH_SEED,
    machine,
    table: report.table,
    figures: report.figures,
  };
  await mkdir(RESULTS_DIR, { recursive: true });
  const json = `${JSON.stringify(result, null, 2)}\n`;
  const stamp = result.startedAt.replace(/[:.]/g, '-');
  await writeFile(`${RESULTS_DIR}${name}-${stamp}.json`, json);
  const latest = `${RESULTS_DIR}${name}.json`;
  await writeFile(latest, json);
  return latest;
}

/** The table as aligned text: figure, value and unit, target, and whether it was met. */
export function formatTable(name: string, rows: readonly TableRow[]): string {
  const cells = rows.map((row) => [
    row.figure,
    `${row.value}${row.unit ? ` ${row.unit}` : ''}`,
    row.target ?? '',
    row.met === undefined ? '' : row.met ? 'met' : 'MISSED',
  ]);
  const header = ['figure', 'value', 'target', ''];
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((cell) => cell[column]!.length)));
  const line = (cell: string[]) => cell.map((text, column) => text.padEnd(widths[column]!)).join('  ').trimEnd();
  return [`== ${name}`, line(header), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join('\n');
}
