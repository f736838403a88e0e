import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { z } from 'zod';
import type { Db } from '../data/db.ts';
import { logger } from '../shared/logger.ts';
import { describeFailure } from './failure.ts';
import { runJob, type JobHandlers } from './queue.ts';

/**
 * The queue on AWS: the jobs table is the transactional outbox and SQS does the delivery. `relayOutbox` moves
 * due jobs to SQS after their transaction committed; an SQS-triggered Lambda built with `createSqsJobHandler`
 * runs them, and SQS's visibility timeout, maxReceiveCount and dead-letter queue take over retries.
 * Delivery is at least once (a relay that dies between sending and marking resends; SQS itself duplicates),
 * which the jobs' idempotency makes harmless. The only module of the queue that talks to AWS.
 */
export interface SqsQueue {
  readonly client: SQSClient;
  readonly queueUrl: string;
}

/** SQS's SendMessageBatch limit. */
const BATCH_SIZE = 10;

/** The message a job travels as. */
const jobMessageSchema = z.object({ id: z.guid(), type: z.string().min(1), payload: z.unknown() });

/**
 * JSON text as an SQS body. JSON.stringify leaves U+FFFE and U+FFFF unescaped, and SQS refuses bodies holding
 * them; escaped they decode to the same value.
 */
function toMessageBody(message: z.infer<typeof jobMessageSchema>): string {
  return JSON.stringify(message).replace(/[\uFFFE\uFFFF]/g, (char) => `\\u${char.charCodeAt(0).toString(16)}`);
}

export interface RelayResult {
  /** Jobs handed to SQS and marked sent. */
  readonly sent: number;
  /** Jobs SQS did not take this time; they stay pending for the next relay. */
  readonly failed: number;
}

/**
 * Sends every due pending job to SQS (SendMessageBatch, ten at a time) and marks it sent. Each batch is claimed
 * with FOR UPDATE SKIP LOCKED in its own transaction, so relays may run concurrently and repeatedly (after each
 * commit and on a schedule) without sending a committed batch twice. A batch whose send fails is rolled back
 * and left for the next relay; the error is thrown. Jobs with a future runAt wait in the table until due.
 */
export async function relayOutbox(db: Db, queue: SqsQueue): Promise<RelayResult> {
  let sent = 0;
  let failed = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const jobs = await tx.query<{ id: string; type: string; payload: unknown }>(
        `SELECT id, type, payload FROM jobs
          WHERE status = 'pending' AND run_at <= now()
          ORDER BY run_at, seq
          LIMIT :limit::int
          FOR UPDATE SKIP LOCKED`,
        { limit: BATCH_SIZE },
      );
      if (jobs.length === 0) return { claimed: 0, sent: 0, failed: 0 };
      const result = await queue.client.send(
        new SendMessageBatchCommand({ QueueUrl: queue.queueUrl, Entries: jobs.map((job) => ({ Id: job.id, MessageBody: toMessageBody(job) })) }),
      );
      const sentIds = (result.Successful ?? []).map((entry) => entry.Id);
      if (sentIds.length > 0) {
        await tx.query(
          `UPDATE jobs SET status = 'sent', finished_at = now()
            WHERE id IN (SELECT value::uuid FROM jsonb_array_elements_text(:ids::jsonb))`,
          { ids: sentIds },
        );
      }
      for (const entry of result.Failed ?? []) {
        logger.warn('job not taken by SQS; left for the next relay', { jobId: entry.Id, code: entry.Code, senderFault: entry.SenderFault });
      }
      return { claimed: jobs.length, sent: sentIds.length, failed: jobs.length - sentIds.length };
    });
    sent += batch.sent;
    failed += batch.failed;
    // A short batch means nothing more is due; a refused entry would only be refused again right away.
    if (batch.claimed < BATCH_SIZE || batch.failed > 0) return { sent, failed };
  }
}

/** Time kept back from the Lambda's deadline so a job stopping on its signal can still report back. */
const DEADLINE_MARGIN_MS = 2_000;

/**
 * The SQS-triggered Lambda: runs each record's job (records of a batch in parallel) and reports partial batch
 * failures, so only the failed records return to the queue (the event source mapping needs
 * `ReportBatchItemFailures`). A record whose body is not a job message fails too: it reaches the dead-letter
 * queue intact for inspection. Retries and dead-lettering are SQS's: a PermanentJobError fails like any other
 * error here.
 */
export function createSqsJobHandler(
  handlers: JobHandlers,
): (event: SQSEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>) => Promise<SQSBatchResponse> {
  return async (event, context) => {
    const signal =
      context === undefined ? new AbortController().signal : AbortSignal.timeout(Math.max(0, context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS));
    const failures = await Promise.all(
      event.Records.map(async (record): Promise<SQSBatchItemFailure | undefined> => {
        let job: { id: string; type: string } | undefined;
        try {
          const message = jobMessageSchema.parse(JSON.parse(record.body));
          job = message;
          const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
          await runJob(handlers, { id: message.id, type: message.type, payload: message.payload, attempt, signal });
          return undefined;
        } catch (error) {
          logger.warn('job attempt failed; SQS will redeliver it', { messageId: record.messageId, jobId: job?.id, type: job?.type, error: describeFailure(error) });
          return { itemIdentifier: record.messageId };
        }
      }),
    );
    return { batchItemFailures: failures.filter((failure) => failure !== undefined) };
  };
}
