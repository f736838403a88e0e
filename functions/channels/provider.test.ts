import { describe, expect, it } from 'vitest';
import { headerValue, publicWebhookUrl } from './provider.ts';

describe('publicWebhookUrl', () => {
  it('joins the public base URL and the path with exactly one slash, keeping the query', () => {
    expect(publicWebhookUrl('https://wasap.example.com/', '/webhooks/twilio/status?x=1')).toBe('https://wasap.example.com/webhooks/twilio/status?x=1');
    expect(publicWebhookUrl('https://wasap.example.com/base', 'webhooks/meta/whatsapp')).toBe('https://wasap.example.com/base/webhooks/meta/whatsapp');
  });
});

describe('headerValue', () => {
  const request = { method: 'POST', url: 'https://x.example', rawBody: new Uint8Array(), headers: { 'X-Twilio-Signature': 'abc', 'x-multi': ['one', 'two'] } };

  it('finds a header whatever the case of its name, and the first of repeated ones', () => {
    expect(headerValue(request, 'x-twilio-signature')).toBe('abc');
    expect(headerValue(request, 'X-MULTI')).toBe('one');
    expect(headerValue(request, 'x-missing')).toBeUndefined();
  });
});
