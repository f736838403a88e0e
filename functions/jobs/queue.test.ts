import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Db } from '../data/db.ts';
import { testDatabases } from '../data/testing.ts';
import { defineJob, enqueue, handle, InvalidJobError, jobHandlers, MAX_PAYLOAD_BYTES, PermanentJobError, runJob, type Job } from './queue.ts';

const fetchMedia = defineJob('media.fetch', z.object({ mediaId: z.string().min(1) }));

interface JobRow {
  id: string;
  type: string;
  payload: unknown;
  dedupeKey: string | null;
  status: string;
  attempts: number;
  runAt: string;
}

describe('job kinds and handlers', () => {
  it('builds typed jobs and refuses a payload that does not match the kind', () => {
    const runAt = new Date('2030-01-01T00:00:00Z');
    expect(fetchMedia.of({ mediaId: 'm1' }, { dedupeKey: 'media:m1', runAt })).toEqual({
      type: 'media.fetch',
      payload: { mediaId: 'm1' },
      dedupeKey: 'media:m1',
      runAt,
    });
    expect(() => fetchMedia.of({ mediaId: '' })).toThrow(InvalidJobError);
    expect(() => fetchMedia.of({ mediaId: '' })).toThrow(/media\.fetch payload refused: mediaId/);
  });

  it('refuses job types that are not lower-case words', () => {
    for (const type of ['', 'Media.Fetch', 'media fetch', '.media', 'media.', 'a'.repeat(101)]) {
      expect(() => defineJob(type, z.object({}))).toThrow(InvalidJobError);
    }
  });

  it('refuses two handlers for one job type', () => {
    const run = async () => undefined;
    expect(() => jobHandlers(handle(fetchMedia, run), handle(fetchMedia, run))).toThrow(/two handlers for job type media\.fetch/);
  });

  it('runs the handler of the job type with the parsed payload and the run context', async () => {
    const seen: unknown[] = [];
    const handlers = jobHandlers(handle(fetchMedia, async (payload, context) => void seen.push({ payload, context })));
    const signal = new AbortController().signal;
    await runJob(handlers, { id: 'j1', type: 'media.fetch', payload: { mediaId: 'm1' }, attempt: 3, signal });
    expect(seen).toEqual([{ payload: { mediaId: 'm1' }, context: { jobId: 'j1', type: 'media.fetch', attempt: 3, signal } }]);
  });

  it('fails permanently on a stored payload the kind refuses, and plainly on a type without a handler', async () => {
    const handlers = jobHandlers(handle(fetchMedia, async () => undefined));
    const signal = new AbortController().signal;
    await expect(runJob(handlers, { id: 'j1', type: 'media.fetch', payload: { mediaId: 7 }, attempt: 1, signal })).rejects.toBeInstanceOf(PermanentJobError);
    const unknown = runJob(handlers, { id: 'j2', type: 'media.resize', payload: {}, attempt: 1, signal });
    await expect(unknown).rejects.toThrow('no handler for job type media.resize');
    await expect(unknown).rejects.not.toBeInstanceOf(PermanentJobError);
  });
});

for (const database of testDatabases()) {
  describe(`enqueue on ${database.name}`, () => {
    let db: Db;
    beforeAll(async () => {
      db = await database.open();
    });
    beforeEach(async () => {
      await db.query('DELETE FROM jobs');
    });
    afterAll(async () => {
      await db?.close();
    });

    const jobs = () => db.query<JobRow>('SELECT id, type, payload, dedupe_key, status, attempts, run_at FROM jobs ORDER BY seq');

    it('writes nothing when the enclosing transaction rolls back', async () => {
      await expect(
        db.transaction(async (tx) => {
          await enqueue(tx, fetchMedia.of({ mediaId: 'm1' }));
          throw new Error('the webhook failed after enqueueing');
        }),
      ).rejects.toThrow('the webhook failed after enqueueing');
      expect(await jobs()).toEqual([]);
    });

    it('commits the jobs with the change that caused them, pending and due now unless told otherwise', async () => {
      const later = new Date('2030-06-01T12:00:00.000Z');
      const before = Date.now();
      const ids = await db.transaction((tx) =>
        enqueue(tx, [fetchMedia.of({ mediaId: 'm1' }), { type: 'message.send', payload: { messageId: 'x', nested: [1, { a: null }] }, runAt: later }]),
      );
      const rows = await jobs();
      expect(rows.map((row) => row.id)).toEqual(ids);
      expect(rows).toMatchObject([
        { type: 'media.fetch', payload: { mediaId: 'm1' }, dedupeKey: null, status: 'pending', attempts: 0 },
        { type: 'message.send', payload: { messageId: 'x', nested: [1, { a: null }] }, status: 'pending', runAt: later.toISOString() },
      ]);
      expect(Math.abs(Date.parse(rows[0]!.runAt) - before)).toBeLessThan(5_000);
    });

    it('enqueues a job with a dedupe key once, however often and however batched it is enqueued', async () => {
      const job = fetchMedia.of({ mediaId: 'm1' }, { dedupeKey: 'media.fetch:m1' });
      const [first] = await db.transaction((tx) => enqueue(tx, [job, job]));
      expect(await db.transaction((tx) => enqueue(tx, job))).toEqual([]);
      const racing = await Promise.all([1, 2, 3].map(() => db.transaction((tx) => enqueue(tx, job))));
      expect(racing.flat()).toEqual([]);
      await db.query(`UPDATE jobs SET status = 'done', finished_at = now()`);
      expect(await enqueue(db, job)).toEqual([]);
      expect((await jobs()).map((row) => row.id)).toEqual([first]);
      const other = await enqueue(db, fetchMedia.of({ mediaId: 'm2' }, { dedupeKey: 'media.fetch:m2' }));
      expect(other).toHaveLength(1);
    });

    it('enqueues a job without a dedupe key every time', async () => {
      await enqueue(db, fetchMedia.of({ mediaId: 'm1' }));
      await enqueue(db, fetchMedia.of({ mediaId: 'm1' }));
      expect(await jobs()).toHaveLength(2);
    });

    it('refuses an invalid job with a clear error and writes none of its batch', async () => {
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      const invalid: [Job, RegExp][] = [
        [{ type: 'Media Fetch', payload: {} }, /job type "Media Fetch"/],
        [{ type: 'media.fetch', payload: undefined }, /jobs\[1\]\.payload: must be a JSON value/],
        [{ type: 'media.fetch', payload: cyclic }, /jobs\[1\]\.payload: must be a JSON value/],
        [{ type: 'media.fetch', payload: 10n }, /jobs\[1\]\.payload: must be a JSON value/],
        [{ type: 'media.fetch', payload: { blob: 'x'.repeat(MAX_PAYLOAD_BYTES) } }, /jobs\[1\]\.payload: larger than 16384 bytes/],
        [{ type: 'media.fetch', payload: {}, dedupeKey: '' }, /jobs\[1\]\.dedupeKey/],
        [{ type: 'media.fetch', payload: {}, runAt: new Date('nonsense') }, /jobs\[1\]\.runAt: must be a valid Date/],
      ];
      for (const [job, message] of invalid) {
        await expect(db.transaction((tx) => enqueue(tx, [fetchMedia.of({ mediaId: 'ok' }), job]))).rejects.toThrow(message);
      }
      expect(await jobs()).toEqual([]);
    });

    it('writes nothing for an empty batch', async () => {
      expect(await enqueue(db, [])).toEqual([]);
      expect(await jobs()).toEqual([]);
    });
  });
}
