import { describe, expect, it } from 'vitest';
import {
  metaMediaMessage,
  metaMessage,
  metaStatus,
  metaTextMessage,
  metaWebhookPayload,
  signedMetaWebhook,
  type MetaChangeFields,
} from '../../../infra/local/providers/metaWebhooks.ts';
import { WebhookPayloadError, type InboundMessage } from '../model.ts';
import type { WebhookRequest } from '../provider.ts';
import { createMetaChannel } from './provider.ts';

const APP_SECRET = '0123456789abcdef0123456789abcdef';
const PHONE_NUMBER_ID = '106540352242922';
const channel = createMetaChannel({ appSecret: APP_SECRET, verifyToken: 'v', accessToken: 'token', phoneNumberId: PHONE_NUMBER_ID });
const ASPIRANT = '+5215512345678';
const SENDER = '+15550783881';
const at = new Date('2025-03-01T12:34:56Z');

function request(payload: unknown): WebhookRequest {
  const signed = signedMetaWebhook(APP_SECRET, payload);
  return { method: 'POST', url: 'https://wasap.example.com/webhooks/meta/whatsapp', headers: signed.headers, rawBody: Buffer.from(signed.body) };
}

const change = (fields: Partial<MetaChangeFields>) =>
  metaWebhookPayload({ displayPhoneNumber: SENDER, phoneNumberId: PHONE_NUMBER_ID, contacts: [{ waId: ASPIRANT, name: 'Ana López' }], ...fields });

function onlyMessage(message: unknown): InboundMessage {
  const parsed = channel.parseInbound(request(change({ messages: [message] })));
  expect(parsed.statuses).toEqual([]);
  expect(parsed.messages).toHaveLength(1);
  return parsed.messages[0]!;
}

function parseError(payload: unknown): string {
  try {
    channel.parseInbound(request(payload));
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookPayloadError);
    return (error as Error).message;
  }
  throw new Error('expected the webhook to be refused');
}

describe('Meta inbound messages', () => {
  it('normalizes a text message: E.164 numbers, the contact profile name, the payload timestamp', () => {
    const raw = metaTextMessage(ASPIRANT, 'Hola 👋', at, 'wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYFDNBMDk=');
    expect(onlyMessage(raw)).toEqual({
      channel: 'whatsapp_meta',
      providerMessageId: 'wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYFDNBMDk=',
      from: '+525512345678',
      to: SENDER,
      profileName: 'Ana López',
      body: 'Hola 👋',
      media: [],
      occurredAt: at,
      raw,
    });
  });

  it.each([
    ['image', 'image/jpeg', 'mi foto', undefined],
    ['video', 'video/mp4', 'un video', undefined],
    ['document', 'application/pdf', 'mi CV', 'cv.pdf'],
    ['audio', 'audio/ogg; codecs=opus', undefined, undefined],
    ['voice', 'audio/ogg; codecs=opus', undefined, undefined],
    ['sticker', 'image/webp', undefined, undefined],
  ] as const)('carries a %s as a media reference by id, with its caption as body', (type, mimeType, caption, filename) => {
    const message = onlyMessage(
      metaMediaMessage(ASPIRANT, type, { id: '1234567890123456', mimeType, ...(caption ? { caption } : {}), ...(filename ? { filename } : {}) }, at),
    );
    expect(message.body).toBe(caption ?? null);
    expect(message.media).toEqual([{ providerRef: '1234567890123456', contentType: mimeType, position: 0, ...(filename ? { fileName: filename } : {}) }]);
    expect(message.occurredAt).toEqual(at);
  });

  it('takes the chosen title of button and list replies as the body', () => {
    expect(onlyMessage(metaMessage(ASPIRANT, 'button', { payload: 'YES', text: 'Sí, me interesa' })).body).toBe('Sí, me interesa');
    expect(onlyMessage(metaMessage(ASPIRANT, 'interactive', { type: 'button_reply', button_reply: { id: 'b1', title: 'Mañana' } })).body).toBe('Mañana');
    expect(onlyMessage(metaMessage(ASPIRANT, 'interactive', { type: 'list_reply', list_reply: { id: 'l1', title: 'Turno tarde' } })).body).toBe('Turno tarde');
  });

  it('keeps kinds the model does not carry as unsupported messages instead of dropping them', () => {
    const location = onlyMessage(metaMessage(ASPIRANT, 'location', { latitude: 19.43, longitude: -99.13 }));
    expect(location).toMatchObject({ body: null, media: [], unsupportedType: 'location' });
    expect(onlyMessage(metaMessage(ASPIRANT, 'reaction', { message_id: 'wamid.x', emoji: '👍' }))).toMatchObject({ unsupportedType: 'reaction' });
  });

  it('reads every message of every entry and change, and skips changes of other fields', () => {
    const first = change({ messages: [metaTextMessage(ASPIRANT, 'uno'), metaTextMessage('+5511987654321', 'dois')] });
    const payload = {
      ...first,
      entry: [
        ...first.entry,
        { id: '2', changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED', message_template_name: 'welcome' } }] },
        ...change({ messages: [metaTextMessage(ASPIRANT, 'tres')] }).entry,
      ],
    };
    const messages = channel.parseInbound(request(payload)).messages;
    expect(messages.map((message) => [message.from, message.body])).toEqual([
      ['+525512345678', 'uno'],
      ['+5511987654321', 'dois'],
      ['+525512345678', 'tres'],
    ]);
    // Only Ana is among the contacts.
    expect(messages.map((message) => message.profileName)).toEqual(['Ana López', undefined, 'Ana López']);
  });

  it.each([
    ['another object', { ...change({}), object: 'page' }, 'object'],
    ['a message without id', change({ messages: [{ ...metaTextMessage(ASPIRANT, 'x'), id: undefined }] }), 'messages.0.id'],
    ['a timestamp that is not a number', change({ messages: [{ ...metaTextMessage(ASPIRANT, 'x'), timestamp: 'yesterday' }] }), 'not a Unix timestamp'],
    ['an image without its image object', change({ messages: [{ ...metaTextMessage(ASPIRANT, 'x'), type: 'image' }] }), 'type image without its "image" object'],
    ['a text without its text object', change({ messages: [{ ...metaMessage(ASPIRANT, 'location', {}), type: 'text' }] }), 'type text without its "text" object'],
    ['a sender that is not a number', change({ messages: [{ ...metaTextMessage(ASPIRANT, 'x'), from: 'ana' }] }), 'from: "ana" is not a phone number'],
    ['a status error without a code', change({ statuses: [{ ...metaStatus('wamid.x', 'failed', ASPIRANT), errors: [{ title: 'x' }] }] }), 'errors.0.code'],
  ])('refuses %s with a clear error', (_, payload, mention) => {
    const message = parseError(payload);
    expect(message).toMatch(/^Meta webhook/);
    expect(message).toContain(mention);
  });

  it('refuses a body that is not JSON', () => {
    expect(() => channel.parseInbound({ method: 'POST', url: 'https://x.example', headers: {}, rawBody: Buffer.from('not json') })).toThrow(
      'Meta webhook: the body is not JSON',
    );
  });
});

describe('Meta statuses', () => {
  it('maps sent, delivered and read with their timestamps', () => {
    const statuses = ['sent', 'delivered', 'read'].map((status) => metaStatus('wamid.out1', status, ASPIRANT, at));
    expect(channel.parseInbound(request(change({ statuses }))).statuses).toEqual([
      { providerMessageId: 'wamid.out1', status: 'sent', occurredAt: at },
      { providerMessageId: 'wamid.out1', status: 'delivered', occurredAt: at },
      { providerMessageId: 'wamid.out1', status: 'read', occurredAt: at },
    ]);
  });

  it.each([
    [131047, 'Re-engagement message', 'Outside the 24-hour window: only an approved template can be sent'],
    [131026, 'Message undeliverable', 'The message is undeliverable: the recipient is not on WhatsApp or cannot receive it'],
    [130429, 'Rate limit hit', 'Meta is rate limiting this number (throughput limit)'],
    [131050, 'User has stopped marketing messages', 'The recipient stopped marketing messages from this business'],
    [135000, 'Generic user error', 'Generic user error'],
  ])('reports a failure with code %i and a readable reason', (code, title, reason) => {
    const status = metaStatus('wamid.out2', 'failed', ASPIRANT, at, { code, title });
    expect(channel.parseInbound(request(change({ statuses: [status] }))).statuses).toEqual([
      { providerMessageId: 'wamid.out2', status: 'failed', errorCode: String(code), errorMessage: reason, occurredAt: at },
    ]);
  });

  it('leaves out statuses the model does not know', () => {
    const statuses = [metaStatus('wamid.out3', 'deleted', ASPIRANT), metaStatus('wamid.out3', 'delivered', ASPIRANT, at)];
    expect(channel.parseInbound(request(change({ statuses }))).statuses).toEqual([{ providerMessageId: 'wamid.out3', status: 'delivered', occurredAt: at }]);
  });
});
