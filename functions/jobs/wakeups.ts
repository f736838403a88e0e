import type { Db, Queryable, Row, SqlParams } from '../data/db.ts';

/**
 * Same-process wake-ups: a worker sleeps between polls, and a job enqueued in this process wakes it at once
 * instead of after the poll interval. A wake-up must come after the job's transaction commits, or the worker
 * looks before the job is visible and sleeps through it; `withJobWakeups` gives transactions that hold the
 * wake-ups back until commit (and drop them on rollback). Polling still finds jobs from other processes.
 */
type Listener = () => void;

const listeners = new Set<Listener>();
/** Transactions from withJobWakeups, and whether jobs were enqueued in them. */
const heldUntilCommit = new WeakMap<Queryable, { enqueued: boolean }>();

/** Calls `listener` whenever jobs may have become ready; returns the unsubscribe function. */
export function onJobsReady(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function announce(): void {
  for (const listener of listeners) listener();
}

/**
 * Announces ready jobs once `tx`'s transaction commits when `tx` came from `withJobWakeups`; otherwise at once
 * (a Db outside a transaction has committed already; on PGlite a worker's claim waits for the open
 * transaction anyway; elsewhere the poll covers it).
 */
export function announceJobsAfterCommit(tx: Queryable): void {
  const held = heldUntilCommit.get(tx);
  if (held === undefined) announce();
  else held.enqueued = true;
}

/** `db` whose transactions announce the jobs they enqueued after they commit. Wrap the process's Db once. */
export function withJobWakeups(db: Db): Db {
  return {
    ...db,
    query: <T = Row>(sql: string, params?: SqlParams) => db.query<T>(sql, params),
    async transaction(work) {
      const held = { enqueued: false };
      const result = await db.transaction((tx) => {
        heldUntilCommit.set(tx, held);
        return work(tx);
      });
      if (held.enqueued) announce();
      return result;
    },
    close: () => db.close(),
  };
}
