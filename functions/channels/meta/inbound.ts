import { z } from 'zod';
import { whatsappAddressToE164 } from '../address.ts';
import { WebhookPayloadError, type InboundMessage, type OutboundStatus, type ParsedWebhook, type StatusUpdate } from '../model.ts';
import { parseJsonBody, parsePayload } from '../payload.ts';
import type { WebhookRequest } from '../provider.ts';
import { metaFailure } from './errors.ts';

const LABEL = 'Meta webhook';

const unixSeconds = z.string().regex(/^\d+$/, 'not a Unix timestamp').transform((seconds) => new Date(Number(seconds) * 1000));

const mediaSchema = z.object({
  id: z.string().min(1),
  mime_type: z.string().min(1).optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
});

const messageSchema = z.object({
  from: z.string().min(1),
  id: z.string().min(1),
  timestamp: unixSeconds,
  type: z.string().min(1),
  text: z.object({ body: z.string() }).optional(),
  image: mediaSchema.optional(),
  audio: mediaSchema.optional(),
  voice: mediaSchema.optional(),
  video: mediaSchema.optional(),
  document: mediaSchema.optional(),
  sticker: mediaSchema.optional(),
  button: z.object({ text: z.string() }).optional(),
  interactive: z
    .object({
      button_reply: z.object({ title: z.string() }).optional(),
      list_reply: z.object({ title: z.string() }).optional(),
    })
    .optional(),
});
type MetaMessage = z.output<typeof messageSchema>;

const statusSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  timestamp: unixSeconds,
  errors: z
    .array(
      z.object({
        code: z.number().int(),
        title: z.string().optional(),
        message: z.string().optional(),
        error_data: z.object({ details: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});
type MetaStatus = z.output<typeof statusSchema>;

const payloadSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(z.object({ changes: z.array(z.object({ field: z.string(), value: z.unknown() })) })),
});

const messagesValueSchema = z.object({
  metadata: z.object({ display_phone_number: z.string().min(1) }),
  contacts: z.array(z.object({ wa_id: z.string(), profile: z.object({ name: z.string() }).optional() })).optional(),
  messages: z.array(messageSchema).optional(),
  statuses: z.array(statusSchema).optional(),
});

/** Meta's delivery statuses in this model's terms; others (deleted, warning…) are left out. */
const STATUS_BY_META_STATUS: Readonly<Record<string, OutboundStatus>> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
};

const MEDIA_TYPES = ['image', 'audio', 'voice', 'video', 'document', 'sticker'] as const;
type MediaType = (typeof MEDIA_TYPES)[number];
const isMediaType = (type: string): type is MediaType => (MEDIA_TYPES as readonly string[]).includes(type);

/**
 * Every message and status in a Cloud API webhook: `entry[].changes[].value.{messages,statuses}`. Changes of
 * other fields (template reviews, account updates) carry neither and are skipped.
 */
export function parseMetaWebhook(request: WebhookRequest): ParsedWebhook {
  const payload = parsePayload(payloadSchema, parseJsonBody(request.rawBody, LABEL), LABEL);
  const messages: InboundMessage[] = [];
  const statuses: StatusUpdate[] = [];
  payload.entry.forEach((entry, entryIndex) => {
    entry.changes.forEach((change, changeIndex) => {
      if (change.field !== 'messages') return;
      const value = parsePayload(messagesValueSchema, change.value, `${LABEL}: entry.${entryIndex}.changes.${changeIndex}.value`);
      const to = whatsappAddressToE164(value.metadata.display_phone_number.replace(/\D/g, ''), `${LABEL}: metadata.display_phone_number`);
      // The provider's own record, before parsing turned timestamps into dates and dropped fields.
      const rawMessages = (change.value as { messages?: unknown[] }).messages;
      value.messages?.forEach((message, index) => {
        const profileName = value.contacts?.find((contact) => contact.wa_id === message.from)?.profile?.name.trim();
        messages.push(inboundMessage(message, rawMessages?.[index], to, profileName));
      });
      for (const status of value.statuses ?? []) {
        const update = statusUpdate(status);
        if (update) statuses.push(update);
      }
    });
  });
  return { messages, statuses };
}

function inboundMessage(message: MetaMessage, raw: unknown, to: string, profileName: string | undefined): InboundMessage {
  const common = {
    channel: 'whatsapp_meta' as const,
    providerMessageId: message.id,
    from: whatsappAddressToE164(message.from, `${LABEL}: message ${message.id}: from`),
    to,
    ...(profileName ? { profileName } : {}),
    occurredAt: message.timestamp,
    raw,
  };
  if (isMediaType(message.type)) {
    const media = message[message.type];
    if (!media) throw missingContent(message);
    return {
      ...common,
      body: media.caption || null,
      media: [
        {
          providerRef: media.id,
          position: 0,
          ...(media.mime_type ? { contentType: media.mime_type } : {}),
          ...(media.filename ? { fileName: media.filename } : {}),
        },
      ],
    };
  }
  const body = textOf(message);
  if (body === undefined && (message.type === 'text' || message.type === 'button')) throw missingContent(message);
  if (body === undefined) return { ...common, body: null, media: [], unsupportedType: message.type };
  return { ...common, body, media: [] };
}

const missingContent = (message: MetaMessage) =>
  new WebhookPayloadError(`${LABEL}: message ${message.id}: type ${message.type} without its "${message.type}" object`);

/** The text of text messages and of button and list answers, which carry the chosen option's title. */
function textOf(message: MetaMessage): string | undefined {
  switch (message.type) {
    case 'text':
      return message.text?.body;
    case 'button':
      return message.button?.text;
    case 'interactive':
      return message.interactive?.button_reply?.title ?? message.interactive?.list_reply?.title;
    default:
      return undefined;
  }
}

function statusUpdate(status: MetaStatus): StatusUpdate | undefined {
  const mapped = STATUS_BY_META_STATUS[status.status];
  if (mapped === undefined) return undefined;
  const error = status.errors?.[0];
  if (error === undefined) return { providerMessageId: status.id, status: mapped, occurredAt: status.timestamp };
  const errorCode = String(error.code);
  return {
    providerMessageId: status.id,
    status: mapped,
    errorCode,
    errorMessage: metaFailure(errorCode, error.error_data?.details ?? error.message ?? error.title).reason,
    occurredAt: status.timestamp,
  };
}
