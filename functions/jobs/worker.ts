import type { Db } from '../data/db.ts';
import { logger } from '../shared/logger.ts';
import { describeFailure } from './failure.ts';
import { PermanentJobError, runJob, type JobHandlers } from './queue.ts';
import { retryDelayMs, retryPolicy, type RetryPolicy } from './retry.ts';
import { onJobsReady } from './wakeups.ts';

/**
 * The local runner of the PostgreSQL queue. Workers claim due jobs in batches with FOR UPDATE SKIP LOCKED, so
 * any number of workers in any number of processes never claim the same job twice at once. A claim is a lease
 * (`lease_id`, `locked_until`): when a worker dies mid-job, the job is claimed again once the lease ends.
 * A failed attempt is retried after an exponential backoff with full jitter; the last allowed failure, or a
 * PermanentJobError, makes the job a dead letter (deadLetters.ts). Outcomes are recorded only under the
 * claim's lease, so a worker that outlived its lease cannot overwrite the newer run's outcome.
 */
export interface WorkerOptions {
  readonly db: Db;
  readonly handlers: JobHandlers;
  /** Jobs this worker runs at once (default 4). */
  readonly concurrency?: number;
  /** How long to sleep when there is nothing to do, unless woken by a job enqueued in this process (default 1000 ms). */
  readonly pollMs?: number;
  /**
   * How long a claim holds (default 5 minutes). A run's `signal` aborts shortly before (a tenth of the lease, at
   * most 5 s); a job still running when the lease ends may be claimed and run again by another worker.
   */
  readonly leaseMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** The clock for due times, leases and backoff (default the system clock); tests pass one they control. */
  readonly now?: () => Date;
  /** Jitter source in [0, 1) (default Math.random). */
  readonly random?: () => number;
}

export interface Worker {
  /** Stops claiming, lets the jobs in flight finish and records their outcomes; resolves when all is done. */
  stop(): Promise<void>;
}

interface ClaimedJob {
  readonly id: string;
  readonly type: string;
  readonly payload: unknown;
  readonly attempts: number;
  readonly leaseId: string;
}

const DEFAULTS = { concurrency: 4, pollMs: 1_000, leaseMs: 5 * 60_000 };

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name}: must be a positive integer`);
  return value;
}

/** How long before its lease ends a run's signal aborts: time for the handler to stop and its outcome to be recorded. */
const leaseAbortMarginMs = (leaseMs: number) => Math.min(5_000, Math.floor(leaseMs / 10));

const plus = (at: Date, ms: number) => new Date(at.getTime() + ms).toISOString();

/**
 * A pending job is due. The clock reads milliseconds and the database stamps microseconds: a job stamped within
 * the current millisecond is due, or a worker woken by its commit that same millisecond would sleep through it.
 */
const DUE = `run_at < :now::timestamptz + interval '1 millisecond'`;

/** Takes the jobs of a `due` CTE: a new lease each, one attempt more. */
const CLAIM = `UPDATE jobs
          SET status = 'running', attempts = jobs.attempts + 1, lease_id = gen_random_uuid(),
              locked_until = :lockedUntil::timestamptz
         FROM due
        WHERE jobs.id = due.id
       RETURNING jobs.id, jobs.type, jobs.payload, jobs.attempts, jobs.lease_id`;

export function startWorker(options: WorkerOptions): Worker {
  const { db, handlers } = options;
  const concurrency = positiveInteger('concurrency', options.concurrency ?? DEFAULTS.concurrency);
  const pollMs = positiveInteger('pollMs', options.pollMs ?? DEFAULTS.pollMs);
  const leaseMs = positiveInteger('leaseMs', options.leaseMs ?? DEFAULTS.leaseMs);
  const policy = retryPolicy(options.retry);
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;

  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  let wakeRequested = false;
  let interruptSleep: (() => void) | undefined;

  function wake(): void {
    wakeRequested = true;
    interruptSleep?.();
  }

  async function sleep(ms: number): Promise<void> {
    if (!wakeRequested && !stopping) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done(): void {
          clearTimeout(timer);
          interruptSleep = undefined;
          resolve();
        }
        interruptSleep = done;
      });
    }
    wakeRequested = false;
  }

  /**
   * One statement, one round trip: a job whose last allowed attempt never reported back (its worker died) is
   * not run again but made a dead letter, and up to `limit` due jobs are claimed. The two touch disjoint rows
   * (attempts at the limit or below it), and a data-modifying WITH runs whether or not its rows are read.
   * Pending and lease-ended jobs are read in two branches, each in the order of its partial index: one condition
   * over both sorted every pending job on each claim (30 ms at 6,000 pending, which let a backlog bury the host).
   */
  async function claim(limit: number): Promise<ClaimedJob[]> {
    const at = now();
    return db.query<ClaimedJob>(
      `WITH expired AS (
         UPDATE jobs
            SET status = 'dead', lease_id = NULL, locked_until = NULL, finished_at = :now::timestamptz,
                last_error = 'attempt ' || attempts || ' did not finish: its worker stopped or overran the lease'
                             || coalesce('; the failure before: ' || last_error, '')
          WHERE status = 'running' AND locked_until <= :now::timestamptz AND attempts >= :maxAttempts::int),
       pending_due AS (
         SELECT id, run_at, seq FROM jobs
          WHERE status = 'pending' AND ${DUE}
          ORDER BY run_at, seq
          LIMIT :limit::int
          FOR UPDATE SKIP LOCKED),
       lease_ended AS (
         SELECT id, run_at, seq FROM jobs
          WHERE status = 'running' AND locked_until <= :now::timestamptz AND attempts < :maxAttempts::int
          ORDER BY locked_until
          LIMIT :limit::int
          FOR UPDATE SKIP LOCKED),
       due AS (
         SELECT id FROM (SELECT * FROM pending_due UNION ALL SELECT * FROM lease_ended) candidates
          ORDER BY run_at, seq
          LIMIT :limit::int)
       ${CLAIM}`,
      { now: at.toISOString(), maxAttempts: policy.maxAttempts, limit, lockedUntil: plus(at, leaseMs) },
    );
  }

  /** Claims these jobs if they are still pending and due (another worker may have claimed them first). */
  async function claimCommitted(ids: readonly string[]): Promise<ClaimedJob[]> {
    const at = now();
    const claimed = await db.query<ClaimedJob>(
      `WITH due AS (
         SELECT id FROM jobs
          WHERE id IN (SELECT value::uuid FROM jsonb_array_elements_text(:ids::jsonb))
            AND status = 'pending' AND ${DUE}
          FOR UPDATE SKIP LOCKED)
       ${CLAIM}`,
      { ids, now: at.toISOString(), lockedUntil: plus(at, leaseMs) },
    );
    // In the order asked for: the caller's order is the order its effects should happen in.
    return ids.flatMap((id) => claimed.filter((job) => job.id === id));
  }

  async function recordSuccess(job: ClaimedJob): Promise<void> {
    await db.query(
      `UPDATE jobs SET status = 'done', lease_id = NULL, locked_until = NULL, finished_at = :now::timestamptz
        WHERE id = :id::uuid AND lease_id = :leaseId::uuid`,
      { id: job.id, leaseId: job.leaseId, now: now().toISOString() },
    );
  }

  async function recordFailure(job: ClaimedJob, error: unknown): Promise<void> {
    const at = now();
    const gaveUp = error instanceof PermanentJobError || job.attempts >= policy.maxAttempts;
    const retryAt = gaveUp ? null : plus(at, retryDelayMs(policy, job.attempts, random));
    const lastError = describeFailure(error);
    await db.query(
      `UPDATE jobs
          SET status = :status, run_at = coalesce(:retryAt::timestamptz, run_at), lease_id = NULL, locked_until = NULL,
              last_error = :lastError, finished_at = :finishedAt::timestamptz
        WHERE id = :id::uuid AND lease_id = :leaseId::uuid`,
      { id: job.id, leaseId: job.leaseId, status: gaveUp ? 'dead' : 'pending', retryAt, lastError, finishedAt: gaveUp ? at.toISOString() : null },
    );
    const details = { jobId: job.id, type: job.type, attempt: job.attempts, error: lastError };
    if (gaveUp) logger.error('job dead-lettered', details);
    else logger.warn('job attempt failed; retry scheduled', { ...details, retryAt });
  }

  async function execute(job: ClaimedJob): Promise<void> {
    const lease = new AbortController();
    const leaseTimer = setTimeout(() => lease.abort(new Error('the job lease is ending')), leaseMs - leaseAbortMarginMs(leaseMs));
    let failure: { error: unknown } | undefined;
    try {
      await runJob(handlers, { id: job.id, type: job.type, payload: job.payload, attempt: job.attempts, signal: lease.signal, runCommittedJobs });
    } catch (error) {
      failure = { error };
    } finally {
      clearTimeout(leaseTimer);
    }
    try {
      await (failure === undefined ? recordSuccess(job) : recordFailure(job, failure.error));
    } catch (error) {
      // The lease runs out and the job runs again, which its idempotency makes harmless.
      logger.error('job outcome not recorded', { jobId: job.id, type: job.type, error: describeFailure(error) });
    }
  }

  /** JobContext.runCommittedJobs: in the calling job's slot, so they need no free one. */
  async function runCommittedJobs(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    let jobs: ClaimedJob[];
    try {
      jobs = await claimCommitted(ids);
    } catch (error) {
      // They stay pending: the next claim takes them.
      logger.warn('committed jobs not claimed at once; left to the next claim', { jobIds: ids, error: describeFailure(error) });
      return [];
    }
    for (const job of jobs) await execute(job);
    return jobs.map((job) => job.id);
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      const free = concurrency - inFlight.size;
      let claimed = 0;
      if (free > 0) {
        try {
          const jobs = await claim(free);
          claimed = jobs.length;
          for (const job of jobs) {
            const running = execute(job).finally(() => {
              inFlight.delete(running);
              wake();
            });
            inFlight.add(running);
          }
        } catch (error) {
          logger.error('job claim failed', { error: describeFailure(error) });
        }
      }
      // A full batch suggests more are due; otherwise wait for a free slot, an enqueue in this process or the poll.
      if (free === 0 || claimed < free) await sleep(pollMs);
    }
    await Promise.all(inFlight);
  }

  const unsubscribe = onJobsReady(wake);
  const finished = loop();
  return {
    async stop() {
      stopping = true;
      unsubscribe();
      wake();
      await finished;
    },
  };
}
