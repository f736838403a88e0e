import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { WebhookPayloadError, type ChannelId, type ParsedWebhook } from '../channels/model.ts';
import { publicWebhookUrl, type ChannelProvider, type WebhookAnswer, type WebhookRequest } from '../channels/provider.ts';
import type { Services } from '../domain/services.ts';
import { ingestWebhook } from '../ingest/ingest.ts';
import type { InboundPolicy } from '../ingest/inbound.ts';
import { logger } from '../shared/logger.ts';
import type { ChannelProviders } from '../worker/channels.ts';

/**
 * The providers' webhooks as API Gateway HTTP API (payload 2.0) Lambda handlers — the local host serves the
 * same handlers. Thin: rebuild what the provider signed, let the provider verify and parse it, store it in one
 * transaction, and acknowledge only after that committed. A bad or missing signature is refused with 401 and
 * logged without secrets or the body; a malformed or oversized body with 400 and the reason; neither writes
 * anything.
 */
export const WEBHOOK_PATHS = {
  twilioMessages: '/webhooks/twilio/whatsapp',
  twilioStatus: '/webhooks/twilio/status',
  meta: '/webhooks/meta/whatsapp',
} as const;

/** Provider webhooks are a few kilobytes; Meta's batches stay far below this. */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

export type WebhookHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

export interface WebhookRoute {
  /** API Gateway's route key, e.g. `POST /webhooks/twilio/whatsapp`. */
  readonly routeKey: string;
  readonly handler: WebhookHandler;
}

export interface WebhookDeps {
  readonly services: Services;
  readonly providers: ChannelProviders;
  /** PUBLIC_URL: the base of the URL the providers call and sign. */
  readonly publicUrl: string;
  readonly policy: InboundPolicy;
}

export function webhookRoutes(deps: WebhookDeps): WebhookRoute[] {
  return [
    { routeKey: `POST ${WEBHOOK_PATHS.twilioMessages}`, handler: receive(deps, 'whatsapp_twilio') },
    { routeKey: `POST ${WEBHOOK_PATHS.twilioStatus}`, handler: receive(deps, 'whatsapp_twilio') },
    { routeKey: `GET ${WEBHOOK_PATHS.meta}`, handler: handshake(deps, 'whatsapp_meta') },
    { routeKey: `POST ${WEBHOOK_PATHS.meta}`, handler: receive(deps, 'whatsapp_meta') },
  ];
}

function receive(deps: WebhookDeps, channel: ChannelId): WebhookHandler {
  return async (event) => {
    const provider = deps.providers[channel];
    if (provider === undefined) return text(404, `${channel} is not configured`);
    const request = webhookRequest(deps.publicUrl, event);
    if (request.rawBody.byteLength > MAX_WEBHOOK_BODY_BYTES) return text(400, `the body is larger than ${MAX_WEBHOOK_BODY_BYTES} bytes`);
    if (!provider.verify(request)) {
      logger.warn('webhook refused: invalid or missing signature', { channel, route: event.routeKey, sourceIp: event.requestContext.http.sourceIp });
      return text(401, 'invalid signature');
    }
    let webhook: ParsedWebhook;
    try {
      webhook = provider.parseInbound(request, deps.services.now());
    } catch (error) {
      if (error instanceof WebhookPayloadError) return text(400, error.message);
      throw error;
    }
    try {
      await ingestWebhook(deps.services, webhook, deps.policy);
    } catch (error) {
      // Not acknowledged: the provider delivers it again.
      logger.error('webhook not stored', { channel, route: event.routeKey, error: error as Error });
      return text(500, 'not stored; deliver it again');
    }
    return answer(provider.acknowledgement);
  };
}

function handshake(deps: WebhookDeps, channel: ChannelId): WebhookHandler {
  return async (event) => {
    const provider: ChannelProvider | undefined = deps.providers[channel];
    if (provider?.answerHandshake === undefined) return text(404, `${channel} is not configured`);
    return answer(provider.answerHandshake(webhookRequest(deps.publicUrl, event)));
  };
}

/** The request as the provider made it: our public URL (never the internal one) and the exact body bytes. */
function webhookRequest(publicUrl: string, event: APIGatewayProxyEventV2): WebhookRequest {
  const pathAndQuery = event.rawQueryString ? `${event.rawPath}?${event.rawQueryString}` : event.rawPath;
  return {
    method: event.requestContext.http.method,
    url: publicWebhookUrl(publicUrl, pathAndQuery),
    headers: event.headers,
    rawBody: event.body === undefined ? new Uint8Array() : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8'),
  };
}

const answer = (reply: WebhookAnswer): APIGatewayProxyStructuredResultV2 => ({
  statusCode: reply.status,
  headers: { 'content-type': reply.contentType },
  body: reply.body,
});

const text = (statusCode: number, body: string): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body,
});
