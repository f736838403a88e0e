import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedWebhook } from '../../../functions/channels/model.ts';
import { publicWebhookUrl, type WebhookRequest } from '../../../functions/channels/provider.ts';
import { fetchMedia } from '../../../functions/media/fetchMedia.ts';
import { solidImage } from '../../../functions/media/testing/samples.ts';
import { readBody } from '../http/body.ts';
import { startSandbox, type Sandbox } from './sandbox.ts';
import type { InboundEntry, OutboundEntry } from './timeline.ts';

/**
 * The sandbox on a server of its own that also plays the platform's webhook routes, checking each webhook with
 * the sandbox's real Twilio channel (`verify`, `parseInbound`): inbound messages against PUBLIC_URL, as the
 * host's route does; status callbacks against the StatusCallback URL the send gave, which Twilio signs for.
 * `/webhooks/twilio/down` plays a platform that is failing.
 */

const PUBLIC_URL = 'https://wasap.example.com';
const ASPIRANT = '+525512345678';

interface ReceivedWebhook {
  readonly path: string;
  readonly verified: boolean;
  readonly rawBody: string;
  readonly signature: string | undefined;
  readonly parsed?: ParsedWebhook;
}

let sandbox: Sandbox;
let server: Server;
let baseUrl: string;
const received: ReceivedWebhook[] = [];

async function playPlatform(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://local');
  if (await sandbox.routes(request, response)) return;
  if (request.method !== 'POST' || !url.pathname.startsWith('/webhooks/twilio/')) {
    response.writeHead(404).end();
    return;
  }
  const rawBody = await readBody(request, 1_000_000);
  const calledUrl = publicWebhookUrl(url.pathname === '/webhooks/twilio/whatsapp' ? PUBLIC_URL : baseUrl, url.pathname);
  const webhook: WebhookRequest = { method: 'POST', url: calledUrl, headers: request.headers, rawBody };
  const verified = sandbox.channel.verify(webhook);
  const signature = request.headers['x-twilio-signature'] as string | undefined;
  received.push({ path: url.pathname, verified, rawBody: rawBody.toString('utf8'), signature, ...(verified ? { parsed: sandbox.channel.parseInbound(webhook) } : {}) });
  const answer = url.pathname === '/webhooks/twilio/down' ? 503 : verified ? 200 : 401;
  response.writeHead(answer, { 'content-type': 'text/xml' }).end('<Response/>');
}

beforeAll(async () => {
  // One callback a millisecond after the other, always with two swapped: Twilio does not order them either.
  sandbox = await startSandbox({ publicUrl: PUBLIC_URL, callbackDelayMs: 1, outOfOrderChance: 1 });
  server = createServer((request, response) => void playPlatform(request, response).catch(() => response.writeHead(500).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  received.length = 0;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await sandbox.close();
});

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function thread(phone: string) {
  const response = await fetch(`${baseUrl}/sandbox/thread?phone=${encodeURIComponent(phone)}`);
  return ((await response.json()) as { entries: (InboundEntry | OutboundEntry)[] }).entries;
}

function simulatedMessage(fields: Record<string, string>, files: { bytes: Uint8Array; type: string; name: string }[] = []): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const file of files) form.append('media', new Blob([file.bytes], { type: file.type }), file.name);
  return form;
}

async function postAsAspirant(form: FormData, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}/sandbox/messages`, { method: 'POST', body: form, headers });
  return { status: response.status, body: (await response.json()) as { messageSid?: string; answer?: number | null; message?: string } };
}

describe('the sandbox provider', () => {
  it('records a send for the aspirant and plays status callbacks signed for the Twilio channel, out of order', async () => {
    const statusCallbackUrl = `${baseUrl}/webhooks/twilio/status`;
    const { providerMessageId } = await sandbox.channel.send({ to: ASPIRANT, content: { kind: 'text', body: 'Hola Ana 👋' }, statusCallbackUrl });

    const [entry] = await until(async () => {
      const entries = await thread(ASPIRANT);
      return entries[0]?.kind === 'outbound' && entries[0].status === 'read' ? entries : undefined;
    }, 'the read tick');
    expect(entry).toEqual({ kind: 'outbound', messageSid: providerMessageId, at: expect.any(String), body: 'Hola Ana 👋', mediaUrls: [], template: null, status: 'read' });

    expect(received.map((webhook) => webhook.verified)).toEqual([true, true, true]);
    const updates = received.map((webhook) => webhook.parsed?.statuses[0]);
    expect(updates.every((update) => update?.providerMessageId === providerMessageId)).toBe(true);
    const statuses = updates.map((update) => update?.status);
    expect([...statuses].sort()).toEqual(['delivered', 'read', 'sent']);
    expect(statuses).not.toEqual(['sent', 'delivered', 'read']);
  });

  it('leaves a reply unticked while the platform fails its status callbacks', async () => {
    const statusCallbackUrl = `${baseUrl}/webhooks/twilio/down`;
    const { providerMessageId } = await sandbox.channel.send({ to: '+525598765432', content: { kind: 'text', body: 'Hola' }, statusCallbackUrl });
    await until(() => (received.length === 3 ? true : undefined), 'three status callbacks');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [entry] = await thread('+525598765432');
    expect(entry).toMatchObject({ messageSid: providerMessageId, status: 'queued' });
  });

  it('records a template send with its variables', async () => {
    const template = { id: 'HX0123456789abcdef0123456789abcdef', language: 'es_MX', variables: ['Ana', 'lunes'] };
    await sandbox.channel.send({ to: '+525511112222', content: { kind: 'template', template } });
    const [entry] = await thread('+525511112222');
    expect(entry).toMatchObject({ kind: 'outbound', body: null, template: { contentSid: template.id, variables: { 1: 'Ana', 2: 'lunes' } } });
  });
});

describe('the simulator API', () => {
  it('posts a message with a photo as a Twilio webhook signed for PUBLIC_URL, whose media the channel downloads', async () => {
    const photo = await solidImage('jpeg');
    const { status, body } = await postAsAspirant(simulatedMessage({ from: '+52 55 3333 4444', profileName: 'Lupita', body: '<b>Hola</b>' }, [{ bytes: photo, type: 'image/jpeg', name: 'me.jpg' }]));

    expect(status).toBe(201);
    expect(body).toMatchObject({ messageSid: expect.stringMatching(/^MM[0-9a-f]{32}$/), answer: 200 });
    expect(received).toHaveLength(1);
    const [webhook] = received;
    expect(webhook).toMatchObject({ path: '/webhooks/twilio/whatsapp', verified: true });
    const [message] = webhook!.parsed!.messages;
    expect(message).toMatchObject({ providerMessageId: body.messageSid, from: '+525533334444', to: '+14155238886', profileName: 'Lupita', body: '<b>Hola</b>' });
    expect(message!.media).toEqual([{ providerRef: expect.any(String), contentType: 'image/jpeg', position: 0 }]);

    // The media URL is the sandbox Twilio API's, behind the generated credentials, like Twilio's own.
    const providerRef = message!.media[0]!.providerRef;
    expect((await fetch(providerRef)).status).toBe(401);
    const download = await sandbox.channel.fetchMedia(providerRef);
    const fetched = await fetchMedia(download, { hosts: sandbox.channel.mediaHosts, ...sandbox.mediaFetchOptions });
    expect(Buffer.compare(fetched.bytes, photo)).toBe(0);

    const [entry] = (await thread('+525533334444')) as InboundEntry[];
    expect(entry).toMatchObject({ kind: 'inbound', messageSid: body.messageSid, profileName: 'Lupita', body: '<b>Hola</b>', deliveries: [{ answer: 200 }] });
    const preview = await fetch(`${baseUrl}${entry!.media[0]!.previewUrl}`);
    expect(preview.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.compare(Buffer.from(await preview.arrayBuffer()), photo)).toBe(0);
  });

  it('replays the exact same signed webhook and records each delivery', async () => {
    const { body } = await postAsAspirant(simulatedMessage({ from: '+525544445555', body: 'otra vez' }));
    const replay = await fetch(`${baseUrl}/sandbox/messages/${body.messageSid}/replay`, { method: 'POST' });

    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ messageSid: body.messageSid, answer: 200 });
    expect(received).toHaveLength(2);
    expect(received[1]!.rawBody).toBe(received[0]!.rawBody);
    expect(received[1]!.signature).toBe(received[0]!.signature);
    const [entry] = (await thread('+525544445555')) as InboundEntry[];
    expect(entry!.deliveries.map((delivery) => delivery.answer)).toEqual([200, 200]);
  });

  it.each([
    ['no phone', simulatedMessage({ body: 'hola' }), /from/],
    ['a phone that is not one', simulatedMessage({ from: 'ana', body: 'hola' }), /not a phone number/],
    ['neither text nor media', simulatedMessage({ from: ASPIRANT, body: '   ' }), /body or a media file/],
    ['text over WhatsApp’s limit', simulatedMessage({ from: ASPIRANT, body: 'x'.repeat(4097) }), /at most 4096/],
    ['an empty file', simulatedMessage({ from: ASPIRANT }, [{ bytes: new Uint8Array(), type: 'image/jpeg', name: 'empty.jpg' }]), /empty/],
  ])('refuses a message with %s with a 400 and posts nothing', async (_, form, reason) => {
    const before = await (await fetch(`${baseUrl}/sandbox/aspirants`)).json();
    const { status, body } = await postAsAspirant(form);
    expect(status).toBe(400);
    expect(body.message).toMatch(reason);
    expect(received).toEqual([]);
    expect(await (await fetch(`${baseUrl}/sandbox/aspirants`)).json()).toEqual(before);
  });

  it('refuses posts from another site’s pages and replays of unknown messages', async () => {
    const crossSite = await postAsAspirant(simulatedMessage({ from: ASPIRANT, body: 'hola' }), { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    const unknown = await fetch(`${baseUrl}/sandbox/messages/SM00000000000000000000000000000000/replay`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(received).toEqual([]);
  });

  it('lists the aspirants it has seen, latest first, with the sender number', async () => {
    await postAsAspirant(simulatedMessage({ from: '+525566667777', profileName: 'Zoe', body: 'hola' }));
    const listed = (await (await fetch(`${baseUrl}/sandbox/aspirants`)).json()) as { sender: string; aspirants: { phone: string; profileName: string | null }[] };
    expect(listed.sender).toBe('+14155238886');
    expect(listed.aspirants[0]).toMatchObject({ phone: '+525566667777', profileName: 'Zoe', messages: 1 });
  });

  it('serves the page with a policy that runs only its own script', async () => {
    const page = await fetch(`${baseUrl}/simulator`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('/simulator/simulator.js');
    const script = await fetch(`${baseUrl}/simulator/simulator.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).not.toMatch(/innerHTML|insertAdjacentHTML|document\.write/);
    expect((await fetch(`${baseUrl}/simulator/../package.json`)).status).toBe(404);
  });
});
