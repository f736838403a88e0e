import { SendError, type ChannelId, type OutboundContent, type SendResult } from '../channels/model.ts';
import { windowState } from '../domain/conversations.ts';
import { publishAspirantEvents, publishMessageUpdate } from '../domain/live.ts';
import type { Services } from '../domain/services.ts';
import { METRICS } from '../shared/metrics.ts';
import type { ChannelProviders } from '../worker/channels.ts';
import { recordAccepted, recordSendFailure, type ChangedMessage } from './deliveryStatus.ts';
import type { TokenBuckets } from './rateLimit.ts';
import { templateRefFor } from './templates.ts';

export interface SenderDeps {
  readonly services: Services;
  readonly providers: ChannelProviders;
  /** Where Twilio posts status callbacks: `${PUBLIC_URL}/webhooks/twilio/status`. */
  readonly statusCallbackUrl: string;
  /** Outbound rate per sender number. */
  readonly rateLimit: TokenBuckets;
}

interface OutboundRow {
  id: string;
  conversationId: string;
  status: string;
  providerMessageId: string | null;
  body: string | null;
  templateVariables: string[] | null;
  channel: ChannelId;
  windowExpiresAt: string | null;
  phone: string;
  optedOutAt: string | null;
  templateId: string | null;
  twilioContentSid: string | null;
  metaTemplateName: string | null;
  metaLanguage: string | null;
}

/** What to send, or why nothing may be sent. */
type Decision =
  | { readonly send: false; readonly reason: string }
  | { readonly send: true; readonly content: OutboundContent };

/**
 * The message.send job: hands one queued message to its conversation's provider. Idempotent: it acts only on a
 * message still queued or sending without a provider id, and marks it sending before calling out. Just before
 * sending it checks again what may have changed since the message was queued: an aspirant who opted out, or a
 * 24-hour window that closed on a free-form text; either fails the message with the reason (its row shows
 * sending in between), without calling the provider. A transient provider failure is thrown, so the queue
 * retries with backoff (the message shows SENDING meanwhile); a final one fails the message with the provider's
 * code and reason.
 *
 * Delivery to the provider is at least once: a crash between the provider's answer and recording its id sends
 * the message again on retry, because neither Twilio nor Meta takes an idempotency key for sends.
 */
export async function sendOutbound(deps: SenderDeps, messageId: string): Promise<void> {
  const { services } = deps;
  // One statement (a round trip in the aspirant's wait): lock the message if it is still to send and mark it
  // sending; the row comes back as it was. The job's lease keeps other runs of this send away meanwhile.
  const [message] = await services.db.query<OutboundRow>(
    `WITH target AS (
       SELECT m.id, m.conversation_id, m.status, m.provider_message_id, m.body, m.template_variables, c.channel, c.window_expires_at,
              a.phone, a.opted_out_at, m.template_id, t.twilio_content_sid, t.meta_template_name, t.meta_language
         FROM messages m
         JOIN conversations c ON c.id = m.conversation_id
         JOIN aspirants a ON a.id = c.aspirant_id
         LEFT JOIN message_templates t ON t.id = m.template_id
        WHERE m.id = :messageId::uuid AND m.direction = 'outbound' AND m.status IN ('queued', 'sending') AND m.provider_message_id IS NULL
          FOR UPDATE OF m)
     UPDATE messages SET status = 'sending' FROM target WHERE messages.id = target.id
     RETURNING target.*`,
    { messageId },
  );
  if (message === undefined) return;
  const decision = decide(deps, message);
  if (!decision.send) {
    return publish(services, await services.db.transaction((tx) => recordSendFailure(tx, message.id, { reason: decision.reason }, services.now())));
  }
  const markedSending: ChangedMessage | null = message.status === 'queued' ? { messageId, conversationId: message.conversationId } : null;

  // The provider first, the live event after: the aspirant's wait is the provider hand-off, and one event then
  // carries the state the message reached.
  const provider = deps.providers[message.channel]!;
  await deps.rateLimit.take(message.channel);
  let accepted: SendResult;
  try {
    accepted = await provider.send({ to: message.phone, content: decision.content, statusCallbackUrl: deps.statusCallbackUrl });
  } catch (error) {
    // The message shows SENDING while the queue retries, or until the refusal below is recorded.
    await publish(services, markedSending);
    if (!(error instanceof SendError) || error.retryable) throw error;
    await recordRefusal(services, message.conversationId, message.id, error);
    return;
  }
  services.metrics.count(METRICS.messagesOut);
  const recorded = await services.db.transaction((tx) => recordAccepted(tx, message.id, accepted, services.now()));
  await publish(services, recorded ?? markedSending);
}

/** A final refusal: the message fails with the provider's code and reason; "opted out" marks the aspirant too. */
async function recordRefusal(services: Services, conversationId: string, messageId: string, error: SendError): Promise<void> {
  const recorded = await services.db.transaction(async (tx) => {
    // The provider knows the aspirant opted out (e.g. STOP sent before we handled opt-outs): so should we.
    const [optedOut] =
      error.kind === 'opted_out'
        ? await tx.query<{ id: string }>(
            `UPDATE aspirants SET opted_out_at = :now::timestamptz, updated_at = :now::timestamptz
              WHERE id = (SELECT aspirant_id FROM conversations WHERE id = :conversationId::uuid) AND opted_out_at IS NULL
              RETURNING id`,
            { conversationId, now: services.now() },
          )
        : [];
    const changed = await recordSendFailure(tx, messageId, { code: error.code, reason: error.reason }, services.now());
    return { changed, optedOutAspirantId: optedOut?.id };
  });
  await publish(services, recorded.changed);
  if (recorded.optedOutAspirantId !== undefined) await publishAspirantEvents(services, recorded.optedOutAspirantId);
}

function decide(deps: SenderDeps, message: OutboundRow): Decision {
  if (message.optedOutAt !== null) return { send: false, reason: 'The aspirant opted out: nothing more may be sent to them' };
  if (deps.providers[message.channel] === undefined) return { send: false, reason: `No WhatsApp provider is configured for ${message.channel}` };
  if (message.templateId === null) {
    if (windowState(message.windowExpiresAt, deps.services.now()) === 'CLOSED') {
      return { send: false, reason: 'Outside the 24-hour window: only an approved template can be sent' };
    }
    return { send: true, content: { kind: 'text', body: message.body ?? '' } };
  }
  const template = templateRefFor(message, message.channel, message.templateVariables ?? []);
  if (template === undefined) return { send: false, reason: "The template is not approved on this conversation's channel" };
  return { send: true, content: { kind: 'template', template } };
}

async function publish(services: Services, changed: ChangedMessage | null): Promise<void> {
  if (changed !== null) await publishMessageUpdate(services, changed.conversationId, changed.messageId);
}
