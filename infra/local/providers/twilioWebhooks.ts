import { randomBytes } from 'node:crypto';
import twilio from 'twilio';

/**
 * Webhooks as Twilio sends them for WhatsApp: the parameters of an inbound message and of a status callback,
 * form-encoded and signed with the Auth Token. Used by the local Twilio endpoint, the simulator and tests.
 */

export type TwilioSidPrefix = 'AC' | 'SM' | 'MM' | 'ME';

export const twilioSid = (prefix: TwilioSidPrefix): string => `${prefix}${randomBytes(16).toString('hex')}`;

export interface TwilioInboundFields {
  readonly accountSid: string;
  /** The aspirant, E.164. */
  readonly from: string;
  /** Our sender, E.164. */
  readonly to: string;
  readonly body?: string;
  readonly profileName?: string;
  readonly media?: readonly { readonly url: string; readonly contentType: string }[];
  readonly messageSid?: string;
}

/** An inbound WhatsApp message's parameters, with the extras Twilio adds (SmsSid, WaId, ApiVersion…). */
export function twilioInboundParams(fields: TwilioInboundFields): Record<string, string> {
  const media = fields.media ?? [];
  const messageSid = fields.messageSid ?? twilioSid(media.length > 0 ? 'MM' : 'SM');
  const params: Record<string, string> = {
    SmsMessageSid: messageSid,
    NumMedia: String(media.length),
    ...(fields.profileName === undefined ? {} : { ProfileName: fields.profileName }),
    MessageType: media.length > 0 ? messageTypeOf(media[0]!.contentType) : 'text',
    SmsSid: messageSid,
    WaId: fields.from.replace(/^\+/, ''),
    SmsStatus: 'received',
    Body: fields.body ?? '',
    To: `whatsapp:${fields.to}`,
    NumSegments: '1',
    ReferralNumMedia: '0',
    MessageSid: messageSid,
    AccountSid: fields.accountSid,
    From: `whatsapp:${fields.from}`,
    ApiVersion: '2010-04-01',
  };
  media.forEach((item, index) => {
    params[`MediaUrl${index}`] = item.url;
    params[`MediaContentType${index}`] = item.contentType;
  });
  return params;
}

const messageTypeOf = (contentType: string): string => {
  const family = contentType.split('/')[0] ?? '';
  return ['image', 'audio', 'video'].includes(family) ? family : 'document';
};

export interface TwilioStatusFields {
  readonly accountSid: string;
  readonly messageSid: string;
  /** Our sender, E.164. */
  readonly from: string;
  /** The recipient, E.164. */
  readonly to: string;
  readonly status: string;
  readonly errorCode?: string;
}

/** A status callback's parameters. */
export function twilioStatusParams(fields: TwilioStatusFields): Record<string, string> {
  return {
    ChannelPrefix: 'whatsapp',
    ApiVersion: '2010-04-01',
    MessageStatus: fields.status,
    SmsSid: fields.messageSid,
    SmsStatus: fields.status,
    ChannelInstallSid: 'XE00000000000000000000000000000000',
    To: `whatsapp:${fields.to}`,
    From: `whatsapp:${fields.from}`,
    MessageSid: fields.messageSid,
    StructuredMessage: 'false',
    AccountSid: fields.accountSid,
    ChannelToAddress: fields.to,
    ...(fields.errorCode === undefined ? {} : { ErrorCode: fields.errorCode }),
  };
}

/** A form-encoded webhook for `url`, signed the way Twilio signs it. */
export function signedTwilioWebhook(authToken: string, url: string, params: Record<string, string>) {
  return {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, url, params),
    },
    body: new URLSearchParams(params).toString(),
  };
}
