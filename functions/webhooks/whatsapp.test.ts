import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RealtimeTestClient, type RealtimeMessage } from '../../infra/local/appsync/testing/realtimeClient.ts';
import { startFakeMetaGraphApi, type FakeMetaGraphApi } from '../../infra/local/providers/metaGraphApi.ts';
import { metaMediaMessage, metaSignature, metaTextMessage, metaWebhookPayload, signedMetaWebhook } from '../../infra/local/providers/metaWebhooks.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from '../../infra/local/providers/twilioApi.ts';
import { signedTwilioWebhook, twilioInboundParams, twilioStatusParams } from '../../infra/local/providers/twilioWebhooks.ts';
import { startTestLocalHost, type TestLocalHost } from '../../infra/local/testing.ts';
import { createMetaChannel } from '../channels/meta/provider.ts';
import { createTwilioChannel } from '../channels/twilio/provider.ts';
import { oggOpusVoiceNote, phonePhotoWithGps, solidImage, zipArchive } from '../media/testing/samples.ts';
import { WEBHOOK_PATHS } from './routes.ts';
import { startUnreliableProxy, type UnreliableProxy } from './testing/unreliableProxy.ts';

/**
 * The WhatsApp channel end to end on the full local host: signed webhooks in (Twilio and Meta, built and signed
 * the way the providers do), the job worker, the real Twilio and Meta adapters sending to local endpoints that
 * speak their APIs and post signed status callbacks back, GraphQL and subscriptions.
 */

const TWILIO = { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'f00dfeedf00dfeedf00dfeedf00dfeed', sender: '+14155238886' };
const META = {
  appSecret: '0123456789abcdef0123456789abcdef',
  verifyToken: 'meta-verify-token',
  accessToken: 'EAAG-local-access-token',
  phoneNumberId: '106540352242922',
  sender: '+15550783881',
};
const THROTTLE_LIMIT = 5;

let twilio: FakeTwilioApi;
/** Twilio's API as our adapter reaches it: through a proxy that can fail like a flaky network. */
let twilioNetwork: UnreliableProxy;
let meta: FakeMetaGraphApi;
const metaWebhook = { url: '', appSecret: META.appSecret };
let host: TestLocalHost;
let admin: string;
let recruiter: string;
const sockets: RealtimeTestClient[] = [];

beforeAll(async () => {
  twilio = await startFakeTwilioApi({ accountSid: TWILIO.accountSid, authToken: TWILIO.authToken, callbackDelayMs: 2 });
  twilioNetwork = await startUnreliableProxy(twilio.url);
  // The fake posts Meta's status webhooks to our host, whose URL is known once it runs.
  meta = await startFakeMetaGraphApi({ accessToken: META.accessToken, phoneNumberId: META.phoneNumberId, displayPhoneNumber: META.sender, webhook: metaWebhook, callbackDelayMs: 2 });
  host = await startTestLocalHost({
    channels: {
      twilio: createTwilioChannel({ accountSid: TWILIO.accountSid, authToken: TWILIO.authToken, whatsappFrom: TWILIO.sender, apiBaseUrl: twilioNetwork.url }),
      meta: createMetaChannel({ ...META, graphBaseUrl: meta.url }),
    },
    mediaFetch: { testOnly: { allowLoopbackOrigins: [twilioNetwork.url, meta.url] } },
    worker: { pollMs: 20, retry: { baseMs: 50, maxMs: 400, maxAttempts: 8 } },
    // The channel on its own: the bot (functions/bot/bot.e2e.test.ts) would answer these aspirants.
    env: { INBOUND_AUTOMATION_LIMIT_PER_MINUTE: String(THROTTLE_LIMIT), BOT_ENABLED: 'false' },
  });
  metaWebhook.url = `${host.publicUrl}${WEBHOOK_PATHS.meta}`;
  admin = await host.tokenFor('admin@example.com');
  recruiter = await host.tokenFor('recruiter1@example.com');
});

afterEach(() => {
  twilioNetwork.recover();
  for (const socket of sockets.splice(0)) socket.close();
});

afterAll(async () => {
  await host?.close();
  await twilio?.close();
  await twilioNetwork?.close();
  await meta?.close();
});

// ---------------------------------------------------------------------------------------------------------
// Helpers: providers' webhooks, GraphQL, subscriptions
// ---------------------------------------------------------------------------------------------------------

let phoneCounter = 0;
/** A number no other test uses (US 212-555 range). */
const newPhone = () => `+1212555${String(7000 + phoneCounter++).padStart(4, '0')}`;

interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
}

async function post(path: string, headers: Record<string, string>, body: string): Promise<Answer> {
  const response = await fetch(`${host.url}${path}`, { method: 'POST', headers, body });
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
}

/** Posts Twilio webhook parameters signed for our public URL, as Twilio does (`signFor` signs another URL). */
function postTwilio(params: Record<string, string>, options: { path?: string; authToken?: string; signFor?: string } = {}): Promise<Answer> {
  const path = options.path ?? WEBHOOK_PATHS.twilioMessages;
  const webhook = signedTwilioWebhook(options.authToken ?? TWILIO.authToken, options.signFor ?? `${host.publicUrl}${path}`, params);
  return post(path, webhook.headers, webhook.body);
}

/** An aspirant's WhatsApp message through Twilio; returns its MessageSid with the answer. */
async function twilioMessage(from: string, body: string, extra: Partial<Parameters<typeof twilioInboundParams>[0]> = {}) {
  const params = twilioInboundParams({ accountSid: TWILIO.accountSid, from, to: TWILIO.sender, body, profileName: 'Ana Test', ...extra });
  return { messageSid: params.MessageSid!, answer: await postTwilio(params) };
}

function postMeta(payload: unknown): Promise<Answer> {
  const webhook = signedMetaWebhook(META.appSecret, payload);
  return post(WEBHOOK_PATHS.meta, webhook.headers, webhook.body);
}

const metaMessages = (from: string, messages: unknown[]) =>
  metaWebhookPayload({ displayPhoneNumber: META.sender, phoneNumberId: META.phoneNumberId, contacts: [{ waId: from, name: 'Meta Aspirant' }], messages });

/** A media URL of the fake Twilio account, as our adapter reaches it (through the proxy). */
const twilioMedia = (bytes: Uint8Array, contentType: string) => twilio.addMedia(bytes, contentType).replace(twilio.url, twilioNetwork.url);

interface GraphqlAnswer<T> {
  data: T | null;
  errors?: { errorType: string; message: string }[];
}

async function graphql<T>(token: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphqlAnswer<T>> {
  return (await host.graphql<GraphqlAnswer<T>>(token, query, variables)).body;
}

async function conversationOf(phone: string, channel = 'whatsapp_twilio'): Promise<{ id: string; aspirantId: string }> {
  const [row] = await host.db.query<{ id: string; aspirantId: string }>(
    'SELECT c.id, c.aspirant_id FROM conversations c JOIN aspirants a ON a.id = c.aspirant_id WHERE a.phone = :phone AND c.channel = :channel',
    { phone, channel },
  );
  if (row === undefined) throw new Error(`no ${channel} conversation for ${phone}`);
  return row;
}

const messageFields = `id body status failureCode failureReason providerMessageId occurredAt
  statusHistory { status errorCode receivedAt } media { id kind status contentType url thumbnailUrl rejectionReason }`;

interface MessageView {
  id: string;
  body: string | null;
  status: string;
  failureCode: string | null;
  failureReason: string | null;
  providerMessageId: string | null;
  occurredAt: string;
  statusHistory: { status: string; errorCode: string | null; receivedAt: string }[];
  media: { id: string; kind: string; status: string; contentType: string | null; url: string | null; thumbnailUrl: string | null; rejectionReason: string | null }[];
}

async function thread(conversationId: string): Promise<MessageView[]> {
  const answer = await graphql<{ thread: { nodes: MessageView[] } }>(admin, `query($id: ID!) { thread(conversationId: $id) { nodes { ${messageFields} } } }`, { id: conversationId });
  return answer.data!.thread.nodes;
}

async function messageView(conversationId: string, messageId: string): Promise<MessageView> {
  const found = (await thread(conversationId)).find((message) => message.id === messageId);
  if (found === undefined) throw new Error(`message ${messageId} is not in the thread`);
  return found;
}

const sendMessage = (token: string, conversationId: string, body: string, idempotencyKey = `key-${Math.random().toString(36).slice(2)}`) =>
  graphql<{ sendMessage: MessageView }>(token, `mutation($input: SendMessageInput!) { sendMessage(input: $input) { ${messageFields} } }`, {
    input: { conversationId, body, idempotencyKey },
  });

const sendTemplate = (conversationId: string, templateId: string, variables: string[], idempotencyKey = `tpl-${Math.random().toString(36).slice(2)}`) =>
  graphql<{ sendTemplate: MessageView }>(admin, `mutation($input: SendTemplateInput!) { sendTemplate(input: $input) { ${messageFields} } }`, {
    input: { conversationId, templateId, variables, idempotencyKey },
  });

const waitFor = <T>(check: () => Promise<T> | T, timeout = 10_000) => vi.waitFor(check, { timeout, interval: 25 });

async function subscribe(query: string, variables: Record<string, unknown> = {}): Promise<RealtimeTestClient> {
  const socket = await RealtimeTestClient.connect(`${host.url.replace(/^http/, 'ws')}/graphql/realtime`, admin);
  sockets.push(socket);
  await socket.init();
  const ack = await socket.subscribe('events', admin, query, variables);
  expect(ack.type).toBe('start_ack');
  return socket;
}

const dataOf = <T>(message: RealtimeMessage): T => (message.payload as { data: T }).data;

async function counts() {
  const [row] = await host.db.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM messages) AS messages, (SELECT count(*) FROM aspirants) AS aspirants,
            (SELECT count(*) FROM conversations) AS conversations, (SELECT count(*) FROM media) AS media,
            (SELECT count(*) FROM jobs) AS jobs, (SELECT count(*) FROM message_status_events) AS status_events`,
  );
  return row!;
}

// ---------------------------------------------------------------------------------------------------------
// Inbound
// ---------------------------------------------------------------------------------------------------------

describe('a Twilio inbound message', () => {
  it('is stored, acknowledged with empty TwiML after commit, published, and opens the 24-hour window', async () => {
    const inbox = await subscribe('subscription { onInboxEvent { conversationId conversation { id inboundCount windowState lastMessage { body } aspirant { phone whatsappName status } } } }');
    const phone = newPhone();
    const before = Date.now();
    const { messageSid, answer } = await twilioMessage(phone, 'Hola, quiero ser modelo');

    expect(answer).toEqual({ status: 200, contentType: 'text/xml', body: '<?xml version="1.0" encoding="UTF-8"?><Response/>' });
    const [stored] = await host.db.query<{ body: string; status: string; autoReply: string; windowExpiresAt: string; inboundCount: number; whatsappName: string; aspirantStatus: string }>(
      `SELECT m.body, m.status, m.auto_reply, c.window_expires_at, c.inbound_count, a.whatsapp_name, a.status AS aspirant_status
         FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN aspirants a ON a.id = c.aspirant_id
        WHERE m.provider_message_id = :messageSid`,
      { messageSid },
    );
    expect(stored).toMatchObject({ body: 'Hola, quiero ser modelo', status: 'received', autoReply: 'eligible', inboundCount: 1, whatsappName: 'Ana Test', aspirantStatus: 'new' });
    const windowEnd = Date.parse(stored!.windowExpiresAt);
    expect(windowEnd).toBeGreaterThanOrEqual(before + 24 * 3_600_000 - 1000);
    expect(windowEnd).toBeLessThanOrEqual(Date.now() + 24 * 3_600_000);

    const event = dataOf<{ onInboxEvent: { conversation: { inboundCount: number; windowState: string; lastMessage: { body: string }; aspirant: { phone: string; status: string } } } }>(
      await inbox.next((message) => message.type === 'data'),
    );
    expect(event.onInboxEvent.conversation).toMatchObject({ inboundCount: 1, windowState: 'OPEN', lastMessage: { body: 'Hola, quiero ser modelo' }, aspirant: { phone, status: 'NEW' } });

    // A later message moves the window on.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await twilioMessage(phone, '¿Siguen ahí?');
    const [later] = await host.db.query<{ windowExpiresAt: string; inboundCount: number }>('SELECT window_expires_at, inbound_count FROM conversations WHERE id = :id::uuid', {
      id: (await conversationOf(phone)).id,
    });
    expect(later!.inboundCount).toBe(2);
    expect(Date.parse(later!.windowExpiresAt)).toBeGreaterThan(windowEnd);
  });

  it('with a bad, missing or misdirected signature is refused with 401 and stores nothing', async () => {
    const before = await counts();
    const params = twilioInboundParams({ accountSid: TWILIO.accountSid, from: newPhone(), to: TWILIO.sender, body: 'hola' });
    const unsigned = signedTwilioWebhook(TWILIO.authToken, `${host.publicUrl}${WEBHOOK_PATHS.twilioMessages}`, params);
    const refused = [
      await postTwilio(params, { authToken: 'another-auth-token-of-32-chars!!' }),
      await post(WEBHOOK_PATHS.twilioMessages, { 'content-type': unsigned.headers['content-type'] }, unsigned.body),
      await postTwilio(params, { signFor: `${host.publicUrl}/webhooks/other` }),
      await postTwilio(params, { signFor: `${host.publicUrl.replace(/:\d+$/, ':8443')}${WEBHOOK_PATHS.twilioMessages}` }),
      // Signed, then a parameter changed on the way.
      await post(WEBHOOK_PATHS.twilioMessages, unsigned.headers, unsigned.body.replace('Body=hola', 'Body=adios')),
    ];
    expect(refused.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401]);
    expect(await counts()).toEqual(before);
  });

  it('that is malformed or oversized is refused with 400 and the reason, and stores nothing', async () => {
    const before = await counts();
    const base = twilioInboundParams({ accountSid: TWILIO.accountSid, from: newPhone(), to: TWILIO.sender, body: 'hola' });
    const { From: _from, ...withoutFrom } = base;
    const missingFrom = await postTwilio(withoutFrom);
    expect(missingFrom.status).toBe(400);
    expect(missingFrom.body).toMatch(/From/);
    expect((await postTwilio({ ...base, From: 'whatsapp:not-a-phone' })).status).toBe(400);
    expect((await postTwilio({ ...base, NumMedia: '1' })).body).toMatch(/MediaUrl0/);
    const oversized = await postTwilio({ ...base, Body: 'x'.repeat(300_000) });
    expect(oversized).toMatchObject({ status: 400, body: expect.stringMatching(/larger than/) });
    const truncated = '{"object":';
    const notJson = await post(WEBHOOK_PATHS.meta, { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(META.appSecret, truncated) }, truncated);
    expect(notJson).toMatchObject({ status: 400, body: expect.stringMatching(/not JSON/) });
    const wrongShape = await postMeta({ object: 'page', entry: [] });
    expect(wrongShape.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('delivered 50 times at once is stored once, with one media job and one published event', async () => {
    const phone = newPhone();
    await twilioMessage(phone, 'primero');
    const { id: conversationId } = await conversationOf(phone);
    const events = await subscribe('subscription($id: ID!) { onMessageEvent(conversationId: $id) { message { id media { status } } } }', { id: conversationId });
    const media = [{ url: twilioMedia(await solidImage('jpeg'), 'image/jpeg'), contentType: 'image/jpeg' }];
    const params = twilioInboundParams({ accountSid: TWILIO.accountSid, from: phone, to: TWILIO.sender, body: 'mi foto', media });

    const answers = await Promise.all(Array.from({ length: 50 }, () => postTwilio(params)));

    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    const stored = await host.db.query<{ id: string }>('SELECT id FROM messages WHERE provider_message_id = :sid', { sid: params.MessageSid });
    expect(stored).toHaveLength(1);
    const jobs = await host.db.query(
      `SELECT j.id FROM jobs j JOIN media md ON md.id = (j.payload->>'mediaId')::uuid WHERE md.message_id = :id::uuid`,
      { id: stored[0]!.id },
    );
    expect(jobs).toHaveLength(1);
    const published = async () =>
      events.pending().filter((message) => {
        const event = message.type === 'data' ? dataOf<{ onMessageEvent: { message: { id: string; media: { status: string }[] } } }>(message) : undefined;
        return event?.onMessageEvent.message.id === stored[0]!.id && event.onMessageEvent.message.media[0]?.status === 'PENDING';
      });
    await waitFor(async () => expect(await published()).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await published()).toHaveLength(1);
  });
});

describe('Meta inbound', () => {
  it('answers the verification handshake only with the verify token', async () => {
    const handshake = (token: string) =>
      fetch(`${host.url}${WEBHOOK_PATHS.meta}?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`).then(async (response) => ({
        status: response.status,
        body: await response.text(),
      }));
    expect(await handshake(META.verifyToken)).toEqual({ status: 200, body: '1158201444' });
    expect((await handshake('guess')).status).toBe(403);
  });

  it('orders messages by their timestamp, whatever order they arrive in, and refuses a bad signature', async () => {
    const phone = newPhone();
    const now = Date.now();
    const older = metaTextMessage(phone, 'primero', new Date(now - 60_000));
    const newer = metaTextMessage(phone, 'segundo', new Date(now - 30_000));
    const tampered = signedMetaWebhook(META.appSecret, metaMessages(phone, [older]));
    expect((await post(WEBHOOK_PATHS.meta, tampered.headers, tampered.body.replace('primero', 'otro'))).status).toBe(401);

    expect((await postMeta(metaMessages(phone, [newer]))).status).toBe(200);
    expect((await postMeta(metaMessages(phone, [older]))).status).toBe(200);

    const { id } = await conversationOf(phone, 'whatsapp_meta');
    const [conversation] = await host.db.query<{ lastBody: string; windowExpiresAt: string; inboundCount: number }>(
      `SELECT (SELECT body FROM messages WHERE id = c.last_message_id) AS last_body, c.window_expires_at, c.inbound_count
         FROM conversations c WHERE c.id = :id::uuid`,
      { id },
    );
    expect(conversation).toEqual({ lastBody: 'segundo', windowExpiresAt: new Date(Math.floor((now - 30_000) / 1000) * 1000 + 24 * 3_600_000).toISOString(), inboundCount: 2 });
    expect((await thread(id)).map((message) => message.body)).toEqual(['segundo', 'primero']);
  });

  it('never leaves stale redeliveries for the bot: old on arrival, or older than a message already stored', async () => {
    const phone = newPhone();
    const now = Date.now();
    const flood = [
      metaTextMessage(phone, 'de ayer', new Date(now - 2 * 3_600_000)),
      metaTextMessage(phone, 'recién', new Date(now - 5_000)),
    ];
    await postMeta(metaMessages(phone, flood));
    await postMeta(metaMessages(phone, [metaTextMessage(phone, 'hace un rato', new Date(now - 60_000))]));
    const rows = await host.db.query<{ body: string; autoReply: string }>(
      `SELECT m.body, m.auto_reply FROM messages m WHERE m.conversation_id = :id::uuid ORDER BY m.occurred_at`,
      { id: (await conversationOf(phone, 'whatsapp_meta')).id },
    );
    expect(rows).toEqual([
      { body: 'de ayer', autoReply: 'stale' },
      { body: 'hace un rato', autoReply: 'stale' },
      { body: 'recién', autoReply: 'eligible' },
    ]);
  });

  it('stores a looping sender past the per-minute limit, but flags the excess as throttled', async () => {
    const phone = newPhone();
    for (let index = 0; index < THROTTLE_LIMIT + 2; index += 1) {
      expect((await twilioMessage(phone, `mensaje ${index}`)).answer.status).toBe(200);
    }
    const rows = await host.db.query<{ autoReply: string }>('SELECT auto_reply FROM messages WHERE conversation_id = :id::uuid ORDER BY created_at, id', {
      id: (await conversationOf(phone)).id,
    });
    expect(rows.map((row) => row.autoReply)).toEqual([...Array<string>(THROTTLE_LIMIT).fill('eligible'), 'throttled', 'throttled']);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Media
// ---------------------------------------------------------------------------------------------------------

describe('inbound media', () => {
  it('stores a phone photo re-encoded without GPS, with a thumbnail, as one of the aspirant photos, and publishes it STORED', async () => {
    const phone = newPhone();
    await twilioMessage(phone, 'hola');
    const { id: conversationId, aspirantId } = await conversationOf(phone);
    const events = await subscribe('subscription($id: ID!) { onMessageEvent(conversationId: $id) { message { id media { status kind url } } } }', { id: conversationId });
    const { messageSid } = await twilioMessage(phone, 'mi foto', { media: [{ url: twilioMedia(await phonePhotoWithGps(6), 'image/jpeg'), contentType: 'image/jpeg' }] });
    const [message] = await host.db.query<{ id: string }>('SELECT id FROM messages WHERE provider_message_id = :messageSid', { messageSid });

    const stored = await events.next((event) => event.type === 'data' && dataOf<{ onMessageEvent: { message: { id: string; media: { status: string }[] } } }>(event).onMessageEvent.message.media[0]?.status === 'STORED');
    expect(dataOf<{ onMessageEvent: { message: unknown } }>(stored).onMessageEvent.message).toMatchObject({ id: message!.id, media: [{ status: 'STORED', kind: 'IMAGE' }] });

    const [media] = (await messageView(conversationId, message!.id)).media;
    expect(media).toMatchObject({ status: 'STORED', kind: 'IMAGE', contentType: 'image/jpeg' });
    const image = await fetch(media!.url!);
    expect(image.status).toBe(200);
    const metadata = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
    expect(metadata).toMatchObject({ format: 'jpeg', width: 100, height: 200 });
    expect(metadata.exif).toBeUndefined();
    const thumbnail = await fetch(media!.thumbnailUrl!);
    expect(thumbnail.headers.get('content-type')).toBe('image/jpeg');
    // Signed URLs: a changed one is refused.
    expect((await fetch(media!.url!.replace('sig=', 'sig=x'))).status).toBe(403);

    const aspirant = await graphql<{ aspirant: { photos: { kind: string; messageId: string; url: string; createdAt: string }[] } }>(
      admin,
      'query($id: ID!) { aspirant(id: $id) { photos { kind messageId url createdAt } } }',
      { id: aspirantId },
    );
    expect(aspirant.data!.aspirant.photos).toEqual([
      { kind: 'OTHER', messageId: message!.id, url: expect.stringContaining('/media/'), createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/) },
    ]);
  });

  it('keeps showing an attachment PENDING while its download fails, and stores it once the provider is back', async () => {
    twilioNetwork.fail((request) => request.method === 'GET' && request.path.includes('/Media/'));
    const phone = newPhone();
    const { messageSid } = await twilioMessage(phone, 'foto', { media: [{ url: twilioMedia(await solidImage('png'), 'image/png'), contentType: 'image/png' }] });
    const { id: conversationId } = await conversationOf(phone);
    const [message] = await host.db.query<{ id: string }>('SELECT id FROM messages WHERE provider_message_id = :messageSid', { messageSid });

    await waitFor(() => expect(twilioNetwork.failures).toBeGreaterThanOrEqual(2));
    expect((await messageView(conversationId, message!.id)).media).toMatchObject([{ status: 'PENDING', url: null }]);
    twilioNetwork.recover();
    await waitFor(async () => expect((await messageView(conversationId, message!.id)).media).toMatchObject([{ status: 'STORED', contentType: 'image/jpeg' }]));
  });

  it('rejects a polyglot with the reason and keeps the message', async () => {
    const phone = newPhone();
    const gifar = Buffer.concat([await solidImage('gif'), zipArchive()]);
    const { messageSid } = await twilioMessage(phone, 'mira esto', { media: [{ url: twilioMedia(gifar, 'image/gif'), contentType: 'image/gif' }] });
    const { id: conversationId } = await conversationOf(phone);
    const [message] = await host.db.query<{ id: string }>('SELECT id FROM messages WHERE provider_message_id = :messageSid', { messageSid });
    await waitFor(async () => expect((await messageView(conversationId, message!.id)).media[0]?.status).toBe('REJECTED'));
    const view = await messageView(conversationId, message!.id);
    expect(view).toMatchObject({ body: 'mira esto', media: [{ status: 'REJECTED', url: null, rejectionReason: expect.stringMatching(/GIF/) }] });
  });

  it('stores a Meta voice note by its media id', async () => {
    const phone = newPhone();
    const mediaId = meta.addMedia(oggOpusVoiceNote(3), 'audio/ogg; codecs=opus');
    await postMeta(metaMessages(phone, [metaMediaMessage(phone, 'audio', { id: mediaId, mimeType: 'audio/ogg; codecs=opus' })]));
    const { id } = await conversationOf(phone, 'whatsapp_meta');
    await waitFor(async () => expect((await thread(id))[0]!.media).toMatchObject([{ status: 'STORED', kind: 'AUDIO', contentType: 'audio/ogg' }]));
  });
});

// ---------------------------------------------------------------------------------------------------------
// Outbound
// ---------------------------------------------------------------------------------------------------------

/** An aspirant who just wrote in (window open), with their conversation. */
async function aspirantWhoWrote(channel: 'twilio' | 'meta' = 'twilio') {
  const phone = newPhone();
  if (channel === 'twilio') await twilioMessage(phone, 'hola');
  else await postMeta(metaMessages(phone, [metaTextMessage(phone, 'hola')]));
  return { phone, ...(await conversationOf(phone, channel === 'twilio' ? 'whatsapp_twilio' : 'whatsapp_meta')) };
}

describe('outbound messages', () => {
  it('go through a job to Twilio with the status callback, and the signed callbacks bring them to READ in any order', async () => {
    const { phone, id } = await aspirantWhoWrote();
    const sent = await sendMessage(recruiter, id, '¡Hola! ¿Tienes fotos recientes?', 'double-click-0001');
    const again = await sendMessage(recruiter, id, '¡Hola! ¿Tienes fotos recientes?', 'double-click-0001');
    expect(sent.data!.sendMessage).toMatchObject({ body: '¡Hola! ¿Tienes fotos recientes?', failureCode: null });
    expect(again.data!.sendMessage.id).toBe(sent.data!.sendMessage.id);

    await waitFor(async () => expect((await messageView(id, sent.data!.sendMessage.id)).status).toBe('READ'));
    const toPhone = twilio.sent.filter((message) => message.params.To === `whatsapp:${phone}`);
    expect(toPhone).toHaveLength(1);
    expect(toPhone[0]!.params).toEqual({
      From: `whatsapp:${TWILIO.sender}`,
      To: `whatsapp:${phone}`,
      Body: '¡Hola! ¿Tienes fotos recientes?',
      StatusCallback: `${host.publicUrl}${WEBHOOK_PATHS.twilioStatus}`,
    });
    await twilio.callbacksSettled();
    const view = await messageView(id, sent.data!.sendMessage.id);
    expect(view.providerMessageId).toBe(toPhone[0]!.sid);
    expect(view.statusHistory.map((event) => event.status).sort()).toEqual(['DELIVERED', 'READ', 'SENDING', 'SENT']);
    for (const event of view.statusHistory) expect(event.receivedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    // Late and redelivered callbacks, in reverse: the status never goes back, and nothing is added twice.
    for (const status of ['read', 'delivered', 'sent']) {
      const callback = twilioStatusParams({ accountSid: TWILIO.accountSid, messageSid: toPhone[0]!.sid, from: TWILIO.sender, to: phone, status });
      expect((await postTwilio(callback, { path: WEBHOOK_PATHS.twilioStatus })).status).toBe(200);
    }
    const after = await messageView(id, sent.data!.sendMessage.id);
    expect(after.status).toBe('READ');
    expect(after.statusHistory).toHaveLength(4);
  });

  it('go through Meta too, whose signed status webhooks bring them to READ', async () => {
    const { phone, id } = await aspirantWhoWrote('meta');
    const sent = await sendMessage(admin, id, 'Hi! Could you send recent photos?');
    await waitFor(async () => expect((await messageView(id, sent.data!.sendMessage.id)).status).toBe('READ'));
    expect(meta.sent.filter((message) => message.body.to === phone.slice(1)).map((message) => message.body)).toEqual([
      expect.objectContaining({ type: 'text', text: { body: 'Hi! Could you send recent photos?', preview_url: false } }),
    ]);
  });

  it('outside the 24-hour window: free text is refused, an approved template is sent with its ContentSid or Meta name', async () => {
    const twilioConversation = await aspirantWhoWrote();
    const metaConversation = await aspirantWhoWrote('meta');
    for (const { id } of [twilioConversation, metaConversation]) {
      await host.db.query("UPDATE conversations SET window_expires_at = now() - interval '1 hour' WHERE id = :id::uuid", { id });
    }
    const refused = await sendMessage(admin, twilioConversation.id, 'hola otra vez');
    expect(refused.errors).toEqual([expect.objectContaining({ errorType: 'BadRequest', message: expect.stringMatching(/window closed/) })]);

    const templates = await graphql<{ messageTemplates: { id: string; name: string; language: string; body: string; variables: string[] }[] }>(
      recruiter,
      '{ messageTemplates(language: ES) { id name language body variables } }',
    );
    const followUp = templates.data!.messageTemplates.find((template) => template.name === 'follow_up')!;
    expect(followUp).toMatchObject({ language: 'ES', variables: ['first name', "recruiter's name"] });
    expect(templates.data!.messageTemplates.map((template) => template.name)).not.toContain('photo_reminder');

    const viaTwilio = await sendTemplate(twilioConversation.id, followUp.id, ['Ana', 'Renata']);
    expect(viaTwilio.data!.sendTemplate).toMatchObject({ body: 'Hola Ana, soy Renata de la agencia. ¿Seguimos con tu postulación? Respóndenos cuando puedas.', failureCode: null });
    const viaMeta = await sendTemplate(metaConversation.id, followUp.id, ['Ana', 'Renata']);
    await waitFor(async () => expect((await messageView(twilioConversation.id, viaTwilio.data!.sendTemplate.id)).status).toBe('READ'));
    await waitFor(async () => expect((await messageView(metaConversation.id, viaMeta.data!.sendTemplate.id)).status).toBe('READ'));

    const [template] = await host.db.query<{ twilioContentSid: string }>('SELECT twilio_content_sid FROM message_templates WHERE id = :id::uuid', { id: followUp.id });
    expect(twilio.sent.find((message) => message.params.To === `whatsapp:${twilioConversation.phone}`)!.params).toMatchObject({
      ContentSid: template!.twilioContentSid,
      ContentVariables: JSON.stringify({ 1: 'Ana', 2: 'Renata' }),
    });
    expect(twilio.sent.find((message) => message.params.To === `whatsapp:${twilioConversation.phone}`)!.params.Body).toBeUndefined();
    expect(meta.sent.find((message) => message.body.to === metaConversation.phone.slice(1))!.body).toMatchObject({
      type: 'template',
      template: { name: 'follow_up', language: { code: 'es' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: 'Renata' }] }] },
    });
  });

  it('stop once the aspirant sends an opt-out word, which recruiters see, and resume when they opt back in', async () => {
    const { phone, id, aspirantId } = await aspirantWhoWrote();
    const optedOut = async () =>
      (await graphql<{ aspirant: { optedOut: boolean } }>(recruiter, 'query($id: ID!) { aspirant(id: $id) { optedOut } }', { id: aspirantId })).data!.aspirant.optedOut;
    await twilioMessage(phone, 'Baja');
    expect(await optedOut()).toBe(true);
    const [followUp] = await host.db.query<{ id: string }>("SELECT id FROM message_templates WHERE name = 'follow_up' AND language = 'es'");
    expect((await sendMessage(recruiter, id, '¿Segura?')).errors).toEqual([expect.objectContaining({ errorType: 'BadRequest', message: expect.stringMatching(/opted out/) })]);
    expect((await sendTemplate(id, followUp!.id, ['Ana', 'Renata'])).errors).toEqual([expect.objectContaining({ errorType: 'BadRequest', message: expect.stringMatching(/opted out/) })]);
    expect(twilio.sent.filter((message) => message.params.To === `whatsapp:${phone}`)).toEqual([]);

    await twilioMessage(phone, 'START');
    expect(await optedOut()).toBe(false);
    const welcomeBack = await sendMessage(recruiter, id, '¡Bienvenida de vuelta!');
    await waitFor(async () => expect((await messageView(id, welcomeBack.data!.sendMessage.id)).status).toBe('READ'));
  });

  it.each([
    ['63016', 'Outside the 24-hour window: only an approved template can be sent', false],
    ['63018', "The sender's WhatsApp messaging-limit tier is used up for the last 24 hours", false],
    ['21610', 'The recipient opted out (replied STOP) and cannot be written to', true],
  ])('refused by Twilio with %s end FAILED with a clear reason', async (code, reason, optsOut) => {
    const { phone, id, aspirantId } = await aspirantWhoWrote();
    twilio.refuseSendsTo(phone, { status: 400, code: Number(code), message: `Twilio error ${code}` });
    const sent = await sendMessage(admin, id, 'hola');
    await waitFor(async () => expect((await messageView(id, sent.data!.sendMessage.id)).status).toBe('FAILED'));
    expect(await messageView(id, sent.data!.sendMessage.id)).toMatchObject({ failureCode: code, failureReason: reason, providerMessageId: null });
    const aspirant = await graphql<{ aspirant: { optedOut: boolean } }>(admin, 'query($id: ID!) { aspirant(id: $id) { optedOut } }', { id: aspirantId });
    expect(aspirant.data!.aspirant.optedOut).toBe(optsOut);
  });

  it('reports an undelivered message with the code from its status callback', async () => {
    const { phone, id } = await aspirantWhoWrote();
    twilio.failDeliveriesTo(phone, '63016');
    const sent = await sendMessage(admin, id, 'hola');
    await waitFor(async () => expect((await messageView(id, sent.data!.sendMessage.id)).status).toBe('UNDELIVERED'));
    expect(await messageView(id, sent.data!.sendMessage.id)).toMatchObject({ failureCode: '63016', failureReason: expect.stringMatching(/24-hour window/) });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Dead letters
// ---------------------------------------------------------------------------------------------------------

describe('dead letters', () => {
  const list = (token: string) =>
    graphql<{ deadLetters: { nodes: { id: string; type: string; payload: string; attempts: number; lastError: string }[] } }>(
      token,
      '{ deadLetters(first: 20) { nodes { id type payload attempts lastError failedAt } } }',
    );

  it('collect a send that failed every retry; admins list and retry them, recruiters may not', async () => {
    twilioNetwork.fail((request) => request.method === 'POST' && request.path.endsWith('/Messages.json'));
    const { phone, id } = await aspirantWhoWrote();
    const sent = await sendMessage(admin, id, 'hola, ¿sigues ahí?');
    const messageId = sent.data!.sendMessage.id;
    const deadLetter = await waitFor(async () => {
      const found = (await list(admin)).data!.deadLetters.nodes.find((node) => JSON.parse(node.payload).messageId === messageId);
      expect(found).toBeDefined();
      return found!;
    }, 20_000);
    expect(deadLetter).toMatchObject({ type: 'message.send', attempts: 8, lastError: expect.stringMatching(/SendError/) });
    expect((await messageView(id, messageId)).status).toBe('SENDING');

    const refusedList = await list(recruiter);
    expect(refusedList.errors?.[0]?.errorType).toBe('Unauthorized');
    const refusedRetry = await graphql(recruiter, 'mutation($id: ID!) { retryDeadLetter(id: $id) { id } }', { id: deadLetter.id });
    expect(refusedRetry.errors?.[0]?.errorType).toBe('Unauthorized');

    twilioNetwork.recover();
    const retried = await graphql<{ retryDeadLetter: { id: string; type: string } }>(admin, 'mutation($id: ID!) { retryDeadLetter(id: $id) { id type attempts } }', { id: deadLetter.id });
    expect(retried.data!.retryDeadLetter).toMatchObject({ id: deadLetter.id, type: 'message.send' });
    await waitFor(async () => expect((await messageView(id, messageId)).status).toBe('READ'));
    expect(twilio.sent.filter((message) => message.params.To === `whatsapp:${phone}`)).toHaveLength(1);
    expect((await list(admin)).data!.deadLetters.nodes.map((node) => node.id)).not.toContain(deadLetter.id);
    const again = await graphql(admin, 'mutation($id: ID!) { retryDeadLetter(id: $id) { id } }', { id: deadLetter.id });
    expect(again.errors?.[0]?.errorType).toBe('NotFound');
  });
});
