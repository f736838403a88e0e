/**
 * The channel layer's normalized model: what every WhatsApp provider's webhooks and API calls are translated to
 * and from, so nothing past the adapters knows which provider carried a message.
 */

/** The same names as `conversations.channel` in the database. */
export type ChannelId = 'whatsapp_twilio' | 'whatsapp_meta';

/** An attachment as the provider announced it; the media job downloads it through `ChannelProvider.fetchMedia`. */
export interface InboundMediaRef {
  /** Twilio: the MediaUrl; Meta: the media id. */
  readonly providerRef: string;
  readonly contentType?: string;
  /** Meta documents keep the sender's file name. */
  readonly fileName?: string;
  /** 0-based order within the message (Twilio's N in MediaUrlN). */
  readonly position: number;
}

export interface InboundMessage {
  readonly channel: ChannelId;
  /** Twilio MessageSid or Meta wamid: the deduplication key. */
  readonly providerMessageId: string;
  /** The aspirant, in E.164. */
  readonly from: string;
  /** Our WhatsApp sender number, in E.164. */
  readonly to: string;
  readonly profileName?: string;
  /** Text, caption or reply title; null for media without a caption and for unsupported messages. */
  readonly body: string | null;
  readonly media: readonly InboundMediaRef[];
  /** The provider's type name when the message is a kind this model does not carry (location, reaction…). */
  readonly unsupportedType?: string;
  /** The provider's timestamp when it sends one (Meta), else when we received the webhook (Twilio). */
  readonly occurredAt: Date;
  /** The provider's own record of the message, for diagnosis. */
  readonly raw?: unknown;
}

/** Outbound delivery states, in the database's spelling. */
export type OutboundStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed' | 'undelivered';

export interface StatusUpdate {
  readonly providerMessageId: string;
  readonly status: OutboundStatus;
  readonly errorCode?: string;
  /** A human-readable reason mapped from `errorCode`. */
  readonly errorMessage?: string;
  /** Meta stamps every status; Twilio's callbacks carry no time. */
  readonly occurredAt?: Date;
}

/** What one webhook delivery carried: Meta batches several messages and statuses in one POST. */
export interface ParsedWebhook {
  readonly messages: readonly InboundMessage[];
  readonly statuses: readonly StatusUpdate[];
}

/** An approved template: Twilio Content API template or Meta message template. */
export interface TemplateRef {
  /** Twilio ContentSid (`HX…`) or Meta template name. */
  readonly id: string;
  /** Meta needs the language code (`es_MX`); a Twilio ContentSid already fixes it. */
  readonly language: string;
  /** Positional values for `{{1}}`, `{{2}}`… */
  readonly variables: readonly string[];
}

export interface OutboundMedia {
  /** A public (or presigned) URL the provider downloads. */
  readonly url: string;
  /** Meta needs the message type; Twilio infers it. */
  readonly kind: 'image' | 'audio' | 'video' | 'document';
}

export type OutboundContent =
  | { readonly kind: 'text'; readonly body: string; readonly media?: OutboundMedia }
  | { readonly kind: 'template'; readonly template: TemplateRef };

export interface OutboundMessage {
  /** The aspirant, in E.164. */
  readonly to: string;
  readonly content: OutboundContent;
  /** Twilio posts status callbacks here; Meta sends statuses to the app's webhook instead. */
  readonly statusCallbackUrl?: string;
}

export interface SendResult {
  readonly providerMessageId: string;
  /** The status the provider answered with; Twilio sends no callback for it. */
  readonly status: OutboundStatus;
}

/**
 * How a failed send should be handled: `transient` is retried with backoff; the others are final and tell the
 * recruiter what to do (send a template, wait for the tier to reset, stop writing, fix the number).
 */
export type SendErrorKind = 'transient' | 'window_closed' | 'tier_limit' | 'opted_out' | 'invalid_recipient' | 'permanent';

export class SendError extends Error {
  override readonly name = 'SendError';

  constructor(
    readonly kind: SendErrorKind,
    /** The provider's error code, when it gave one. */
    readonly code: string | undefined,
    /** Human-readable, safe to show a recruiter. */
    readonly reason: string,
    /** Seconds the provider asked us to wait (HTTP Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(code === undefined ? reason : `${reason} (code ${code})`);
  }

  get retryable(): boolean {
    return this.kind === 'transient';
  }
}

/** A media download could not be described: the reference is not the provider's, or the lookup failed. */
export class MediaFetchError extends Error {
  override readonly name = 'MediaFetchError';

  constructor(
    message: string,
    /** True when trying again later may succeed (network, 5xx, rate limit). */
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** A webhook body that does not match the provider's format; the route answers 400 and stores nothing. */
export class WebhookPayloadError extends Error {
  override readonly name = 'WebhookPayloadError';
}

/** A provider error code's meaning: how a send that hit it is handled, and what a recruiter is told. */
export interface FailureMeaning {
  readonly kind: SendErrorKind;
  readonly reason: string;
}
