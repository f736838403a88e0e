import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDataApiEndpoint } from '../../infra/local/dataApi/server.ts';
import { parseConfig } from '../shared/config.ts';
import { openDb } from './connect.ts';
import type { Db } from './db.ts';
import { createServerDatabase, LOCAL_DATA_API_CREDENTIALS } from './testing.ts';

const serverUrl = process.env.TEST_DATABASE_URL;
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function migratedVersions(db: Db): Promise<string[]> {
  return (await db.query<{ version: string }>('SELECT version FROM schema_migrations')).map((row) => row.version);
}

describe('openDb', () => {
  it('keeps PGlite under DATA_DIR/pglite, migrated, and finds the data again after a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wasaprecruit-connect-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const config = parseConfig({ DATA_DIR: dataDir });

    const first = await openDb(config);
    expect(first.driver).toBe('pglite');
    expect(await migratedVersions(first)).toContain('0001_foundation');
    await first.query("INSERT INTO recruiters (email, name, role) VALUES ('kept@example.com', 'Kept', 'admin')");
    await first.close();
    expect(await readdir(dataDir)).toEqual(['pglite']);

    const second = await openDb(config);
    expect(await second.query('SELECT email FROM recruiters')).toEqual([{ email: 'kept@example.com' }]);
    await second.close();
  });

  it.skipIf(!serverUrl)('uses PostgreSQL when DATABASE_URL is set', async () => {
    const database = await createServerDatabase(serverUrl!);
    cleanups.push(database.drop);
    const db = await openDb(parseConfig({ DATABASE_URL: database.url }));
    cleanups.push(() => db.close());
    expect(db.driver).toBe('postgres');
    expect(await migratedVersions(db)).toContain('0001_foundation');
  });

  it.skipIf(!serverUrl)('uses the Data API when its resource and secret are configured, even with DATABASE_URL set', async () => {
    const database = await createServerDatabase(serverUrl!);
    cleanups.push(database.drop);
    const endpoint = await startDataApiEndpoint({ connectionString: serverUrl! });
    cleanups.push(() => endpoint.close());
    const config = parseConfig({
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/unused',
      DATA_API_RESOURCE_ARN: 'arn:aws:rds:ap-south-1:000000000000:cluster:local',
      DATA_API_SECRET_ARN: 'arn:aws:secretsmanager:ap-south-1:000000000000:secret:local',
      DATA_API_DATABASE: new URL(database.url).pathname.slice(1),
      DATA_API_ENDPOINT: endpoint.url,
    });
    const db = await openDb(config, { dataApiCredentials: LOCAL_DATA_API_CREDENTIALS });
    cleanups.push(() => db.close());
    expect(db.driver).toBe('data-api');
    expect(await migratedVersions(db)).toContain('0001_foundation');
  });

  it.skipIf(!serverUrl)('leaves migrations to the caller when asked', async () => {
    const database = await createServerDatabase(serverUrl!);
    cleanups.push(database.drop);
    const db = await openDb(parseConfig({ DATABASE_URL: database.url }), { migrate: false });
    cleanups.push(() => db.close());
    expect(await db.query("SELECT to_regclass('schema_migrations') AS found")).toEqual([{ found: null }]);
  });
});
