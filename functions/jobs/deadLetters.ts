import { z } from 'zod';
import type { Queryable } from '../data/db.ts';
import { cursorId, cursorTimestamp, decodeCursor, encodeCursor, exactTimestampSql, pageSize, toPage } from '../domain/paging.ts';
import { parseInput } from '../domain/validation.ts';
import type { PageInfo } from '../generated/graphql.ts';
import { NotFoundError } from '../shared/errors.ts';
import { announceJobsAfterCommit } from './wakeups.ts';

/**
 * Dead letters: jobs that failed every allowed attempt (or failed permanently), kept with their last error for
 * admins to inspect and retry. Plain functions for the admin GraphQL resolvers.
 */
export type JobStatus = 'pending' | 'running' | 'done' | 'dead' | 'sent';

export interface StoredJob {
  readonly id: string;
  readonly type: string;
  readonly payload: unknown;
  readonly dedupeKey: string | null;
  readonly status: JobStatus;
  readonly attempts: number;
  readonly runAt: string;
  /** Name and message of the last failure, secrets masked. */
  readonly lastError: string | null;
  readonly createdAt: string;
  /** When it became done, dead or sent. */
  readonly finishedAt: string | null;
}

export interface DeadLetterPage {
  readonly nodes: StoredJob[];
  readonly pageInfo: PageInfo;
}

const STORED_JOB_COLUMNS = 'id, type, payload, dedupe_key, status, attempts, run_at, last_error, created_at, finished_at';
const CURSOR_KIND = 'dead-letters';

/** Dead letters, most recently failed first; `after` is a previous page's endCursor. */
export async function listDeadLetters(
  db: Queryable,
  page: { readonly first?: number | null; readonly after?: string | null } = {},
): Promise<DeadLetterPage> {
  const size = pageSize(page.first, 50);
  const params: Record<string, string | number> = { limit: size + 1 };
  let olderThan = '';
  if (page.after !== null && page.after !== undefined) {
    const cursor = decodeCursor(page.after, CURSOR_KIND, { at: cursorTimestamp, id: cursorId });
    olderThan = 'AND (finished_at, id) < (:afterAt::timestamptz, :afterId::uuid)';
    Object.assign(params, { afterAt: cursor.at, afterId: cursor.id });
  }
  const rows = await db.query<StoredJob & { sortKey: string }>(
    `SELECT ${STORED_JOB_COLUMNS}, ${exactTimestampSql('finished_at')} AS sort_key
       FROM jobs
      WHERE status = 'dead' ${olderThan}
      ORDER BY finished_at DESC, id DESC
      LIMIT :limit::int`,
    params,
  );
  const { rows: kept, pageInfo } = toPage(rows, size, (row) => encodeCursor(CURSOR_KIND, { at: row.sortKey, id: row.id }));
  return { nodes: kept.map(({ sortKey: _sortKey, ...job }) => job), pageInfo };
}

/**
 * Puts a dead letter back in the queue, due now, with a fresh set of attempts; its last error stays visible
 * until the job runs again. NotFound when no dead letter has this id (it may have been retried already).
 */
export async function retryDeadLetter(db: Queryable, id: string): Promise<StoredJob> {
  const { id: jobId } = parseInput(z.object({ id: z.guid() }), { id });
  const [job] = await db.query<StoredJob>(
    `UPDATE jobs SET status = 'pending', attempts = 0, run_at = now(), finished_at = NULL
      WHERE id = :id::uuid AND status = 'dead'
      RETURNING ${STORED_JOB_COLUMNS}`,
    { id: jobId },
  );
  if (job === undefined) throw new NotFoundError('dead letter not found');
  announceJobsAfterCommit(db);
  return job;
}
