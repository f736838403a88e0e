import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../data/db.ts';
import { openPGliteDb } from '../data/drivers/pglite.ts';
import { openPostgresDb } from '../data/drivers/postgres.ts';
import { migrate, readMigrations } from '../data/migrate.ts';
import { createServerDatabase, testDatabases } from '../data/testing.ts';
import { testDomainSettings } from '../domain/testing.ts';
import type { Dashboard, FunnelStageName, PipelineStatus } from '../generated/graphql.ts';
import { createGraphqlHandler } from './handler.ts';
import { cognitoIdentity, resolverEvent } from './testing/events.ts';
import { insertAspirant, insertConversation, insertMessage, insertRecruiter, type MessageFixture } from './testing/fixtures.ts';
import { RecordingPublisher } from './testing/recordingPublisher.ts';

// Bogotá is UTC−5 all year: the range's local days start at 05:00 UTC.
const TIME_ZONE = 'America/Bogota';
const RANGE = { from: '2025-03-01', to: '2025-03-08' };
const RANGE_START = '2025-03-01T05:00:00.000Z';
const RANGE_END = '2025-03-08T05:00:00.000Z';
const NOW = new Date('2025-03-10T12:00:00.000Z');
const at = (iso: string): Date => new Date(iso);

const dashboardSelection = `from to funnel { stage aspirants } medianFirstResponseSeconds medianFirstRecruiterResponseSeconds
  botMessages recruiterMessages botShare`;

const funnelOf = (dashboard: Dashboard): Record<FunnelStageName, number> =>
  Object.fromEntries(dashboard.funnel.map((stage) => [stage.stage, stage.aspirants])) as Record<FunnelStageName, number>;

for (const database of testDatabases()) {
  describe(`the dashboard on ${database.name}`, () => {
    let db: Db;
    let ids: { admin: string; ana: string; bruno: string };
    let call: (who: 'admin' | 'ana' | 'bruno', field: string, args: Record<string, unknown>, selection?: string) => Promise<unknown>;
    const aspirants: Record<string, string> = {};

    const moveThrough = async (aspirantId: string, statuses: PipelineStatus[]) => {
      for (const status of statuses) await call('admin', 'Mutation.updateAspirantStatus', { aspirantId, status }, 'status');
    };

    /** A conversation of `aspirantId` with its messages, each written `at` the given instant. */
    const conversationWith = async (aspirantId: string, messages: Omit<MessageFixture, 'conversationId'>[]) => {
      const conversationId = await insertConversation(db, { aspirantId, lastActivityAt: messages.at(-1)!.occurredAt });
      for (const message of messages) await insertMessage(db, { ...message, conversationId });
      return conversationId;
    };
    const inbound = (iso: string) => ({ occurredAt: at(iso), direction: 'inbound' as const });
    const bot = (iso: string) => ({ occurredAt: at(iso), direction: 'outbound' as const, authorKind: 'bot' as const });
    const recruiter = (iso: string, authorId: string) => ({
      occurredAt: at(iso),
      direction: 'outbound' as const,
      authorKind: 'recruiter' as const,
      authorId,
    });

    beforeAll(async () => {
      db = await database.open();
      ids = {
        admin: await insertRecruiter(db, { name: 'Ada Admin', role: 'admin' }),
        ana: await insertRecruiter(db, { name: 'Ana Recruiter' }),
        bruno: await insertRecruiter(db, { name: 'Bruno Recruiter' }),
      };
      const handler = createGraphqlHandler({
        db,
        publisher: new RecordingPublisher(),
        now: () => NOW,
        ...testDomainSettings,
        bot: { ...testDomainSettings.bot, timeZone: TIME_ZONE },
      });
      call = (who, field, args, selection = '') =>
        handler(
          resolverEvent(field, {
            arguments: args,
            identity: cognitoIdentity({ id: ids[who], groups: who === 'admin' ? ['admin'] : ['recruiter'] }),
            selection,
          }),
        );

      // The cohort: nine aspirants who first wrote in the range, each proving a different furthest stage.
      const cohort = async (key: string, createdAt: string, assigneeId: string | null, status = 'new') => {
        aspirants[key] = await insertAspirant(db, { createdAt: at(createdAt), assigneeId, status });
      };
      await cohort('stillNew', RANGE_START, ids.ana);
      await cohort('formSent', '2025-03-02T10:00:00Z', null);
      await cohort('submittedThenRejected', '2025-03-03T10:00:00Z', ids.ana);
      await cohort('submittedByWebhook', '2025-03-04T10:00:00Z', ids.bruno, 'contacted');
      await cohort('accepted', '2025-03-05T10:00:00Z', ids.bruno);
      await cohort('reviewedThenRejected', '2025-03-06T10:00:00Z', null);
      await cohort('linkOnly', '2025-03-07T10:00:00Z', ids.ana);
      await cohort('photosOnly', '2025-03-07T11:00:00Z', ids.bruno, 'contacted');
      // Imported already rejected: nothing says how far they got.
      await cohort('importedRejected', '2025-03-07T12:00:00Z', null, 'rejected');
      // Outside the range by a millisecond either side: 28 February late evening in Bogotá, and 8 March's first instant.
      aspirants.before = await insertAspirant(db, { createdAt: at('2025-03-01T04:59:59.999Z'), assigneeId: ids.ana, status: 'accepted' });
      aspirants.after = await insertAspirant(db, { createdAt: at(RANGE_END), status: 'accepted' });

      await moveThrough(aspirants.formSent!, ['FORM_SENT']);
      await moveThrough(aspirants.submittedThenRejected!, ['FORM_SENT', 'FORM_COMPLETED', 'REJECTED']);
      await moveThrough(aspirants.accepted!, ['FORM_SENT', 'FORM_COMPLETED', 'PHOTOS_REQUESTED', 'PHOTOS_RECEIVED', 'IN_REVIEW', 'ACCEPTED']);
      await moveThrough(aspirants.reviewedThenRejected!, ['FORM_SENT', 'FORM_COMPLETED', 'IN_REVIEW', 'REJECTED']);
      await db.query(
        `INSERT INTO form_submissions (aspirant_id, source, data) VALUES (:aspirantId::uuid, 'webhook', '{}'::jsonb)`,
        { aspirantId: aspirants.submittedByWebhook! },
      );
      await db.query(
        `INSERT INTO form_links (aspirant_id, expires_at) VALUES (:aspirantId::uuid, '2025-03-21T10:00:00Z'::timestamptz)`,
        { aspirantId: aspirants.linkOnly! },
      );
      await db.query(
        `INSERT INTO photos (aspirant_id, kind, blob_key, thumbnail_key) VALUES (:aspirantId::uuid, 'headshot', 'photos/h.jpg', 'photos/h-thumb.jpg')`,
        { aspirantId: aspirants.photosOnly! },
      );

      // Conversations. First answers: 30 s, 60 s, 300 s (a recruiter), none, 120 s; recruiters' first: 600, 300, 3600 s.
      await conversationWith(aspirants.stillNew!, [
        inbound('2025-03-01T06:00:00Z'),
        bot('2025-03-01T06:00:30Z'),
        recruiter('2025-03-01T06:10:00Z', ids.ana),
        inbound('2025-03-01T07:00:00Z'),
        bot('2025-03-01T07:00:05Z'),
        bot(RANGE_END),
      ]);
      await conversationWith(aspirants.formSent!, [inbound('2025-03-02T10:00:00Z'), bot('2025-03-02T10:01:00Z')]);
      await conversationWith(aspirants.submittedByWebhook!, [inbound('2025-03-04T12:00:00Z'), recruiter('2025-03-04T12:05:00Z', ids.bruno)]);
      await conversationWith(aspirants.accepted!, [inbound('2025-03-05T09:00:00Z')]);
      await conversationWith(aspirants.reviewedThenRejected!, [
        // A template sent before the aspirant wrote is no answer.
        bot('2025-03-06T09:59:00Z'),
        inbound('2025-03-06T10:00:00Z'),
        bot('2025-03-06T10:02:00Z'),
        recruiter('2025-03-06T11:00:00Z', ids.ana),
      ]);
      // First wrote before the range: its later exchange is no first response, but its bot message counts.
      await conversationWith(aspirants.before!, [
        inbound('2025-03-01T04:00:00Z'),
        bot('2025-03-01T04:00:20Z'),
        inbound('2025-03-01T08:00:00Z'),
        bot('2025-03-01T08:00:10Z'),
      ]);
    });

    afterAll(async () => {
      await db?.close();
    });

    it('shows an admin the whole cohort: each stage counts everyone who reached it or went further', async () => {
      const dashboard = (await call('admin', 'Query.dashboard', { range: RANGE }, dashboardSelection)) as Dashboard;
      expect(dashboard.funnel.map((stage) => stage.stage)).toEqual(['NEW', 'FORM_SENT', 'FORM_SUBMITTED', 'PHOTOS', 'IN_REVIEW', 'ACCEPTED']);
      expect(funnelOf(dashboard)).toEqual({ NEW: 9, FORM_SENT: 7, FORM_SUBMITTED: 5, PHOTOS: 3, IN_REVIEW: 2, ACCEPTED: 1 });
      expect(dashboard).toMatchObject({ from: RANGE.from, to: RANGE.to });
    });

    it('gives an admin the median seconds to the first answer and to the first recruiter answer', async () => {
      const dashboard = (await call('admin', 'Query.dashboard', { range: RANGE }, dashboardSelection)) as Dashboard;
      // Answers 30, 60, 120, 300 → 90; recruiters 300, 600, 3600 → 600.
      expect(dashboard.medianFirstResponseSeconds).toBe(90);
      expect(dashboard.medianFirstRecruiterResponseSeconds).toBe(600);
    });

    it('counts outbound messages written in the range by bot and by recruiters', async () => {
      const dashboard = (await call('admin', 'Query.dashboard', { range: RANGE }, dashboardSelection)) as Dashboard;
      expect(dashboard).toMatchObject({ botMessages: 6, recruiterMessages: 3 });
      expect(dashboard.botShare).toBeCloseTo(6 / 9, 10);
    });

    it("keeps a recruiter to their own and unassigned aspirants, leaving out another recruiter's", async () => {
      const dashboard = (await call('ana', 'Query.dashboard', { range: RANGE }, dashboardSelection)) as Dashboard;
      // Ana sees stillNew, formSent, submittedThenRejected, reviewedThenRejected, linkOnly, importedRejected.
      expect(funnelOf(dashboard)).toEqual({ NEW: 6, FORM_SENT: 4, FORM_SUBMITTED: 2, PHOTOS: 1, IN_REVIEW: 1, ACCEPTED: 0 });
      // Answers 30, 60, 120 → 60; recruiters 600, 3600 → 2100. Bruno's 300 s answer is not hers to see.
      expect(dashboard.medianFirstResponseSeconds).toBe(60);
      expect(dashboard.medianFirstRecruiterResponseSeconds).toBe(2100);
      expect(dashboard).toMatchObject({ botMessages: 6, recruiterMessages: 2, botShare: 0.75 });
    });

    it('answers an empty range with zeros and no medians or share', async () => {
      const dashboard = (await call('bruno', 'Query.dashboard', { range: { from: '2024-01-01', to: '2024-01-02' } }, dashboardSelection)) as Dashboard;
      expect(dashboard).toEqual({
        from: '2024-01-01',
        to: '2024-01-02',
        funnel: ['NEW', 'FORM_SENT', 'FORM_SUBMITTED', 'PHOTOS', 'IN_REVIEW', 'ACCEPTED'].map((stage) => ({ stage, aspirants: 0 })),
        medianFirstResponseSeconds: null,
        medianFirstRecruiterResponseSeconds: null,
        botMessages: 0,
        recruiterMessages: 0,
        botShare: null,
      });
    });

    it('refuses a range that is empty, reversed, longer than 366 days or not made of dates', async () => {
      const refused = (range: Record<string, unknown>, message: RegExp) =>
        expect(call('ana', 'Query.dashboard', { range }, dashboardSelection)).rejects.toMatchObject({
          name: 'BadRequest',
          message: expect.stringMatching(message),
        });
      await refused({ from: '2025-03-08', to: '2025-03-08' }, /^range\.to: must be after from$/);
      await refused({ from: '2025-03-08', to: '2025-03-01' }, /^range\.to: must be after from$/);
      await refused({ from: '2024-01-01', to: '2025-01-02' }, /^range\.to: at most 366 days after from$/);
      await refused({ from: '2025-02-30', to: '2025-03-08' }, /^range\.from: /);
      await refused({ from: '2025-03-01T00:00:00Z', to: '2025-03-08' }, /^range\.from: /);
      await refused({ from: '2025-03-01' }, /^range\.to: /);
      // A leap year's 366 days are one range.
      await expect(call('ana', 'Query.dashboard', { range: { from: '2024-01-01', to: '2025-01-01' } }, 'from to')).resolves.toMatchObject({
        from: '2024-01-01',
        to: '2025-01-01',
      });
    });

    describe('the status history', () => {
      const historyOf = (aspirantId: string) =>
        db.query<{ status: string; changedAt: string }>(
          'SELECT status, changed_at FROM aspirant_status_changes WHERE aspirant_id = :aspirantId::uuid ORDER BY id',
          { aspirantId },
        );

      it('records the first status when an aspirant is created and each change a mutation makes, dated by its writer', async () => {
        expect(await historyOf(aspirants.submittedThenRejected!)).toEqual([
          { status: 'new', changedAt: '2025-03-03T10:00:00.000Z' },
          { status: 'form_sent', changedAt: NOW.toISOString() },
          { status: 'form_completed', changedAt: expect.any(String) },
          { status: 'rejected', changedAt: expect.any(String) },
        ]);
      });

      it('catches a change any writer makes in SQL, and nothing when the status stays the same', async () => {
        const aspirantId = await insertAspirant(db, { createdAt: NOW });
        await db.query("UPDATE aspirants SET status = 'contacted' WHERE id = :id::uuid", { id: aspirantId });
        await db.query("UPDATE aspirants SET status = 'contacted', full_name = 'Lu' WHERE id = :id::uuid", { id: aspirantId });
        await db.query("UPDATE aspirants SET full_name = 'Lucía' WHERE id = :id::uuid", { id: aspirantId });
        expect((await historyOf(aspirantId)).map((change) => change.status)).toEqual(['new', 'contacted']);
      });

      it('goes when its aspirant is deleted', async () => {
        const aspirantId = await insertAspirant(db, { status: 'form_sent' });
        await db.query('DELETE FROM aspirants WHERE id = :id::uuid', { id: aspirantId });
        expect(await historyOf(aspirantId)).toEqual([]);
      });
    });
  });
}

/** Databases that stop before the status history migration, to see it backfill aspirants already there. */
function databasesBeforeHistory(): { name: string; open(): Promise<Db> }[] {
  const serverUrl = process.env.TEST_DATABASE_URL;
  const unmigrated = [{ name: 'pglite', open: () => openPGliteDb() }];
  if (serverUrl) {
    unmigrated.push({
      name: 'postgres',
      open: async () => {
        const database = await createServerDatabase(serverUrl);
        const db = await openPostgresDb(database.url);
        return {
          ...db,
          async close() {
            await db.close();
            await database.drop();
          },
        };
      },
    });
  }
  return unmigrated;
}

for (const database of databasesBeforeHistory()) {
  it(`backfills one history row per existing aspirant from its current status on ${database.name}`, async () => {
    const db = await database.open();
    try {
      const migrations = await readMigrations();
      const history = migrations.findIndex((migration) => migration.version === '0005_status_history');
      await migrate(db, migrations.slice(0, history));
      const fresh = await insertAspirant(db, { createdAt: at('2025-01-01T00:00:00Z') });
      const moved = await insertAspirant(db, { createdAt: at('2025-01-02T00:00:00Z'), status: 'in_review' });
      await db.query("UPDATE aspirants SET updated_at = '2025-01-05T00:00:00Z'::timestamptz WHERE id = :id::uuid", { id: moved });
      await migrate(db, migrations.slice(history));
      const rows = await db.query<{ aspirantId: string; status: string; changedAt: string }>(
        'SELECT aspirant_id, status, changed_at FROM aspirant_status_changes ORDER BY changed_at',
      );
      expect(rows).toEqual([
        { aspirantId: fresh, status: 'new', changedAt: '2025-01-01T00:00:00.000Z' },
        { aspirantId: moved, status: 'in_review', changedAt: '2025-01-05T00:00:00.000Z' },
      ]);
    } finally {
      await db.close();
    }
  });
}
