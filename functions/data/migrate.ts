import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db, Queryable } from './db.ts';
import { splitStatements } from './sql.ts';

export const MIGRATIONS_DIRECTORY = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Any fixed number: every process migrating the same database takes this lock, so they take turns. */
const MIGRATION_LOCK_KEY = 7_406_113_021;

export interface Migration {
  /** The file name without `.sql`, e.g. `0001_foundation`. */
  readonly version: string;
  readonly statements: readonly string[];
}

export async function readMigrations(directory = MIGRATIONS_DIRECTORY): Promise<Migration[]> {
  const files = (await readdir(directory)).filter((file) => file.endsWith('.sql')).sort();
  return Promise.all(
    files.map(async (file) => ({
      version: file.slice(0, -'.sql'.length),
      statements: splitStatements(await readFile(join(directory, file), 'utf8')),
    })),
  );
}

async function lockMigrations(tx: Queryable): Promise<void> {
  // Selected from, not selected: a bare void result is a column type the Data API cannot return.
  await tx.query('SELECT true AS locked FROM pg_advisory_xact_lock(:key::bigint)', { key: MIGRATION_LOCK_KEY });
}

/**
 * Applies the migrations not yet recorded in schema_migrations, in lexical order, each file in its own
 * transaction with its statements run one by one (the Data API runs one statement per call). Safe to call
 * on every start and from several processes at once. Returns the versions it applied.
 */
export async function migrate(db: Db, migrations?: readonly Migration[]): Promise<string[]> {
  const pending = migrations ?? (await readMigrations());
  await db.transaction(async (tx) => {
    await lockMigrations(tx);
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
  });
  const applied: string[] = [];
  for (const migration of pending) {
    const didApply = await db.transaction(async (tx) => {
      await lockMigrations(tx);
      const [existing] = await tx.query('SELECT version FROM schema_migrations WHERE version = :version', { version: migration.version });
      if (existing !== undefined) return false;
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, applied_at) VALUES (:version, now())', { version: migration.version });
      return true;
    });
    if (didApply) applied.push(migration.version);
  }
  return applied;
}
