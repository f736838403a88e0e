import type { Benchmark } from './lib/benchmark.ts';
import { benchServerUrl } from './lib/database.ts';
import { describeMachine } from './lib/machine.ts';
import { formatTable, saveResult } from './lib/results.ts';

/**
 * `npm run bench` runs every benchmark in turn; `npm run bench -- <name> [<name>…]` runs the named ones.
 * Each writes bench/results/<name>.json and prints its table.
 */
const available: Record<string, () => Promise<Benchmark>> = {
  ingest: async () => (await import('./ingest/benchmark.ts')).benchmark,
  memory: async () => (await import('./memory/benchmark.ts')).benchmark,
  inbox: async () => (await import('./inbox/benchmark.ts')).benchmark,
  bot: async () => (await import('./bot/benchmark.ts')).benchmark,
  console: async () => (await import('./console/benchmark.ts')).benchmark,
};

// The in-process hosts (inbox, bot) run as a deployed host does: graphql-js reads this when first imported (below,
// by the benchmarks) and skips its development-only checks. Host child processes get it from benchHost.ts.
process.env.NODE_ENV = 'production';

const requested = process.argv.slice(2).filter((argument) => argument !== '--');
const unknown = requested.filter((name) => !(name in available));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(available).join(', ')}`);
  process.exit(2);
}

const machine = await describeMachine(benchServerUrl);
console.log(`machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, PostgreSQL ${machine.postgres ?? 'unreachable'}`);
let failed = false;
for (const name of requested.length > 0 ? requested : Object.keys(available)) {
  const benchmark = await available[name]!();
  const startedAt = new Date();
  console.log(`\n${name}: ${benchmark.description}`);
  try {
    const report = await benchmark.run();
    const path = await saveResult(name, benchmark.description, startedAt, machine, report);
    console.log(`${formatTable(name, report.table)}\n→ ${path}`);
  } catch (error) {
    failed = true;
    console.error(`${name} failed:`, error);
  }
}
process.exit(failed ? 1 : 0);
