import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSendError, textMessage } from '../testing.ts';
import { readBody } from '../../../infra/local/http/body.ts';
import { startLocalEndpoint, type LocalEndpoint } from '../../../infra/local/providers/http.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from '../../../infra/local/providers/twilioApi.ts';
import { MediaFetchError, type OutboundMessage, type StatusUpdate } from '../model.ts';
import { fetchMedia as downloadMedia } from '../../media/fetchMedia.ts';
import { hostMatches, parseHostPattern } from '../../media/hostPatterns.ts';
import type { ChannelProvider } from '../provider.ts';
import { deriveStatus } from '../status.ts';
import { createTwilioChannel } from './provider.ts';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'f00dfeedf00dfeedf00dfeedf00dfeed';
const SENDER = '+14155238886';
const ASPIRANT = '+525512345678';

let fake: FakeTwilioApi;
let channel: ChannelProvider;
/** Our status-callback webhook: verifies and parses what the fake Twilio posts, as the real route will. */
let receiver: LocalEndpoint;
const received: { verified: boolean; statuses: readonly StatusUpdate[] }[] = [];

beforeAll(async () => {
  fake = await startFakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, callbackDelayMs: 1 });
  channel = createTwilioChannel({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, whatsappFrom: `whatsapp:${SENDER}`, apiBaseUrl: fake.url });
  receiver = await startLocalEndpoint(async (request, response, url) => {
    const webhook = { method: 'POST', url: `${receiver.url}${url.pathname}${url.search}`, headers: request.headers, rawBody: await readBody(request, 100_000) };
    const verified = channel.verify(webhook);
    received.push({ verified, statuses: verified ? channel.parseInbound(webhook).statuses : [] });
    response.writeHead(verified ? 200 : 401).end();
  });
});

afterAll(async () => {
  await fake.close();
  await receiver.close();
});

const text = textMessage;
const sendError = (message: OutboundMessage, provider: ChannelProvider = channel) => expectSendError(provider, message);

describe('Twilio sends through the official client', () => {
  it('creates a WhatsApp message with the status callback and returns its SID', async () => {
    const result = await channel.send({ ...text(ASPIRANT), statusCallbackUrl: 'https://wasap.example.com/webhooks/twilio/status' });
    expect(result.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(result.status).toBe('queued');
    expect(fake.sent.at(-1)).toEqual({
      sid: result.providerMessageId,
      params: { From: `whatsapp:${SENDER}`, To: `whatsapp:${ASPIRANT}`, Body: 'Hola Ana', StatusCallback: 'https://wasap.example.com/webhooks/twilio/status' },
    });
  });

  it('sends a template as ContentSid with numbered ContentVariables', async () => {
    const template = { id: 'HX0123456789abcdef0123456789abcdef', language: 'es_MX', variables: ['Ana', 'lunes'] };
    const result = await channel.send({ to: ASPIRANT, content: { kind: 'template', template } });
    expect(fake.sent.at(-1)).toEqual({
      sid: result.providerMessageId,
      params: { From: `whatsapp:${SENDER}`, To: `whatsapp:${ASPIRANT}`, ContentSid: template.id, ContentVariables: '{"1":"Ana","2":"lunes"}' },
    });
  });

  it('sends media as MediaUrl beside the text', async () => {
    await channel.send({ to: ASPIRANT, content: { kind: 'text', body: 'Tu credencial', media: { url: 'https://files.example.com/card.png', kind: 'image' } } });
    expect(fake.sent.at(-1)?.params).toMatchObject({ Body: 'Tu credencial', MediaUrl: 'https://files.example.com/card.png' });
  });

  it.each([
    [{ status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' }, 'opted_out'],
    [{ status: 400, code: 63016, message: 'Failed to send freeform message because you are outside the allowed window.' }, 'window_closed'],
    [{ status: 400, code: 63018, message: 'Rate limit exceeded for Channel' }, 'tier_limit'],
    [{ status: 429, code: 20429, message: 'Too Many Requests' }, 'transient'],
  ] as const)('maps Twilio error %j to %s', async (error, kind) => {
    const to = `+5255${String(error.code).padStart(8, '0')}`;
    fake.refuseSendsTo(to, error);
    const refused = await sendError(text(to));
    expect({ kind: refused.kind, code: refused.code }).toEqual({ kind, code: String(error.code) });
    expect(refused.reason).not.toBe('');
  });

  it('treats an unknown server error as transient and an unknown client error as final, with its message', async () => {
    fake.refuseSendsTo('+525500000500', { status: 503, code: 99998, message: 'Service Unavailable' });
    fake.refuseSendsTo('+525500000400', { status: 400, code: 99999, message: 'Something is off' });
    expect(await sendError(text('+525500000500'))).toMatchObject({ kind: 'transient', code: '99998' });
    expect(await sendError(text('+525500000400'))).toMatchObject({ kind: 'permanent', code: '99999', reason: expect.stringContaining('Something is off') });
  });

  it('reports a number Twilio finds invalid as an invalid recipient', async () => {
    expect(await sendError(text('+12'))).toMatchObject({ kind: 'invalid_recipient', code: '21211' });
  });

  it('reports refused credentials as final', async () => {
    const wrongToken = createTwilioChannel({ accountSid: ACCOUNT_SID, authToken: 'wrong', whatsappFrom: SENDER, apiBaseUrl: fake.url });
    expect(await sendError(text(ASPIRANT), wrongToken)).toMatchObject({ kind: 'permanent', code: '20003' });
  });

  it('reports an unreachable API as transient', async () => {
    const closed = await startLocalEndpoint(async () => undefined);
    await closed.close();
    const unreachable = createTwilioChannel({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, whatsappFrom: SENDER, apiBaseUrl: closed.url });
    expect(await sendError(text(ASPIRANT), unreachable)).toMatchObject({ kind: 'transient' });
  });
});

describe('Twilio status callbacks after a send', () => {
  it('arrive signed, verify, and settle on read', async () => {
    received.length = 0;
    const { providerMessageId } = await channel.send({ ...text(ASPIRANT), statusCallbackUrl: `${receiver.url}/webhooks/twilio/status` });
    await fake.callbacksSettled();
    expect(received.map((callback) => callback.verified)).toEqual([true, true, true]);
    const statuses = received.flatMap((callback) => callback.statuses);
    expect(statuses.map((update) => [update.providerMessageId, update.status])).toEqual([
      [providerMessageId, 'sent'],
      [providerMessageId, 'delivered'],
      [providerMessageId, 'read'],
    ]);
    expect(deriveStatus(statuses)).toEqual({ status: 'read' });
  });

  it('carry the error code and reason of a message outside the window', async () => {
    received.length = 0;
    fake.failDeliveriesTo('+525511110000', '63016');
    await channel.send({ ...text('+525511110000'), statusCallbackUrl: `${receiver.url}/webhooks/twilio/status` });
    await fake.callbacksSettled();
    expect(deriveStatus(received.flatMap((callback) => callback.statuses))).toEqual({
      status: 'undelivered',
      failureCode: '63016',
      failureReason: 'Outside the 24-hour window: only an approved template can be sent',
    });
  });
});

describe('Twilio media downloads', () => {
  it('describe an authenticated download that the media fetcher completes through the CDN redirect', async () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    const mediaUrl = fake.addMedia(bytes, 'image/jpeg');
    const download = await channel.fetchMedia(mediaUrl);
    expect(download).toEqual({ url: mediaUrl, headers: { Authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}` } });
    expect((await fetch(download.url, { redirect: 'manual' })).status).toBe(401);

    const fetched = await downloadMedia(download, { hosts: channel.mediaHosts, testOnly: { allowLoopbackOrigins: [fake.url] } });
    expect(new URL(fetched.url).pathname).toMatch(/^\/cdn\//);
    expect(new Uint8Array(fetched.bytes)).toEqual(bytes);
  });

  it.each([
    ['another host', 'https://evil.example.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages/MM1/Media/ME1'],
    ['another account', 'OTHER_ACCOUNT'],
    ['not a URL', 'ME0123'],
  ])('refuse a reference on %s, so the credentials never leave Twilio', async (_, reference) => {
    const ref = reference === 'OTHER_ACCOUNT' ? fake.addMedia(new Uint8Array([1]), 'image/png').replace(ACCOUNT_SID, 'AC99999999999999999999999999999999') : reference;
    await expect(channel.fetchMedia(ref)).rejects.toBeInstanceOf(MediaFetchError);
  });

  it.each([undefined, 'https://api.twilio.com', 'https://api.twilio.com/'])("allow Twilio's own API and CDN hosts with the API base URL %s", (apiBaseUrl) => {
    const production = createTwilioChannel({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, whatsappFrom: SENDER, apiBaseUrl });
    expect(allowed(production.mediaHosts.download, `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/MM1/Media/ME1`)).toBe(true);
    expect(allowed(production.mediaHosts.download, 'https://api.twilio.com:8443/')).toBe(false);
    expect(allowed(production.mediaHosts.redirect, 'https://mms.twiliocdn.com/AC1/abc')).toBe(true);
    expect(allowed(production.mediaHosts.redirect, 'https://media.us1.twiliocdn.com/abc')).toBe(true);
    expect(allowed(production.mediaHosts.redirect, 'https://twiliocdn.com.evil.example/abc')).toBe(false);
  });
});

const allowed = (hosts: readonly string[], url: string) => hosts.map(parseHostPattern).some((pattern) => hostMatches(pattern, new URL(url)));
