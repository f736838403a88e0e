import type { Db } from '../data/db.ts';
import { logger } from '../shared/logger.ts';
import { relayOutbox, type SqsQueue } from './sqs.ts';
import { onJobsReady, withJobWakeups } from './wakeups.ts';

export interface RelayAfterCommit {
  /** The database to build the handlers on: its transactions announce the jobs they enqueued once committed. */
  readonly db: Db;
  /**
   * `handler`, followed by a relay to SQS whenever jobs were committed during the invocation, so they run at
   * once. Lambda freezes the process when the handler returns, so the relay runs before that. A failed relay
   * is logged and never fails the invocation: the change committed, and the scheduled relay sends its jobs.
   */
  relaying<Args extends unknown[], Result>(handler: (...args: Args) => Promise<Result>): (...args: Args) => Promise<Result>;
}

/** The relay of a Lambda that enqueues jobs (webhooks, the processor, GraphQL): build once per cold start. */
export function relayAfterCommit(db: Db, queue: SqsQueue): RelayAfterCommit {
  let committedJobs = false;
  onJobsReady(() => {
    committedJobs = true;
  });

  async function relayCommittedJobs(): Promise<void> {
    if (!committedJobs) return;
    committedJobs = false;
    try {
      const { failed } = await relayOutbox(db, queue);
      if (failed > 0) logger.warn('jobs not taken by SQS; the scheduled relay retries them', { failed });
    } catch (error) {
      logger.error('jobs not relayed; the scheduled relay sends them', { error: error as Error });
    }
  }

  return {
    db: withJobWakeups(db),
    relaying: (handler) => async (...args) => {
      try {
        return await handler(...args);
      } finally {
        await relayCommittedJobs();
      }
    },
  };
}
