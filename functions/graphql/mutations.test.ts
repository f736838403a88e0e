import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../data/db.ts';
import { testDatabases } from '../data/testing.ts';
import type { Aspirant, AspirantNote, Conversation, Message } from '../generated/graphql.ts';
import { createGraphqlHandler } from './handler.ts';
import { cognitoIdentity, resolverEvent } from './testing/events.ts';
import { hoursFrom, insertAspirant, insertConversation, insertMessage, insertRecruiter } from './testing/fixtures.ts';
import { RecordingPublisher } from './testing/recordingPublisher.ts';

const NOW = new Date('2025-03-10T12:00:00.000Z');
const messageSelection = 'id conversationId direction authorKind author { id name } body status occurredAt';

for (const database of testDatabases()) {
  describe(`mutations on ${database.name}`, () => {
    let db: Db;
    let publisher: RecordingPublisher;
    let anaId: string;
    let call: (field: string, args: Record<string, unknown>, selection?: string) => Promise<unknown>;

    beforeAll(async () => {
      db = await database.open();
      publisher = new RecordingPublisher();
      const handler = createGraphqlHandler({ db, publisher, now: () => NOW });
      anaId = await insertRecruiter(db, { name: 'Ana Recruiter' });
      const identity = cognitoIdentity({ id: anaId });
      call = (field, args, selection = '') => handler(resolverEvent(field, { arguments: args, identity, selection }));
    });

    afterAll(async () => {
      await db?.close();
    });

    beforeEach(() => publisher.clear());

    /** Ana's aspirant with a conversation whose window closes `windowHours` from now (null: never opened). */
    async function conversationFor(options: { windowHours?: number | null; status?: string; optedOut?: boolean } = {}) {
      const aspirantId = await insertAspirant(db, {
        fullName: 'Lucía Fernández',
        assigneeId: anaId,
        status: options.status ?? 'contacted',
        optedOutAt: options.optedOut ? hoursFrom(NOW, -1) : null,
      });
      const windowHours = options.windowHours === undefined ? 20 : options.windowHours;
      const conversationId = await insertConversation(db, {
        aspirantId,
        lastActivityAt: hoursFrom(NOW, -4),
        windowExpiresAt: windowHours === null ? null : hoursFrom(NOW, windowHours),
        inboundCount: 2,
      });
      await insertMessage(db, { conversationId, occurredAt: hoursFrom(NOW, -4), body: 'Hola, quiero ser modelo' });
      return { aspirantId, conversationId };
    }

    const messagesIn = async (conversationId: string) =>
      db.query<{ id: string; status: string; idempotencyKey: string | null }>(
        'SELECT id, status, idempotency_key FROM messages WHERE conversation_id = :id::uuid ORDER BY occurred_at',
        { id: conversationId },
      );

    describe('sendMessage', () => {
      it('queues an outbound recruiter message, moves the conversation, pauses the bot and publishes after commit', async () => {
        const { conversationId } = await conversationFor();
        const message = (await call(
          'Mutation.sendMessage',
          { input: { conversationId, body: '¡Hola Lucía! ¿Tienes fotos recientes?', idempotencyKey: 'click-0001' } },
          messageSelection,
        )) as Message;
        expect(message).toMatchObject({
          conversationId,
          direction: 'OUTBOUND',
          authorKind: 'RECRUITER',
          author: { id: anaId, name: 'Ana Recruiter' },
          status: 'QUEUED',
          occurredAt: NOW.toISOString(),
        });
        const [conversation] = await db.query<{ lastMessageId: string; lastActivityAt: string; botPaused: boolean }>(
          'SELECT last_message_id, last_activity_at, bot_paused FROM conversations WHERE id = :id::uuid',
          { id: conversationId },
        );
        expect(conversation).toEqual({ lastMessageId: message.id, lastActivityAt: NOW.toISOString(), botPaused: true });
        expect(publisher.events.map((event) => [event.kind, event.scope])).toEqual([
          ['message', anaId],
          ['conversation', anaId],
        ]);
        const [messageEvent, conversationEvent] = publisher.events;
        expect(messageEvent).toMatchObject({ conversationId, message: { id: message.id, body: '¡Hola Lucía! ¿Tienes fotos recientes?' } });
        expect(conversationEvent).toMatchObject({ conversation: { id: conversationId, unreadCount: null, botPaused: true, lastMessage: { id: message.id } } });
      });

      it('sends once per idempotency key: a repeat returns the first message and publishes nothing', async () => {
        const { conversationId } = await conversationFor();
        const input = { conversationId, body: 'Te envío el formulario', idempotencyKey: 'double-click-42' };
        const first = (await call('Mutation.sendMessage', { input }, 'id')) as Message;
        const second = (await call('Mutation.sendMessage', { input }, 'id')) as Message;
        expect(second.id).toBe(first.id);
        expect((await messagesIn(conversationId)).filter((row) => row.idempotencyKey === 'double-click-42')).toHaveLength(1);
        expect(publisher.events.filter((event) => event.kind === 'message')).toHaveLength(1);
      });

      it('refuses a closed window or an opted-out aspirant, writing and publishing nothing', async () => {
        for (const [options, message] of [
          [{ windowHours: -1 }, 'window closed'],
          [{ windowHours: null }, 'window closed'],
          [{ optedOut: true }, 'opted out'],
        ] as const) {
          const { conversationId } = await conversationFor(options);
          const attempt = call('Mutation.sendMessage', { input: { conversationId, body: 'hola', idempotencyKey: 'closed-0001' } }, 'id');
          await expect(attempt).rejects.toMatchObject({ name: 'BadRequest', message: expect.stringContaining(message) });
          expect(await messagesIn(conversationId)).toHaveLength(1);
        }
        expect(publisher.events).toEqual([]);
      });

      it('refuses invalid input naming the field, and changes nothing', async () => {
        const { conversationId } = await conversationFor();
        const invalid: [Record<string, unknown>, string][] = [
          [{ conversationId, body: '   ', idempotencyKey: 'valid-key-1' }, 'input.body'],
          [{ conversationId, body: 'x'.repeat(4097), idempotencyKey: 'valid-key-1' }, 'input.body'],
          [{ conversationId, body: 'hola', idempotencyKey: 'short' }, 'input.idempotencyKey'],
          [{ conversationId, body: 'hola', idempotencyKey: 'k'.repeat(129) }, 'input.idempotencyKey'],
          [{ conversationId: 'nope', body: 'hola', idempotencyKey: 'valid-key-1' }, 'input.conversationId'],
        ];
        for (const [input, field] of invalid) {
          await expect(call('Mutation.sendMessage', { input }, 'id')).rejects.toMatchObject({ name: 'BadRequest', message: expect.stringContaining(field) });
        }
        expect(await messagesIn(conversationId)).toHaveLength(1);
        expect(publisher.events).toEqual([]);
      });

      it('accepts a body of exactly 4096 characters', async () => {
        const { conversationId } = await conversationFor();
        const message = (await call('Mutation.sendMessage', { input: { conversationId, body: 'x'.repeat(4096), idempotencyKey: 'long-body-1' } }, 'body')) as Message;
        expect(message.body).toHaveLength(4096);
      });
    });

    describe('markConversationRead', () => {
      it("sets the caller's unread count to zero without broadcasting", async () => {
        const { conversationId } = await conversationFor();
        const before = (await call('Query.conversation', { id: conversationId }, 'unreadCount')) as Conversation;
        expect(before.unreadCount).toBe(2);
        const after = (await call('Mutation.markConversationRead', { conversationId }, 'id unreadCount')) as Conversation;
        expect(after.unreadCount).toBe(0);
        expect(publisher.events).toEqual([]);
      });
    });

    describe('updateAspirantStatus', () => {
      it('moves along an allowed transition and publishes the aspirant and its conversation', async () => {
        const { aspirantId, conversationId } = await conversationFor({ status: 'contacted' });
        const aspirant = (await call('Mutation.updateAspirantStatus', { aspirantId, status: 'FORM_SENT' }, 'status allowedTransitions')) as Aspirant;
        expect(aspirant.status).toBe('FORM_SENT');
        expect(aspirant.allowedTransitions).toEqual(['CONTACTED', 'FORM_COMPLETED', 'REJECTED', 'WITHDRAWN']);
        expect(publisher.events.map((event) => [event.kind, event.scope])).toEqual([
          ['aspirant', anaId],
          ['conversation', anaId],
        ]);
        expect(publisher.events[1]).toMatchObject({ conversationId, conversation: { aspirant: { status: 'FORM_SENT' } } });
      });

      it('refuses a transition the pipeline does not allow, or an unknown status, and changes nothing', async () => {
        const { aspirantId } = await conversationFor({ status: 'new' });
        await expect(call('Mutation.updateAspirantStatus', { aspirantId, status: 'ACCEPTED' }, 'status')).rejects.toMatchObject({
          name: 'BadRequest',
          message: 'status: cannot move an aspirant from NEW to ACCEPTED',
        });
        await expect(call('Mutation.updateAspirantStatus', { aspirantId, status: 'HIRED' }, 'status')).rejects.toMatchObject({
          name: 'BadRequest',
          message: expect.stringContaining('status'),
        });
        const [row] = await db.query<{ status: string }>('SELECT status FROM aspirants WHERE id = :id::uuid', { id: aspirantId });
        expect(row!.status).toBe('new');
        expect(publisher.events).toEqual([]);
      });
    });

    describe('setAspirantTags', () => {
      it('stores tags trimmed and deduplicated ignoring case', async () => {
        const { aspirantId } = await conversationFor();
        const aspirant = (await call('Mutation.setAspirantTags', { aspirantId, tags: [' runway ', 'Runway', 'editorial', 'EDITORIAL '] }, 'tags')) as Aspirant;
        expect(aspirant.tags).toEqual(['runway', 'editorial']);
        expect(publisher.events.map((event) => event.kind)).toEqual(['aspirant', 'conversation']);
      });

      it('refuses more than 20 tags, tags over 32 characters and empty tags', async () => {
        const { aspirantId } = await conversationFor();
        for (const tags of [Array.from({ length: 21 }, (_, index) => `tag${index}`), ['x'.repeat(33)], ['  ']]) {
          await expect(call('Mutation.setAspirantTags', { aspirantId, tags }, 'tags')).rejects.toMatchObject({ name: 'BadRequest', message: expect.stringContaining('tags') });
        }
        const twenty = Array.from({ length: 20 }, (_, index) => `tag${index}`);
        expect(((await call('Mutation.setAspirantTags', { aspirantId, tags: twenty }, 'tags')) as Aspirant).tags).toEqual(twenty);
      });
    });

    describe('addAspirantNote', () => {
      it('adds a trimmed note by the caller, visible on the aspirant', async () => {
        const { aspirantId } = await conversationFor();
        const note = (await call('Mutation.addAspirantNote', { aspirantId, body: '  Llamar el lunes  ' }, 'id body author { name }')) as AspirantNote;
        expect(note).toMatchObject({ aspirantId, body: 'Llamar el lunes', author: { name: 'Ana Recruiter' } });
        const aspirant = (await call('Query.aspirant', { id: aspirantId }, 'notes { id body }')) as Aspirant;
        expect(aspirant.notes).toEqual([
          { id: note.id, aspirantId, body: 'Llamar el lunes', createdAt: NOW.toISOString(), author: expect.objectContaining({ id: anaId }) },
        ]);
        expect(publisher.events.map((event) => event.kind)).toEqual(['aspirant', 'conversation']);
      });

      it('refuses an empty or overlong note', async () => {
        const { aspirantId } = await conversationFor();
        for (const body of ['   ', 'x'.repeat(2001)]) {
          await expect(call('Mutation.addAspirantNote', { aspirantId, body }, 'id')).rejects.toMatchObject({ name: 'BadRequest', message: expect.stringContaining('body') });
        }
        expect(await db.query('SELECT id FROM aspirant_notes WHERE aspirant_id = :id::uuid', { id: aspirantId })).toEqual([]);
      });
    });

    it('keeps a committed change when publishing fails', async () => {
      const failing = createGraphqlHandler({
        db,
        publisher: { publish: () => Promise.reject(new Error('AppSync unreachable')) },
        now: () => NOW,
      });
      const { aspirantId } = await conversationFor();
      const event = resolverEvent('Mutation.setAspirantTags', { arguments: { aspirantId, tags: ['vip'] }, identity: cognitoIdentity({ id: anaId }), selection: 'tags' });
      expect(((await failing(event)) as Aspirant).tags).toEqual(['vip']);
    });
  });
}
