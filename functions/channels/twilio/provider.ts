import twilio from 'twilio';
import type { MessageListInstanceCreateOptions } from 'twilio/lib/rest/api/v2010/account/message.js';
import { MediaFetchError, type OutboundContent, type OutboundMessage, type SendResult } from '../model.ts';
import { headerValue, type ChannelProvider, type MediaDownload, type MediaHosts, type WebhookRequest } from '../provider.ts';
import { createTwilioClient, TWILIO_API_BASE_URL } from './client.ts';
import { sendErrorFromTwilio } from './errors.ts';
import { formParams, parseTwilioWebhook, STATUS_BY_TWILIO_STATUS, type TwilioParams } from './inbound.ts';

export interface TwilioChannelOptions {
  /** TWILIO_ACCOUNT_SID */
  readonly accountSid: string;
  /** TWILIO_AUTH_TOKEN: signs webhooks and authenticates API calls and media downloads. */
  readonly authToken: string;
  /** TWILIO_WHATSAPP_FROM: our WhatsApp sender, `+14155238886` or `whatsapp:+14155238886`. */
  readonly whatsappFrom: string;
  /** TWILIO_API_BASE_URL: an endpoint speaking Twilio's REST API in place of https://api.twilio.com (tests, sandbox). */
  readonly apiBaseUrl?: string;
}

/** Where a media URL redirects once authenticated ("Enforce HTTP Auth on Media URLs"). */
const TWILIO_MEDIA_CDN_HOSTS = ['mms.twiliocdn.com', '*.twiliocdn.com'];

const EMPTY_TWIML = new twilio.twiml.MessagingResponse().toString();

/** WhatsApp over Twilio Programmable Messaging, through the official `twilio` package. */
export function createTwilioChannel(options: TwilioChannelOptions): ChannelProvider {
  const apiUrl = new URL(options.apiBaseUrl ?? TWILIO_API_BASE_URL);
  // Another endpoint than Twilio's (local, sandbox) stands in for the REST API and the media CDN alike.
  const standIn = apiUrl.origin !== TWILIO_API_BASE_URL;
  const client = createTwilioClient(options.accountSid, options.authToken, standIn ? apiUrl : undefined);
  const from = `whatsapp:${options.whatsappFrom.replace(/^whatsapp:/i, '')}`;
  const mediaHosts: MediaHosts = { download: [apiUrl.host], redirect: standIn ? [apiUrl.host] : TWILIO_MEDIA_CDN_HOSTS };
  const basicAuth = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;

  return {
    channel: 'whatsapp_twilio',
    mediaHosts,
    acknowledgement: { status: 200, contentType: 'text/xml', body: EMPTY_TWIML },

    verify(request: WebhookRequest): boolean {
      const signature = headerValue(request, 'x-twilio-signature');
      if (!signature) return false;
      try {
        // JSON bodies are covered by a hash in the signed URL; form bodies by the signature itself.
        const jsonBody = new URL(request.url).searchParams.has('bodySHA256');
        const params = jsonBody ? {} : formParams(request.rawBody);
        const signed = jsonBody
          ? twilio.validateRequestWithBody(options.authToken, signature, request.url, Buffer.from(request.rawBody).toString('utf8'))
          : twilio.validateRequest(options.authToken, signature, request.url, params);
        return signed && signedWithOwnPort(options.authToken, signature, request.url, params);
      } catch {
        return false;
      }
    },

    parseInbound(request: WebhookRequest, receivedAt = new Date()) {
      return parseTwilioWebhook(request, receivedAt);
    },

    async send(message: OutboundMessage): Promise<SendResult> {
      try {
        const created = await client.messages.create({
          from,
          to: `whatsapp:${message.to}`,
          ...contentParameters(message.content),
          ...(message.statusCallbackUrl ? { statusCallback: message.statusCallbackUrl } : {}),
        });
        return { providerMessageId: created.sid, status: STATUS_BY_TWILIO_STATUS[created.status] ?? 'queued' };
      } catch (error) {
        throw sendErrorFromTwilio(error);
      }
    },

    async fetchMedia(providerRef: string): Promise<MediaDownload> {
      const url = URL.canParse(providerRef) ? new URL(providerRef) : undefined;
      // Only this account's media on Twilio's API gets our credentials.
      const ownMediaPath = `/2010-04-01/Accounts/${options.accountSid}/Messages/`;
      if (!url || url.origin !== apiUrl.origin || !url.pathname.startsWith(ownMediaPath)) {
        throw new MediaFetchError(`not a media URL of this Twilio account: ${providerRef}`, false);
      }
      return { url: url.href, headers: { Authorization: basicAuth } };
    },
  };
}

/**
 * validateRequest also tries the URL with its port removed, whatever the port: right for https's default port,
 * which Twilio may or may not write, but a signature for https://host/… must not pass at https://host:8443/….
 * So when our URL has a non-default port, a signature that is valid without it is refused.
 */
function signedWithOwnPort(authToken: string, signature: string, url: string, params: TwilioParams): boolean {
  const withoutPort = new URL(url);
  if (withoutPort.port === '') return true;
  withoutPort.port = '';
  return !twilio.validateRequest(authToken, signature, withoutPort.href, params);
}

function contentParameters(content: OutboundContent): Pick<MessageListInstanceCreateOptions, 'body' | 'mediaUrl' | 'contentSid' | 'contentVariables'> {
  if (content.kind === 'text') return { body: content.body, ...(content.media ? { mediaUrl: [content.media.url] } : {}) };
  const { id, variables } = content.template;
  if (variables.length === 0) return { contentSid: id };
  return { contentSid: id, contentVariables: JSON.stringify(Object.fromEntries(variables.map((value, index) => [String(index + 1), value]))) };
}
