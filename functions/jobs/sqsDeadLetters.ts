import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import type { Db } from '../data/db.ts';
import { logger } from '../shared/logger.ts';

/**
 * Dead letters on AWS. SQS retries a job message itself and, after SQS_MAX_RECEIVE_COUNT failed deliveries,
 * moves it to the dead-letter queue; this consumer of that queue records each one in the jobs table as a
 * `dead` row, where the admin's `deadLetters` query lists it and `retryDeadLetter` puts it back in the outbox
 * (the relay sends it to SQS again). The failures themselves are in the processor's log (one line per attempt
 * with the job id); SQS keeps no reason, so the row says where to look.
 */

/** Deliveries of one job message before SQS dead-letters it: the job queue's maxReceiveCount (infra/aws). */
export const SQS_MAX_RECEIVE_COUNT = 5;

/** The part of a job message (functions/jobs/sqs.ts) a dead letter keeps. */
const deadJobSchema = z.object({ id: z.guid(), type: z.string(), payload: z.unknown() });
/** What an unreadable message keeps of its body: enough to recognise it. */
const UNREADABLE_BODY_CHARS = 4_000;
/** Stands for a message that was no job message (jobs.type admits lower-case words only). */
const UNREADABLE_TYPE = 'sqs.unreadable';

interface DeadLetterRow {
  readonly id: string;
  readonly type: string;
  readonly payload: unknown;
  readonly lastError: string;
}

function readJobMessage(body: string): z.infer<typeof deadJobSchema> | undefined {
  try {
    const parsed = deadJobSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function deadLetterOf(record: SQSRecord): DeadLetterRow {
  const job = readJobMessage(record.body);
  if (job !== undefined) {
    return {
      id: job.id,
      type: job.type,
      payload: job.payload ?? null,
      lastError: `failed ${SQS_MAX_RECEIVE_COUNT} deliveries from SQS; the processor's log has each attempt's error (jobId ${job.id})`,
    };
  }
  // SQS message ids are UUIDs, so a redelivery of the same dead letter lands on the same row.
  return {
    id: record.messageId,
    type: UNREADABLE_TYPE,
    payload: { sqsMessageId: record.messageId, body: record.body.slice(0, UNREADABLE_BODY_CHARS) },
    lastError: 'not a job message: the processor could not read it',
  };
}

/**
 * The dead-letter queue's Lambda: one `dead` row per record. A row that is `sent` (handed to SQS) becomes dead
 * with its payload as stored; a job unknown to the table (an unreadable message) gets a new dead row; a row
 * that is dead already, or was retried and is pending again, is left alone, so a duplicate delivery changes
 * nothing. A record whose row could not be written returns to the dead-letter queue (partial batch failure).
 */
export function createSqsDeadLetterHandler(db: Db): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    const failures: SQSBatchItemFailure[] = [];
    for (const record of event.Records) {
      const dead = deadLetterOf(record);
      try {
        await db.query(
          `INSERT INTO jobs (id, type, payload, status, attempts, last_error, finished_at)
           VALUES (:id::uuid, :type, :payload::jsonb, 'dead', :attempts::int, :lastError, now())
           ON CONFLICT (id) DO UPDATE
             SET status = 'dead', attempts = greatest(jobs.attempts, excluded.attempts), last_error = excluded.last_error, finished_at = now()
             WHERE jobs.status = 'sent'`,
          { ...dead, payload: JSON.stringify(dead.payload), attempts: SQS_MAX_RECEIVE_COUNT },
        );
        logger.error('job dead-lettered by SQS', { jobId: dead.id, type: dead.type, messageId: record.messageId });
      } catch (error) {
        logger.error('dead letter not recorded; it stays in the dead-letter queue', { jobId: dead.id, messageId: record.messageId, error: error as Error });
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  };
}
