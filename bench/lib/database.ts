import pg from 'pg';

/** The PostgreSQL server the benchmarks run on; BENCH_DATABASE_URL names another. */
export const benchServerUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The URL of database `name` on the bench server. */
export function databaseUrl(name: string): string {
  const url = new URL(benchServerUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: benchServerUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const identifier = (name: string): string => {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  return name;
};

/** A fresh, empty database (dropped first if it exists); answers its URL. */
export async function freshDatabase(name: string): Promise<string> {
  await onServer(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${identifier(name)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${identifier(name)}`);
  });
  return databaseUrl(name);
}

/** The database, created if missing and kept otherwise (resumable seeds); answers its URL. */
export async function keptDatabase(name: string): Promise<string> {
  await onServer(async (client) => {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [identifier(name)]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${identifier(name)}`);
  });
  return databaseUrl(name);
}

export async function dropDatabase(name: string): Promise<void> {
  await onServer((client) => client.query(`DROP DATABASE IF EXISTS ${identifier(name)} WITH (FORCE)`));
}
