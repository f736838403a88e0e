import { mkdirSync } from 'node:fs';
import { PGlite, type Results } from '@electric-sql/pglite';
import type { Db, Queryable, Row, SqlParams } from '../db.ts';
import { fromPostgresError } from '../errors.ts';
import { normalizeRow } from '../normalize.ts';
import { BUILT_IN_TYPE_NAMES, typeNameForOid } from '../pgTypes.ts';
import { compileNamed, encodeParam } from '../sql.ts';

/**
 * PGlite hands over PostgreSQL's text output untouched and sends parameters as the text encodeParam made, so
 * the normalizer sees what node-postgres sees. (PGlite's own serializers would JSON-encode a jsonb string twice.)
 */
const asText = (value: unknown) => String(value);
const untouched = (value: string) => value;
const QUERY_OPTIONS = {
  rowMode: 'array' as const,
  parsers: Object.fromEntries([...BUILT_IN_TYPE_NAMES.keys()].map((oid) => [oid, untouched])),
  serializers: Object.fromEntries([...BUILT_IN_TYPE_NAMES.keys()].map((oid) => [oid, asText])),
};

interface PGliteRunner {
  query<T>(sql: string, params?: unknown[], options?: typeof QUERY_OPTIONS): Promise<Results<T>>;
}

function queryable(runner: PGliteRunner): Queryable {
  return {
    async query<T = Row>(sql: string, params: SqlParams = {}): Promise<T[]> {
      const { text, values } = compileNamed(sql, params);
      let result: Results<unknown[]>;
      try {
        result = await runner.query<unknown[]>(text, values.map(encodeParam), QUERY_OPTIONS);
      } catch (error) {
        throw fromPostgresError(error);
      }
      const columns = result.fields.map((field) => ({ name: field.name, typeName: typeNameForOid(field.dataTypeID) }));
      return result.rows.map((values) => normalizeRow(columns, values) as T);
    },
  };
}

/** A PGlite database persisted under `dataDir`, or in memory when it is omitted. */
export async function openPGliteDb(dataDir?: string): Promise<Db> {
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir === undefined ? {} : { dataDir });
  return {
    driver: 'pglite',
    ...queryable(pglite),
    async transaction(work) {
      return pglite.transaction((tx) => work(queryable(tx)));
    },
    async close() {
      await pglite.close();
    },
  };
}
