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

function queryable(runner: PgRunner): Queryable {
  return {
    async query<T = Row>(sql: string, params: SqlParams = {}): Promise<T[]> {
      const { text, values } = compileNamed(sql, params);
      let result: pg.QueryArrayResult;
      try {
        result = await runner.query({ text, values: values.map(encodeParam), rowMode: 'array' });
      } catch (error) {
        throw fromPostgresError(error);
      }
      const columns = result.fields.map((field) => ({ name: field.name, typeName: typeNameForOid(field.dataTypeID) }));
      return result.rows.map((values) => normalizeRow(columns, values) as T);
    },
  };
}

/** A node-postgres pool on `connectionString`; each transaction runs on one checked-out client. */
export async function openPostgresDb(connectionString: string, poolConfig: pg.PoolConfig = {}): Promise<Db> {
  const pool = new pg.Pool({ max: 5, ...poolConfig, connectionString, types: TEXT_VALUES });
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
