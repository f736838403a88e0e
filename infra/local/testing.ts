import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openInMemoryDb } from '../../functions/data/connect.ts';
import type { TestDatabase } from '../../functions/data/testing.ts';
import { parseConfig } from '../../functions/shared/config.ts';
import { startLocalHost, type LocalHost, type LocalHostOptions } from './host.ts';

export const DEMO_PASSWORD = 'test-demo-password';

export interface TestLocalHostOptions extends Omit<LocalHostOptions, 'db'> {
  /** The database to run on (one of `testDatabases()`); default a fresh in-memory PGlite. */
  readonly database?: TestDatabase;
  /** More environment variables for the host's configuration, e.g. `{ STALE_INBOUND_SECONDS: '120' }`. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface TestLocalHost extends LocalHost {
  readonly graphqlUrl: string;
  /** Signs in through POST /auth/token and returns the ID token. */
  tokenFor(email: string): Promise<string>;
  /** POST /graphql with a token, answering the parsed body and HTTP status. */
  graphql<T = Record<string, unknown>>(token: string | undefined, query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: T }>;
}

/** The full local host on a free port, over a fresh database seeded with the demo agency. */
export async function startTestLocalHost(options: TestLocalHostOptions = {}): Promise<TestLocalHost> {
  const { database, env, ...hostOptions } = options;
  const dataDir = await mkdtemp(join(tmpdir(), 'wasaprecruit-host-'));
  const config = parseConfig({ NODE_ENV: 'test', PORT: '0', DATA_DIR: dataDir, SEED_PASSWORD: DEMO_PASSWORD, ...env });
  const db = database ? await database.open() : await openInMemoryDb();
  const host = await startLocalHost(config, { ...hostOptions, db }).catch(async (error: unknown) => {
    await db.close();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  const graphqlUrl = `${host.url}/graphql`;

  const graphql = async <T,>(token: string | undefined, query: string, variables?: Record<string, unknown>) => {
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as T };
  };

  return {
    ...host,
    graphqlUrl,
    graphql,
    async tokenFor(email) {
      const response = await fetch(`${host.url}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: email, password: DEMO_PASSWORD }),
      });
      if (response.status !== 200) throw new Error(`sign-in of ${email} failed with ${response.status}`);
      return ((await response.json()) as { idToken: string }).idToken;
    },
    async close() {
      await host.close();
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
