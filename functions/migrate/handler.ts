import type { CdkCustomResourceEvent, CdkCustomResourceResponse } from 'aws-lambda';
import type { Db } from '../data/db.ts';
import { openDataApiDb } from '../data/drivers/dataApi.ts';
import { migrate } from '../data/migrate.ts';
import { config, ConfigError } from '../shared/config.ts';
import { logger } from '../shared/logger.ts';

/** One physical resource for the stack's life: a new id would make CloudFormation "delete" the old one. */
export const MIGRATIONS_RESOURCE_ID = 'wasaprecruit-migrations';

/**
 * The custom resource behind every deploy: Create and Update apply the pending migrations (shipped next to
 * the bundle) through the Data API. Migrations only move forward, so Delete leaves the database alone.
 */
export function createMigrationsHandler(open: () => Promise<Db>) {
  return async (event: CdkCustomResourceEvent): Promise<CdkCustomResourceResponse<{ applied: string }>> => {
    if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
    const db = await open();
    try {
      const applied = await migrate(db);
      logger.info('migrations applied', { requestType: event.RequestType, applied });
      return { PhysicalResourceId: MIGRATIONS_RESOURCE_ID, Data: { applied: applied.join(',') } };
    } finally {
      await db.close();
    }
  };
}

/** Straight to the Data API driver, like functions/graphql/lambda.ts: openDb would bundle PGlite and node-postgres too. */
export const handler = createMigrationsHandler(async () => {
  const { dataApi } = config();
  if (dataApi === undefined) throw new ConfigError('DATA_API_RESOURCE_ARN, DATA_API_SECRET_ARN: required on AWS (the stack sets them)');
  return openDataApiDb(dataApi);
});
