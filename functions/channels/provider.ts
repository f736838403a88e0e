import type { ChannelId, OutboundMessage, ParsedWebhook, SendResult } from './model.ts';

/**
 * A WhatsApp provider as the rest of the system sees it. Adding a channel means implementing this interface:
 * the webhook routes, the sender job and the media job only talk to it.
 */
export interface ChannelProvider {
  readonly channel: ChannelId;
  /** Hosts `fetchMedia` may point at and the hosts their downloads may redirect to. */
  readonly mediaHosts: MediaHosts;
  /** What to answer a verified webhook once its contents are committed. */
  readonly acknowledgement: WebhookAnswer;

  /**
   * True when the request carries the provider's valid signature over exactly these bytes and this URL.
   * Never throws: anything unreadable is simply not genuine.
   */
  verify(request: WebhookRequest): boolean;

  /**
   * The messages and delivery statuses of a verified webhook. Throws `WebhookPayloadError` naming the offending
   * field when the body is not the provider's format. Statuses this model does not know are left out rather
   * than refused, so a provider adding one cannot make every webhook fail. `receivedAt` (default now) dates
   * messages whose provider sends no timestamp.
   */
  parseInbound(request: WebhookRequest, receivedAt?: Date): ParsedWebhook;

  /** Sends one message; throws `SendError` classified by the provider's error code. */
  send(message: OutboundMessage): Promise<SendResult>;

  /**
   * How to download an attachment: the URL and credentials to use. Does not download it: the media job does,
   * with its own SSRF guards and size caps. Throws `MediaFetchError` for a reference that is not this
   * provider's, or when the provider's lookup fails.
   */
  fetchMedia(providerRef: string): Promise<MediaDownload>;

  /**
   * Subscription handshakes some providers make with a GET before sending webhooks (Meta); undefined when the
   * provider has none.
   */
  answerHandshake?(request: WebhookRequest): WebhookAnswer;
}

/** A webhook as received at the edge, with the URL the provider called rebuilt from configuration. */
export interface WebhookRequest {
  readonly method: string;
  /**
   * The public URL the provider called, query string included: `publicWebhookUrl(PUBLIC_URL, path)`. Never
   * the internal request URL (TLS termination turns https into http; proxies rewrite hosts).
   */
  readonly url: string;
  /** Header names in any case. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The body exactly as received: signatures cover these bytes. */
  readonly rawBody: Uint8Array;
}

export interface WebhookAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/**
 * Media host allow-lists in the media fetcher's pattern format (`functions/media/hostPatterns.ts`): a host or
 * `*.domain` for any subdomain, with `:port` when not the scheme's default.
 */
export interface MediaHosts {
  /** Hosts a `MediaDownload.url` may be on. */
  readonly download: readonly string[];
  /** Hosts that request may redirect to (the provider's media CDN). */
  readonly redirect: readonly string[];
}

export interface MediaDownload {
  readonly url: string;
  /**
   * Credentials for `url`'s host only: a redirect to another host carries its own short-lived token, and the
   * provider's credentials must not follow it there.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** What the provider declared, when it says before the download (Meta); the bytes decide in the end. */
  readonly contentType?: string;
  readonly sizeBytes?: number;
}

/** The URL a provider calls for `pathAndQuery` on our public base URL (`PUBLIC_URL`). */
export function publicWebhookUrl(publicUrl: string, pathAndQuery: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/${pathAndQuery.replace(/^\/+/, '')}`;
}

/** A header's value whatever the case of its name; the first one when repeated. */
export function headerValue(request: WebhookRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(request.headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return typeof value === 'string' ? value : value[0];
  }
  return undefined;
}
