import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { Db } from '../data/db.ts';
import { testDatabases } from '../data/testing.ts';
import { listDeadLetters, retryDeadLetter } from './deadLetters.ts';
import { defineJob, enqueue, handle, jobHandlers, PermanentJobError, type JobContext } from './queue.ts';
import { withJobWakeups } from './wakeups.ts';
import { startWorker, type Worker, type WorkerOptions } from './worker.ts';

const echo = defineJob('test.echo', z.object({ n: z.number().int() }));

interface JobState {
  status: string;
  attempts: number;
  runAt: string;
  lastError: string | null;
}

/** A clock the test moves by hand. Start it after enqueueing: a job is due at the database's now(). */
function manualClock(start = new Date()) {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set: (at: Date | string | number) => void (current = new Date(at).getTime()),
    advance: (ms: number) => void (current += ms),
  };
}

/** A promise the test settles by hand. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const waitUntil = <T>(check: () => Promise<T> | T, timeout = 10_000) => vi.waitFor(check, { timeout, interval: 20 });

for (const database of testDatabases()) {
  describe(`the job worker on ${database.name}`, () => {
    let db: Db;
    const workers: Worker[] = [];
    const start = (options: Omit<WorkerOptions, 'db'>) => {
      const worker = startWorker({ db, pollMs: 10, ...options });
      workers.push(worker);
      return worker;
    };
    const stateOf = async (id: string) =>
      (await db.query<JobState>('SELECT status, attempts, run_at, last_error FROM jobs WHERE id = :id::uuid', { id }))[0]!;

    beforeAll(async () => {
      db = await database.open();
    });
    afterEach(async () => {
      await Promise.all(workers.splice(0).map((worker) => worker.stop()));
      await db.query('DELETE FROM jobs');
    });
    afterAll(async () => {
      await db?.close();
    });

    it('runs every committed job exactly once with several concurrent workers', async () => {
      const runs = new Map<number, number>();
      const handlers = jobHandlers(
        handle(echo, async ({ n }) => {
          runs.set(n, (runs.get(n) ?? 0) + 1);
          await sleep(n % 3);
        }),
      );
      const batch = (from: number) => Array.from({ length: 20 }, (_, index) => echo.of({ n: from + index }));
      await db.transaction((tx) => enqueue(tx, batch(0)));
      for (let index = 0; index < 4; index += 1) start({ handlers, concurrency: 3 });
      await Promise.all([20, 40].map((from) => db.transaction((tx) => enqueue(tx, batch(from)))));

      await waitUntil(async () => expect(await db.query(`SELECT status, attempts, count(*)::int AS jobs FROM jobs GROUP BY 1, 2`)).toEqual([{ status: 'done', attempts: 1, jobs: 60 }]));
      expect(runs.size).toBe(60);
      expect([...runs.values()].every((count) => count === 1)).toBe(true);
    });

    it('retries a failing job after growing delays, dead-letters it after the last attempt, and runs it again when retried', async () => {
      const attempts: number[] = [];
      let failing = true;
      const handlers = jobHandlers(
        handle(echo, async (_payload, context) => {
          attempts.push(context.attempt);
          if (failing) throw new Error(`provider unavailable on attempt ${context.attempt} (token=s3cr3t)`);
        }),
      );
      const [id] = await enqueue(db, echo.of({ n: 1 }));
      const clock = manualClock();
      start({ handlers, now: clock.now, random: () => 0.5, retry: { baseMs: 1_000, maxMs: 3_000, maxAttempts: 4 } });

      const delays: number[] = [];
      for (let attempt = 1; attempt < 4; attempt += 1) {
        const state = await waitUntil(async () => {
          const current = await stateOf(id!);
          expect(current).toMatchObject({ status: 'pending', attempts: attempt });
          return current;
        });
        delays.push(Date.parse(state.runAt) - clock.now().getTime());
        clock.set(Date.parse(state.runAt) - 1);
        await sleep(60);
        expect(attempts).toHaveLength(attempt);
        clock.advance(1);
      }
      // Half of min(maxMs, baseMs · 2^(attempt − 1)), the random draw being 0.5.
      expect(delays).toEqual([500, 1_000, 1_500]);

      const dead = await waitUntil(async () => {
        const current = await stateOf(id!);
        expect(current).toMatchObject({ status: 'dead', attempts: 4 });
        return current;
      });
      expect(dead.lastError).toBe('Error: provider unavailable on attempt 4 (token=[redacted])');
      const letters = await listDeadLetters(db);
      expect(letters.nodes).toMatchObject([{ id, type: 'test.echo', payload: { n: 1 }, status: 'dead', attempts: 4, lastError: dead.lastError }]);
      await sleep(60);
      expect(attempts).toEqual([1, 2, 3, 4]);

      failing = false;
      expect(await retryDeadLetter(db, id!)).toMatchObject({ id, status: 'pending', attempts: 0, finishedAt: null });
      await waitUntil(async () => expect(await stateOf(id!)).toMatchObject({ status: 'done', attempts: 1 }));
      expect(attempts).toEqual([1, 2, 3, 4, 1]);
      expect((await listDeadLetters(db)).nodes).toEqual([]);
    });

    it('dead-letters at once a job that fails permanently or whose stored payload its handler refuses', async () => {
      const permanent = defineJob('test.permanent', z.object({}));
      const handlers = jobHandlers(
        handle(echo, async () => undefined),
        handle(permanent, async () => {
          throw new PermanentJobError('the recipient opted out');
        }),
      );
      const [refused, failed] = await enqueue(db, [{ type: 'test.echo', payload: { n: 'one' } }, permanent.of({})]);
      start({ handlers });
      await waitUntil(async () => {
        expect(await stateOf(refused!)).toMatchObject({ status: 'dead', attempts: 1, lastError: expect.stringMatching(/^PermanentJobError: test\.echo payload refused: n: /) });
        expect(await stateOf(failed!)).toMatchObject({ status: 'dead', attempts: 1, lastError: 'PermanentJobError: the recipient opted out' });
      });
    });

    it('retries a job whose type has no handler here, as a newer process may have enqueued it', async () => {
      const [id] = await enqueue(db, { type: 'test.from-the-future', payload: {} });
      start({ handlers: jobHandlers(), retry: { baseMs: 60_000, maxMs: 60_000 } });
      await waitUntil(async () =>
        expect(await stateOf(id!)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'Error: no handler for job type test.from-the-future' }),
      );
    });

    it('runs a job again once the lease of a worker that stopped answering ends, and ignores that worker when it comes back', async () => {
      const firstRun = gate();
      const runs: number[] = [];
      const handlers = jobHandlers(
        handle(echo, async (_payload, context) => {
          runs.push(context.attempt);
          if (context.attempt === 1) {
            await firstRun.opened;
            throw new Error('the stalled run failed late');
          }
        }),
      );
      const [id] = await enqueue(db, echo.of({ n: 1 }));
      const clock = manualClock();
      start({ handlers, now: clock.now, leaseMs: 60_000 });
      await waitUntil(() => expect(runs).toEqual([1]));
      start({ handlers, now: clock.now, leaseMs: 60_000 });
      await sleep(60);
      expect(runs).toEqual([1]);

      clock.advance(60_000);
      await waitUntil(async () => expect(await stateOf(id!)).toMatchObject({ status: 'done', attempts: 2 }));
      firstRun.open();
      await Promise.all(workers.splice(0).map((worker) => worker.stop()));
      expect(runs).toEqual([1, 2]);
      expect(await stateOf(id!)).toMatchObject({ status: 'done', attempts: 2, lastError: null });
    });

    it('dead-letters a job whose last allowed attempt never reported back', async () => {
      const stalled = gate();
      const handlers = jobHandlers(handle(echo, () => stalled.opened));
      const [id] = await enqueue(db, echo.of({ n: 1 }));
      const clock = manualClock();
      start({ handlers, now: clock.now, leaseMs: 1_000, retry: { maxAttempts: 1 } });
      await waitUntil(async () => expect(await stateOf(id!)).toMatchObject({ status: 'running', attempts: 1 }));
      clock.advance(1_000);
      await waitUntil(async () =>
        expect(await stateOf(id!)).toMatchObject({ status: 'dead', attempts: 1, lastError: 'attempt 1 did not finish: its worker stopped or overran the lease' }),
      );
      stalled.open();
    });

    it("aborts a run's signal before its lease ends, so that the handler can stop and the failure is recorded", async () => {
      const handlers = jobHandlers(
        handle(echo, async (_payload, context: JobContext) => {
          await new Promise((resolve) => context.signal.addEventListener('abort', resolve));
          throw context.signal.reason;
        }),
      );
      const [id] = await enqueue(db, echo.of({ n: 1 }));
      start({ handlers, leaseMs: 2_000, retry: { baseMs: 60_000, maxMs: 60_000 } });
      await waitUntil(async () =>
        expect(await stateOf(id!)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'Error: the job lease is ending' }),
      );
    });

    it('does not run a job before its runAt', async () => {
      const clock = manualClock();
      const runs: number[] = [];
      const handlers = jobHandlers(handle(echo, async ({ n }) => void runs.push(n)));
      await enqueue(db, echo.of({ n: 1 }, { runAt: new Date(clock.now().getTime() + 3_600_000) }));
      start({ handlers, now: clock.now });
      await sleep(80);
      expect(runs).toEqual([]);
      clock.advance(3_600_000);
      await waitUntil(() => expect(runs).toEqual([1]));
    });

    it('takes a job stamped within the current millisecond as due: the clock reads milliseconds, the database microseconds', async () => {
      const clock = manualClock(new Date('2030-01-01T10:00:00.000Z'));
      const runs: number[] = [];
      const handlers = jobHandlers(handle(echo, async ({ n }) => void runs.push(n)));
      const [id] = await enqueue(db, echo.of({ n: 1 }));
      await db.query("UPDATE jobs SET run_at = '2030-01-01T10:00:00.000500Z' WHERE id = :id::uuid", { id });
      start({ handlers, now: clock.now, pollMs: 600_000 });
      await waitUntil(() => expect(runs).toEqual([1]), 3_000);
    });

    it('finishes the jobs in flight when stopped, and claims no more', async () => {
      const release = gate();
      const runs: number[] = [];
      const handlers = jobHandlers(
        handle(echo, async ({ n }) => {
          runs.push(n);
          await release.opened;
        }),
      );
      const [first, second] = await enqueue(db, [echo.of({ n: 1 }), echo.of({ n: 2 })]);
      const worker = start({ handlers, concurrency: 1 });
      await waitUntil(() => expect(runs).toEqual([1]));
      let stopped = false;
      const stopping = worker.stop().then(() => (stopped = true));
      await sleep(60);
      expect(stopped).toBe(false);
      release.open();
      await stopping;
      expect(runs).toEqual([1]);
      expect(await stateOf(first!)).toMatchObject({ status: 'done' });
      expect(await stateOf(second!)).toMatchObject({ status: 'pending', attempts: 0 });
    });

    it('wakes at once for a job enqueued in this process when its transaction commits', async () => {
      const runs: number[] = [];
      const handlers = jobHandlers(handle(echo, async ({ n }) => void runs.push(n)));
      const wakingDb = withJobWakeups(db);
      start({ handlers, pollMs: 600_000 });
      await sleep(100);
      await wakingDb.transaction((tx) => enqueue(tx, echo.of({ n: 1 })));
      await waitUntil(() => expect(runs).toEqual([1]), 3_000);
      const [id] = await wakingDb.transaction(async (tx) => {
        const ids = await enqueue(tx, echo.of({ n: 2 }));
        // Held for the commit: a worker woken now would find nothing and sleep through the job.
        await sleep(50);
        return ids;
      });
      await waitUntil(async () => expect(await stateOf(id!)).toMatchObject({ status: 'done' }), 3_000);
      expect(runs).toEqual([1, 2]);
    });

    it('runs the jobs a job committed at once in its own slot, in the order asked, leaving alone those it cannot claim', async () => {
      const follow = defineJob('test.follow', z.object({ n: z.number().int(), fail: z.boolean() }));
      const runs: string[] = [];
      let ranAtOnce: string[] = [];
      let ids: string[] = [];
      let claimedElsewhere: string | undefined;
      const handlers = jobHandlers(
        handle(echo, async (_payload, context) => {
          ids = await db.transaction((tx) => enqueue(tx, [3, 2, 1].map((n) => follow.of({ n, fail: n === 2 }))));
          const [done] = await enqueue(db, follow.of({ n: 9, fail: false }));
          await db.query("UPDATE jobs SET status = 'done', finished_at = now() WHERE id = :id::uuid", { id: done });
          claimedElsewhere = done;
          ranAtOnce = await context.runCommittedJobs!([ids[2]!, ids[0]!, ids[1]!, done!]);
          runs.push('parent done');
        }),
        handle(follow, async ({ n, fail }) => {
          runs.push(`follow ${n}`);
          if (fail) throw new Error(`follow ${n} failed`);
        }),
      );
      await enqueue(db, echo.of({ n: 1 }));
      // One slot, taken by the parent: the follow-ups can only run through runCommittedJobs.
      start({ handlers, concurrency: 1, pollMs: 600_000, retry: { baseMs: 60_000, maxMs: 60_000 } });
      await waitUntil(() => expect(runs).toContain('parent done'));

      expect(runs).toEqual(['follow 1', 'follow 3', 'follow 2', 'parent done']);
      expect(ranAtOnce).toEqual([ids[2], ids[0], ids[1]]);
      expect(await stateOf(ids[0]!)).toMatchObject({ status: 'done', attempts: 1 });
      expect(await stateOf(ids[1]!)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'Error: follow 2 failed' });
      expect(await stateOf(claimedElsewhere!)).toMatchObject({ status: 'done', attempts: 0 });
    });

    it('refuses nonsensical options', () => {
      const handlers = jobHandlers();
      expect(() => startWorker({ db, handlers, concurrency: 0 })).toThrow('concurrency: must be a positive integer');
      expect(() => startWorker({ db, handlers, pollMs: 1.5 })).toThrow('pollMs: must be a positive integer');
      expect(() => startWorker({ db, handlers, retry: { maxAttempts: 0 } })).toThrow('retry.maxAttempts');
    });
  });
}
