import { z } from 'zod';
import type { DeadLetter, DeadLetterConnection } from '../generated/graphql.ts';
import { listDeadLetters, retryDeadLetter, type StoredJob } from '../jobs/deadLetters.ts';
import { NotFoundError } from '../shared/errors.ts';
import { assertAdmin, type Caller } from './access.ts';
import type { Services } from './services.ts';
import { parseInput } from './validation.ts';

type DeadJob = Pick<StoredJob, 'id' | 'type' | 'payload' | 'attempts' | 'lastError' | 'createdAt' | 'finishedAt'>;

/** Jobs that failed every retry, for admins: the most recently failed first. */
export async function deadLetters(
  services: Services,
  caller: Caller,
  page: { readonly first?: number | null; readonly after?: string | null },
): Promise<DeadLetterConnection> {
  assertAdmin(caller);
  const { nodes, pageInfo } = await listDeadLetters(services.db, page);
  return { nodes: nodes.map(toDeadLetter), pageInfo };
}

/** Puts a dead letter back in the queue with fresh attempts; answers it as it was when it failed. */
export async function retryDeadLetterAsAdmin(services: Services, caller: Caller, id: string): Promise<DeadLetter> {
  assertAdmin(caller);
  const { id: jobId } = parseInput(z.object({ id: z.guid() }), { id });
  return services.db.transaction(async (tx) => {
    const [dead] = await tx.query<DeadJob>(
      "SELECT id, type, payload, attempts, last_error, created_at, finished_at FROM jobs WHERE id = :id::uuid AND status = 'dead' FOR UPDATE",
      { id: jobId },
    );
    if (dead === undefined) throw new NotFoundError('dead letter not found');
    await retryDeadLetter(tx, jobId);
    return toDeadLetter(dead);
  });
}

function toDeadLetter(job: DeadJob): DeadLetter {
  return {
    id: job.id,
    type: job.type,
    payload: JSON.stringify(job.payload),
    attempts: job.attempts,
    lastError: job.lastError,
    createdAt: job.createdAt,
    // Dead letters are finished by definition.
    failedAt: job.finishedAt!,
  };
}
