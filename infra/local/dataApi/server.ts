import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { z } from 'zod';
import { parseArrayLiteral } from '../../../functions/data/normalize.ts';
import { typeNameForOid } from '../../../functions/data/pgTypes.ts';
import { compileNamed, splitStatements, SqlParameterError } from '../../../functions/data/sql.ts';

/**
 * A local stand-in for the RDS Data API: the REST-JSON wire protocol the official SDK speaks (POST /Execute,
 * /BeginTransaction, /CommitTransaction, /RollbackTransaction), executed against PostgreSQL. Parameters are
 * bound with the types the real service gives them (strings as varchar, longs as int8, typeHints as casts),
 * so SQL that forgets a cast fails here as it would on Aurora. Requests are not authenticated: the SigV4
 * signature is ignored and any static credentials work. For local development and tests only.
 */

export interface DataApiEndpoint {
  readonly url: string;
  close(): Promise<void>;
}

/** Real Data API transactions end after 3 minutes without a call. */
const TRANSACTION_IDLE_MS = 3 * 60_000;

const fieldSchema = z
  .object({
    isNull: z.boolean(),
    booleanValue: z.boolean(),
    longValue: z.number().int(),
    doubleValue: z.number(),
    stringValue: z.string(),
    blobValue: z.string(),
    arrayValue: z.unknown(),
  })
  .partial();

const target = { resourceArn: z.string().min(1), secretArn: z.string().min(1) };

const executeSchema = z.object({
  ...target,
  database: z.string().min(1).optional(),
  sql: z.string().min(1),
  transactionId: z.string().min(1).optional(),
  includeResultMetadata: z.boolean().optional(),
  formatRecordsAs: z.enum(['NONE', 'JSON']).optional(),
  parameters: z
    .array(z.object({ name: z.string().min(1), value: fieldSchema.optional(), typeHint: z.string().optional() }))
    .optional(),
});
const beginSchema = z.object({ ...target, database: z.string().min(1).optional() });
const endSchema = z.object({ ...target, transactionId: z.string().min(1) });

const TYPE_HINT_CASTS: Readonly<Record<string, string>> = {
  JSON: 'json',
  UUID: 'uuid',
  TIMESTAMP: 'timestamp',
  DATE: 'date',
  TIME: 'time',
  DECIMAL: 'numeric',
};

/** An error answered in the Data API's shape; the SDK raises the exception class named by `type`. */
class ServiceError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const badRequest = (message: string) => new ServiceError('BadRequestException', 400, message);

/** PostgreSQL's message the way the Data API relays it (PgJDBC's text plus the SQLSTATE). */
function fromDatabaseError(error: unknown): ServiceError {
  if (error instanceof pg.DatabaseError) {
    const detail = error.detail ? `\n  Detail: ${error.detail}` : '';
    return badRequest(`ERROR: ${error.message}${detail}; SQLState: ${error.code ?? 'XX000'}`);
  }
  return error instanceof ServiceError ? error : new ServiceError('InternalServerErrorException', 500, String(error));
}

type ParameterValue = string | number | boolean | Buffer | null;

function parameterValue(name: string, field: z.infer<typeof fieldSchema> | undefined): { value: ParameterValue; cast?: string } {
  if (field === undefined || field.isNull) return { value: null };
  if (field.stringValue !== undefined) return { value: field.stringValue, cast: 'varchar' };
  if (field.longValue !== undefined) return { value: field.longValue, cast: 'int8' };
  if (field.doubleValue !== undefined) return { value: field.doubleValue, cast: 'float8' };
  if (field.booleanValue !== undefined) return { value: field.booleanValue, cast: 'bool' };
  if (field.blobValue !== undefined) return { value: Buffer.from(field.blobValue, 'base64'), cast: 'bytea' };
  if (field.arrayValue !== undefined) throw badRequest(`Array parameters are not supported (parameter ${name})`);
  throw badRequest(`The parameter ${name} has no value`);
}

const JDBC_TYPES: Readonly<Record<string, number>> = {
  bool: -7,
  int2: 5,
  int4: 4,
  int8: -5,
  float4: 7,
  float8: 8,
  numeric: 2,
  bpchar: 1,
  varchar: 12,
  text: 12,
  date: 91,
  time: 92,
  timestamp: 93,
  timestamptz: 93,
  bytea: -2,
};

type Field = { isNull: true } | { booleanValue: boolean } | { longValue: number } | { doubleValue: number } | { stringValue: string } | { blobValue: string } | { arrayValue: ArrayValue };
type ArrayValue = { stringValues: (string | null)[] } | { longValues: (number | null)[] } | { doubleValues: (number | null)[] } | { booleanValues: (boolean | null)[] } | { arrayValues: ArrayValue[] };

/** '2024-01-02 03:04:05.12+00' (session TimeZone UTC) → '2024-01-02 03:04:05.120000'. */
function formatTimestamp(text: string): string {
  const match = /^(\d{4,}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(?:\.(\d+))?(?:[+-]\d{2}(?::?\d{2}){0,2})?$/.exec(text);
  return match === null ? text : `${match[1]}.${(match[2] ?? '').padEnd(6, '0')}`;
}

/** One column value as the Data API answers it. */
function toField(typeName: string, text: string | null): Field {
  if (text === null) return { isNull: true };
  if (typeName.startsWith('_')) return { arrayValue: toArrayValue(typeName.slice(1), parseArrayLiteral(text)) };
  switch (typeName) {
    case 'bool':
      return { booleanValue: text === 't' };
    case 'int2':
    case 'int4':
    case 'int8':
    case 'oid':
      return { longValue: Number(text) };
    case 'float4':
      // JDBC reads a real as a float and the service widens it to a double: 0.1 arrives as 0.10000000149011612.
      return { doubleValue: Math.fround(Number(text)) };
    case 'float8':
      return { doubleValue: Number(text) };
    case 'timestamp':
    case 'timestamptz':
      return { stringValue: formatTimestamp(text) };
    case 'bytea':
      return { blobValue: Buffer.from(text.slice(2), 'hex').toString('base64') };
    default:
      return { stringValue: text };
  }
}

function toArrayValue(elementType: string, elements: unknown[]): ArrayValue {
  if (elements.some(Array.isArray)) return { arrayValues: elements.map((element) => toArrayValue(elementType, element as unknown[])) };
  const texts = elements as (string | null)[];
  const fields = texts.map((text) => toField(elementType, text));
  if (fields.some((field) => 'longValue' in field)) return { longValues: fields.map((field) => ('longValue' in field ? field.longValue : null)) };
  if (fields.some((field) => 'doubleValue' in field)) return { doubleValues: fields.map((field) => ('doubleValue' in field ? field.doubleValue : null)) };
  if (fields.some((field) => 'booleanValue' in field)) return { booleanValues: fields.map((field) => ('booleanValue' in field ? field.booleanValue : null)) };
  return { stringValues: texts.map((text) => (text === null ? null : elementType.startsWith('timestamp') ? formatTimestamp(text) : text)) };
}

const RAW_TEXT: pg.CustomTypesConfig = {
  getTypeParser: (() => (value: string) => value) as unknown as pg.CustomTypesConfig['getTypeParser'],
};

interface OpenTransaction {
  readonly client: pg.PoolClient;
  idleTimer: NodeJS.Timeout;
}

export async function startDataApiEndpoint(options: { connectionString: string; port?: number }): Promise<DataApiEndpoint> {
  const defaultDatabase = decodeURIComponent(new URL(options.connectionString).pathname.slice(1)) || 'postgres';
  const pools = new Map<string, pg.Pool>();
  const transactions = new Map<string, OpenTransaction>();
  const typeNames = new Map<number, string>();

  function poolFor(database = defaultDatabase): pg.Pool {
    let pool = pools.get(database);
    if (pool === undefined) {
      const url = new URL(options.connectionString);
      url.pathname = `/${encodeURIComponent(database)}`;
      // Aurora's sessions run in UTC; the timestamp formatting above relies on it.
      pool = new pg.Pool({ connectionString: url.toString(), types: RAW_TEXT, options: '-c TimeZone=UTC -c DateStyle=ISO', max: 5 });
      pool.on('error', () => undefined);
      pools.set(database, pool);
    }
    return pool;
  }

  /** Type names for columns of types the database defined itself (enums, domains), looked up once. */
  async function typeNameOf(runner: pg.Pool | pg.PoolClient, oid: number): Promise<string> {
    const builtIn = typeNameForOid(oid);
    if (builtIn !== 'text' || oid === 25) return builtIn;
    let name = typeNames.get(oid);
    if (name === undefined) {
      const result = await runner.query<[string]>({ text: 'SELECT typname FROM pg_type WHERE oid = $1', values: [oid], rowMode: 'array' });
      name = result.rows[0]?.[0] ?? 'text';
      typeNames.set(oid, name);
    }
    return name;
  }

  function transactionFor(transactionId: string): OpenTransaction {
    const transaction = transactions.get(transactionId);
    if (transaction === undefined) throw new ServiceError('TransactionNotFoundException', 404, `Transaction ${transactionId} is not found`);
    transaction.idleTimer.refresh();
    return transaction;
  }

  async function endTransaction(transactionId: string, statement: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    const transaction = transactionFor(transactionId);
    transactions.delete(transactionId);
    clearTimeout(transaction.idleTimer);
    try {
      await transaction.client.query(statement);
      transaction.client.release();
    } catch (error) {
      transaction.client.release(true);
      throw error;
    }
  }

  async function execute(body: unknown): Promise<object> {
    const request = executeSchema.parse(body);
    if (request.formatRecordsAs === 'JSON') throw badRequest('formatRecordsAs JSON is not supported by the local Data API endpoint');
    if (splitStatements(request.sql).length > 1) throw badRequest('Multistatement requests are not supported');
    const bound = new Map((request.parameters ?? []).map((parameter) => [parameter.name, parameter]));
    const values = Object.fromEntries([...bound].map(([name, parameter]) => [name, parameterValue(name, parameter.value)]));
    const { text, values: ordered } = compileNamed(request.sql, values, (position, name) => {
      const { cast } = values[name]!;
      const hint = bound.get(name)?.typeHint;
      const hinted = hint === undefined ? undefined : TYPE_HINT_CASTS[hint];
      if (hint !== undefined && hinted === undefined) throw badRequest(`Unknown typeHint ${hint}`);
      return hinted !== undefined ? `($${position}::${hinted})` : cast !== undefined ? `($${position}::${cast})` : `$${position}`;
    });
    const runner = request.transactionId === undefined ? poolFor(request.database) : transactionFor(request.transactionId).client;
    const result = await runner.query({ text, values: ordered.map((parameter) => parameter.value), rowMode: 'array' });
    const updated = ['INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(result.command) ? (result.rowCount ?? 0) : 0;
    if (result.fields.length === 0) return { numberOfRecordsUpdated: updated, generatedFields: [] };
    const typeNamesOfColumns = await Promise.all(result.fields.map((field) => typeNameOf(runner, field.dataTypeID)));
    const records = result.rows.map((row: (string | null)[]) => row.map((text, index) => toField(typeNamesOfColumns[index]!, text)));
    const columnMetadata = result.fields.map((field, index) => ({
      name: field.name,
      label: field.name,
      typeName: typeNamesOfColumns[index],
      type: JDBC_TYPES[typeNamesOfColumns[index]!] ?? (typeNamesOfColumns[index]!.startsWith('_') ? 2003 : 1111),
      nullable: 2,
      isAutoIncrement: false,
      isSigned: false,
      isCurrency: false,
      isCaseSensitive: true,
      precision: 0,
      scale: 0,
      schemaName: '',
      tableName: '',
      arrayBaseColumnType: 0,
    }));
    return { records, numberOfRecordsUpdated: updated, ...(request.includeResultMetadata ? { columnMetadata } : {}) };
  }

  async function beginTransaction(body: unknown): Promise<object> {
    const request = beginSchema.parse(body);
    const client = await poolFor(request.database).connect();
    try {
      await client.query('BEGIN');
    } catch (error) {
      client.release(true);
      throw error;
    }
    const transactionId = randomBytes(48).toString('base64');
    const idleTimer = setTimeout(() => void endTransaction(transactionId, 'ROLLBACK').catch(() => undefined), TRANSACTION_IDLE_MS);
    idleTimer.unref();
    transactions.set(transactionId, { client, idleTimer });
    return { transactionId };
  }

  const operations: Readonly<Record<string, (body: unknown) => Promise<object>>> = {
    '/Execute': execute,
    '/BeginTransaction': beginTransaction,
    '/CommitTransaction': async (body) => {
      await endTransaction(endSchema.parse(body).transactionId, 'COMMIT');
      return { transactionStatus: 'Transaction Committed' };
    },
    '/RollbackTransaction': async (body) => {
      await endTransaction(endSchema.parse(body).transactionId, 'ROLLBACK');
      return { transactionStatus: 'Rollback Complete' };
    },
  };

  async function answer(request: http.IncomingMessage): Promise<{ status: number; headers: Record<string, string>; body: object }> {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const operation = request.method === 'POST' ? operations[new URL(request.url ?? '/', 'http://local').pathname] : undefined;
      if (operation === undefined) throw new ServiceError('NotFoundException', 404, `No operation ${request.method} ${request.url}`);
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        throw badRequest('The request body is not JSON');
      }
      return { status: 200, headers: {}, body: await operation(body) };
    } catch (caught) {
      const error =
        caught instanceof z.ZodError
          ? badRequest(caught.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '))
          : caught instanceof SqlParameterError
            ? badRequest(caught.message)
            : fromDatabaseError(caught);
      return { status: error.status, headers: { 'x-amzn-errortype': error.type }, body: { message: error.message } };
    }
  }

  const server = http.createServer((request, response) => {
    void answer(request).then(({ status, headers, body }) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await Promise.all([...transactions.keys()].map((id) => endTransaction(id, 'ROLLBACK').catch(() => undefined)));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...pools.values()].map((pool) => pool.end()));
    },
  };
}
