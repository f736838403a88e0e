import { describe, expect, it } from 'vitest';
import { signedTwilioWebhook, twilioInboundParams, twilioStatusParams } from '../../../infra/local/providers/twilioWebhooks.ts';
import { WebhookPayloadError } from '../model.ts';
import type { WebhookRequest } from '../provider.ts';
import { createTwilioChannel } from './provider.ts';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'f00dfeedf00dfeedf00dfeedf00dfeed';
const URL_ = 'https://wasap.example.com/webhooks/twilio/whatsapp';
const SENDER = '+14155238886';
const channel = createTwilioChannel({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, whatsappFrom: SENDER });
const receivedAt = new Date('2025-03-01T12:00:00Z');

function webhook(params: Record<string, string>): WebhookRequest {
  const signed = signedTwilioWebhook(AUTH_TOKEN, URL_, params);
  return { method: 'POST', url: URL_, headers: signed.headers, rawBody: Buffer.from(signed.body) };
}

const inbound = (fields: Partial<Parameters<typeof twilioInboundParams>[0]> = {}) =>
  twilioInboundParams({ accountSid: ACCOUNT_SID, from: '+5215512345678', to: SENDER, ...fields });

const status = (value: string, errorCode?: string) =>
  twilioStatusParams({
    accountSid: ACCOUNT_SID,
    messageSid: 'SM0123456789abcdef0123456789abcdef',
    from: SENDER,
    to: '+525512345678',
    status: value,
    ...(errorCode === undefined ? {} : { errorCode }),
  });

function parseError(params: Record<string, string>): string {
  try {
    channel.parseInbound(webhook(params), receivedAt);
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookPayloadError);
    return (error as Error).message;
  }
  throw new Error('expected the webhook to be refused');
}

describe('Twilio inbound messages', () => {
  it('normalizes a text message: E.164 numbers (Mexico without the old mobile 1), profile name, receipt time', () => {
    const params = inbound({ body: 'Hola, quiero información', profileName: 'Ana López', messageSid: 'SM11111111111111111111111111111111' });
    const parsed = channel.parseInbound(webhook(params), receivedAt);
    expect(parsed.statuses).toEqual([]);
    expect(parsed.messages).toEqual([
      {
        channel: 'whatsapp_twilio',
        providerMessageId: 'SM11111111111111111111111111111111',
        from: '+525512345678',
        to: SENDER,
        profileName: 'Ana López',
        body: 'Hola, quiero información',
        media: [],
        occurredAt: receivedAt,
        raw: params,
      },
    ]);
  });

  it('gives the same aspirant number for +521 and +52 writings of a Mexican mobile', () => {
    const [withOne] = channel.parseInbound(webhook(inbound({ from: '+5215512345678' })), receivedAt).messages;
    const [withoutOne] = channel.parseInbound(webhook(inbound({ from: '+525512345678' })), receivedAt).messages;
    expect(withOne?.from).toBe(withoutOne?.from);
  });

  it('lists photos with their content types in order, with the caption as body', () => {
    const media = [
      { url: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/MM1/Media/ME1`, contentType: 'image/jpeg' },
      { url: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/MM1/Media/ME2`, contentType: 'image/png' },
    ];
    const [message] = channel.parseInbound(webhook(inbound({ body: 'mis fotos', media })), receivedAt).messages;
    expect(message?.body).toBe('mis fotos');
    expect(message?.media).toEqual([
      { providerRef: media[0]!.url, contentType: 'image/jpeg', position: 0 },
      { providerRef: media[1]!.url, contentType: 'image/png', position: 1 },
    ]);
  });

  it('keeps a voice note without text as a message with no body', () => {
    const media = [{ url: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/MM2/Media/ME3`, contentType: 'audio/ogg' }];
    const [message] = channel.parseInbound(webhook(inbound({ media })), receivedAt).messages;
    expect(message?.body).toBeNull();
    expect(message?.media).toEqual([{ providerRef: media[0]!.url, contentType: 'audio/ogg', position: 0 }]);
  });

  it('reads a JSON body with the same fields', () => {
    const params = inbound({ body: 'hola' });
    const request: WebhookRequest = { method: 'POST', url: URL_, headers: { 'Content-Type': 'application/json' }, rawBody: Buffer.from(JSON.stringify(params)) };
    expect(channel.parseInbound(request, receivedAt).messages[0]?.body).toBe('hola');
  });

  it.each([
    ['a missing MessageSid', { MessageSid: undefined }, 'MessageSid'],
    ['a MessageSid that is not a SID', { MessageSid: 'hello' }, 'MessageSid: not a Twilio SID'],
    ['a missing From', { From: undefined }, 'From'],
    ['a From that is not a number', { From: 'whatsapp:hello' }, 'From: "whatsapp:hello" is not a phone number'],
    ['a NumMedia that is not a count', { NumMedia: 'two' }, 'NumMedia: not a count'],
    ['more attachments than WhatsApp allows', { NumMedia: '11' }, 'NumMedia'],
    ['an announced attachment without its URL', { NumMedia: '1' }, 'MediaUrl0'],
  ])('refuses %s with a clear error', (_, change, mention) => {
    const params: Record<string, string> = { ...inbound() };
    for (const [key, value] of Object.entries(change)) {
      if (value === undefined) delete params[key];
      else params[key] = value;
    }
    const message = parseError(params);
    expect(message).toMatch(/^Twilio webhook/);
    expect(message).toContain(mention);
  });

  it('refuses a MediaUrl that is not an http(s) URL', () => {
    expect(parseError({ ...inbound(), NumMedia: '1', MediaUrl0: 'file:///etc/passwd' })).toContain('MediaUrl0');
  });

  it('refuses a body that is not JSON when it says it is', () => {
    const request: WebhookRequest = { method: 'POST', url: URL_, headers: { 'content-type': 'application/json' }, rawBody: Buffer.from('{oops') };
    expect(() => channel.parseInbound(request, receivedAt)).toThrow(WebhookPayloadError);
  });
});

describe('Twilio status callbacks', () => {
  it.each([
    ['accepted', 'queued'],
    ['queued', 'queued'],
    ['sending', 'sending'],
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'read'],
  ])('maps %s to %s', (twilioStatus, expected) => {
    expect(channel.parseInbound(webhook(status(twilioStatus)), receivedAt)).toEqual({
      messages: [],
      statuses: [{ providerMessageId: 'SM0123456789abcdef0123456789abcdef', status: expected }],
    });
  });

  it.each([
    ['undelivered', '63016', 'Outside the 24-hour window: only an approved template can be sent'],
    ['failed', '63018', "The sender's WhatsApp messaging-limit tier is used up for the last 24 hours"],
    ['failed', '21610', 'The recipient opted out (replied STOP) and cannot be written to'],
    ['undelivered', '63019', 'WhatsApp could not download the media of the message'],
  ])('reports %s with code %s and a readable reason', (twilioStatus, code, reason) => {
    const [update] = channel.parseInbound(webhook(status(twilioStatus, code)), receivedAt).statuses;
    expect(update).toEqual({ providerMessageId: 'SM0123456789abcdef0123456789abcdef', status: twilioStatus, errorCode: code, errorMessage: reason });
  });

  it("falls back to Twilio's own message, then to the code, for codes without a known meaning", () => {
    const withMessage = channel.parseInbound(webhook({ ...status('failed', '99999'), ErrorMessage: 'Something odd' }), receivedAt).statuses[0];
    expect(withMessage?.errorMessage).toBe('Something odd');
    expect(channel.parseInbound(webhook(status('failed', '99999')), receivedAt).statuses[0]?.errorMessage).toBe('Twilio error 99999');
  });

  it('reports a canceled scheduled message as failed', () => {
    expect(channel.parseInbound(webhook(status('canceled')), receivedAt).statuses[0]).toMatchObject({ status: 'failed', errorMessage: expect.stringContaining('canceled') });
  });

  it('leaves out inbound-side and unknown statuses instead of refusing the callback', () => {
    expect(channel.parseInbound(webhook(status('received')), receivedAt)).toEqual({ messages: [], statuses: [] });
    expect(channel.parseInbound(webhook(status('teleported')), receivedAt)).toEqual({ messages: [], statuses: [] });
  });

  it('refuses an error code that is not a number', () => {
    expect(parseError({ ...status('failed'), ErrorCode: 'bad' })).toContain('ErrorCode: not an error code');
  });
});
