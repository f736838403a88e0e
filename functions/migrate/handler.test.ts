import type { CdkCustomResourceEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../data/db.ts';
import { openPGliteDb } from '../data/drivers/pglite.ts';
import { readMigrations } from '../data/migrate.ts';
import { createMigrationsHandler, MIGRATIONS_RESOURCE_ID } from './handler.ts';

const common = {
  ServiceToken: 'arn:aws:lambda:ap-south-1:123456789012:function:provider',
  ResponseURL: 'https://cloudformation-custom-resource-response.example/response',
  StackId: 'arn:aws:cloudformation:ap-south-1:123456789012:stack/WasaPrecruit/1',
  RequestId: 'request-1',
  LogicalResourceId: 'Migrations',
  ResourceType: 'Custom::Migrations',
  ResourceProperties: { ServiceToken: 'arn:aws:lambda:ap-south-1:123456789012:function:provider', migrationsHash: 'abc' },
};
const createEvent = (): CdkCustomResourceEvent => ({ ...common, RequestType: 'Create' });
const updateEvent = (): CdkCustomResourceEvent => ({
  ...common,
  RequestType: 'Update',
  PhysicalResourceId: MIGRATIONS_RESOURCE_ID,
  OldResourceProperties: { ServiceToken: common.ServiceToken, migrationsHash: 'older' },
});
const deleteEvent = (): CdkCustomResourceEvent => ({ ...common, RequestType: 'Delete', PhysicalResourceId: MIGRATIONS_RESOURCE_ID });

/** One in-memory database for the file; the handler's close is counted instead of closing it. */
let database: Db;
let opened = 0;
let closed = 0;
const open = async (): Promise<Db> => {
  opened += 1;
  return {
    driver: database.driver,
    query: (sql, params) => database.query(sql, params),
    transaction: (work) => database.transaction(work),
    close: async () => {
      closed += 1;
    },
  };
};
const handler = createMigrationsHandler(open);

beforeAll(async () => {
  database = await openPGliteDb();
});

afterAll(async () => {
  await database.close();
});

describe('migrations custom resource', () => {
  it('applies every migration on Create, reports them, and closes the database', async () => {
    const versions = (await readMigrations()).map((migration) => migration.version);

    const response = await handler(createEvent());

    expect(response).toEqual({ PhysicalResourceId: MIGRATIONS_RESOURCE_ID, Data: { applied: versions.join(',') } });
    const tables = await database.query<{ tableName: string }>("SELECT table_name FROM information_schema.tables WHERE table_name = 'recruiters'");
    expect(tables).toEqual([{ tableName: 'recruiters' }]);
    expect(closed).toBe(opened);
  });

  it('applies nothing on an Update when no migration is new, keeping the physical id', async () => {
    const response = await handler(updateEvent());

    expect(response).toEqual({ PhysicalResourceId: MIGRATIONS_RESOURCE_ID, Data: { applied: '' } });
  });

  it('leaves the database alone on Delete', async () => {
    const before = opened;

    const response = await handler(deleteEvent());

    expect(response).toEqual({ PhysicalResourceId: MIGRATIONS_RESOURCE_ID });
    expect(opened).toBe(before);
    expect(await database.query("SELECT to_regclass('recruiters') IS NOT NULL AS present")).toEqual([{ present: true }]);
  });

  it('fails the deploy when a migration fails, still closing the database', async () => {
    await database.query('DELETE FROM schema_migrations');
    const closedBefore = closed;

    await expect(handler(updateEvent())).rejects.toThrow(/recruiters/);
    expect(closed).toBe(closedBefore + 1);
  });
});
