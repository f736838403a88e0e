import { join } from 'node:path';
import type { Config } from '../shared/config.ts';
import type { Db } from './db.ts';
import { openDataApiDb, type DataApiOptions } from './drivers/dataApi.ts';
import { openPGliteDb } from './drivers/pglite.ts';
import { openPostgresDb } from './drivers/postgres.ts';
import { migrate } from './migrate.ts';

export interface OpenDbOptions {
  /** Apply pending migrations before returning (default true). */
  readonly migrate?: boolean;
  /** For the Data API driver; defaults to the SDK's credential chain. */
  readonly dataApiCredentials?: DataApiOptions['credentials'];
}

/**
 * Opens the database the configuration names: the RDS Data API when DATA_API_* is set, PostgreSQL when
 * DATABASE_URL is, else PGlite persisted under `${DATA_DIR}/pglite`. Migrated before it is returned.
 */
export async function openDb(config: Config, options: OpenDbOptions = {}): Promise<Db> {
  let db: Db;
  if (config.dataApi !== undefined) {
    db = openDataApiDb({ ...config.dataApi, credentials: options.dataApiCredentials });
  } else if (config.databaseUrl !== undefined) {
    db = await openPostgresDb(config.databaseUrl);
  } else {
    db = await openPGliteDb(join(config.dataDir, 'pglite'));
  }
  if (options.migrate !== false) await migrateOrClose(db);
  return db;
}

/** A fresh, migrated PGlite database in memory: for tests. */
export async function openInMemoryDb(): Promise<Db> {
  const db = await openPGliteDb();
  await migrateOrClose(db);
  return db;
}

async function migrateOrClose(db: Db): Promise<void> {
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
}
