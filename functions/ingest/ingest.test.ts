import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InboundMessage, OutboundStatus, StatusUpdate } from '../channels/model.ts';
import type { Db } from '../data/db.ts';
import { testDatabases } from '../data/testing.ts';
import { createServices, type Services } from '../domain/services.ts';
import { insertAspirant, insertConversation, nextPhone } from '../graphql/testing/fixtures.ts';
import { RecordingPublisher } from '../graphql/testing/recordingPublisher.ts';
import { recordAccepted } from '../outbound/deliveryStatus.ts';
import { ingestWebhook } from './ingest.ts';
import type { InboundPolicy } from './inbound.ts';
import { RecordingMetrics, testDomainSettings } from '../domain/testing.ts';
import { METRICS } from '../shared/metrics.ts';

const NOW = new Date('2025-03-10T12:00:00.000Z');
const POLICY: InboundPolicy = { staleInboundSeconds: 900, automationLimitPerMinute: 20 };
const OUR_NUMBER = '+14155238886';

const sid = () => `SM${randomBytes(16).toString('hex')}`;
const secondsBefore = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);

function inbound(from: string, body: string | null, overrides: Partial<InboundMessage> = {}): InboundMessage {
  return { channel: 'whatsapp_twilio', providerMessageId: sid(), from, to: OUR_NUMBER, profileName: 'Vale', body, media: [], occurredAt: secondsBefore(5), ...overrides };
}

for (const database of testDatabases()) {
  describe(`ingesting webhooks on ${database.name}`, () => {
    let db: Db;
    let publisher: RecordingPublisher;
    let services: Services;
    let metrics: RecordingMetrics;
    const ingest = (messages: InboundMessage[], statuses: StatusUpdate[] = [], policy = POLICY) => ingestWebhook(services, { messages, statuses }, policy);

    beforeAll(async () => {
      db = await database.open();
      publisher = new RecordingPublisher();
      metrics = new RecordingMetrics();
      services = createServices({ db, publisher, now: () => NOW, mediaUrl: async (key) => `https://media.test/${key}`, metrics, ...testDomainSettings });
    });

    afterAll(async () => {
      await db?.close();
    });

    beforeEach(() => {
      publisher.clear();
      metrics.recorded.length = 0;
    });

    const conversationOf = async (phone: string) =>
      (await db.query<{ id: string; aspirantId: string; inboundCount: number; lastBody: string | null; windowExpiresAt: string | null; optedOutAt: string | null; whatsappName: string | null }>(
        `SELECT c.id, c.aspirant_id, c.inbound_count, (SELECT body FROM messages WHERE id = c.last_message_id) AS last_body,
                c.window_expires_at, a.opted_out_at, a.whatsapp_name
           FROM conversations c JOIN aspirants a ON a.id = c.aspirant_id WHERE a.phone = :phone`,
        { phone },
      ))[0]!;

    it("creates a new aspirant's aspirant and conversation, publishing the aspirant, conversation and message once", async () => {
      const phone = nextPhone();
      const outcome = await ingest([inbound(phone, 'Hola', { occurredAt: secondsBefore(60) })]);

      expect(outcome.messages).toEqual([expect.objectContaining({ autoReply: 'eligible', aspirantChanged: true, conversationCreated: true })]);
      expect(await conversationOf(phone)).toMatchObject({ inboundCount: 1, lastBody: 'Hola', whatsappName: 'Vale', windowExpiresAt: new Date(secondsBefore(60).getTime() + 86_400_000).toISOString() });
      expect(publisher.events.map((event) => event.kind).sort()).toEqual(['aspirant', 'conversation', 'message']);
      expect(publisher.events.find((event) => event.kind === 'aspirant')).toMatchObject({ aspirant: { phone, status: 'NEW', whatsappName: 'Vale' }, scope: 'unassigned' });
    });

    it("gives the bot one job for a newcomer's first message, its welcome included, and none for a redelivery", async () => {
      const phone = nextPhone();
      const hello = inbound(phone, 'Hola');
      const [recorded] = (await ingest([hello])).messages;
      expect(recorded).toMatchObject({ autoReply: 'eligible', conversationCreated: true });
      expect((await ingest([hello])).messages).toEqual([]);

      const { aspirantId, conversationId, messageId } = recorded!;
      const jobs = await db.query<{ payload: unknown }>("SELECT payload FROM jobs WHERE type = 'bot.event' AND payload->>'aspirantId' = :aspirantId", { aspirantId });
      expect(jobs).toEqual([{ payload: { aspirantId, conversationId, event: { type: 'inbound_message', messageId } } }]);
    });

    it('stores 50 simultaneous deliveries of one message once, with one media job, one message event and one MessagesIn', async () => {
      const phone = nextPhone();
      const message = inbound(phone, 'foto', { media: [{ providerRef: 'https://api.twilio.test/media/1', contentType: 'image/jpeg', position: 0 }] });
      const outcomes = await Promise.all(Array.from({ length: 50 }, () => ingest([message])));

      expect(outcomes.flatMap((outcome) => outcome.messages)).toHaveLength(1);
      const stored = await db.query<{ id: string }>('SELECT id FROM messages WHERE provider_message_id = :id', { id: message.providerMessageId });
      expect(stored).toHaveLength(1);
      const jobs = await db.query(`SELECT j.id FROM jobs j JOIN media md ON md.id = (j.payload->>'mediaId')::uuid WHERE md.message_id = :id::uuid`, { id: stored[0]!.id });
      expect(jobs).toHaveLength(1);
      expect(publisher.events.filter((event) => event.kind === 'message')).toHaveLength(1);
      expect(metrics.total(METRICS.messagesIn)).toBe(1);
      expect(await conversationOf(phone)).toMatchObject({ inboundCount: 1 });
    });

    it("keeps one person's simultaneous messages in one conversation, counted, with the newest last", async () => {
      const phone = nextPhone();
      const messages = Array.from({ length: 12 }, (_, index) => inbound(phone, `mensaje ${index}`, { occurredAt: secondsBefore(100 - index) }));
      await Promise.all([...messages].reverse().map((message) => ingest([message])));

      expect(await conversationOf(phone)).toMatchObject({ inboundCount: 12, lastBody: 'mensaje 11', windowExpiresAt: new Date(secondsBefore(89).getTime() + 86_400_000).toISOString() });
      expect(await db.query('SELECT id FROM aspirants WHERE phone = :phone', { phone })).toHaveLength(1);
    });

    it('applies opt-out and opt-in words in the order they were written, and reads "yes" from someone opted in as an answer', async () => {
      const phone = nextPhone();
      const yes = await ingest([inbound(phone, 'Yes!', { occurredAt: secondsBefore(50) })]);
      expect(yes.messages[0]!.autoReply).toBe('eligible');
      publisher.clear();

      const stop = await ingest([inbound(phone, 'STOP', { occurredAt: secondsBefore(30) })]);
      expect(stop.messages[0]).toMatchObject({ autoReply: 'keyword', aspirantChanged: true });
      expect((await conversationOf(phone)).optedOutAt).toBe(secondsBefore(30).toISOString());
      // Written before STOP but delivered after it: changes nothing.
      await ingest([inbound(phone, 'start', { occurredAt: secondsBefore(40) })]);
      expect((await conversationOf(phone)).optedOutAt).toBe(secondsBefore(30).toISOString());

      const start = await ingest([inbound(phone, 'Start', { occurredAt: secondsBefore(20) })]);
      expect(start.messages[0]).toMatchObject({ autoReply: 'keyword', aspirantChanged: true });
      expect((await conversationOf(phone)).optedOutAt).toBeNull();
      expect(publisher.events.filter((event) => event.kind === 'aspirant').map((event) => event.kind === 'aspirant' && event.aspirant.optedOut)).toEqual([true, false]);
    });

    it('flags for the bot what it must not answer, and keeps all of it', async () => {
      const phone = nextPhone();
      const outcome = await ingest(
        [
          inbound(phone, 'de antes del corte', { occurredAt: secondsBefore(3600) }),
          inbound(phone, 'uno', { occurredAt: secondsBefore(3) }),
          inbound(phone, 'dos', { occurredAt: secondsBefore(2) }),
          inbound(phone, 'tres', { occurredAt: secondsBefore(1) }),
        ],
        [],
        { staleInboundSeconds: 900, automationLimitPerMinute: 3 },
      );
      expect(outcome.messages.map((message) => message.autoReply)).toEqual(['stale', 'eligible', 'eligible', 'throttled']);
      const late = await ingest([inbound(phone, 'llegó tarde', { occurredAt: secondsBefore(10) })]);
      expect(late.messages[0]!.autoReply).toBe('stale');
      expect((await conversationOf(phone)).inboundCount).toBe(5);
    });

    describe('delivery statuses', () => {
      let conversationId: string;

      beforeAll(async () => {
        const aspirantId = await insertAspirant(db);
        conversationId = await insertConversation(db, { aspirantId, lastActivityAt: NOW, windowExpiresAt: new Date(NOW.getTime() + 3_600_000) });
      });

      /** An outbound message the sender has claimed (sending, no provider id yet). */
      async function sendingMessage(): Promise<string> {
        const [row] = await db.query<{ id: string }>(
          `INSERT INTO messages (conversation_id, direction, author_kind, body, status, occurred_at)
           VALUES (:conversationId::uuid, 'outbound', 'bot', 'hola', 'sending', :now::timestamptz) RETURNING id`,
          { conversationId, now: NOW },
        );
        return row!.id;
      }

      const stateOf = async (messageId: string) =>
        (await db.query<{ status: string; failureCode: string | null; failureReason: string | null; events: number }>(
          `SELECT status, failure_code, failure_reason, (SELECT count(*) FROM message_status_events WHERE message_id = m.id) AS events
             FROM messages m WHERE id = :id::uuid`,
          { id: messageId },
        ))[0]!;

      it('keeps callbacks that arrive before the provider id is recorded, and applies them when it is', async () => {
        const messageId = await sendingMessage();
        const providerMessageId = sid();
        const early = await ingest([], [{ providerMessageId, status: 'delivered' }, { providerMessageId, status: 'sent' }]);
        expect(early.statuses).toEqual([]);
        expect(publisher.events).toEqual([]);

        await db.transaction((tx) => recordAccepted(tx, messageId, { providerMessageId, status: 'queued' }, NOW));
        expect(await stateOf(messageId)).toEqual({ status: 'delivered', failureCode: null, failureReason: null, events: 3 });

        const redelivered = await ingest([], [{ providerMessageId, status: 'sent' }]);
        expect(redelivered.statuses).toEqual([]);
        expect((await stateOf(messageId)).events).toBe(3);
        await ingest([], [{ providerMessageId, status: 'read' }]);
        expect(publisher.events.filter((event) => event.kind === 'message').map((event) => event.kind === 'message' && event.message.status)).toEqual(['READ']);
      });

      type Delivery = { kind: 'accepted' } | { kind: 'callback'; status: OutboundStatus; errorCode?: string };
      const callback: fc.Arbitrary<Delivery> = fc.oneof(
        fc.constantFrom<OutboundStatus>('sent', 'delivered', 'read').map((status) => ({ kind: 'callback' as const, status })),
        fc.constantFrom('63016', '30008').map((errorCode) => ({ kind: 'callback' as const, status: 'undelivered' as const, errorCode })),
      );
      /** The acceptance and some callbacks (redeliveries included), in any order. */
      const deliveries = fc.array(callback, { maxLength: 6 }).chain((callbacks) => fc.shuffledSubarray([{ kind: 'accepted' } as Delivery, ...callbacks], { minLength: callbacks.length + 1 }));

      /** Stated from the rules: proof of arrival beats a failure report, which beats the sending pipeline. */
      function expected(sequence: readonly Delivery[]): string {
        const statuses = new Set(sequence.flatMap((delivery) => (delivery.kind === 'callback' ? [delivery.status] : [])));
        return (['read', 'delivered', 'undelivered', 'sent'] as const).find((status) => statuses.has(status)) ?? 'sending';
      }

      it('end in the same state for every order of callbacks and acceptance', async () => {
        await fc.assert(
          fc.asyncProperty(deliveries, async (sequence) => {
            const messageId = await sendingMessage();
            const providerMessageId = sid();
            for (const delivery of sequence) {
              if (delivery.kind === 'accepted') await db.transaction((tx) => recordAccepted(tx, messageId, { providerMessageId, status: 'queued' }, NOW));
              else await ingest([], [{ providerMessageId, status: delivery.status, ...(delivery.errorCode ? { errorCode: delivery.errorCode, errorMessage: `error ${delivery.errorCode}` } : {}) }]);
            }
            const state = await stateOf(messageId);
            expect(state.status).toBe(expected(sequence));
            if (state.status === 'undelivered') expect(state.failureReason).toMatch(/^error /);
            const distinct = new Set(sequence.map((delivery) => (delivery.kind === 'accepted' ? 'sending' : `${delivery.status}:${delivery.errorCode ?? ''}`)));
            expect(state.events).toBe(distinct.size);
          }),
          { numRuns: database.name === 'pglite' ? 40 : 15 },
        );
      });
    });
  });
}
