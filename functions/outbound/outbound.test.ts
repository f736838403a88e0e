import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeMetaGraphApi, type FakeMetaGraphApi } from '../../infra/local/providers/metaGraphApi.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from '../../infra/local/providers/twilioApi.ts';
import { createMetaChannel } from '../channels/meta/provider.ts';
import { SendError } from '../channels/model.ts';
import { createTwilioChannel } from '../channels/twilio/provider.ts';
import type { Db } from '../data/db.ts';
import { testDatabases } from '../data/testing.ts';
import { createServices, type Services } from '../domain/services.ts';
import type { Message, MessageTemplate } from '../generated/graphql.ts';
import { createGraphqlHandler } from '../graphql/handler.ts';
import { cognitoIdentity, resolverEvent } from '../graphql/testing/events.ts';
import { hoursFrom, insertAspirant, insertConversation, insertRecruiter } from '../graphql/testing/fixtures.ts';
import { RecordingPublisher } from '../graphql/testing/recordingPublisher.ts';
import type { ChannelProviders } from '../worker/channels.ts';
import { TokenBuckets } from './rateLimit.ts';
import { sendOutbound, type SenderDeps } from './sender.ts';
import { RecordingMetrics, testDomainSettings } from '../domain/testing.ts';
import { METRICS } from '../shared/metrics.ts';

const TWILIO = { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'f00dfeedf00dfeedf00dfeedf00dfeed', sender: '+14155238886' };
const META = { appSecret: '0123456789abcdef0123456789abcdef', verifyToken: 'verify-me', accessToken: 'EAAG-local-access-token', phoneNumberId: '106540352242922' };
const STATUS_CALLBACK_URL = 'https://wasaprecruit.test/webhooks/twilio/status';
const CONTENT_SID = `HX${'ab'.repeat(16)}`;

let twilio: FakeTwilioApi;
let meta: FakeMetaGraphApi;
let providers: ChannelProviders;

beforeAll(async () => {
  twilio = await startFakeTwilioApi({ accountSid: TWILIO.accountSid, authToken: TWILIO.authToken });
  meta = await startFakeMetaGraphApi({ accessToken: META.accessToken, phoneNumberId: META.phoneNumberId, displayPhoneNumber: '+15550783881' });
  providers = {
    whatsapp_twilio: createTwilioChannel({ accountSid: TWILIO.accountSid, authToken: TWILIO.authToken, whatsappFrom: TWILIO.sender, apiBaseUrl: twilio.url }),
    whatsapp_meta: createMetaChannel({ ...META, graphBaseUrl: meta.url }),
  };
});

afterAll(async () => {
  await twilio?.close();
  await meta?.close();
});

describe('the outbound rate limit', () => {
  it('lets a second of messages through at once, then one every 1/rate seconds, per sender', async () => {
    const buckets = new TokenBuckets(10);
    const started = Date.now();
    const finished: number[] = [];
    await Promise.all([
      ...Array.from({ length: 15 }, () => buckets.take('whatsapp_twilio').then(() => finished.push(Date.now() - started))),
      buckets.take('whatsapp_meta').then(() => expect(Date.now() - started).toBeLessThan(50)),
    ]);
    expect(finished.filter((elapsed) => elapsed < 50)).toHaveLength(10);
    expect(Math.max(...finished)).toBeGreaterThanOrEqual(490);
    expect(() => new TokenBuckets(0)).toThrow(RangeError);
  });
});

/** Unique across the databases too: they share the fake providers. */
let phoneCounter = 0;

for (const database of testDatabases()) {
  describe(`outbound messages on ${database.name}`, () => {
    let db: Db;
    let now: Date;
    let publisher: RecordingPublisher;
    let services: Services;
    let call: (field: string, args: Record<string, unknown>, selection?: string) => Promise<unknown>;
    let templates: Record<'twilioAndMeta' | 'metaOnly' | 'unapproved', string>;
    const sender = (overrides: Partial<SenderDeps> = {}): SenderDeps => ({ services, providers, statusCallbackUrl: STATUS_CALLBACK_URL, rateLimit: new TokenBuckets(80), ...overrides });

    beforeAll(async () => {
      db = await database.open();
      now = new Date();
      publisher = new RecordingPublisher();
      services = createServices({ db, publisher, now: () => now, mediaUrl: async (key) => key, ...testDomainSettings });
      const recruiterId = await insertRecruiter(db, { name: 'Rosa Recruiter' });
      const handler = createGraphqlHandler({ db, publisher, now: () => now });
      call = (field, args, selection = 'id body status failureCode failureReason') =>
        handler(resolverEvent(field, { arguments: args, identity: cognitoIdentity({ id: recruiterId }), selection }));
      const insertTemplate = async (name: string, fields: { twilio?: boolean; approved?: boolean } = {}) => {
        const [row] = await db.query<{ id: string }>(
          `INSERT INTO message_templates (name, language, body, variables, twilio_content_sid, meta_template_name, meta_language, approved)
           VALUES (:name, 'es', 'Hola {{1}}, te esperamos el {{2}}.', '["first name", "date"]'::jsonb, :sid, :name, 'es_MX', :approved::boolean)
           RETURNING id`,
          { name, sid: fields.twilio === false ? null : CONTENT_SID, approved: fields.approved ?? true },
        );
        return row!.id;
      };
      templates = {
        twilioAndMeta: await insertTemplate('casting'),
        metaOnly: await insertTemplate('casting_meta', { twilio: false }),
        unapproved: await insertTemplate('casting_draft', { approved: false }),
      };
    });

    afterAll(async () => {
      await db?.close();
    });

    beforeEach(() => publisher.clear());

    /** A conversation whose window closes in `windowHours` (negative: closed). */
    async function conversation(options: { windowHours?: number; channel?: 'whatsapp_twilio' | 'whatsapp_meta'; optedOut?: boolean } = {}) {
      const phone = `+1305555${String(2000 + phoneCounter++).padStart(4, '0')}`;
      const aspirantId = await insertAspirant(db, { phone, optedOutAt: options.optedOut ? hoursFrom(now, -1) : null });
      const id = await insertConversation(db, {
        aspirantId,
        channel: options.channel ?? 'whatsapp_twilio',
        lastActivityAt: now,
        windowExpiresAt: hoursFrom(now, options.windowHours ?? 20),
      });
      return { id, aspirantId, phone };
    }

    const sendText = (conversationId: string, body = 'Hola, ¿sigues interesada?', idempotencyKey = `key-${Math.random()}`) =>
      call('Mutation.sendMessage', { input: { conversationId, body, idempotencyKey } }) as Promise<Message>;
    const sendTemplate = (conversationId: string, templateId: string, variables: string[], idempotencyKey = `key-${Math.random()}`) =>
      call('Mutation.sendTemplate', { input: { conversationId, templateId, variables, idempotencyKey } }) as Promise<Message>;
    const stateOf = async (messageId: string) =>
      (await db.query<{ status: string; failureCode: string | null; failureReason: string | null; providerMessageId: string | null }>(
        'SELECT status, failure_code, failure_reason, provider_message_id FROM messages WHERE id = :id::uuid',
        { id: messageId },
      ))[0]!;
    const sendJobsOf = (messageId: string) => db.query("SELECT id FROM jobs WHERE type = 'message.send' AND payload->>'messageId' = :id", { id: messageId });
    const sentTo = (phone: string) => twilio.sent.filter((message) => message.params.To === `whatsapp:${phone}`);

    describe('queueing', () => {
      it('writes a message and one send job together; a repeated idempotency key returns it and queues nothing', async () => {
        const { id } = await conversation();
        const first = await sendText(id, 'Hola', 'key-twice-0001');
        const repeat = await sendText(id, 'Hola', 'key-twice-0001');
        expect(repeat.id).toBe(first.id);
        expect(first.status).toBe('QUEUED');
        expect(await sendJobsOf(first.id)).toHaveLength(1);
        expect(publisher.events.filter((event) => event.kind === 'message')).toHaveLength(1);
      });

      it('offers approved templates only, in the language asked for', async () => {
        const all = (await call('Query.messageTemplates', {}, 'id name language body variables')) as MessageTemplate[];
        expect(all.map((template) => template.name)).toEqual(['casting', 'casting_meta']);
        expect(all[0]).toEqual({ id: templates.twilioAndMeta, name: 'casting', language: 'ES', body: 'Hola {{1}}, te esperamos el {{2}}.', variables: ['first name', 'date'] });
        expect(await call('Query.messageTemplates', { language: 'PT' }, 'id')).toEqual([]);
        await expect(call('Query.messageTemplates', { language: 'FR' }, 'id')).rejects.toMatchObject({ name: 'BadRequest' });
      });

      it('queues a template outside the window, with the text the aspirant will read', async () => {
        const { id } = await conversation({ windowHours: -3 });
        await expect(sendText(id)).rejects.toMatchObject({ name: 'BadRequest', message: expect.stringMatching(/window closed/) });
        const message = await sendTemplate(id, templates.twilioAndMeta, ['Vale', 'jueves 10:00']);
        expect(message).toMatchObject({ status: 'QUEUED', body: 'Hola Vale, te esperamos el jueves 10:00.' });
        expect(await sendJobsOf(message.id)).toHaveLength(1);
      });

      it.each([
        ['too few values', ['Vale'], /takes 2 value\(s\) \(first name, date\), 1 given/],
        ['a blank value', ['Vale', '  '], /variables\.1 \(date\): must not be empty/],
        ['a value on two lines', ['Vale\nhola', 'jueves'], /variables\.0 \(first name\): must be a single line/],
        ['a value with a run of spaces', ['Vale', 'jueves      10'], /more than four spaces/],
        ['a value too long', ['V'.repeat(257), 'jueves'], /at most 256 characters/],
      ])('refuses a template with %s, and writes nothing', async (_case, variables, reason) => {
        const { id } = await conversation();
        await expect(sendTemplate(id, templates.twilioAndMeta, variables)).rejects.toMatchObject({ name: 'BadRequest', message: expect.stringMatching(reason) });
        expect(await db.query('SELECT id FROM messages WHERE conversation_id = :id::uuid', { id })).toEqual([]);
      });

      it('refuses templates that are unapproved, unknown or not approved on the channel, and anything to an opted-out aspirant', async () => {
        const { id } = await conversation();
        await expect(sendTemplate(id, templates.unapproved, ['Vale', 'jueves'])).rejects.toMatchObject({ name: 'NotFound' });
        await expect(sendTemplate(id, '00000000-0000-4000-8000-000000000000', ['Vale', 'jueves'])).rejects.toMatchObject({ name: 'NotFound' });
        await expect(sendTemplate(id, templates.metaOnly, ['Vale', 'jueves'])).rejects.toMatchObject({ name: 'BadRequest', message: expect.stringMatching(/not approved on this conversation's channel/) });
        const optedOut = await conversation({ optedOut: true });
        await expect(sendTemplate(optedOut.id, templates.twilioAndMeta, ['Vale', 'jueves'])).rejects.toMatchObject({ name: 'BadRequest', message: expect.stringMatching(/opted out/) });
        expect(await db.query('SELECT id FROM messages WHERE conversation_id IN (:a::uuid, :b::uuid)', { a: id, b: optedOut.id })).toEqual([]);
      });
    });

    describe('the sender job', () => {
      it('sends once through Twilio with the status callback, records the provider id, counts it out, and does nothing when run again', async () => {
        const { id, phone } = await conversation();
        const message = await sendText(id, 'Hola Vale');
        const metrics = new RecordingMetrics();
        await sendOutbound(sender({ services: { ...services, metrics } }), message.id);
        await sendOutbound(sender({ services: { ...services, metrics } }), message.id);
        expect(metrics.total(METRICS.messagesOut)).toBe(1);
        expect(sentTo(phone)).toEqual([{ sid: expect.any(String), params: { From: `whatsapp:${TWILIO.sender}`, To: `whatsapp:${phone}`, Body: 'Hola Vale', StatusCallback: STATUS_CALLBACK_URL } }]);
        expect(await stateOf(message.id)).toEqual({ status: 'sending', failureCode: null, failureReason: null, providerMessageId: sentTo(phone)[0]!.sid });
        expect(publisher.events.filter((event) => event.kind === 'message').map((event) => event.kind === 'message' && event.message.status)).toEqual(['QUEUED', 'SENDING']);
      });

      it("publishes a sent message's conversation event only while it is the conversation's last message", async () => {
        const { id } = await conversation();
        const earlier = await sendText(id, 'Primero');
        const last = await sendText(id, 'Segundo');
        const eventsOf = async (messageId: string) => {
          publisher.clear();
          await sendOutbound(sender(), messageId);
          return publisher.events.map((event) => (event.kind === 'conversation' ? `conversation:${event.conversation.lastMessage?.body} ${event.conversation.lastMessage?.status}` : event.kind === 'message' ? `message:${event.message.body} ${event.message.status}` : event.kind));
        };
        expect(await eventsOf(earlier.id)).toEqual(['message:Primero SENDING']);
        expect(await eventsOf(last.id)).toEqual(['message:Segundo SENDING', 'conversation:Segundo SENDING']);
      });

      it('sends templates as a Twilio ContentSid with variables and as a Meta template with its language', async () => {
        const viaTwilio = await conversation({ windowHours: -1 });
        const viaMeta = await conversation({ windowHours: -1, channel: 'whatsapp_meta' });
        await sendOutbound(sender(), (await sendTemplate(viaTwilio.id, templates.twilioAndMeta, ['Vale', 'jueves'])).id);
        await sendOutbound(sender(), (await sendTemplate(viaMeta.id, templates.metaOnly, ['Vale', 'jueves'])).id);
        expect(sentTo(viaTwilio.phone)[0]!.params).toMatchObject({ ContentSid: CONTENT_SID, ContentVariables: '{"1":"Vale","2":"jueves"}' });
        expect(meta.sent.find((sent) => sent.body.to === viaMeta.phone.slice(1))!.body).toMatchObject({
          type: 'template',
          template: { name: 'casting_meta', language: { code: 'es_MX' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Vale' }, { type: 'text', text: 'jueves' }] }] },
        });
      });

      it('fails, without calling the provider, a message whose aspirant opted out or whose window closed since it was queued', async () => {
        const optingOut = await conversation();
        const closing = await conversation({ windowHours: 1 });
        const toOptedOut = await sendText(optingOut.id);
        const late = await sendText(closing.id);
        await db.query('UPDATE aspirants SET opted_out_at = now() WHERE id = :id::uuid', { id: optingOut.aspirantId });
        const metrics = new RecordingMetrics();
        now = hoursFrom(now, 2);
        try {
          await sendOutbound(sender({ services: { ...services, metrics } }), toOptedOut.id);
          await sendOutbound(sender({ services: { ...services, metrics } }), late.id);
        } finally {
          now = hoursFrom(now, -2);
        }
        expect(metrics.total(METRICS.messagesOut)).toBe(0);
        expect(await stateOf(toOptedOut.id)).toMatchObject({ status: 'failed', failureReason: 'The aspirant opted out: nothing more may be sent to them' });
        expect(await stateOf(late.id)).toMatchObject({ status: 'failed', failureReason: 'Outside the 24-hour window: only an approved template can be sent' });
        expect([...sentTo(optingOut.phone), ...sentTo(closing.phone)]).toEqual([]);
      });

      it('fails a message with the reason when no provider carries its channel', async () => {
        const { id } = await conversation({ channel: 'whatsapp_meta' });
        const message = await sendText(id);
        await sendOutbound(sender({ providers: { whatsapp_twilio: providers.whatsapp_twilio! } }), message.id);
        expect(await stateOf(message.id)).toMatchObject({ status: 'failed', failureReason: 'No WhatsApp provider is configured for whatsapp_meta' });
      });

      it("maps Meta's refusals to the same clear states, and retries what may pass later", async () => {
        const windowClosed = await conversation({ channel: 'whatsapp_meta' });
        const busy = await conversation({ channel: 'whatsapp_meta' });
        meta.refuseSendsTo(windowClosed.phone, { status: 400, code: 131047, message: 'Re-engagement message' });
        meta.refuseSendsTo(busy.phone, { status: 429, code: 130429, message: 'Rate limit hit' });
        const refused = await sendText(windowClosed.id);
        await sendOutbound(sender(), refused.id);
        expect(await stateOf(refused.id)).toEqual({ status: 'failed', failureCode: '131047', failureReason: 'Outside the 24-hour window: only an approved template can be sent', providerMessageId: null });

        const retried = await sendText(busy.id);
        await expect(sendOutbound(sender(), retried.id)).rejects.toBeInstanceOf(SendError);
        expect(await stateOf(retried.id)).toMatchObject({ status: 'sending', providerMessageId: null });
      });
    });
  });
}
