import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db.ts';
import { DbError } from '../errors.ts';
import { SqlParameterError } from '../sql.ts';
import { openDataApiDb } from './dataApi.ts';

/**
 * The Data API driver against a scripted endpoint speaking the service's REST-JSON protocol: what the official
 * SDK puts on the wire, and how the driver reads answers and errors. (The round trip through PostgreSQL is
 * covered by the shared suite in db.test.ts and by the local endpoint's own tests.)
 */
interface Exchange {
  readonly path: string;
  readonly body: Record<string, unknown>;
}
type Answer = { status?: number; errorType?: string; body: object };

const exchanges: Exchange[] = [];
let script: (exchange: Exchange) => Answer;
let server: http.Server;
let db: Db;

const ok = (body: object = {}): Answer => ({ body });
const failure = (errorType: string, message: string): Answer => ({ status: 400, errorType, body: { message } });

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      const exchange = { path: request.url ?? '', body: JSON.parse(text) as Record<string, unknown> };
      exchanges.push(exchange);
      const answer = script(exchange);
      response.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...(answer.errorType ? { 'x-amzn-errortype': answer.errorType } : {}) });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  db = openDataApiDb({
    resourceArn: 'arn:aws:rds:ap-south-1:000000000000:cluster:test',
    secretArn: 'arn:aws:secretsmanager:ap-south-1:000000000000:secret:test',
    database: 'wasaprecruit',
    region: 'ap-south-1',
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    resumeRetry: { attempts: 3, firstDelayMs: 1, maxDelayMs: 2 },
  });
});

afterAll(async () => {
  await db.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  exchanges.length = 0;
  script = () => ok();
});

describe('the Data API driver', () => {
  it('sends the SQL unchanged with typed parameters, only those the statement uses', async () => {
    const sql = 'SELECT :text, :whole, :fraction, :flag, :nothing, :missing, :list::jsonb, :object::jsonb, :at::timestamptz, :text';
    await db.query(sql, {
      text: "it's",
      whole: 42,
      fraction: 2.5,
      flag: true,
      nothing: null,
      missing: undefined,
      list: ['a'],
      object: { k: 1 },
      at: new Date('2024-01-02T03:04:05.006Z'),
      unused: 'not sent',
    });
    expect(exchanges).toEqual([
      {
        path: '/Execute',
        body: {
          resourceArn: 'arn:aws:rds:ap-south-1:000000000000:cluster:test',
          secretArn: 'arn:aws:secretsmanager:ap-south-1:000000000000:secret:test',
          database: 'wasaprecruit',
          sql,
          includeResultMetadata: true,
          parameters: [
            { name: 'text', value: { stringValue: "it's" } },
            { name: 'whole', value: { longValue: 42 } },
            { name: 'fraction', value: { doubleValue: 2.5 } },
            { name: 'flag', value: { booleanValue: true } },
            { name: 'nothing', value: { isNull: true } },
            { name: 'missing', value: { isNull: true } },
            { name: 'list', value: { stringValue: '["a"]' }, typeHint: 'JSON' },
            { name: 'object', value: { stringValue: '{"k":1}' }, typeHint: 'JSON' },
            { name: 'at', value: { stringValue: '2024-01-02T03:04:05.006Z' } },
          ],
        },
      },
    ]);
  });

  it('refuses a statement missing a parameter without calling the service', async () => {
    await expect(db.query('SELECT :absent', {})).rejects.toThrow(SqlParameterError);
    expect(exchanges).toEqual([]);
  });

  it('reads records through the column metadata into normalized rows', async () => {
    script = () =>
      ok({
        columnMetadata: [
          { name: 'id', label: 'id', typeName: 'int8' },
          { name: 'created_at', label: 'created_at', typeName: 'timestamptz' },
          { name: 'confidence', label: 'confidence', typeName: 'float4' },
          { name: 'tags', label: 'tags', typeName: 'jsonb' },
          { name: 'labels', label: 'labels', typeName: '_text' },
          { name: 'amount', label: 'amount', typeName: 'numeric' },
          { name: 'gone_at', label: 'gone_at', typeName: 'timestamptz' },
        ],
        records: [
          [
            { longValue: 7 },
            { stringValue: '2024-01-02 03:04:05.678901' },
            { doubleValue: 0.10000000149011612 },
            { stringValue: '["a"]' },
            { arrayValue: { stringValues: ['x', 'y'] } },
            { stringValue: '12.50' },
            { isNull: true },
          ],
        ],
        numberOfRecordsUpdated: 0,
      });
    expect(await db.query('SELECT 1')).toEqual([
      { id: 7, createdAt: '2024-01-02T03:04:05.678Z', confidence: 0.1, tags: ['a'], labels: ['x', 'y'], amount: 12.5, goneAt: null },
    ]);
  });

  it('raises a refused statement as a DbError with its SQLSTATE and constraint', async () => {
    script = () =>
      failure(
        'BadRequestException',
        'ERROR: duplicate key value violates unique constraint "recruiters_email_key"\n  Detail: Key (email)=(a@b.c) already exists.; SQLState: 23505',
      );
    const error = await db.query('INSERT INTO recruiters DEFAULT VALUES').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DbError);
    expect(error).toMatchObject({
      message: 'duplicate key value violates unique constraint "recruiters_email_key"',
      sqlState: '23505',
      constraint: 'recruiters_email_key',
    });
  });

  it('passes other service errors through as the SDK raised them', async () => {
    script = () => failure('ForbiddenException', 'no access');
    await expect(db.query('SELECT 1')).rejects.toMatchObject({ name: 'ForbiddenException', message: 'no access' });
  });

  it('retries while the cluster resumes, then succeeds', async () => {
    script = () => (exchanges.length < 3 ? failure('DatabaseResumingException', 'resuming') : ok({ records: [], columnMetadata: [] }));
    expect(await db.query('SELECT 1')).toEqual([]);
    expect(exchanges).toHaveLength(3);
  });

  it('gives up after a bounded number of attempts', async () => {
    script = () => failure('DatabaseResumingException', 'still resuming');
    await expect(db.query('SELECT 1')).rejects.toMatchObject({ name: 'DatabaseResumingException' });
    expect(exchanges).toHaveLength(3);
  });

  it('runs a transaction under one transaction id and commits it', async () => {
    script = ({ path }) => (path === '/BeginTransaction' ? ok({ transactionId: 'tx-1' }) : ok());
    const result = await db.transaction(async (tx) => {
      await tx.query('SELECT 1');
      return 'done';
    });
    expect(result).toBe('done');
    expect(exchanges.map(({ path, body }) => [path, body.transactionId])).toEqual([
      ['/BeginTransaction', undefined],
      ['/Execute', 'tx-1'],
      ['/CommitTransaction', 'tx-1'],
    ]);
    expect(exchanges[0]!.body).toMatchObject({ database: 'wasaprecruit' });
  });

  it('rolls the transaction back and rethrows when the work throws', async () => {
    script = ({ path }) => (path === '/BeginTransaction' ? ok({ transactionId: 'tx-2' }) : ok());
    const reason = new Error('abandon');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('SELECT 1');
        throw reason;
      }),
    ).rejects.toBe(reason);
    expect(exchanges.map(({ path }) => path)).toEqual(['/BeginTransaction', '/Execute', '/RollbackTransaction']);
  });
});
