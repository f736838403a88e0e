import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIF_GPS_IFD_TAG, exifIfd0Tags, phonePhotoWithGps } from '../../../functions/media/testing/samples.ts';
import { startTestLocalHost, type TestLocalHost } from '../testing.ts';
import { startSandbox, type Sandbox } from './sandbox.ts';
import type { InboundEntry, OutboundEntry } from './timeline.ts';

/**
 * The simulator against the real host: its webhooks go through the host's Twilio route, the media job
 * downloads the photos from the sandbox's Twilio API, and what recruiters send comes back to the phone with
 * ticks the host also records. The sandbox's routes sit in front of the host on one port, as when mounted.
 */

const ASPIRANT = '+525512340000';

let sandbox: Sandbox;
let host: TestLocalHost;
let front: Server;
let frontUrl: string;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  sandbox = await startSandbox({ publicUrl, callbackDelayMs: 5 });
  host = await startTestLocalHost({
    channels: { twilio: sandbox.channel },
    mediaFetch: sandbox.mediaFetchOptions,
    env: { PORT: String(port), PUBLIC_URL: publicUrl },
    worker: { pollMs: 50 },
  });
  front = createServer((request, response) => {
    void sandbox.routes(request, response).then((handled) => {
      if (!handled) host.server.emit('request', request, response);
    });
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  frontUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
});

afterAll(async () => {
  front?.closeAllConnections();
  await new Promise((resolve) => front?.close(resolve));
  await host?.close();
  await sandbox?.close();
});

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const storedCounts = async (messageSid: string) => {
  const [row] = await host.db.query<{ messages: number; media: number; mediaJobs: number }>(
    `SELECT count(DISTINCT m.id)::int AS messages, count(DISTINCT a.id)::int AS media,
            (SELECT count(*)::int FROM jobs j WHERE j.type = 'media.fetch' AND j.payload->>'mediaId' IN (SELECT id::text FROM media WHERE message_id = m.id)) AS media_jobs
       FROM messages m LEFT JOIN media a ON a.message_id = m.id
      WHERE m.provider_message_id = :sid GROUP BY m.id`,
    { sid: messageSid },
  );
  return row ?? { messages: 0, media: 0, mediaJobs: 0 };
};

describe('the simulator on the real host', () => {
  let messageSid: string;

  it('stores a simulated message once through the real webhook and the media job stores its photo without GPS', async () => {
    const form = new FormData();
    form.append('from', ASPIRANT);
    form.append('profileName', 'Lupita');
    form.append('body', 'Hola, quiero información');
    form.append('media', new Blob([await phonePhotoWithGps(6)], { type: 'image/jpeg' }), 'selfie.jpg');
    const response = await fetch(`${frontUrl}/sandbox/messages`, { method: 'POST', body: form });

    expect(response.status).toBe(201);
    const posted = (await response.json()) as { messageSid: string; answer: number };
    expect(posted.answer).toBe(200);
    messageSid = posted.messageSid;
    expect(await storedCounts(messageSid)).toEqual({ messages: 1, media: 1, mediaJobs: 1 });

    const [media] = await eventually(async () => {
      const rows = await host.db.query<{ status: string; blobKey: string | null }>(
        `SELECT a.status, a.blob_key FROM media a JOIN messages m ON m.id = a.message_id WHERE m.provider_message_id = :sid`,
        { sid: messageSid },
      );
      return rows[0]?.status === 'pending' ? undefined : rows;
    }, 'the photo to be stored');
    expect(media!.status).toBe('stored');

    const token = await host.tokenFor('admin@example.com');
    const conversationId = await conversationOf(ASPIRANT);
    const { body } = await host.graphql<{ data: { thread: { nodes: { providerMessageId: string; media: { url: string | null }[] }[] } } }>(
      token,
      'query ($id: ID!) { thread(conversationId: $id) { nodes { providerMessageId media { url } } } }',
      { id: conversationId },
    );
    const stored = body.data.thread.nodes.find((node) => node.providerMessageId === messageSid);
    const photo = Buffer.from(await (await fetch(stored!.media[0]!.url!)).arrayBuffer());
    const { exif } = await sharp(photo).metadata();
    expect(exif === undefined || !exifIfd0Tags(exif).includes(EXIF_GPS_IFD_TAG)).toBe(true);
  });

  it('replays the same signed webhook harmlessly: answered 200, still one message, one attachment, one media job', async () => {
    const response = await fetch(`${frontUrl}/sandbox/messages/${messageSid}/replay`, { method: 'POST' });

    expect(await response.json()).toEqual({ messageSid, answer: 200 });
    expect(await storedCounts(messageSid)).toEqual({ messages: 1, media: 1, mediaJobs: 1 });
    const thread = await sandboxThread(ASPIRANT);
    const entry = thread.find((item): item is InboundEntry => item.kind === 'inbound' && item.messageSid === messageSid);
    expect(entry!.deliveries.map((delivery) => delivery.answer)).toEqual([200, 200]);
  });

  it("brings a recruiter's reply to the phone and its signed callbacks tick it read on the host too", async () => {
    const token = await host.tokenFor('admin@example.com');
    const { body } = await host.graphql<{ data: { sendMessage: { id: string } } }>(
      token,
      'mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id } }',
      { input: { conversationId: await conversationOf(ASPIRANT), body: 'Hola Lupita, ¿cuántos años tienes?', idempotencyKey: 'simulator-reply-0001' } },
    );
    const messageId = body.data.sendMessage.id;

    const reply = await eventually(async () => {
      const thread = await sandboxThread(ASPIRANT);
      const found = thread.find((item): item is OutboundEntry => item.kind === 'outbound' && item.body === 'Hola Lupita, ¿cuántos años tienes?');
      return found?.status === 'read' ? found : undefined;
    }, 'the read tick on the phone');
    const [stored] = await eventually(async () => {
      const rows = await host.db.query<{ status: string; providerMessageId: string }>('SELECT status, provider_message_id FROM messages WHERE id = :id::uuid', { id: messageId });
      return rows[0]?.status === 'read' ? rows : undefined;
    }, 'the read status on the host');
    expect(stored!.providerMessageId).toBe(reply.messageSid);
  });
});

async function conversationOf(phone: string): Promise<string> {
  const [row] = await host.db.query<{ id: string }>(
    `SELECT c.id FROM conversations c JOIN aspirants a ON a.id = c.aspirant_id WHERE a.phone = :phone AND c.channel = 'whatsapp_twilio'`,
    { phone },
  );
  return row!.id;
}

async function sandboxThread(phone: string): Promise<(InboundEntry | OutboundEntry)[]> {
  const response = await fetch(`${frontUrl}/sandbox/thread?phone=${encodeURIComponent(phone)}`);
  return ((await response.json()) as { entries: (InboundEntry | OutboundEntry)[] }).entries;
}
