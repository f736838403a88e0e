import { config } from '../shared/config.ts';
import { jobsQueue, lambdaDb } from '../shared/lambdaRuntime.ts';
import { relayOutbox, type RelayResult } from './sqs.ts';

/**
 * The scheduled relay on AWS (every minute): sends to SQS whatever due jobs are still in the outbox — jobs
 * whose Lambda died between its commit and its own relay, jobs whose runAt has come, dead letters an admin
 * retried. Concurrent relays never send a committed batch twice (relayOutbox claims with SKIP LOCKED).
 */
const db = lambdaDb(config());
const queue = jobsQueue(config());

export const handler = (): Promise<RelayResult> => relayOutbox(db, queue);
