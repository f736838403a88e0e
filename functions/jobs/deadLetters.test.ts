import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../data/db.ts';
import { testDatabases } from '../data/testing.ts';
import { BadRequestError, NotFoundError } from '../shared/errors.ts';
import { listDeadLetters, retryDeadLetter } from './deadLetters.ts';
import { enqueue } from './queue.ts';

for (const database of testDatabases()) {
  describe(`dead letters on ${database.name}`, () => {
    let db: Db;
    const deadIds: string[] = [];
    let pendingId: string;

    beforeAll(async () => {
      db = await database.open();
      // Five dead letters, two of them failed at the very same instant (the cursor must still separate them).
      const ids = await enqueue(
        db,
        Array.from({ length: 6 }, (_, index) => ({ type: 'test.dead', payload: { index } })),
      );
      pendingId = ids.pop()!;
      const failedAt = ['2024-01-01T00:00:01Z', '2024-01-01T00:00:02Z', '2024-01-01T00:00:02Z', '2024-01-01T00:00:03Z', '2024-01-01T00:00:04Z'];
      for (const [index, id] of ids.entries()) {
        await db.query(
          `UPDATE jobs SET status = 'dead', attempts = 8, last_error = 'Error: down', finished_at = :failedAt::timestamptz WHERE id = :id::uuid`,
          { id, failedAt: failedAt[index]! },
        );
      }
      deadIds.push(...ids);
    });
    afterAll(async () => {
      await db?.close();
    });

    it('lists dead letters most recently failed first, page by page, each once', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 3; page += 1) {
        const result = await listDeadLetters(db, { first: 2, after });
        seen.push(...result.nodes.map((job) => job.id));
        expect(result.pageInfo.hasNextPage).toBe(page < 2);
        after = result.pageInfo.endCursor;
      }
      expect(seen).toHaveLength(5);
      expect(new Set(seen)).toEqual(new Set(deadIds));
      expect(seen[0]).toBe(deadIds[4]);
      expect(seen[4]).toBe(deadIds[0]);
      const [newest] = (await listDeadLetters(db, { first: 1 })).nodes;
      expect(newest).toEqual({
        id: deadIds[4],
        type: 'test.dead',
        payload: { index: 4 },
        dedupeKey: null,
        status: 'dead',
        attempts: 8,
        runAt: expect.any(String),
        lastError: 'Error: down',
        createdAt: expect.any(String),
        finishedAt: '2024-01-01T00:00:04.000Z',
      });
    });

    it('refuses a page size out of range and a cursor from another list', async () => {
      await expect(listDeadLetters(db, { first: 0 })).rejects.toBeInstanceOf(BadRequestError);
      await expect(listDeadLetters(db, { first: 101 })).rejects.toBeInstanceOf(BadRequestError);
      await expect(listDeadLetters(db, { after: 'bm90LWEtY3Vyc29y' })).rejects.toThrow('invalid cursor');
    });

    it('refuses to retry what is not a dead letter, changing nothing', async () => {
      await expect(retryDeadLetter(db, 'not-a-uuid')).rejects.toBeInstanceOf(BadRequestError);
      await expect(retryDeadLetter(db, pendingId)).rejects.toBeInstanceOf(NotFoundError);
      await expect(retryDeadLetter(db, '00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(NotFoundError);
      expect(await db.query(`SELECT status, count(*)::int AS jobs FROM jobs GROUP BY 1 ORDER BY 1`)).toEqual([
        { status: 'dead', jobs: 5 },
        { status: 'pending', jobs: 1 },
      ]);
    });

    it('retries a dead letter once: a second retry finds no dead letter', async () => {
      const retried = await retryDeadLetter(db, deadIds[0]!);
      expect(retried).toMatchObject({ id: deadIds[0], status: 'pending', attempts: 0, lastError: 'Error: down', finishedAt: null });
      await expect(retryDeadLetter(db, deadIds[0]!)).rejects.toBeInstanceOf(NotFoundError);
      expect((await listDeadLetters(db)).nodes.map((job) => job.id)).not.toContain(deadIds[0]);
    });
  });
}
