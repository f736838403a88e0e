import { describe, expect, it } from 'vitest';
import { metaSignature, metaTextMessage, metaWebhookPayload, signedMetaWebhook } from '../../../infra/local/providers/metaWebhooks.ts';
import type { WebhookRequest } from '../provider.ts';
import { createMetaChannel } from './provider.ts';

const APP_SECRET = '0123456789abcdef0123456789abcdef';
const VERIFY_TOKEN = 'wasap-verify-7f3a';
const channel = createMetaChannel({ appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, accessToken: 'token', phoneNumberId: '106540352242922' });
const URL_ = 'https://wasap.example.com/webhooks/meta/whatsapp';

const post = (rawBody: string | Uint8Array, signature?: string): WebhookRequest => ({
  method: 'POST',
  url: URL_,
  headers: { 'Content-Type': 'application/json', ...(signature === undefined ? {} : { 'X-Hub-Signature-256': signature }) },
  rawBody: typeof rawBody === 'string' ? Buffer.from(rawBody) : rawBody,
});

const payload = metaWebhookPayload({
  displayPhoneNumber: '+15550783881',
  phoneNumberId: '106540352242922',
  contacts: [{ waId: '+5215512345678', name: 'Ana López 💃' }],
  messages: [metaTextMessage('+5215512345678', 'Olá! Quero ser modelo 👋 ñ/é')],
});

describe('Meta webhook signature', () => {
  it('accepts the raw bytes Meta signed, escaped unicode included', () => {
    const { body, headers } = signedMetaWebhook(APP_SECRET, payload);
    expect(body).toContain('\\ud83d\\udc4b');
    expect(body).toContain('\\/');
    expect(channel.verify(post(body, headers['x-hub-signature-256']))).toBe(true);
  });

  it('refuses the same JSON re-serialized, because the signature covers bytes, not meaning', () => {
    const { body, headers } = signedMetaWebhook(APP_SECRET, payload);
    const reserialized = JSON.stringify(JSON.parse(body));
    expect(JSON.parse(reserialized)).toEqual(JSON.parse(body));
    expect(channel.verify(post(reserialized, headers['x-hub-signature-256']))).toBe(false);
  });

  it('refuses a body changed by one byte', () => {
    const { body, headers } = signedMetaWebhook(APP_SECRET, payload);
    const bytes = Buffer.from(body);
    for (const index of [0, Math.floor(bytes.length / 2), bytes.length - 1]) {
      const tampered = Buffer.from(bytes);
      tampered[index] = tampered[index]! ^ 0x01;
      expect(channel.verify(post(tampered, headers['x-hub-signature-256']))).toBe(false);
    }
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['another secret', metaSignature('another-secret', '{}')],
    ['no sha256= prefix', metaSignature(APP_SECRET, '{}').slice('sha256='.length)],
    ['a SHA-1 signature', `sha1=${'a'.repeat(40)}`],
    ['a truncated digest', metaSignature(APP_SECRET, '{}').slice(0, -2)],
    ['a digest that is not hex', `sha256=${'z'.repeat(64)}`],
  ])('refuses a request with %s', (_, signature) => {
    expect(channel.verify(post('{}', signature))).toBe(false);
  });

  it('accepts an upper-case hex digest of the right bytes', () => {
    const signature = metaSignature(APP_SECRET, '{}');
    expect(channel.verify(post('{}', `sha256=${signature.slice('sha256='.length).toUpperCase()}`))).toBe(true);
  });
});

describe('Meta subscription handshake', () => {
  const handshake = (query: Record<string, string>) =>
    channel.answerHandshake!({ method: 'GET', url: `${URL_}?${new URLSearchParams(query)}`, headers: {}, rawBody: new Uint8Array() });

  it('answers the challenge when the verify token matches', () => {
    expect(handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1158201444' })).toEqual({
      status: 200,
      contentType: 'text/plain',
      body: '1158201444',
    });
  });

  it.each([
    ['a wrong token', { 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1158201444' }],
    ['a token that only starts right', { 'hub.mode': 'subscribe', 'hub.verify_token': `${VERIFY_TOKEN}x`, 'hub.challenge': '1' }],
    ['no token', { 'hub.mode': 'subscribe', 'hub.challenge': '1158201444' }],
    ['another mode', { 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1158201444' }],
    ['no challenge', { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN }],
    ['a challenge that is markup', { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '<script>alert(1)</script>' }],
  ])('answers 403 to %s', (_, query) => {
    expect(handshake(query)).toMatchObject({ status: 403 });
  });
});
