import {
  BeginTransactionCommand,
  CommitTransactionCommand,
  ExecuteStatementCommand,
  RDSDataClient,
  RollbackTransactionCommand,
  type ArrayValue,
  type Field,
  type RDSDataClientConfig,
  type SqlParameter,
} from '@aws-sdk/client-rds-data';
import type { Db, Queryable, Row, SqlParams } from '../db.ts';
import { DbError } from '../errors.ts';
import { normalizeRow } from '../normalize.ts';
import { compileNamed, encodeParam } from '../sql.ts';

export interface DataApiOptions {
  readonly resourceArn: string;
  readonly secretArn: string;
  readonly database: string;
  readonly region: string;
  /** Another endpoint than AWS's, e.g. the local Data API endpoint. */
  readonly endpoint?: string | undefined;
  /** Defaults to the SDK's credential chain. */
  readonly credentials?: RDSDataClientConfig['credentials'];
  /** How long to keep retrying while a paused Aurora Serverless cluster resumes. */
  readonly resumeRetry?: { readonly attempts: number; readonly firstDelayMs: number; readonly maxDelayMs: number };
}

const DEFAULT_RESUME_RETRY = { attempts: 8, firstDelayMs: 500, maxDelayMs: 8_000 };

/** The SDK value for one parameter. Lists and objects travel as JSON text with the JSON hint. */
export function toSqlParameter(name: string, value: unknown): SqlParameter {
  const encoded = encodeParam(value);
  if (encoded === null) return { name, value: { isNull: true } };
  if (typeof encoded === 'boolean') return { name, value: { booleanValue: encoded } };
  if (typeof encoded === 'number') {
    return { name, value: Number.isSafeInteger(encoded) ? { longValue: encoded } : { doubleValue: encoded } };
  }
  const isJson = typeof value === 'object' && !(value instanceof Date);
  return isJson ? { name, value: { stringValue: encoded }, typeHint: 'JSON' } : { name, value: { stringValue: encoded } };
}

function fieldValue(field: Field): unknown {
  if (field.isNull) return null;
  if (field.stringValue !== undefined) return field.stringValue;
  if (field.longValue !== undefined) return field.longValue;
  if (field.doubleValue !== undefined) return field.doubleValue;
  if (field.booleanValue !== undefined) return field.booleanValue;
  if (field.blobValue !== undefined) return field.blobValue;
  if (field.arrayValue !== undefined) return arrayValues(field.arrayValue);
  return null;
}

function arrayValues(array: ArrayValue): unknown[] {
  return (
    array.stringValues ??
    array.longValues ??
    array.doubleValues ??
    array.booleanValues ??
    array.arrayValues?.map((nested) => (nested === null ? null : arrayValues(nested))) ??
    []
  );
}

/**
 * The Data API reports a refused statement as BadRequestException with PostgreSQL's message and
 * "; SQLState: 23505" appended: give it the same DbError shape the other drivers throw.
 */
function fromDataApiError(error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== 'BadRequestException') return error;
  const sqlState = /SQLState: ([0-9A-Z]{5})/.exec(error.message)?.[1];
  if (sqlState === undefined) return error;
  const message = error.message.replace(/^ERROR: /, '').replace(/\n[\s\S]*$|; SQLState: [0-9A-Z]{5}$/, '');
  return new DbError(message, { sqlState, cause: error });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Db on the RDS Data API. SQL passes through unchanged: the Data API binds `:name` parameters itself. */
export function openDataApiDb(options: DataApiOptions): Db {
  const client = new RDSDataClient({
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  });
  const target = { resourceArn: options.resourceArn, secretArn: options.secretArn };
  const retry = options.resumeRetry ?? DEFAULT_RESUME_RETRY;

  async function send<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        const resuming = error instanceof Error && error.name === 'DatabaseResumingException';
        if (!resuming || attempt >= retry.attempts) throw fromDataApiError(error);
        await sleep(Math.min(retry.maxDelayMs, retry.firstDelayMs * 2 ** (attempt - 1)));
      }
    }
  }

  function queryable(transactionId?: string): Queryable {
    return {
      async query<T = Row>(sql: string, params: SqlParams = {}): Promise<T[]> {
        // Compiled only to check and pick the parameters the statement uses; the SQL itself goes unchanged.
        const { names, values } = compileNamed(sql, params);
        const parameters = names.map((name, index) => toSqlParameter(name, values[index]));
        const command = new ExecuteStatementCommand({
          ...target,
          database: options.database,
          sql,
          parameters,
          includeResultMetadata: true,
          ...(transactionId === undefined ? {} : { transactionId }),
        });
        const result = await send(() => client.send(command));
        const columns = (result.columnMetadata ?? []).map((column) => ({
          name: column.label || column.name || '',
          typeName: column.typeName ?? 'text',
        }));
        return (result.records ?? []).map((record) => normalizeRow(columns, record.map(fieldValue)) as T);
      },
    };
  }

  return {
    driver: 'data-api',
    ...queryable(),
    async transaction(work) {
      const { transactionId } = await send(() => client.send(new BeginTransactionCommand({ ...target, database: options.database })));
      if (transactionId === undefined) throw new Error('the Data API began a transaction without an id');
      let result;
      try {
        result = await work(queryable(transactionId));
      } catch (error) {
        // The work's error is the one to report; a transaction whose rollback fails expires on its own.
        await send(() => client.send(new RollbackTransactionCommand({ ...target, transactionId }))).catch(() => undefined);
        throw error;
      }
      await send(() => client.send(new CommitTransactionCommand({ ...target, transactionId })));
      return result;
    },
    async close() {
      client.destroy();
    },
  };
}
