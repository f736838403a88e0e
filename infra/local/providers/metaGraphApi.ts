import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { readBody } from '../http/body.ts';
import { CallbackPlayer, postWebhook, sendBytes, sendJson, startLocalEndpoint } from './http.ts';
import { metaNumericId, metaStatus, metaWebhookPayload, signedMetaWebhook, wamid, type MetaErrorFields } from './metaWebhooks.ts';

/**
 * A local stand-in for the WhatsApp Cloud API's Graph endpoints, speaking their wire format: `POST
 * /{version}/{phone-number-id}/messages` (JSON, bearer token, the wamid or a Graph error back), media lookup
 * `GET /{version}/{media-id}` and the lookaside-style download it points to, which needs the token too. When
 * given the app's webhook URL and secret it posts the status webhooks Meta would, signed. For tests and the
 * local sandbox only.
 */

export interface FakeMetaGraphOptions {
  readonly accessToken: string;
  readonly phoneNumberId: string;
  /** Our sender, E.164, as status webhooks name it. */
  readonly displayPhoneNumber: string;
  /** Where Meta would post webhooks for this app, and the App Secret that signs them. */
  readonly webhook?: { readonly url: string; readonly appSecret: string };
  readonly callbackDelayMs?: number;
}

export interface MetaSentMessage {
  readonly id: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/** A Graph API refusal, e.g. `{ status: 400, code: 131047, message: 'Re-engagement message' }`. */
export interface MetaGraphError {
  readonly status: number;
  readonly code: number;
  readonly message: string;
  readonly isTransient?: boolean;
  readonly retryAfterSeconds?: number;
}

export interface FakeMetaGraphApi {
  readonly url: string;
  readonly sent: readonly MetaSentMessage[];
  /** Answers every send to `to` (E.164) with `error`. */
  refuseSendsTo(to: string, error: MetaGraphError): void;
  /** Accepts sends to `to`, then reports them failed with `error` in a status webhook. */
  failDeliveriesTo(to: string, error: MetaErrorFields): void;
  /** Keeps an attachment and returns its media id, as an inbound webhook would carry it. */
  addMedia(bytes: Uint8Array, mimeType: string): string;
  /** Resolves once every status webhook played so far has been answered. */
  callbacksSettled(): Promise<void>;
  close(): Promise<void>;
}

const sendSchema = z
  .object({
    messaging_product: z.literal('whatsapp'),
    to: z.string().regex(/^\+?\d{7,15}$/),
    type: z.enum(['text', 'template', 'image', 'audio', 'video', 'document', 'sticker']),
    text: z.object({ body: z.string().min(1), preview_url: z.boolean().optional() }).optional(),
    template: z
      .object({
        name: z.string().min(1),
        language: z.object({ code: z.string().min(2) }),
        components: z.array(z.object({ type: z.string(), parameters: z.array(z.object({ type: z.literal('text'), text: z.string() })) })).optional(),
      })
      .optional(),
  })
  .loose()
  .refine((message) => {
    const content = (message as Record<string, unknown>)[message.type];
    if (message.type === 'text' || message.type === 'template') return content !== undefined;
    return typeof content === 'object' && content !== null && URL.canParse(String((content as { link?: unknown }).link));
  }, 'the message has no content for its type');

const VERSION = /^v\d+\.\d+$/;

export async function startFakeMetaGraphApi(options: FakeMetaGraphOptions): Promise<FakeMetaGraphApi> {
  const sent: MetaSentMessage[] = [];
  const refusals = new Map<string, MetaGraphError>();
  const deliveryFailures = new Map<string, MetaErrorFields>();
  const media = new Map<string, { bytes: Uint8Array; mimeType: string }>();
  const callbacks = new CallbackPlayer(options.callbackDelayMs ?? 5);
  const expectedAuthorization = Buffer.from(`Bearer ${options.accessToken}`);
  let baseUrl = '';

  const authenticated = (request: IncomingMessage): boolean => {
    const given = Buffer.from(request.headers.authorization ?? '');
    return given.length === expectedAuthorization.length && timingSafeEqual(given, expectedAuthorization);
  };

  const playStatusWebhooks = (id: string, to: string) => {
    const webhook = options.webhook;
    if (!webhook) return;
    const failure = deliveryFailures.get(to);
    const statuses = failure ? [metaStatus(id, 'failed', to, new Date(), failure)] : ['sent', 'delivered', 'read'].map((status) => metaStatus(id, status, to));
    callbacks.play(
      statuses.map((status) => () => {
        const payload = metaWebhookPayload({ displayPhoneNumber: options.displayPhoneNumber, phoneNumberId: options.phoneNumberId, statuses: [status] });
        const signed = signedMetaWebhook(webhook.appSecret, payload);
        return postWebhook(webhook.url, signed.headers, signed.body);
      }),
    );
  };

  const sendMessage = async (request: IncomingMessage, response: ServerResponse) => {
    let body: unknown;
    try {
      body = JSON.parse((await readBody(request, 1_000_000)).toString('utf8'));
    } catch {
      return graphError(response, { status: 400, code: 100, message: '(#100) The request body is not JSON' });
    }
    const parsed = sendSchema.safeParse(body);
    if (!parsed.success) {
      return graphError(response, { status: 400, code: 100, message: `(#100) Invalid parameter: ${parsed.error.issues[0]?.message ?? ''}` });
    }
    const to = `+${parsed.data.to.replace(/^\+/, '')}`;
    const refusal = refusals.get(to);
    if (refusal) return graphError(response, refusal);
    const id = wamid();
    sent.push({ id, body: parsed.data });
    sendJson(response, 200, { messaging_product: 'whatsapp', contacts: [{ input: parsed.data.to, wa_id: to.slice(1) }], messages: [{ id }] });
    playStatusWebhooks(id, to);
  };

  const lookUpMedia = (response: ServerResponse, mediaId: string) => {
    const item = media.get(mediaId);
    if (!item) return graphError(response, { status: 400, code: 100, message: `(#100) Unsupported get request. Object with ID '${mediaId}' does not exist` });
    sendJson(response, 200, {
      messaging_product: 'whatsapp',
      url: `${baseUrl}/whatsapp_business/attachments/?mid=${mediaId}&ext=${Date.now()}&hash=${randomBytes(12).toString('base64url')}`,
      mime_type: item.mimeType,
      sha256: createHash('sha256').update(item.bytes).digest('hex'),
      file_size: item.bytes.byteLength,
      id: mediaId,
    });
  };

  const endpoint = await startLocalEndpoint(async (request, response, url) => {
    if (!authenticated(request)) {
      return graphError(response, { status: 401, code: 190, message: 'Invalid OAuth access token - Cannot parse access token' });
    }
    if (url.pathname === '/whatsapp_business/attachments/' && request.method === 'GET') {
      const item = media.get(url.searchParams.get('mid') ?? '');
      if (!item) return sendJson(response, 404, { message: 'not found' });
      return sendBytes(response, item.mimeType, item.bytes);
    }
    const [version, objectId, edge, ...rest] = url.pathname.split('/').slice(1);
    if (!version || !VERSION.test(version) || !objectId || rest.length > 0) {
      return graphError(response, { status: 400, code: 2500, message: 'Unknown path components' });
    }
    if (edge === 'messages' && request.method === 'POST') {
      if (objectId !== options.phoneNumberId) {
        return graphError(response, { status: 400, code: 100, message: `(#100) Unsupported post request. Object with ID '${objectId}' does not exist` });
      }
      return sendMessage(request, response);
    }
    if (edge === undefined && request.method === 'GET') return lookUpMedia(response, objectId);
    return graphError(response, { status: 400, code: 100, message: '(#100) Unsupported request' });
  });
  baseUrl = endpoint.url;

  return {
    url: endpoint.url,
    sent,
    refuseSendsTo: (to, error) => void refusals.set(to, error),
    failDeliveriesTo: (to, error) => void deliveryFailures.set(to, error),
    addMedia(bytes, mimeType) {
      const id = metaNumericId();
      media.set(id, { bytes, mimeType });
      return id;
    },
    callbacksSettled: () => callbacks.settled(),
    async close() {
      callbacks.stop();
      await endpoint.close();
    },
  };
}

function graphError(response: ServerResponse, error: MetaGraphError): void {
  sendJson(
    response,
    error.status,
    {
      error: {
        message: error.message,
        type: 'OAuthException',
        code: error.code,
        ...(error.isTransient === undefined ? {} : { is_transient: error.isTransient }),
        error_data: { messaging_product: 'whatsapp', details: error.message },
        fbtrace_id: randomBytes(9).toString('base64url'),
      },
    },
    error.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.retryAfterSeconds) },
  );
}
