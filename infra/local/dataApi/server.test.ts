import {
  BadRequestException,
  BeginTransactionCommand,
  CommitTransactionCommand,
  ExecuteStatementCommand,
  RDSDataClient,
  RollbackTransactionCommand,
  TransactionNotFoundException,
  type ExecuteStatementCommandInput,
} from '@aws-sdk/client-rds-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerDatabase, LOCAL_DATA_API_CREDENTIALS } from '../../../functions/data/testing.ts';
import { startDataApiEndpoint, type DataApiEndpoint } from './server.ts';

/** The local endpoint through the official SDK: the same wire format, answers and errors as the service. */
const serverUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!serverUrl)('the local Data API endpoint', () => {
  let database: Awaited<ReturnType<typeof createServerDatabase>>;
  let endpoint: DataApiEndpoint;
  let client: RDSDataClient;
  const target = { resourceArn: 'arn:aws:rds:ap-south-1:000000000000:cluster:local', secretArn: 'arn:aws:secretsmanager:ap-south-1:000000000000:secret:local' };
  let databaseName: string;
  const execute = (input: Omit<ExecuteStatementCommandInput, 'resourceArn' | 'secretArn'>) =>
    client.send(new ExecuteStatementCommand({ ...target, database: databaseName, ...input }));

  beforeAll(async () => {
    database = await createServerDatabase(serverUrl!);
    databaseName = new URL(database.url).pathname.slice(1);
    // Connected to the server's default database: requests pick theirs by name, as on Aurora.
    endpoint = await startDataApiEndpoint({ connectionString: serverUrl! });
    client = new RDSDataClient({ region: 'ap-south-1', endpoint: endpoint.url, credentials: LOCAL_DATA_API_CREDENTIALS });
    await execute({ sql: 'CREATE TABLE notes (id uuid PRIMARY KEY, body text NOT NULL UNIQUE, at timestamptz)' });
  });

  afterAll(async () => {
    client?.destroy();
    await endpoint?.close();
    await database?.drop();
  });

  it('answers each column type as the Data API formats it, with column metadata', async () => {
    const result = await execute({
      sql: `SELECT true AS flag, 1::int2 AS small, 2::int4 AS regular, 9007199254740991::int8 AS big, 0.1::float4 AS single,
              0.25::float8 AS double, 12.50::numeric AS amount, '2024-05-06 07:08:09.5+05:30'::timestamptz AS at,
              '2024-05-06 07:08:09'::timestamp AS wall_clock, '2024-02-29'::date AS day, '{"a": 1}'::jsonb AS document,
              'a67a4f68-0036-4c35-a731-95c3020fb35f'::uuid AS id, ARRAY['x', NULL] AS labels, ARRAY[1, 2] AS numbers,
              NULL::text AS nothing, current_database() AS db`,
      includeResultMetadata: true,
    });
    expect(result.records).toEqual([
      [
        { booleanValue: true },
        { longValue: 1 },
        { longValue: 2 },
        { longValue: 9_007_199_254_740_991 },
        { doubleValue: Math.fround(0.1) },
        { doubleValue: 0.25 },
        { stringValue: '12.50' },
        { stringValue: '2024-05-06 01:38:09.500000' },
        { stringValue: '2024-05-06 07:08:09.000000' },
        { stringValue: '2024-02-29' },
        { stringValue: '{"a": 1}' },
        { stringValue: 'a67a4f68-0036-4c35-a731-95c3020fb35f' },
        { arrayValue: { stringValues: ['x', null] } },
        { arrayValue: { longValues: [1, 2] } },
        { isNull: true },
        { stringValue: databaseName },
      ],
    ]);
    expect(result.columnMetadata?.map((column) => [column.name, column.typeName])).toEqual([
      ['flag', 'bool'],
      ['small', 'int2'],
      ['regular', 'int4'],
      ['big', 'int8'],
      ['single', 'float4'],
      ['double', 'float8'],
      ['amount', 'numeric'],
      ['at', 'timestamptz'],
      ['wall_clock', 'timestamp'],
      ['day', 'date'],
      ['document', 'jsonb'],
      ['id', 'uuid'],
      ['labels', '_text'],
      ['numbers', '_int4'],
      ['nothing', 'text'],
      ['db', 'name'],
    ]);
  });

  it('leaves column metadata out unless asked for it', async () => {
    expect((await execute({ sql: 'SELECT 1 AS one' })).columnMetadata).toBeUndefined();
  });

  it('counts the records a statement changed', async () => {
    const parameters = [
      { name: 'id', value: { stringValue: '00000000-0000-0000-0000-000000000001' }, typeHint: 'UUID' as const },
      { name: 'body', value: { stringValue: 'hello :id' } },
    ];
    const inserted = await execute({ sql: 'INSERT INTO notes (id, body) VALUES (:id, :body)', parameters });
    expect(inserted).toMatchObject({ numberOfRecordsUpdated: 1 });
    expect(await execute({ sql: "UPDATE notes SET at = now() WHERE body LIKE 'hello%'" })).toMatchObject({ numberOfRecordsUpdated: 1 });
    expect(await execute({ sql: 'SELECT body FROM notes' })).toMatchObject({ numberOfRecordsUpdated: 0, records: [[{ stringValue: 'hello :id' }]] });
  });

  it('binds strings as varchar, as Aurora does, so a missing cast fails here too', async () => {
    const parameters = [{ name: 'id', value: { stringValue: '00000000-0000-0000-0000-000000000001' } }];
    await expect(execute({ sql: 'SELECT body FROM notes WHERE id = :id', parameters })).rejects.toThrow(/operator does not exist: uuid = character varying/);
    expect((await execute({ sql: 'SELECT body FROM notes WHERE id = :id::uuid', parameters })).records).toHaveLength(1);
  });

  it('refuses bad requests with typed exceptions', async () => {
    const duplicate = execute({ sql: "INSERT INTO notes (id, body) VALUES (gen_random_uuid(), 'hello :id')" });
    await expect(duplicate).rejects.toBeInstanceOf(BadRequestException);
    await expect(duplicate).rejects.toThrow(/duplicate key value violates unique constraint "notes_body_key"\n {2}Detail: .*; SQLState: 23505$/);
    await expect(execute({ sql: 'SELECT :absent' })).rejects.toMatchObject({ name: 'BadRequestException', message: 'missing SQL parameter :absent' });
    await expect(execute({ sql: 'SELECT 1; SELECT 2' })).rejects.toBeInstanceOf(BadRequestException);
    await expect(execute({ sql: 'SELECT :x', parameters: [{ name: 'x', value: { arrayValue: { longValues: [1] } } }] })).rejects.toBeInstanceOf(
      BadRequestException,
    );
  });

  it('keeps a transaction on one connection until it is committed', async () => {
    const { transactionId } = await client.send(new BeginTransactionCommand({ ...target, database: databaseName }));
    await execute({ sql: "INSERT INTO notes (id, body) VALUES (gen_random_uuid(), 'in transaction')", transactionId });
    const outside = await execute({ sql: "SELECT count(*) FROM notes WHERE body = 'in transaction'" });
    expect(outside.records).toEqual([[{ longValue: 0 }]]);
    expect(await client.send(new CommitTransactionCommand({ ...target, transactionId }))).toMatchObject({ transactionStatus: 'Transaction Committed' });
    const after = await execute({ sql: "SELECT count(*) FROM notes WHERE body = 'in transaction'" });
    expect(after.records).toEqual([[{ longValue: 1 }]]);
  });

  it('discards a rolled back transaction and forgets its id', async () => {
    const { transactionId } = await client.send(new BeginTransactionCommand({ ...target, database: databaseName }));
    await execute({ sql: "INSERT INTO notes (id, body) VALUES (gen_random_uuid(), 'discarded')", transactionId });
    expect(await client.send(new RollbackTransactionCommand({ ...target, transactionId }))).toMatchObject({ transactionStatus: 'Rollback Complete' });
    expect((await execute({ sql: "SELECT count(*) FROM notes WHERE body = 'discarded'" })).records).toEqual([[{ longValue: 0 }]]);
    await expect(execute({ sql: 'SELECT 1', transactionId })).rejects.toBeInstanceOf(TransactionNotFoundException);
    await expect(client.send(new CommitTransactionCommand({ ...target, transactionId }))).rejects.toBeInstanceOf(TransactionNotFoundException);
  });

  it('answers unknown operations with 404', async () => {
    const response = await fetch(`${endpoint.url}/ExecuteSql`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('NotFoundException');
  });
});
