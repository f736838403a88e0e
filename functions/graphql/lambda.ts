import { Metrics } from '@aws-lambda-powertools/metrics';
import { openDataApiDb } from '../data/drivers/dataApi.ts';
import { AppSyncPublisher } from '../live/appsyncPublisher.ts';
import { config, ConfigError } from '../shared/config.ts';
import { withClientErrorMetric } from './errorMetrics.ts';
import { createGraphqlHandler } from './handler.ts';

/**
 * The GraphQL Lambda on AWS, built once per cold start. The database is always the Data API here (migrations
 * ran at deploy, functions/migrate), so this opens its driver directly rather than through openDb, whose
 * PGlite and node-postgres drivers would add 0.6 MB to the bundle.
 */
const { dataApi, appsyncGraphqlUrl, awsRegion } = config();
if (dataApi === undefined) throw new ConfigError('DATA_API_RESOURCE_ARN, DATA_API_SECRET_ARN: required on AWS (the stack sets them)');
if (appsyncGraphqlUrl === undefined) throw new ConfigError('APPSYNC_GRAPHQL_URL: required on AWS (the stack sets it)');

export const handler = withClientErrorMetric(
  createGraphqlHandler({ db: openDataApiDb(dataApi), publisher: new AppSyncPublisher({ url: appsyncGraphqlUrl, region: awsRegion }) }),
  new Metrics(),
);
