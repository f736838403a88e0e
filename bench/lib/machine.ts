import { cpus, totalmem } from 'node:os';
import pg from 'pg';

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  readonly postgres: string | null;
}

/** What the figures were measured on. */
export async function describeMachine(databaseUrl: string): Promise<MachineInfo> {
  let postgres: string | null = null;
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    postgres = ((await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version) ?? null;
  } catch {
    postgres = null;
  } finally {
    await client.end().catch(() => undefined);
  }
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    postgres,
  };
}
