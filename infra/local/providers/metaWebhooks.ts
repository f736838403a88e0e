import { createHmac, randomBytes } from 'node:crypto';

/**
 * Webhooks as the WhatsApp Cloud API sends them: `entry[].changes[].value` with messages, contacts and
 * statuses, serialized the way Meta does (non-ASCII as `\uXXXX`, `/` as `\/`) and signed with the App Secret.
 * Used by the local Graph endpoint, the simulator and tests.
 */

export const wamid = (): string => `wamid.${randomBytes(24).toString('base64url')}`;

/** Meta's numeric ids (media, accounts, phone numbers). */
export const metaNumericId = (): string => String(1e14 + Math.floor(Math.random() * 9e14));

const seconds = (date: Date): string => String(Math.floor(date.getTime() / 1000));
const digits = (e164: string): string => e164.replace(/^\+/, '');

export type MetaMediaType = 'image' | 'audio' | 'voice' | 'video' | 'document' | 'sticker';

export interface MetaMediaFields {
  readonly id: string;
  readonly mimeType: string;
  readonly caption?: string;
  readonly filename?: string;
}

/** One `messages[]` entry; `content` is the type's object (`{ body }` for text). */
export function metaMessage(from: string, type: string, content: Record<string, unknown>, at = new Date(), id = wamid()) {
  return { from: digits(from), id, timestamp: seconds(at), type, [type]: content };
}

export const metaTextMessage = (from: string, body: string, at?: Date, id?: string) => metaMessage(from, 'text', { body }, at, id);

export function metaMediaMessage(from: string, type: MetaMediaType, media: MetaMediaFields, at?: Date, id?: string) {
  return metaMessage(
    from,
    type,
    {
      id: media.id,
      mime_type: media.mimeType,
      sha256: randomBytes(32).toString('base64'),
      ...(media.caption === undefined ? {} : { caption: media.caption }),
      ...(media.filename === undefined ? {} : { filename: media.filename }),
      ...(type === 'audio' ? { voice: false } : {}),
    },
    at,
    id,
  );
}

export interface MetaErrorFields {
  readonly code: number;
  readonly title: string;
  readonly details?: string;
}

/** One `statuses[]` entry. */
export function metaStatus(id: string, status: string, recipient: string, at = new Date(), error?: MetaErrorFields) {
  return {
    id,
    status,
    timestamp: seconds(at),
    recipient_id: digits(recipient),
    ...(error === undefined
      ? { conversation: { id: randomBytes(16).toString('hex'), origin: { type: 'service' } }, pricing: { billable: true, pricing_model: 'PMP', category: 'service' } }
      : {}),
    ...(error === undefined
      ? {}
      : {
          errors: [
            {
              code: error.code,
              title: error.title,
              message: error.title,
              error_data: { details: error.details ?? error.title },
              href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
            },
          ],
        }),
  };
}

export interface MetaChangeFields {
  /** Our sender, E.164. */
  readonly displayPhoneNumber: string;
  readonly phoneNumberId: string;
  readonly contacts?: readonly { readonly waId: string; readonly name: string }[];
  readonly messages?: readonly unknown[];
  readonly statuses?: readonly unknown[];
}

/** A whole webhook body with one `messages` change. */
export function metaWebhookPayload(fields: MetaChangeFields, businessAccountId = '102290129340398') {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: businessAccountId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: digits(fields.displayPhoneNumber), phone_number_id: fields.phoneNumberId },
              ...(fields.contacts ? { contacts: fields.contacts.map((contact) => ({ profile: { name: contact.name }, wa_id: digits(contact.waId) })) } : {}),
              ...(fields.messages ? { messages: fields.messages } : {}),
              ...(fields.statuses ? { statuses: fields.statuses } : {}),
            },
          },
        ],
      },
    ],
  };
}

/** JSON the way Meta serializes webhooks: every non-ASCII character and `/` escaped. */
export function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export const metaSignature = (appSecret: string, rawBody: string | Uint8Array): string =>
  `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;

/** A webhook body in Meta's serialization and its `X-Hub-Signature-256`. */
export function signedMetaWebhook(appSecret: string, payload: unknown) {
  const body = metaJson(payload);
  return { headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(appSecret, body) }, body };
}
