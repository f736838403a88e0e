import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSendError, textMessage } from '../testing.ts';
import { readBody } from '../../../infra/local/http/body.ts';
import { startLocalEndpoint, type LocalEndpoint } from '../../../infra/local/providers/http.ts';
import { startFakeMetaGraphApi, type FakeMetaGraphApi } from '../../../infra/local/providers/metaGraphApi.ts';
import { MediaFetchError, type OutboundMessage, type StatusUpdate } from '../model.ts';
import { fetchMedia as downloadMedia } from '../../media/fetchMedia.ts';
import { hostMatches, parseHostPattern } from '../../media/hostPatterns.ts';
import type { ChannelProvider } from '../provider.ts';
import { deriveStatus } from '../status.ts';
import { createMetaChannel, type MetaChannelOptions } from './provider.ts';

const APP_SECRET = '0123456789abcdef0123456789abcdef';
const ACCESS_TOKEN = 'EAAG-local-access-token';
const PHONE_NUMBER_ID = '106540352242922';
const SENDER = '+15550783881';
const ASPIRANT = '+525512345678';

let graph: FakeMetaGraphApi;
let options: MetaChannelOptions;
let channel: ChannelProvider;
/** Our Meta webhook: verifies and parses the status webhooks the fake Graph API posts. */
let receiver: LocalEndpoint;
const received: { verified: boolean; statuses: readonly StatusUpdate[] }[] = [];

beforeAll(async () => {
  receiver = await startLocalEndpoint(async (request, response, url) => {
    const webhook = { method: 'POST', url: `${receiver.url}${url.pathname}`, headers: request.headers, rawBody: await readBody(request, 100_000) };
    const verified = channel.verify(webhook);
    received.push({ verified, statuses: verified ? channel.parseInbound(webhook).statuses : [] });
    response.writeHead(verified ? 200 : 401).end();
  });
  graph = await startFakeMetaGraphApi({
    accessToken: ACCESS_TOKEN,
    phoneNumberId: PHONE_NUMBER_ID,
    displayPhoneNumber: SENDER,
    webhook: { url: `${receiver.url}/webhooks/meta/whatsapp`, appSecret: APP_SECRET },
    callbackDelayMs: 1,
  });
  options = { appSecret: APP_SECRET, verifyToken: 'v', accessToken: ACCESS_TOKEN, phoneNumberId: PHONE_NUMBER_ID, graphBaseUrl: graph.url, apiVersion: 'v23.0' };
  channel = createMetaChannel(options);
});

afterAll(async () => {
  await graph.close();
  await receiver.close();
});

const text = textMessage;
const sendError = (message: OutboundMessage, provider: ChannelProvider = channel) => expectSendError(provider, message);

describe('Meta sends through the Graph API', () => {
  it('posts a text message and returns its wamid', async () => {
    const result = await channel.send(text(ASPIRANT));
    expect(result).toEqual({ providerMessageId: expect.stringMatching(/^wamid\./), status: 'queued' });
    expect(graph.sent.at(-1)).toEqual({
      id: result.providerMessageId,
      body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: '525512345678', type: 'text', text: { body: 'Hola Ana', preview_url: false } },
    });
  });

  it('posts a template with its language and body parameters', async () => {
    await channel.send({ to: ASPIRANT, content: { kind: 'template', template: { id: 'welcome_back', language: 'es_MX', variables: ['Ana', 'lunes'] } } });
    expect(graph.sent.at(-1)?.body).toMatchObject({
      type: 'template',
      template: {
        name: 'welcome_back',
        language: { code: 'es_MX' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: 'lunes' }] }],
      },
    });
  });

  it('posts a template without variables without components', async () => {
    await channel.send({ to: ASPIRANT, content: { kind: 'template', template: { id: 'hello_world', language: 'en_US', variables: [] } } });
    expect(graph.sent.at(-1)?.body).toMatchObject({ type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } });
    expect(graph.sent.at(-1)?.body.template).not.toHaveProperty('components');
  });

  it('posts media by link with the text as caption', async () => {
    await channel.send({ to: ASPIRANT, content: { kind: 'text', body: 'Tu credencial', media: { url: 'https://files.example.com/card.png', kind: 'image' } } });
    expect(graph.sent.at(-1)?.body).toMatchObject({ type: 'image', image: { link: 'https://files.example.com/card.png', caption: 'Tu credencial' } });
  });

  it('refuses text with an audio message before calling Meta, which has no audio captions', async () => {
    const before = graph.sent.length;
    const refused = await sendError({ to: ASPIRANT, content: { kind: 'text', body: 'escucha', media: { url: 'https://files.example.com/a.ogg', kind: 'audio' } } });
    expect(refused.kind).toBe('permanent');
    expect(graph.sent.length).toBe(before);
  });

  it.each([
    [{ status: 400, code: 131047, message: 'Re-engagement message' }, 'window_closed'],
    [{ status: 400, code: 131050, message: 'User has stopped marketing messages' }, 'opted_out'],
    [{ status: 400, code: 131026, message: 'Message undeliverable' }, 'invalid_recipient'],
    [{ status: 400, code: 131048, message: 'Spam rate limit hit' }, 'tier_limit'],
    [{ status: 400, code: 130429, message: 'Rate limit hit' }, 'transient'],
  ] as const)('maps Graph error %j to %s', async (error, kind) => {
    const to = `+5255${String(error.code).padStart(8, '0')}`;
    graph.refuseSendsTo(to, error);
    const refused = await sendError(text(to));
    expect({ kind: refused.kind, code: refused.code }).toEqual({ kind, code: String(error.code) });
  });

  it("follows Meta's is_transient flag and Retry-After for codes without a known meaning", async () => {
    graph.refuseSendsTo('+525500000001', { status: 400, code: 139999, message: 'Try later', isTransient: true, retryAfterSeconds: 30 });
    graph.refuseSendsTo('+525500000002', { status: 400, code: 139998, message: 'No way' });
    expect(await sendError(text('+525500000001'))).toMatchObject({ kind: 'transient', code: '139999', retryAfterSeconds: 30 });
    expect(await sendError(text('+525500000002'))).toMatchObject({ kind: 'permanent', code: '139998', reason: expect.stringContaining('No way') });
  });

  it('reports a rejected access token as final', async () => {
    const wrongToken = createMetaChannel({ ...options, accessToken: 'expired' });
    expect(await sendError(text(ASPIRANT), wrongToken)).toMatchObject({ kind: 'permanent', code: '190' });
  });

  it('reports an unreachable Graph API as transient', async () => {
    const closed = await startLocalEndpoint(async () => undefined);
    await closed.close();
    expect(await sendError(text(ASPIRANT), createMetaChannel({ ...options, graphBaseUrl: closed.url }))).toMatchObject({ kind: 'transient' });
  });
});

describe('Meta status webhooks after a send', () => {
  it('arrive signed, verify, and settle on read', async () => {
    received.length = 0;
    const { providerMessageId } = await channel.send(text(ASPIRANT));
    await graph.callbacksSettled();
    expect(received.map((webhook) => webhook.verified)).toEqual([true, true, true]);
    const statuses = received.flatMap((webhook) => webhook.statuses);
    expect(statuses.map((update) => [update.providerMessageId, update.status])).toEqual([
      [providerMessageId, 'sent'],
      [providerMessageId, 'delivered'],
      [providerMessageId, 'read'],
    ]);
    expect(deriveStatus(statuses)).toEqual({ status: 'read' });
  });

  it('report a send outside the window as failed with its reason', async () => {
    received.length = 0;
    graph.failDeliveriesTo('+525522220000', { code: 131047, title: 'Re-engagement message' });
    await channel.send(text('+525522220000'));
    await graph.callbacksSettled();
    expect(deriveStatus(received.flatMap((webhook) => webhook.statuses))).toEqual({
      status: 'failed',
      failureCode: '131047',
      failureReason: 'Outside the 24-hour window: only an approved template can be sent',
    });
  });
});

describe('Meta media downloads', () => {
  it('look the id up and describe a download with the token, which the media fetcher completes', async () => {
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const mediaId = graph.addMedia(bytes, 'image/png');
    const download = await channel.fetchMedia(mediaId);
    expect(download).toMatchObject({ headers: { Authorization: `Bearer ${ACCESS_TOKEN}` }, contentType: 'image/png', sizeBytes: bytes.byteLength });
    expect((await fetch(download.url)).status).toBe(401);

    const fetched = await downloadMedia(download, { hosts: channel.mediaHosts, testOnly: { allowLoopbackOrigins: [graph.url] } });
    expect(new Uint8Array(fetched.bytes)).toEqual(bytes);
  });

  it('fail for good on an unknown media id, and retryably when Meta cannot be reached', async () => {
    await expect(channel.fetchMedia('999')).rejects.toMatchObject({ name: 'MediaFetchError', retryable: false });
    const closed = await startLocalEndpoint(async () => undefined);
    await closed.close();
    await expect(createMetaChannel({ ...options, graphBaseUrl: closed.url }).fetchMedia('999')).rejects.toMatchObject({ retryable: true });
  });

  it.each(['../106540352242922/messages', 'https://evil.example.com/x', ''])('refuse %j as a media id without calling Meta', async (reference) => {
    await expect(channel.fetchMedia(reference)).rejects.toBeInstanceOf(MediaFetchError);
  });

  it('never hand the token to a download URL off the allowed hosts', async () => {
    // A Graph endpoint whose lookup answers with a URL on another host.
    const lookup = await startLocalEndpoint(async (_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: 'http://169.254.169.254/latest/meta-data/', mime_type: 'image/jpeg' }));
    });
    try {
      await expect(createMetaChannel({ ...options, graphBaseUrl: lookup.url }).fetchMedia('123')).rejects.toMatchObject({
        name: 'MediaFetchError',
        retryable: false,
      });
    } finally {
      await lookup.close();
    }
  });

  it.each([undefined, 'https://graph.facebook.com', 'https://graph.facebook.com/'])("allow Meta's lookaside and CDN hosts with the Graph base URL %s", (graphBaseUrl) => {
    const production = createMetaChannel({ ...options, graphBaseUrl });
    expect(allowed(production.mediaHosts.download, 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1')).toBe(true);
    expect(allowed(production.mediaHosts.download, 'https://graph.facebook.com/v23.0/1')).toBe(false);
    expect(allowed(production.mediaHosts.redirect, 'https://mmg.whatsapp.net/v/t62/abc')).toBe(true);
    expect(allowed(production.mediaHosts.redirect, 'https://127.0.0.1/')).toBe(false);
  });
});

const allowed = (hosts: readonly string[], url: string) => hosts.map(parseHostPattern).some((pattern) => hostMatches(pattern, new URL(url)));
