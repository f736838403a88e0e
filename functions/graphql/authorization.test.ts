import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bindings } from '../../resolvers/manifest.ts';
import { openInMemoryDb } from '../data/connect.ts';
import type { Db } from '../data/db.ts';
import { testDatabases } from '../data/testing.ts';
import type { Aspirant, Recruiter } from '../generated/graphql.ts';
import { createGraphqlHandler, routes } from './handler.ts';
import { cognitoIdentity, resolverEvent, subscriptionAuthorizationEvent } from './testing/events.ts';
import { hoursFrom, insertAspirant, insertConversation, insertMessage, insertRecruiter } from './testing/fixtures.ts';
import { RecordingPublisher } from './testing/recordingPublisher.ts';

const NOW = new Date('2025-03-10T12:00:00.000Z');
const MISSING_ID = '00000000-0000-4000-8000-000000000000';

describe('routing', () => {
  it('routes every field the resolver manifest binds to the GraphQL Lambda, and nothing else', () => {
    const bound = bindings.filter((binding) => binding.dataSource === 'graphql').map((binding) => `${binding.typeName}.${binding.fieldName}`);
    expect(Object.keys(routes).sort()).toEqual(bound.sort());
  });

  it('fails a field that has no route, and hides unexpected failures behind a generic error', async () => {
    const db = await openInMemoryDb();
    const adminId = await insertRecruiter(db, { name: 'Ada Admin', role: 'admin' });
    const handler = createGraphqlHandler({ db, publisher: new RecordingPublisher(), now: () => NOW });
    const identity = cognitoIdentity({ id: adminId, groups: ['admin'] });
    await expect(handler(resolverEvent('Query.publishSecrets', { identity }))).rejects.toThrow('no resolver is routed for Query.publishSecrets');
    await db.query('DROP TABLE conversation_reads');
    const failure = await handler(resolverEvent('Query.inbox', { identity, selection: 'nodes { id }' })).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'Error', message: 'internal error' });
    await db.close();
  });
});

for (const database of testDatabases()) {
  describe(`authorization on ${database.name}`, () => {
    let db: Db;
    let publisher: RecordingPublisher;
    let handler: ReturnType<typeof createGraphqlHandler>;
    let ids: Record<'admin' | 'ana' | 'bruno' | 'retired' | 'anasAspirant' | 'anasConversation' | 'openAspirant' | 'openConversation', string>;
    const as = (who: 'admin' | 'ana' | 'bruno' | 'retired') =>
      cognitoIdentity({ id: ids[who], groups: [who === 'admin' ? 'admin' : 'recruiter'] });
    const call = (who: 'admin' | 'ana' | 'bruno' | 'retired', field: string, args: Record<string, unknown> = {}, selection = '') =>
      handler(resolverEvent(field, { arguments: args, identity: as(who), selection }));

    beforeAll(async () => {
      db = await database.open();
      publisher = new RecordingPublisher();
      handler = createGraphqlHandler({ db, publisher, now: () => NOW });
      const admin = await insertRecruiter(db, { name: 'Ada Admin', role: 'admin' });
      const ana = await insertRecruiter(db, { name: 'Ana Recruiter' });
      const bruno = await insertRecruiter(db, { name: 'Bruno Recruiter' });
      const retired = await insertRecruiter(db, { name: 'Rita Retired', active: false });
      const anasAspirant = await insertAspirant(db, { fullName: 'Assigned To Ana', assigneeId: ana, status: 'contacted' });
      const anasConversation = await insertConversation(db, { aspirantId: anasAspirant, lastActivityAt: NOW, windowExpiresAt: hoursFrom(NOW, 10), inboundCount: 1 });
      await insertMessage(db, { conversationId: anasConversation, occurredAt: hoursFrom(NOW, -1) });
      const openAspirant = await insertAspirant(db, { fullName: 'Nobody Yet' });
      const openConversation = await insertConversation(db, { aspirantId: openAspirant, lastActivityAt: NOW, windowExpiresAt: hoursFrom(NOW, 10) });
      ids = { admin, ana, bruno, retired, anasAspirant, anasConversation, openAspirant, openConversation };
    });

    afterAll(async () => {
      await db?.close();
    });

    beforeEach(() => publisher.clear());

    describe('identity', () => {
      it('answers me with the recruiter behind the token', async () => {
        expect(await call('ana', 'Query.me', {}, 'id name role')).toMatchObject({ id: ids.ana, name: 'Ana Recruiter', role: 'RECRUITER' });
        expect(await call('admin', 'Query.me', {}, 'id role')).toMatchObject({ id: ids.admin, role: 'ADMIN' });
        const everyone = (await call('ana', 'Query.recruiters', {}, 'name')) as Recruiter[];
        expect(everyone.map((recruiter) => recruiter.name)).toEqual(['Ada Admin', 'Ana Recruiter', 'Bruno Recruiter', 'Rita Retired']);
      });

      it('rejects the credentials of callers without an identity, outside the groups, unknown or inactive (the console then ends the session)', async () => {
        const refused = [
          resolverEvent('Query.me', { identity: null }),
          resolverEvent('Query.me', { identity: cognitoIdentity({ id: ids.ana, groups: ['viewers'] }) }),
          resolverEvent('Query.me', { identity: cognitoIdentity({ id: MISSING_ID }) }),
          resolverEvent('Query.me', { identity: cognitoIdentity({ id: 'not-a-uuid' }) }),
          resolverEvent('Query.me', { identity: cognitoIdentity({ id: ids.retired }) }),
        ];
        for (const event of refused) await expect(handler(event)).rejects.toMatchObject({ name: 'UnauthorizedException' });
      });
    });

    describe("another recruiter's aspirant", () => {
      it('cannot be read by a different recruiter, but can by its assignee and by admins', async () => {
        for (const [field, args] of [
          ['Query.aspirant', { id: ids.anasAspirant }],
          ['Query.conversation', { id: ids.anasConversation }],
          ['Query.thread', { conversationId: ids.anasConversation }],
        ] as const) {
          await expect(call('bruno', field, args, 'id')).rejects.toMatchObject({ name: 'Unauthorized' });
          await expect(call('ana', field, args, 'id')).resolves.toBeTruthy();
          await expect(call('admin', field, args, 'id')).resolves.toBeTruthy();
        }
        // Unknown ids are simply absent.
        expect(await call('bruno', 'Query.aspirant', { id: MISSING_ID }, 'id')).toBeNull();
      });

      it('cannot be changed by a different recruiter: Unauthorized, nothing written, nothing published', async () => {
        const before = await snapshot();
        const attempts: [string, Record<string, unknown>][] = [
          ['Mutation.sendMessage', { input: { conversationId: ids.anasConversation, body: 'hola', idempotencyKey: 'bruno-key-0001' } }],
          ['Mutation.markConversationRead', { conversationId: ids.anasConversation }],
          ['Mutation.updateAspirantStatus', { aspirantId: ids.anasAspirant, status: 'FORM_SENT' }],
          ['Mutation.setAspirantTags', { aspirantId: ids.anasAspirant, tags: ['mine'] }],
          ['Mutation.addAspirantNote', { aspirantId: ids.anasAspirant, body: 'sneaky' }],
          ['Mutation.assignAspirant', { aspirantId: ids.anasAspirant, recruiterId: ids.bruno }],
          ['Mutation.assignAspirant', { aspirantId: ids.anasAspirant, recruiterId: null }],
        ];
        for (const [field, args] of attempts) {
          await expect(call('bruno', field, args, 'id')).rejects.toMatchObject({ name: 'Unauthorized' });
        }
        expect(await snapshot()).toEqual(before);
        expect(publisher.events).toEqual([]);
      });

      it('cannot be subscribed to by a different recruiter', async () => {
        const authorize = (who: 'admin' | 'ana' | 'bruno', field: 'onMessageEvent' | 'onAspirantEvent', args: Record<string, unknown>) =>
          handler(subscriptionAuthorizationEvent(field, args, as(who)));
        await expect(authorize('bruno', 'onMessageEvent', { conversationId: ids.anasConversation })).rejects.toMatchObject({ name: 'Unauthorized' });
        await expect(authorize('bruno', 'onAspirantEvent', { aspirantId: ids.anasAspirant })).rejects.toMatchObject({ name: 'Unauthorized' });
        expect(await authorize('ana', 'onMessageEvent', { conversationId: ids.anasConversation })).toBeNull();
        expect(await authorize('admin', 'onAspirantEvent', { aspirantId: ids.anasAspirant })).toBeNull();
        expect(await authorize('bruno', 'onMessageEvent', { conversationId: ids.openConversation })).toBeNull();
        // Without an id the subscription covers what the caller may see; the scope filter narrows it.
        expect(await authorize('bruno', 'onAspirantEvent', {})).toBeNull();
        await expect(authorize('bruno', 'onMessageEvent', { conversationId: MISSING_ID })).rejects.toMatchObject({ name: 'NotFound' });
        await expect(handler(subscriptionAuthorizationEvent('onAspirantEvent', {}, null))).rejects.toMatchObject({ name: 'UnauthorizedException' });
      });
    });

    describe('dead letters', () => {
      it('are for admins only: the server refuses recruiters even if the schema directive were missing', async () => {
        const [job] = await db.query<{ id: string }>(
          `INSERT INTO jobs (type, payload, status, attempts, last_error, finished_at)
           VALUES ('media.fetch', '{"mediaId": "00000000-0000-4000-8000-000000000001"}'::jsonb, 'dead', 8, 'TransientMediaError: 503', now())
           RETURNING id`,
        );
        await expect(call('ana', 'Query.deadLetters', {}, 'nodes { id }')).rejects.toMatchObject({ name: 'Unauthorized' });
        await expect(call('ana', 'Mutation.retryDeadLetter', { id: job!.id }, 'id')).rejects.toMatchObject({ name: 'Unauthorized' });
        expect(await db.query('SELECT status FROM jobs WHERE id = :id::uuid', { id: job!.id })).toEqual([{ status: 'dead' }]);

        const listed = (await call('admin', 'Query.deadLetters', {}, 'nodes { id type payload attempts lastError failedAt }')) as { nodes: unknown[] };
        expect(listed.nodes).toEqual([
          expect.objectContaining({ id: job!.id, type: 'media.fetch', payload: '{"mediaId":"00000000-0000-4000-8000-000000000001"}', attempts: 8, lastError: 'TransientMediaError: 503', failedAt: expect.any(String) }),
        ]);
        expect(await call('admin', 'Mutation.retryDeadLetter', { id: job!.id }, 'id attempts')).toMatchObject({ id: job!.id, attempts: 8 });
        expect(await db.query('SELECT status, attempts FROM jobs WHERE id = :id::uuid', { id: job!.id })).toEqual([{ status: 'pending', attempts: 0 }]);
        await expect(call('admin', 'Mutation.retryDeadLetter', { id: job!.id }, 'id')).rejects.toMatchObject({ name: 'NotFound' });
        await expect(call('admin', 'Mutation.retryDeadLetter', { id: 'nope' }, 'id')).rejects.toMatchObject({ name: 'BadRequest' });
        await db.query('DELETE FROM jobs WHERE id = :id::uuid', { id: job!.id });
      });
    });

    describe('assignment', () => {
      it('lets a recruiter take an unassigned aspirant and release it, but not give it to someone else', async () => {
        await expect(call('bruno', 'Mutation.assignAspirant', { aspirantId: ids.openAspirant, recruiterId: ids.ana })).rejects.toMatchObject({
          name: 'Unauthorized',
        });
        const taken = (await call('bruno', 'Mutation.assignAspirant', { aspirantId: ids.openAspirant, recruiterId: ids.bruno }, 'assignee { id }')) as Aspirant;
        expect(taken.assignee?.id).toBe(ids.bruno);
        await expect(call('ana', 'Query.aspirant', { id: ids.openAspirant }, 'id')).rejects.toMatchObject({ name: 'Unauthorized' });
        const released = (await call('bruno', 'Mutation.assignAspirant', { aspirantId: ids.openAspirant }, 'assignee { id }')) as Aspirant;
        expect(released.assignee).toBeNull();
      });

      it('lets an admin assign anyone to an active recruiter only', async () => {
        await expect(call('admin', 'Mutation.assignAspirant', { aspirantId: ids.openAspirant, recruiterId: ids.retired })).rejects.toMatchObject({
          name: 'BadRequest',
          message: expect.stringContaining('recruiterId'),
        });
        await expect(call('admin', 'Mutation.assignAspirant', { aspirantId: ids.openAspirant, recruiterId: MISSING_ID })).rejects.toMatchObject({
          name: 'BadRequest',
        });
        const moved = (await call('admin', 'Mutation.assignAspirant', { aspirantId: ids.anasAspirant, recruiterId: ids.bruno }, 'assignee { name }')) as Aspirant;
        expect(moved.assignee?.name).toBe('Bruno Recruiter');
        // Both the old and the new assignee hear about it.
        expect(new Set(publisher.events.map((event) => event.scope))).toEqual(new Set([ids.ana, ids.bruno]));
        await call('admin', 'Mutation.assignAspirant', { aspirantId: ids.anasAspirant, recruiterId: ids.ana }, 'id');
      });
    });

    /** Everything a refused mutation might have touched. */
    async function snapshot() {
      return {
        aspirants: await db.query('SELECT id, status, tags, assignee_id, updated_at FROM aspirants ORDER BY id'),
        conversations: await db.query('SELECT id, last_message_id, last_activity_at, bot_paused FROM conversations ORDER BY id'),
        messages: await db.query('SELECT count(*) AS n FROM messages'),
        notes: await db.query('SELECT count(*) AS n FROM aspirant_notes'),
        reads: await db.query('SELECT count(*) AS n FROM conversation_reads'),
      };
    }
  });
}
