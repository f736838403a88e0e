import { Metrics } from '@aws-lambda-powertools/metrics';
import { relayAfterCommit } from '../jobs/relayAfterCommit.ts';
import { config } from '../shared/config.ts';
import { jobsQueue, lambdaBlobStore, lambdaDb, lambdaPublisher, presignedMediaUrl } from '../shared/lambdaRuntime.ts';
import { withClientErrorMetric } from './errorMetrics.ts';
import { createGraphqlHandler } from './handler.ts';

/**
 * The GraphQL Lambda on AWS, built once per cold start: the Data API (migrations ran at deploy,
 * functions/migrate), the AppSync publisher, media as presigned S3 URLs. Jobs a mutation enqueued (a
 * recruiter's message to send, a retried dead letter) are relayed to SQS as soon as it committed.
 */
const relay = relayAfterCommit(lambdaDb(config()), jobsQueue(config()));
const blobStore = lambdaBlobStore(config());

export const handler = relay.relaying(
  withClientErrorMetric(
    createGraphqlHandler({
      db: relay.db,
      publisher: lambdaPublisher(config()),
      mediaUrl: presignedMediaUrl(config(), blobStore),
      blobs: async () => blobStore,
    }),
    new Metrics(),
  ),
);
