import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { MediaFetchError, SendError, type OutboundContent, type OutboundMessage, type SendResult } from '../model.ts';
import { hostMatches, parseHostPattern } from '../../media/hostPatterns.ts';
import { headerValue, type ChannelProvider, type MediaDownload, type MediaHosts, type WebhookAnswer, type WebhookRequest } from '../provider.ts';
import { sendErrorFromGraph, type GraphErrorBody } from './errors.ts';
import { parseMetaWebhook } from './inbound.ts';

export const META_GRAPH_DEFAULT_BASE_URL = 'https://graph.facebook.com';
export const META_API_DEFAULT_VERSION = 'v23.0';

export interface MetaChannelOptions {
  /** META_APP_SECRET: the key of `X-Hub-Signature-256`. */
  readonly appSecret: string;
  /** META_VERIFY_TOKEN: what Meta's subscription handshake must present. */
  readonly verifyToken: string;
  /** META_ACCESS_TOKEN: bearer token for sends and media. */
  readonly accessToken: string;
  /** META_PHONE_NUMBER_ID: the Cloud API id of our sender number. */
  readonly phoneNumberId: string;
  /** META_GRAPH_BASE_URL: an endpoint speaking the Graph API in place of graph.facebook.com (tests, sandbox). */
  readonly graphBaseUrl?: string;
  /** META_API_VERSION */
  readonly apiVersion?: string;
}

/** Where media download URLs point (lookaside) and may redirect to (Meta's and WhatsApp's CDNs). */
const META_MEDIA_HOSTS: MediaHosts = {
  download: ['lookaside.fbsbx.com'],
  redirect: ['lookaside.fbsbx.com', '*.fbsbx.com', '*.fbcdn.net', '*.whatsapp.net'],
};

const REQUEST_TIMEOUT_MS = 10_000;
const SIGNATURE_HEADER = /^sha256=([0-9a-f]{64})$/i;
/** Meta's challenges are numbers; anything else is not reflected. */
const CHALLENGE = /^[A-Za-z0-9_.-]{1,256}$/;
/** Media ids are opaque but never contain a path separator; refusing others keeps the lookup on one resource. */
const MEDIA_ID = /^[A-Za-z0-9_-]{1,128}$/;

const sendAnswerSchema = z.object({ messages: z.array(z.object({ id: z.string().min(1) })).min(1) });
const mediaLookupSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  mime_type: z.string().min(1).optional(),
  file_size: z.number().int().nonnegative().optional(),
});

/** The WhatsApp Cloud API: signed JSON webhooks in, Graph API calls out, with plain fetch. */
export function createMetaChannel(options: MetaChannelOptions): ChannelProvider {
  const graphUrl = new URL(options.graphBaseUrl ?? META_GRAPH_DEFAULT_BASE_URL);
  const graphBase = `${graphUrl.href.replace(/\/+$/, '')}/${options.apiVersion ?? META_API_DEFAULT_VERSION}`;
  // Another endpoint than Meta's (local, sandbox) stands in for the Graph API and the media CDN alike.
  const standIn = graphUrl.origin !== new URL(META_GRAPH_DEFAULT_BASE_URL).origin;
  const mediaHosts: MediaHosts = standIn ? { download: [graphUrl.host], redirect: [graphUrl.host] } : META_MEDIA_HOSTS;
  const downloadHosts = mediaHosts.download.map(parseHostPattern);
  const authorization = `Bearer ${options.accessToken}`;

  return {
    channel: 'whatsapp_meta',
    mediaHosts,
    acknowledgement: { status: 200, contentType: 'text/plain', body: '' },

    verify(request: WebhookRequest): boolean {
      const match = SIGNATURE_HEADER.exec(headerValue(request, 'x-hub-signature-256') ?? '');
      if (!match?.[1]) return false;
      const expected = createHmac('sha256', options.appSecret).update(request.rawBody).digest();
      return timingSafeEqual(Buffer.from(match[1], 'hex'), expected);
    },

    parseInbound(request: WebhookRequest) {
      return parseMetaWebhook(request);
    },

    answerHandshake(request: WebhookRequest): WebhookAnswer {
      const query = URL.canParse(request.url) ? new URL(request.url).searchParams : new URLSearchParams();
      const challenge = query.get('hub.challenge') ?? '';
      const genuine =
        query.get('hub.mode') === 'subscribe' && sameSecret(query.get('hub.verify_token') ?? '', options.verifyToken) && CHALLENGE.test(challenge);
      return genuine
        ? { status: 200, contentType: 'text/plain', body: challenge }
        : { status: 403, contentType: 'text/plain', body: 'verification refused' };
    },

    async send(message: OutboundMessage): Promise<SendResult> {
      const response = await graphCall(`${graphBase}/${encodeURIComponent(options.phoneNumberId)}/messages`, {
        method: 'POST',
        headers: { Authorization: authorization, 'Content-Type': 'application/json' },
        body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to: message.to.replace(/^\+/, ''), ...messageContent(message.content) }),
      }).catch((error: unknown) => {
        throw new SendError('transient', undefined, `Meta could not be reached: ${errorText(error)}`);
      });
      const body = (await response.json().catch(() => undefined)) as unknown;
      if (!response.ok) throw sendErrorFromGraph(response.status, body as GraphErrorBody | undefined, retryAfterSeconds(response));
      const answer = sendAnswerSchema.safeParse(body);
      // The message may well have gone out: retrying could send it twice, so this is final.
      if (!answer.success) throw new SendError('permanent', undefined, 'Meta accepted the message but answered without its id');
      return { providerMessageId: answer.data.messages[0]!.id, status: 'queued' };
    },

    async fetchMedia(mediaId: string): Promise<MediaDownload> {
      if (!MEDIA_ID.test(mediaId)) throw new MediaFetchError(`not a Meta media id: ${mediaId}`, false);
      const response = await graphCall(`${graphBase}/${mediaId}?phone_number_id=${encodeURIComponent(options.phoneNumberId)}`, {
        headers: { Authorization: authorization },
      }).catch((error: unknown) => {
        throw new MediaFetchError(`Meta could not be reached: ${errorText(error)}`, true);
      });
      const body = (await response.json().catch(() => undefined)) as unknown;
      if (!response.ok) {
        const error = sendErrorFromGraph(response.status, body as GraphErrorBody | undefined);
        throw new MediaFetchError(`Meta refused the media lookup: ${error.message}`, error.retryable);
      }
      const lookup = mediaLookupSchema.safeParse(body);
      if (!lookup.success) throw new MediaFetchError('Meta answered the media lookup without a download URL', false);
      const url = new URL(lookup.data.url);
      // The access token goes along: it must never reach a host that is not Meta's.
      if (!downloadHosts.some((pattern) => hostMatches(pattern, url))) {
        throw new MediaFetchError(`Meta's media URL is on an unexpected host: ${url.hostname}`, false);
      }
      return {
        url: url.href,
        headers: { Authorization: authorization },
        ...(lookup.data.mime_type ? { contentType: lookup.data.mime_type } : {}),
        ...(lookup.data.file_size === undefined ? {} : { sizeBytes: lookup.data.file_size }),
      };
    },
  };
}

function graphCall(url: string, init: RequestInit): Promise<Response> {
  return fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
}

function messageContent(content: OutboundContent): Record<string, unknown> {
  if (content.kind === 'template') {
    const { id, language, variables } = content.template;
    const components = variables.length === 0 ? [] : [{ type: 'body', parameters: variables.map((text) => ({ type: 'text', text })) }];
    return { type: 'template', template: { name: id, language: { code: language }, ...(components.length ? { components } : {}) } };
  }
  if (!content.media) return { type: 'text', text: { body: content.body, preview_url: false } };
  const { kind, url } = content.media;
  if (kind === 'audio' && content.body) {
    throw new SendError('permanent', undefined, 'WhatsApp audio messages cannot carry text: send the text separately');
  }
  return { type: kind, [kind]: { link: url, ...(content.body && kind !== 'audio' ? { caption: content.body } : {}) } };
}

/** Compares secrets in constant time (lengths may differ: hash first). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHmac('sha256', 'verify-token').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function retryAfterSeconds(response: Response): number | undefined {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
