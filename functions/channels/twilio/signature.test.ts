import { createHash } from 'node:crypto';
import fc from 'fast-check';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { signedTwilioWebhook, twilioInboundParams } from '../../../infra/local/providers/twilioWebhooks.ts';
import type { WebhookRequest } from '../provider.ts';
import { createTwilioChannel } from './provider.ts';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const channelWithToken = (authToken: string) => createTwilioChannel({ accountSid: ACCOUNT_SID, authToken, whatsappFrom: '+14155238886' });

function formRequest(url: string, params: Record<string, string | string[]>, signature: string | undefined): WebhookRequest {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) for (const item of [value].flat()) body.append(name, item);
  return {
    method: 'POST',
    url,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(signature === undefined ? {} : { 'X-Twilio-Signature': signature }) },
    rawBody: Buffer.from(body.toString()),
  };
}

describe('Twilio webhook verification', () => {
  it("accepts the Twilio docs' signature vector", () => {
    const params = { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' };
    const request = formRequest('https://mycompany.com/myapp.php?foo=1&bar=2', params, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
    expect(channelWithToken('12345').verify(request)).toBe(true);
    expect(channelWithToken('54321').verify(request)).toBe(false);
  });

  const authToken = 'f00dfeedf00dfeedf00dfeedf00dfeed';
  const channel = channelWithToken(authToken);
  const publicUrl = 'https://wasap.example.com/webhooks/twilio/whatsapp';
  const params = twilioInboundParams({
    accountSid: ACCOUNT_SID,
    from: '+5215512345678',
    to: '+14155238886',
    body: 'Hola, quiero ser modelo',
    profileName: 'Ana',
    messageSid: 'SM0123456789abcdef0123456789abcdef',
  });
  const signature = signedTwilioWebhook(authToken, publicUrl, params).headers['x-twilio-signature'];

  it('accepts a genuine request whether Twilio signed the URL with :443 or without', () => {
    const withPort = 'https://wasap.example.com:443/webhooks/twilio/whatsapp';
    const signedWithPort = signedTwilioWebhook(authToken, withPort, params).headers['x-twilio-signature'];
    expect(channel.verify(formRequest(publicUrl, params, signature))).toBe(true);
    expect(channel.verify(formRequest(publicUrl, params, signedWithPort))).toBe(true);
    expect(channel.verify(formRequest(withPort, params, signature))).toBe(true);
  });

  it('accepts a public URL with its own port only when Twilio signed that port', () => {
    // The package alone would also accept, at https://host:8443/…, a signature made for https://host/….
    const onOwnPort = 'https://wasap.example.com:8443/webhooks/twilio/whatsapp';
    const signedForOwnPort = signedTwilioWebhook(authToken, onOwnPort, params).headers['x-twilio-signature'];
    expect(channel.verify(formRequest(onOwnPort, params, signedForOwnPort))).toBe(true);
    expect(twilio.validateRequest(authToken, signature, onOwnPort, params)).toBe(true);
    expect(channel.verify(formRequest(onOwnPort, params, signature))).toBe(false);
  });

  it('refuses a request without a signature', () => {
    expect(channel.verify(formRequest(publicUrl, params, undefined))).toBe(false);
    expect(channel.verify(formRequest(publicUrl, params, ''))).toBe(false);
  });

  it('verifies a JSON body through the bodySHA256 the signed URL carries', () => {
    const body = JSON.stringify({ MessageSid: params.MessageSid, Body: 'Hola' });
    const url = `${publicUrl}?bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
    const jsonSignature = twilio.getExpectedTwilioSignature(authToken, url, {});
    const request = (rawBody: string): WebhookRequest => ({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', 'x-twilio-signature': jsonSignature },
      rawBody: Buffer.from(rawBody),
    });
    expect(channel.verify(request(body))).toBe(true);
    expect(channel.verify(request(body.replace('Hola', 'Hole')))).toBe(false);
  });

  it('accepts none of 10,000 mutated signed requests (parameters, URL, port, scheme, signature)', () => {
    /**
     * A genuine request changed after signing. URL changes go either to the URL Twilio signed (a signature
     * taken from elsewhere) or to the URL we verify against (our public URL, port included); never both, so
     * they cannot cancel out.
     */
    type Candidate = { kind: string; signedUrl: string; receivedUrl: string; params: Record<string, string | string[]>; tamper?: (signature: string) => string };
    type Mutation = (candidate: Candidate) => Candidate;
    const genuine: Candidate = { kind: 'genuine', signedUrl: publicUrl, receivedUrl: publicUrl, params };
    const names = Object.keys(params);
    const name = fc.constantFrom(...names);
    const freshName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,12}$/).filter((candidate) => !names.includes(candidate));
    const word = fc.stringMatching(/^[a-z0-9]{1,10}$/);
    const withParams = (change: (params: Record<string, string | string[]>) => void): Mutation => (candidate) => {
      const copy = { ...candidate.params };
      change(copy);
      return { ...candidate, params: copy };
    };
    const changeUrl = (url: string, change: (url: URL) => void): string => {
      const parsed = new URL(url);
      change(parsed);
      return parsed.href;
    };
    const urlMutations: Record<string, fc.Arbitrary<(url: URL) => void>> = {
      'changed path': word.map((segment) => (url) => void (url.pathname = `${url.pathname}/${segment}`)),
      'added query': fc.tuple(word, word).map(([key, value]) => (url) => url.searchParams.set(key, value)),
      'changed host': word.filter((host) => host !== 'wasap').map((host) => (url) => void (url.hostname = `${host}.example.com`)),
      'changed port': fc.integer({ min: 1, max: 65535 }).filter((port) => port !== 443).map((port) => (url) => void (url.port = String(port))),
      'changed scheme': fc.constantFrom('', '80', '443', '8080').map((port) => (url) => {
        url.protocol = 'http:';
        if (port) url.port = port;
      }),
    };
    const mutations: Record<string, fc.Arbitrary<Mutation>> = {
      'changed value': fc.tuple(name, fc.string({ maxLength: 20 })).filter(([key, value]) => params[key] !== value)
        .map(([key, value]) => withParams((p) => void (p[key] = value))),
      'added parameter': fc.tuple(freshName, fc.string({ maxLength: 20 })).map(([key, value]) => withParams((p) => void (p[key] = value))),
      'removed parameter': name.map((key) => withParams((p) => void delete p[key])),
      'renamed parameter': fc.tuple(name, freshName).map(([key, renamed]) => withParams((p) => {
        p[renamed] = p[key] ?? '';
        delete p[key];
      })),
      'repeated parameter': fc.tuple(name, fc.string({ maxLength: 20 })).map(([key, value]) => withParams((p) => void (p[key] = [String(p[key]), value]))),
      ...Object.fromEntries(Object.entries(urlMutations).map(([kind, change]) => [
        kind,
        change.map((mutate): Mutation => (candidate) => ({ ...candidate, receivedUrl: changeUrl(candidate.receivedUrl, mutate) })),
      ])),
      'changed signature': fc.tuple(fc.nat({ max: 27 }), fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='))
        .map(([index, character]): Mutation => (candidate) => ({
          ...candidate,
          tamper: (signature) => {
            const changed = `${signature.slice(0, index)}${character}${signature.slice(index + 1)}`;
            return changed === signature ? `${signature}${character}` : changed;
          },
        })),
    };
    // URL changes are made to the received URL, then moved to the signed one for half the candidates.
    const onEitherSide = (arbitrary: fc.Arbitrary<Candidate>) => fc.tuple(arbitrary, fc.boolean()).map(([candidate, signedSide]) =>
      signedSide ? { ...candidate, signedUrl: candidate.receivedUrl, receivedUrl: publicUrl } : candidate);
    const single = onEitherSide(fc.constantFrom(...Object.keys(mutations)).chain((kind) => mutations[kind]!.map((mutate) => mutate({ ...genuine, kind }))));
    const combined = onEitherSide(fc.array(fc.oneof(...Object.values(mutations)), { minLength: 2, maxLength: 4 })
      .map((steps) => steps.reduce((candidate, mutate) => mutate(candidate), { ...genuine, kind: 'combined' })));
    const candidates = fc.sample(fc.oneof({ arbitrary: single, weight: 4 }, { arbitrary: combined, weight: 1 }), { numRuns: 10_000, seed: 20_240_917 });

    const accepted = candidates.filter((candidate) => {
      const genuineSignature = signedTwilioWebhook(authToken, candidate.signedUrl, params).headers['x-twilio-signature'];
      const signature = candidate.tamper ? candidate.tamper(genuineSignature) : genuineSignature;
      return channel.verify(formRequest(candidate.receivedUrl, candidate.params, signature));
    });
    expect(accepted).toEqual([]);
    expect(candidates).toHaveLength(10_000);
    expect(new Set(candidates.map((candidate) => candidate.kind))).toEqual(new Set([...Object.keys(mutations), 'combined']));
    expect(candidates.filter((candidate) => candidate.signedUrl !== publicUrl).length).toBeGreaterThan(1000);
    expect(candidates.filter((candidate) => candidate.receivedUrl !== publicUrl).length).toBeGreaterThan(1000);
  });
});
