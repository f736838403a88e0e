import { randomUUID } from 'node:crypto';
import type { CdkCustomResourceResponse } from 'aws-lambda';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDataApiEndpoint, type DataApiEndpoint } from '../../infra/local/dataApi/server.ts';
import type { Db } from '../data/db.ts';
import { openPostgresDb } from '../data/drivers/postgres.ts';
import { publishDocuments } from '../live/publisher.ts';
import { appSyncAnswer, startFakeAppSync, verifySigV4, type FakeAppSync } from '../live/testing/fakeAppSync.ts';
import { cognitoIdentity, resolverEvent } from './testing/events.ts';
import { insertAspirant, insertRecruiter } from './testing/fixtures.ts';

/**
 * The AWS entries as Lambda runs them: configured only by the environment the stack gives them (plus the
 * credentials Lambda injects), talking to AWS over the wire. The Data API is the local stand-in over a fresh
 * PostgreSQL database; AppSync is a local endpoint that checks SigV4 signatures.
 */
const serverUrl = process.env.TEST_DATABASE_URL;
const credentials = { AWS_ACCESS_KEY_ID: 'ASIAEXAMPLELAMBDA', AWS_SECRET_ACCESS_KEY: 'lambda-role-secret', AWS_SESSION_TOKEN: 'lambda-role-session' };

describe.skipIf(serverUrl === undefined)('the AWS Lambda entries', () => {
  const databaseName = `wasaprecruit_lambda_${randomUUID().replaceAll('-', '')}`;
  const savedEnv = { ...process.env };
  let admin: pg.Client;
  let dataApi: DataApiEndpoint;
  let appsync: FakeAppSync;
  let fixtures: Db;
  let adminId: string;
  let migrationResponse: CdkCustomResourceResponse;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${databaseName}`);
    const databaseUrl = new URL(serverUrl!);
    databaseUrl.pathname = `/${databaseName}`;
    dataApi = await startDataApiEndpoint({ connectionString: databaseUrl.toString() });
    appsync = await startFakeAppSync({ secretAccessKey: credentials.AWS_SECRET_ACCESS_KEY, answer: appSyncAnswer({}) });
    fixtures = await openPostgresDb(databaseUrl.toString());
    Object.assign(process.env, credentials, {
      NODE_ENV: 'production',
      SEED_DEMO: 'false',
      AWS_REGION: 'ap-south-1',
      POWERTOOLS_SERVICE_NAME: 'graphql',
      POWERTOOLS_METRICS_NAMESPACE: 'WasaPrecruit',
      DATA_API_RESOURCE_ARN: 'arn:aws:rds:ap-south-1:123456789012:cluster:wasaprecruit',
      DATA_API_SECRET_ARN: 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:wasaprecruit-db',
      DATA_API_DATABASE: databaseName,
      DATA_API_ENDPOINT: dataApi.url,
      APPSYNC_GRAPHQL_URL: appsync.url,
      S3_BUCKET: 'wasaprecruit-files',
      USER_POOL_ID: 'ap-south-1_Recruiters',
      // These mutations enqueue no job, so nothing is relayed to the queue.
      JOBS_QUEUE_URL: 'http://127.0.0.1:9/000000000000/jobs',
    });

    const { handler: migrateHandler } = await import('../migrate/handler.ts');
    migrationResponse = await migrateHandler({
      RequestType: 'Create',
      ServiceToken: 'arn:aws:lambda:ap-south-1:123456789012:function:provider',
      ResponseURL: 'https://cloudformation-custom-resource-response.example/response',
      StackId: 'arn:aws:cloudformation:ap-south-1:123456789012:stack/WasaPrecruit-production/1',
      RequestId: 'request-1',
      LogicalResourceId: 'Migrations',
      ResourceType: 'Custom::Migrations',
      ResourceProperties: { ServiceToken: 'arn:aws:lambda:ap-south-1:123456789012:function:provider' },
    });
    adminId = await insertRecruiter(fixtures, { name: 'Ana Admin', role: 'admin' });
  });

  afterAll(async () => {
    process.env = savedEnv;
    await fixtures?.close();
    await appsync?.close();
    await dataApi?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.end();
  });

  it('migrates the database through the Data API, as the deploy custom resource does', () => {
    expect(migrationResponse.Data?.applied).toContain('0001_foundation');
  });

  it("resolves a recruiter's query through the Data API", async () => {
    const { handler } = await import('./lambda.ts');

    const me = await handler(resolverEvent('Query.me', { identity: cognitoIdentity({ id: adminId, groups: ['admin'] }), selection: 'id name role' }));

    expect(me).toMatchObject({ id: adminId, name: 'Ana Admin', role: 'ADMIN' });
  });

  it("publishes the mutation's live events to AppSync, signed with the function's credentials", async () => {
    const { handler } = await import('./lambda.ts');
    const aspirantId = await insertAspirant(fixtures);

    await handler(
      resolverEvent('Mutation.addAspirantNote', {
        identity: cognitoIdentity({ id: adminId, groups: ['admin'] }),
        arguments: { aspirantId, body: 'Strong portfolio, call back Monday' },
        selection: 'id',
      }),
    );

    const published = appsync.received.map((request) => ({
      signature: verifySigV4(request, credentials.AWS_SECRET_ACCESS_KEY),
      body: JSON.parse(request.body) as { query: string; variables: { event: string } },
    }));
    const aspirantEvent = published.find(({ body }) => body.query === publishDocuments.aspirant);
    expect(aspirantEvent?.signature).toMatchObject({ accessKeyId: credentials.AWS_ACCESS_KEY_ID, service: 'appsync', region: 'ap-south-1' });
    expect(JSON.parse(aspirantEvent!.body.variables.event)).toMatchObject({
      aspirantId,
      aspirant: { notes: [expect.objectContaining({ body: 'Strong portfolio, call back Monday' })] },
    });
  });

  it('answers a bad request with its error type and counts it as a client error metric', async () => {
    const { handler } = await import('./lambda.ts');
    const written: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });

    try {
      await expect(
        handler(resolverEvent('Query.aspirant', { identity: cognitoIdentity({ id: adminId, groups: ['admin'] }), arguments: { id: 'not-an-id' }, selection: 'id' })),
      ).rejects.toMatchObject({ name: 'BadRequest' });
    } finally {
      stdout.mockRestore();
    }

    const emf = written.flatMap((line) => line.split('\n')).filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(emf).toEqual([
      expect.objectContaining({
        ClientErrors: 1,
        service: 'graphql',
        _aws: expect.objectContaining({
          CloudWatchMetrics: [{ Namespace: 'WasaPrecruit', Dimensions: [['service']], Metrics: [{ Name: 'ClientErrors', Unit: 'Count' }] }],
        }),
      }),
    ]);
  });
});
