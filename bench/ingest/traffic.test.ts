import { describe, expect, it } from 'vitest';
import { createTwilioChannel } from '../../functions/channels/twilio/provider.ts';
import { startLocalEndpoint } from '../../infra/local/providers/http.ts';
import { seededRandom } from '../lib/random.ts';
import { inboundMessage, phonePool, shuffled, signedInbound, TWILIO, WebhookPoster } from './traffic.ts';

describe('the ingest benchmark traffic', () => {
  it('draws the same pool of distinct E.164 numbers from the same seed', () => {
    const pool = phonePool(seededRandom(7), 5_000);
    expect(new Set(pool).size).toBe(5_000);
    expect(pool.every((phone) => /^\+[1-9]\d{6,14}$/.test(phone))).toBe(true);
    expect(phonePool(seededRandom(7), 5_000)).toEqual(pool);
  });

  it('shuffles into a permutation of the pool', () => {
    const pool = Array.from({ length: 1_000 }, (_, index) => index);
    const order = shuffled(seededRandom(3), pool);
    expect(order).not.toEqual(pool);
    expect([...order].sort((a, b) => a - b)).toEqual(pool);
  });

  it("signs webhooks the Twilio adapter accepts for the host's public URL, and only there", () => {
    const twilio = createTwilioChannel({ accountSid: TWILIO.accountSid, authToken: TWILIO.authToken, whatsappFrom: TWILIO.sender });
    const url = 'http://127.0.0.1:4567/webhooks/twilio/whatsapp';
    const webhook = signedInbound(inboundMessage(seededRandom(1), '+525512345678', 0), url);
    const request = (at: string) => ({ method: 'POST', url: at, headers: webhook.headers, rawBody: Buffer.from(webhook.body) });

    expect(twilio.verify(request(url))).toBe(true);
    expect(twilio.verify(request('http://127.0.0.1:4568/webhooks/twilio/whatsapp'))).toBe(false);
    const [parsed] = twilio.parseInbound(request(url), new Date()).messages;
    expect(parsed).toMatchObject({ providerMessageId: webhook.messageSid, from: '+525512345678', to: TWILIO.sender });
  });

  it('answers the status of each post, and fails a post not answered in time', async () => {
    const endpoint = await startLocalEndpoint(async (request, response, url) => {
      if (url.pathname === '/slow') return; // never answers
      request.resume();
      request.on('end', () => response.writeHead(request.headers['x-twilio-signature'] ? 200 : 401).end());
    });
    const webhook = signedInbound(inboundMessage(seededRandom(2), '+525512345678', 0), `${endpoint.url}/fast`);
    const fast = new WebhookPoster(`${endpoint.url}/fast`, 1_000);
    const slow = new WebhookPoster(`${endpoint.url}/slow`, 100);
    try {
      expect(await fast.post(webhook)).toBe(200);
      await expect(slow.post(webhook)).rejects.toThrow('no answer within 100 ms');
    } finally {
      fast.close();
      slow.close();
      await endpoint.close();
    }
  });
});
