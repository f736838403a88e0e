import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Db, Queryable, Row, SqlParams } from '../db.ts';
import { fromPostgresError } from '../errors.ts';
import { normalizeRow } from '../normalize.ts';
import { typeNameForOid } from '../pgTypes.ts';
import { compileNamed, encodeParam } from '../sql.ts';

/** pg's own parsing would turn int8 into strings and timestamps into local Dates: take PostgreSQL's text and normalize it. */
const TEXT_VALUES: pg.CustomTypesConfig = {
  getTypeParser: (() => (value: string) => value) as unknown as pg.CustomTypesConfig['getTypeParser'],
};

interface PgRunner {
  query(config: pg.QueryArrayConfig): Promise<pg.QueryArrayResult>;
}

/**
 * Statements with parameters are prepared once per connection under a name derived from their text, so
 * PostgreSQL parses and analyses each only once per connection instead of on every execution: about a fifth of
 * its CPU time on the webhook path. Each execution is still planned with its own values (the pool sets
 * plan_cache_mode=force_custom_plan), so every query keeps the plan it had as an unnamed statement.
 * Statements without parameters (transaction control, migrations of several statements) keep the simple
 * protocol. The application's SQL is a fixed set of texts, so the names per connection stay few.
 */
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `s${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
    statementNames.set(text, name);
  }
  return name;
}

function queryable(runner: PgRunner): Queryable {
  return {
    async query<T = Row>(sql: string, params: SqlParams = {}): Promise<T[]> {
      const { text, values } = compileNamed(sql, params);
      let result: pg.QueryArrayResult;
      try {
        const prepared = values.length > 0 ? { name: statementName(text) } : {};
        result = await runner.query({ ...prepared, text, values: values.map(encodeParam), rowMode: 'array' });
      } catch (error) {
        throw fromPostgresError(error);
      }
      const columns = result.fields.map((field) => ({ name: field.name, typeName: typeNameForOid(field.dataTypeID) }));
      return result.rows.map((values) => normalizeRow(columns, values) as T);
    },
  };
}

/** Connections each process keeps to PostgreSQL at most. */
export const POSTGRES_POOL_SIZE = 5;

/** A node-postgres pool on `connectionString`; each transaction runs on one checked-out client. */
export async function openPostgresDb(connectionString: string, poolConfig: pg.PoolConfig = {}): Promise<Db> {
  const pool = new pg.Pool({
    max: POSTGRES_POOL_SIZE,
    ...poolConfig,
    connectionString,
    types: TEXT_VALUES,
    options: '-c plan_cache_mode=force_custom_plan',
  });
  // An idle client's connection can drop (server restart); the pool replaces it, the process must not crash.
  pool.on('error', () => undefined);
  return {
    driver: 'postgres',
    ...queryable(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(queryable(client));
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (error) {
        // A failed ROLLBACK means the connection is broken: destroy it rather than return it to the pool.
        const rollbackError = await client.query('ROLLBACK').then(
          () => undefined,
          (failure: unknown) => failure,
        );
        client.release(rollbackError instanceof Error ? rollbackError : undefined);
        throw fromPostgresError(error);
      }
    },
    async close() {
      await pool.end();
    },
  };
}
