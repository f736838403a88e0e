import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startDataApiEndpoint } from '../../infra/local/dataApi/server.ts';
import { openInMemoryDb } from './connect.ts';
import type { Db } from './db.ts';
import { openDataApiDb } from './drivers/dataApi.ts';
import { openPostgresDb } from './drivers/postgres.ts';
import { migrate } from './migrate.ts';

/**
 * Databases for tests, one per available driver: PGlite in memory always; node-postgres and the Data API
 * (SDK → local endpoint → PostgreSQL) when TEST_DATABASE_URL names a PostgreSQL server. Each `open()` gives a
 * fresh, migrated database; its `close()` also drops what `open()` created.
 */
export interface TestDatabase {
  readonly name: Db['driver'];
  open(): Promise<Db>;
}

export function testDatabases(serverUrl = process.env.TEST_DATABASE_URL): TestDatabase[] {
  const databases: TestDatabase[] = [{ name: 'pglite', open: openInMemoryDb }];
  if (serverUrl) {
    databases.push(
      { name: 'postgres', open: () => openOnServer(serverUrl, (url) => openPostgresDb(url)) },
      { name: 'data-api', open: () => openOnServer(serverUrl, openThroughLocalDataApi) },
    );
  }
  return databases;
}

/** Static credentials for the local Data API endpoint, which does not check signatures. */
export const LOCAL_DATA_API_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

async function openThroughLocalDataApi(databaseUrl: string): Promise<Db> {
  const endpoint = await startDataApiEndpoint({ connectionString: databaseUrl });
  const db = openDataApiDb({
    resourceArn: 'arn:aws:rds:ap-south-1:000000000000:cluster:local',
    secretArn: 'arn:aws:secretsmanager:ap-south-1:000000000000:secret:local',
    database: new URL(databaseUrl).pathname.slice(1),
    region: 'ap-south-1',
    endpoint: endpoint.url,
    credentials: LOCAL_DATA_API_CREDENTIALS,
  });
  return withCleanup(db, () => endpoint.close());
}

/** Creates an empty, uniquely named database on the PostgreSQL server at `serverUrl`. */
export async function createServerDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `wasaprecruit_test_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onServer(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)) };
}

/** A fresh database on the server, opened with `openDriver` and migrated. */
async function openOnServer(serverUrl: string, openDriver: (databaseUrl: string) => Promise<Db>): Promise<Db> {
  const database = await createServerDatabase(serverUrl);
  let db: Db;
  try {
    db = withCleanup(await openDriver(database.url), database.drop);
  } catch (error) {
    await database.drop();
    throw error;
  }
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

async function onServer(serverUrl: string, work: (admin: pg.Client) => Promise<unknown>): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await work(admin);
  } finally {
    await admin.end();
  }
}

function withCleanup(db: Db, cleanup: () => Promise<unknown>): Db {
  return {
    ...db,
    async close() {
      try {
        await db.close();
      } finally {
        await cleanup();
      }
    },
  };
}
