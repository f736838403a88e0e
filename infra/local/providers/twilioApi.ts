import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formParams } from '../../../functions/channels/twilio/inbound.ts';
import { readBody } from '../http/body.ts';
import { CallbackPlayer, postWebhook, sendBytes, sendJson, startLocalEndpoint } from './http.ts';
import { signedTwilioWebhook, twilioSid, twilioStatusParams } from './twilioWebhooks.ts';

/**
 * A local stand-in for Twilio's REST API, speaking its wire format: `POST Messages.json` (form parameters,
 * HTTP basic auth with the Account SID and Auth Token, the Message resource or Twilio's error JSON back) and
 * media URLs that need the same credentials and redirect to a short-lived "CDN" link. After a message is
 * accepted it plays the status callbacks Twilio would post, signed with the Auth Token. For tests and the
 * local sandbox only.
 */

export interface FakeTwilioOptions {
  readonly accountSid: string;
  readonly authToken: string;
  /** Pause before each played status callback (default 5 ms); a function draws a new pause each time. */
  readonly callbackDelayMs?: number | (() => number);
  /** Chance (0–1) that a message's status callbacks are posted with two neighbours swapped: Twilio does not order them. */
  readonly outOfOrderChance?: number;
  /** Told of each accepted message, and of each status callback once its receiver answered. */
  readonly onActivity?: (activity: FakeTwilioActivity) => void;
}

export type FakeTwilioActivity =
  | { readonly kind: 'sent'; readonly message: TwilioSentMessage }
  /** `answer`: the receiver's HTTP status, undefined when it could not be reached. */
  | { readonly kind: 'status'; readonly messageSid: string; readonly status: string; readonly answer: number | undefined };

/** A message as `messages.create` posted it. */
export interface TwilioSentMessage {
  readonly sid: string;
  readonly params: Readonly<Record<string, string | readonly string[]>>;
}

/** A REST refusal as Twilio answers it, e.g. `{ status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' }`. */
export interface TwilioRestError {
  readonly status: number;
  readonly code: number;
  readonly message: string;
}

export interface FakeTwilioApi {
  readonly url: string;
  readonly sent: readonly TwilioSentMessage[];
  /** Answers every send to `to` (E.164) with `error`. */
  refuseSendsTo(to: string, error: TwilioRestError): void;
  /** Accepts sends to `to` and then reports them `status` with `errorCode` through the status callback. */
  failDeliveriesTo(to: string, errorCode: string, status?: 'failed' | 'undelivered'): void;
  /** Keeps an attachment and returns its media URL, as an inbound webhook would carry it. */
  addMedia(bytes: Uint8Array, contentType: string): string;
  /** Resolves once every status callback played so far has been answered. */
  callbacksSettled(): Promise<void>;
  close(): Promise<void>;
}

const CDN_LINK_TTL_MS = 5 * 60_000;

export async function startFakeTwilioApi(options: FakeTwilioOptions): Promise<FakeTwilioApi> {
  const sent: TwilioSentMessage[] = [];
  const refusals = new Map<string, TwilioRestError>();
  const deliveryFailures = new Map<string, { errorCode: string; status: 'failed' | 'undelivered' }>();
  const media = new Map<string, { bytes: Uint8Array; contentType: string }>();
  const cdnLinks = new Map<string, { mediaPath: string; expiresAt: number }>();
  const callbacks = new CallbackPlayer(options.callbackDelayMs ?? 5);
  const accountPath = `/2010-04-01/Accounts/${options.accountSid}`;
  const expectedAuthorization = Buffer.from(`Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`);
  let baseUrl = '';

  const authenticated = (request: IncomingMessage): boolean => {
    const given = Buffer.from(request.headers.authorization ?? '');
    return given.length === expectedAuthorization.length && timingSafeEqual(given, expectedAuthorization);
  };

  const playStatusCallbacks = (callbackUrl: string, params: Record<string, string | string[]>, sid: string) => {
    const to = String(params.To).replace(/^whatsapp:/, '');
    const from = String(params.From).replace(/^whatsapp:/, '');
    const failure = deliveryFailures.get(to);
    const statuses = swapNeighboursByChance(failure ? ['sent', failure.status] : ['sent', 'delivered', 'read'], options.outOfOrderChance ?? 0);
    callbacks.play(
      statuses.map((status) => async () => {
        const errorCode = failure && status === failure.status ? { errorCode: failure.errorCode } : {};
        const callback = twilioStatusParams({ accountSid: options.accountSid, messageSid: sid, from, to, status, ...errorCode });
        const webhook = signedTwilioWebhook(options.authToken, callbackUrl, callback);
        const answer = await postWebhook(callbackUrl, webhook.headers, webhook.body).catch(() => undefined);
        options.onActivity?.({ kind: 'status', messageSid: sid, status, answer });
      }),
    );
  };

  const createMessage = async (request: IncomingMessage, response: ServerResponse) => {
    const params = formParams(await readBody(request, 1_000_000));
    const to = typeof params.To === 'string' ? params.To : '';
    const from = typeof params.From === 'string' ? params.From : '';
    if (!/^whatsapp:\+\d{7,15}$/.test(to)) return twilioError(response, { status: 400, code: 21211, message: `Invalid 'To' Phone Number: ${to}` });
    if (!/^whatsapp:\+\d{7,15}$/.test(from)) return twilioError(response, { status: 400, code: 21212, message: `Invalid 'From' Phone Number: ${from}` });
    if (!params.Body && !params.MediaUrl && !params.ContentSid) {
      return twilioError(response, { status: 400, code: 21619, message: 'A text message body or media urls must be specified.' });
    }
    if (params.ContentVariables !== undefined && !isJsonObject(String(params.ContentVariables))) {
      return twilioError(response, { status: 400, code: 21656, message: 'The ContentVariables Parameter is invalid.' });
    }
    const refusal = refusals.get(to.replace(/^whatsapp:/, ''));
    if (refusal) return twilioError(response, refusal);
    const sid = twilioSid('SM');
    const message = { sid, params };
    sent.push(message);
    options.onActivity?.({ kind: 'sent', message });
    sendJson(response, 201, messageResource(sid, params));
    if (typeof params.StatusCallback === 'string') playStatusCallbacks(params.StatusCallback, params, sid);
  };

  const messageResource = (sid: string, params: Record<string, string | string[]>) => {
    const now = rfc2822(new Date());
    return {
      account_sid: options.accountSid,
      api_version: '2010-04-01',
      body: typeof params.Body === 'string' ? params.Body : '',
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: params.From,
      messaging_service_sid: null,
      num_media: String([params.MediaUrl ?? []].flat().length),
      num_segments: '1',
      price: null,
      price_unit: null,
      sid,
      status: 'queued',
      subresource_uris: { media: `${accountPath}/Messages/${sid}/Media.json` },
      to: params.To,
      uri: `${accountPath}/Messages/${sid}.json`,
    };
  };

  const endpoint = await startLocalEndpoint(async (request, response, url) => {
    if (url.pathname.startsWith('/cdn/') && request.method === 'GET') {
      const link = cdnLinks.get(url.pathname.slice('/cdn/'.length));
      const item = link && link.expiresAt > Date.now() ? media.get(link.mediaPath) : undefined;
      if (!item) return sendJson(response, 404, { message: 'not found' });
      return sendBytes(response, item.contentType, item.bytes);
    }
    if (!url.pathname.startsWith(`${accountPath}/`)) return twilioError(response, { status: 404, code: 20404, message: 'The requested resource was not found' });
    if (!authenticated(request)) return twilioError(response, { status: 401, code: 20003, message: 'Authenticate' });
    if (url.pathname === `${accountPath}/Messages.json` && request.method === 'POST') return createMessage(request, response);
    if (media.has(url.pathname) && request.method === 'GET') {
      const token = randomBytes(24).toString('base64url');
      cdnLinks.set(token, { mediaPath: url.pathname, expiresAt: Date.now() + CDN_LINK_TTL_MS });
      response.writeHead(302, { location: `${baseUrl}/cdn/${token}` });
      return void response.end();
    }
    return twilioError(response, { status: 404, code: 20404, message: 'The requested resource was not found' });
  });
  baseUrl = endpoint.url;

  return {
    url: endpoint.url,
    sent,
    refuseSendsTo: (to, error) => void refusals.set(to, error),
    failDeliveriesTo: (to, errorCode, status = 'undelivered') => void deliveryFailures.set(to, { errorCode, status }),
    addMedia(bytes, contentType) {
      const path = `${accountPath}/Messages/${twilioSid('MM')}/Media/${twilioSid('ME')}`;
      media.set(path, { bytes, contentType });
      return `${endpoint.url}${path}`;
    },
    callbacksSettled: () => callbacks.settled(),
    async close() {
      callbacks.stop();
      await endpoint.close();
    },
  };
}

function twilioError(response: ServerResponse, error: TwilioRestError): void {
  sendJson(response, error.status, {
    code: error.code,
    message: error.message,
    more_info: `https://www.twilio.com/docs/errors/${error.code}`,
    status: error.status,
  });
}

function swapNeighboursByChance<T>(items: readonly T[], chance: number): T[] {
  const result = [...items];
  if (result.length < 2 || Math.random() >= chance) return result;
  const index = Math.floor(Math.random() * (result.length - 1));
  [result[index], result[index + 1]] = [result[index + 1]!, result[index]!];
  return result;
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** Twilio's date format: `Thu, 24 Aug 2023 05:01:45 +0000`. */
const rfc2822 = (date: Date): string => date.toUTCString().replace('GMT', '+0000');
