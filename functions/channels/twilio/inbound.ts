import { z } from 'zod';
import { whatsappAddressToE164 } from '../address.ts';
import { type InboundMediaRef, type InboundMessage, type OutboundStatus, type ParsedWebhook, type StatusUpdate } from '../model.ts';
import { parseJsonBody, parsePayload } from '../payload.ts';
import { headerValue, type WebhookRequest } from '../provider.ts';
import { twilioFailure } from './errors.ts';

/** Twilio's webhook parameters; a repeated name becomes a list, as the signature algorithm expects. */
export type TwilioParams = Record<string, string | string[]>;

/** The POST parameters of a form-encoded Twilio webhook. */
export function formParams(rawBody: Uint8Array): TwilioParams {
  const params: TwilioParams = {};
  for (const [name, value] of new URLSearchParams(Buffer.from(rawBody).toString('utf8'))) {
    const previous = params[name];
    params[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return params;
}

const LABEL = 'Twilio webhook';

const sid = z.string().regex(/^[A-Z]{2}[0-9a-f]{32}$/i, 'not a Twilio SID');
const MAX_MEDIA = 10;

const inboundSchema = z.object({
  MessageSid: sid,
  From: z.string().min(1),
  To: z.string().min(1),
  Body: z.string().optional(),
  NumMedia: z
    .string()
    .regex(/^\d+$/, 'not a count')
    .transform(Number)
    .pipe(z.number().max(MAX_MEDIA, `at most ${MAX_MEDIA}`))
    .optional(),
  ProfileName: z.string().optional(),
});

const statusSchema = z.object({
  MessageSid: sid,
  MessageStatus: z.string().min(1),
  ErrorCode: z.string().regex(/^\d+$/, 'not an error code').optional(),
  ErrorMessage: z.string().optional(),
});

/**
 * Twilio's message statuses in this model's terms. `receiving`/`received` belong to inbound messages and
 * say nothing about delivery; they and any status Twilio adds later are left out.
 */
export const STATUS_BY_TWILIO_STATUS: Readonly<Record<string, OutboundStatus>> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'sending',
  sent: 'sent',
  delivered: 'delivered',
  partially_delivered: 'delivered',
  read: 'read',
  undelivered: 'undelivered',
  failed: 'failed',
  canceled: 'failed',
};

/** An inbound-message webhook or a status callback: Twilio tells them apart by `MessageStatus`. */
export function parseTwilioWebhook(request: WebhookRequest, receivedAt: Date): ParsedWebhook {
  const params = webhookParams(request);
  if (params.MessageStatus !== undefined) {
    const status = statusUpdate(params);
    return { messages: [], statuses: status ? [status] : [] };
  }
  return { messages: [inboundMessage(params, receivedAt)], statuses: [] };
}

/** Form bodies as Twilio sends them to messaging webhooks; JSON bodies for products that sign `bodySHA256`. */
function webhookParams(request: WebhookRequest): TwilioParams {
  const contentType = headerValue(request, 'content-type') ?? '';
  if (!/^application\/json\b/i.test(contentType)) return formParams(request.rawBody);
  const body = parseJsonBody(request.rawBody, LABEL);
  return parsePayload(z.record(z.string(), z.union([z.string(), z.array(z.string())])), body, LABEL);
}

function inboundMessage(params: TwilioParams, receivedAt: Date): InboundMessage {
  const fields = parsePayload(inboundSchema, params, LABEL);
  const profileName = fields.ProfileName?.trim();
  return {
    channel: 'whatsapp_twilio',
    providerMessageId: fields.MessageSid,
    from: whatsappAddressToE164(fields.From, `${LABEL}: From`),
    to: whatsappAddressToE164(fields.To, `${LABEL}: To`),
    ...(profileName ? { profileName } : {}),
    body: fields.Body || null,
    media: mediaRefs(params, fields.NumMedia ?? 0),
    occurredAt: receivedAt,
    raw: params,
  };
}

const mediaSchema = z.object({ url: z.url({ protocol: /^https?$/ }), contentType: z.string().min(1).optional() });

function mediaRefs(params: TwilioParams, count: number): InboundMediaRef[] {
  return Array.from({ length: count }, (_, position) => {
    const { url, contentType } = parsePayload(
      mediaSchema,
      { url: params[`MediaUrl${position}`], contentType: params[`MediaContentType${position}`] },
      `${LABEL}: MediaUrl${position}/MediaContentType${position}`,
    );
    return { providerRef: url, position, ...(contentType ? { contentType } : {}) };
  });
}

function statusUpdate(params: TwilioParams): StatusUpdate | undefined {
  const fields = parsePayload(statusSchema, params, LABEL);
  const status = STATUS_BY_TWILIO_STATUS[fields.MessageStatus];
  if (status === undefined) return undefined;
  const errorCode = fields.ErrorCode;
  if (errorCode !== undefined) {
    return { providerMessageId: fields.MessageSid, status, errorCode, errorMessage: twilioFailure(errorCode, fields.ErrorMessage).reason };
  }
  if (fields.MessageStatus === 'canceled') {
    return { providerMessageId: fields.MessageSid, status, errorMessage: 'The scheduled message was canceled before it was sent' };
  }
  return { providerMessageId: fields.MessageSid, status };
}
