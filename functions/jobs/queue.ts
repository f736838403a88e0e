import { z } from 'zod';
import type { Queryable } from '../data/db.ts';
import { announceJobsAfterCommit } from './wakeups.ts';

/**
 * The job queue's one interface. A job is work that follows a committed change (fetch an attachment, send a
 * message, ...). It is enqueued with `enqueue(tx, jobs)` inside the transaction that makes the change — the
 * transactional outbox: the change and its jobs commit together or not at all, so a crash after commit loses
 * nothing and a rollback leaves no job behind. Handlers are registered by job type (`jobHandlers`) and run by
 * the PostgreSQL worker locally (worker.ts) or by the SQS Lambda handler on AWS (sqs.ts).
 *
 * Every job is idempotent by contract. A job may run more than once: after a worker crashes or outlives its
 * lease mid-job, when SQS delivers a message twice (it is at-least-once), when an admin retries a dead
 * letter, or after a failed attempt that got partway. Handlers must therefore make each effect conditional on
 * the state it changes (`UPDATE ... WHERE status = 'pending'`, inserts keyed by a natural unique key with
 * `ON CONFLICT DO NOTHING`, provider calls carrying an idempotency key) instead of assuming a first run.
 *
 * Payloads hold references (ids), never secrets or message text: they are stored, sent through SQS and shown
 * to admins in dead letters.
 */
export interface Job<Payload = unknown> {
  /** Lower-case words joined by `.`, `_` or `-`, e.g. `media.fetch`; at most 100 characters. */
  readonly type: string;
  /** Any JSON value. */
  readonly payload: Payload;
  /** Enqueueing a job whose dedupeKey was enqueued before, in any state (done and dead included), does nothing. */
  readonly dedupeKey?: string | undefined;
  /** Not before this time; default now. */
  readonly runAt?: Date | undefined;
}

/** What a handler knows about the run it is in. */
export interface JobContext {
  readonly jobId: string;
  readonly type: string;
  /** 1 on the first run; counts every run, including ones a crash cut short. */
  readonly attempt: number;
  /** Aborted shortly before the run's time is up (the worker's lease, the Lambda's deadline): stop, and fail to retry. */
  readonly signal: AbortSignal;
  /**
   * Runs jobs this run has enqueued and committed (ids from `enqueue`) at once, one after another, instead of
   * leaving them to the next claim: what the aspirant waits for (the bot's reply) should not queue behind other
   * work. Each is claimed first under a lease of its own, exactly as a worker claims it, so a job some worker
   * claimed meanwhile is left to that worker, and a crash leaves the job to be claimed again once the lease
   * ends. Outcomes (retries, dead letters) are recorded as for any run. Resolves with the ids it ran.
   * Undefined where the runner cannot (on AWS the relay hands the jobs to SQS after the invocation).
   */
  readonly runCommittedJobs?: ((ids: readonly string[]) => Promise<string[]>) | undefined;
}

/** A job type with its payload's schema: builds typed jobs and validates stored payloads before a handler runs. */
export interface JobKind<Payload> {
  readonly type: string;
  readonly payload: z.ZodType<Payload>;
  /** A job of this kind for `enqueue`; throws InvalidJobError when the payload does not match the schema. */
  of(payload: Payload, options?: { readonly dedupeKey?: string; readonly runAt?: Date }): Job<Payload>;
}

/** A failure that retrying cannot fix (e.g. an invalid payload): the PostgreSQL queue dead-letters the job at once. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

/** A job refused by `enqueue` or `JobKind.of` before anything was written. */
export class InvalidJobError extends Error {
  override name = 'InvalidJobError';
}

const JOB_TYPE = /^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$/;
const MAX_TYPE_LENGTH = 100;
const MAX_DEDUPE_KEY_LENGTH = 500;
/** Payloads are references, so this is generous; it keeps a batch of ten far below SQS's message size limit. */
export const MAX_PAYLOAD_BYTES = 16 * 1024;

function zodProblems(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || 'payload'}: ${issue.message}`).join('; ');
}

function assertJobType(type: string): void {
  if (type.length > MAX_TYPE_LENGTH || !JOB_TYPE.test(type)) {
    throw new InvalidJobError(`job type ${JSON.stringify(type)}: must be lower-case words joined by ".", "_" or "-", at most ${MAX_TYPE_LENGTH} characters`);
  }
}

export function defineJob<Payload>(type: string, payload: z.ZodType<Payload>): JobKind<Payload> {
  assertJobType(type);
  return {
    type,
    payload,
    of(value, options = {}) {
      const parsed = payload.safeParse(value);
      if (!parsed.success) throw new InvalidJobError(`${type} payload refused: ${zodProblems(parsed.error)}`);
      return { type, payload: parsed.data, dedupeKey: options.dedupeKey, runAt: options.runAt };
    },
  };
}

/** A handler bound to its job type. Build with `handle`. */
export interface JobHandler {
  readonly type: string;
  /** Validates the stored payload, then runs the handler. */
  run(payload: unknown, context: JobContext): Promise<void>;
}

export function handle<Payload>(kind: JobKind<Payload>, run: (payload: Payload, context: JobContext) => Promise<void>): JobHandler {
  return {
    type: kind.type,
    async run(payload, context) {
      const parsed = kind.payload.safeParse(payload);
      if (!parsed.success) throw new PermanentJobError(`${kind.type} payload refused: ${zodProblems(parsed.error)}`);
      await run(parsed.data, context);
    },
  };
}

/** The handlers a worker or Lambda runs, by job type. */
export type JobHandlers = ReadonlyMap<string, JobHandler>;

export function jobHandlers(...handlers: readonly JobHandler[]): JobHandlers {
  const byType = new Map<string, JobHandler>();
  for (const handler of handlers) {
    if (byType.has(handler.type)) throw new InvalidJobError(`two handlers for job type ${handler.type}`);
    byType.set(handler.type, handler);
  }
  return byType;
}

/** One run of a stored job, by whichever runner took it. */
export interface JobRun {
  readonly id: string;
  readonly type: string;
  readonly payload: unknown;
  readonly attempt: number;
  readonly signal: AbortSignal;
  readonly runCommittedJobs?: JobContext['runCommittedJobs'];
}

/**
 * Runs the job's handler. A type without a handler fails like any other error (retried, then dead-lettered):
 * during a deploy a newer process may have enqueued a type this one does not know yet.
 */
export async function runJob(handlers: JobHandlers, run: JobRun): Promise<void> {
  const handler = handlers.get(run.type);
  if (handler === undefined) throw new Error(`no handler for job type ${run.type}`);
  await handler.run(run.payload, { jobId: run.id, type: run.type, attempt: run.attempt, signal: run.signal, runCommittedJobs: run.runCommittedJobs });
}

function validatedForStorage(job: Job, index: number): { type: string; payload: unknown; dedupeKey: string | null; runAt: string | null } {
  const where = `jobs[${index}]`;
  assertJobType(job.type);
  if (job.dedupeKey !== undefined && (typeof job.dedupeKey !== 'string' || job.dedupeKey.length < 1 || job.dedupeKey.length > MAX_DEDUPE_KEY_LENGTH)) {
    throw new InvalidJobError(`${where}.dedupeKey: must be a string of 1 to ${MAX_DEDUPE_KEY_LENGTH} characters`);
  }
  if (job.runAt !== undefined && !(job.runAt instanceof Date && Number.isFinite(job.runAt.getTime()))) {
    throw new InvalidJobError(`${where}.runAt: must be a valid Date`);
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(job.payload);
  } catch {
    json = undefined;
  }
  if (json === undefined) throw new InvalidJobError(`${where}.payload: must be a JSON value`);
  if (Buffer.byteLength(json, 'utf8') > MAX_PAYLOAD_BYTES) {
    throw new InvalidJobError(`${where}.payload: larger than ${MAX_PAYLOAD_BYTES} bytes as JSON; payloads carry ids, not content`);
  }
  return { type: job.type, payload: job.payload, dedupeKey: job.dedupeKey ?? null, runAt: job.runAt?.toISOString() ?? null };
}

/**
 * Writes `jobs` in the caller's transaction (`tx`) and returns the ids of the jobs it added, in order; a job
 * whose dedupeKey is already taken is skipped. Invalid jobs are refused with InvalidJobError before anything
 * is written. Workers in this process are woken when the transaction commits (see wakeups.ts).
 */
export async function enqueue(tx: Queryable, jobs: Job | readonly Job[]): Promise<string[]> {
  const batch = (Array.isArray(jobs) ? (jobs as readonly Job[]) : [jobs as Job]).map(validatedForStorage);
  if (batch.length === 0) return [];
  // One statement for the whole batch; the list travels as JSON because the Data API cannot bind arrays.
  const rows = await tx.query<{ id: string }>(
    `WITH added AS (
       INSERT INTO jobs (type, payload, dedupe_key, run_at)
       SELECT job->>'type', job->'payload', job->>'dedupeKey', coalesce((job->>'runAt')::timestamptz, now())
         FROM jsonb_array_elements(:batch::jsonb) WITH ORDINALITY AS batch (job, position)
        ORDER BY position
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id, seq)
     SELECT id FROM added ORDER BY seq`,
    { batch },
  );
  if (rows.length > 0) announceJobsAfterCommit(tx);
  return rows.map((row) => row.id);
}
