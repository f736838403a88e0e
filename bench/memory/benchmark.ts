import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, TableRow } from '../lib/benchmark.ts';
import { settle, startBenchHost } from '../lib/benchHost.ts';
import { dropDatabase, freshDatabase } from '../lib/database.ts';
import type { ProcessMemory } from '../lib/processes.ts';

/**
 * The local host's resident memory when idle: started as `npm start` starts it (demo agency seeded, the local
 * WhatsApp sandbox standing in for a provider), then left alone for a while — on the embedded PGlite default
 * with a fresh data directory, on PGlite again restarted over that data (PGlite keeps what its first-time
 * initdb allocated for the life of the process, so a restart is the everyday figure), and on PostgreSQL. The
 * figure is the serving node process's VmRSS; the ingest benchmark reports the same process under load.
 */

const SETTLE_MS = 5_000;
const DATABASE = 'bench_memory';

type Setup = 'pglite, fresh data directory' | 'pglite, restarted on its data' | 'postgresql';

interface IdleMemory extends ProcessMemory {
  readonly setup: Setup;
  readonly startupMs: number;
}

async function idleMemory(setup: Setup, env: Record<string, string>, dataDir?: string): Promise<IdleMemory> {
  const started = performance.now();
  const host = await startBenchHost(env, dataDir === undefined ? {} : { dataDir });
  const startupMs = Math.round(performance.now() - started);
  try {
    await settle(SETTLE_MS);
    return { setup, startupMs, ...(await host.memory()) };
  } finally {
    await host.stop();
  }
}

export const benchmark: Benchmark = {
  name: 'memory',
  description: `the local host's resident memory (VmRSS of the serving node process), idle ${SETTLE_MS / 1000} s after start-up, on PGlite and on PostgreSQL`,
  async run() {
    const pgliteDir = await mkdtemp(join(tmpdir(), 'wasaprecruit-bench-memory-'));
    const idle: IdleMemory[] = [];
    try {
      idle.push(await idleMemory('pglite, fresh data directory', {}, pgliteDir));
      idle.push(await idleMemory('pglite, restarted on its data', {}, pgliteDir));
    } finally {
      await rm(pgliteDir, { recursive: true, force: true });
    }
    try {
      idle.push(await idleMemory('postgresql', { DATABASE_URL: await freshDatabase(DATABASE) }));
    } finally {
      await dropDatabase(DATABASE);
    }
    const rows = idle.flatMap((memory): TableRow[] => [
      { figure: `idle RSS, ${memory.setup}`, value: memory.rssMiB, unit: 'MiB' },
      { figure: `peak RSS since start-up, ${memory.setup}`, value: memory.peakRssMiB, unit: 'MiB' },
    ]);
    return { figures: { settleMs: SETTLE_MS, idle }, table: rows };
  },
};
