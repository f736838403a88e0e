import { Metrics } from '@aws-lambda-powertools/metrics';
import { openRecruiterDirectory } from '../directory/open.ts';
import { relayAfterCommit } from '../jobs/relayAfterCommit.ts';
import {
  jobsQueue,
  lambdaBlobStore,
  lambdaDb,
  lambdaFormLinks,
  lambdaPublisher,
  presignedMediaUrl,
  required,
  withSecrets,
} from '../shared/lambdaRuntime.ts';
import { withClientErrorMetric } from './errorMetrics.ts';
import { createGraphqlHandler } from './handler.ts';

/**
 * The GraphQL Lambda on AWS, built once per cold start: the Data API (migrations ran at deploy,
 * functions/migrate), the AppSync publisher, media as presigned S3 URLs, the form link secret from Secrets
 * Manager (to sign the links recruiters send), the Cognito user pool admins create recruiters in. Jobs a
 * mutation enqueued (a recruiter's message to send, a retried dead letter) are relayed to SQS as soon as it
 * committed.
 */
const config = await withSecrets(process.env);
const relay = relayAfterCommit(lambdaDb(config), jobsQueue(config));
const blobStore = lambdaBlobStore(config);

export const handler = relay.relaying(
  withClientErrorMetric(
    createGraphqlHandler({
      db: relay.db,
      publisher: lambdaPublisher(config),
      mediaUrl: presignedMediaUrl(config, blobStore),
      formLinks: lambdaFormLinks(config),
      blobs: async () => blobStore,
      // Only here: the webhook and processor Lambdas never touch accounts, nor load the Cognito client.
      directory: openRecruiterDirectory({ ...config, userPoolId: required(config.userPoolId, 'USER_POOL_ID') }),
    }),
    new Metrics(),
  ),
);
