import type { ParsedWebhook } from '../channels/model.ts';
import { publishAspirantEvents, publishMessageEvent, publishMessageEvents, publishMessageUpdate } from '../domain/live.ts';
import type { Services } from '../domain/services.ts';
import { METRICS } from '../shared/metrics.ts';
import { recordStatusUpdate, type ChangedMessage } from '../outbound/deliveryStatus.ts';
import { recordInbound, type InboundPolicy, type RecordedInbound } from './inbound.ts';

/** What one webhook delivery changed; redelivered parts appear in neither list. */
export interface IngestOutcome {
  /** The messages this delivery inserted, with what the bot may do with each. */
  readonly messages: readonly RecordedInbound[];
  /** Outbound messages whose delivery status changed. */
  readonly statuses: readonly ChangedMessage[];
}

/**
 * Stores everything a verified webhook carried in ONE transaction — messages (with their media jobs) and
 * delivery statuses — then publishes live events for what this delivery changed, and only that. When it
 * resolves the contents are committed, so the caller may acknowledge the provider; when it throws nothing was
 * stored and the provider's retry will bring it again.
 */
export async function ingestWebhook(services: Services, webhook: ParsedWebhook, policy: InboundPolicy): Promise<IngestOutcome> {
  const now = services.now();
  // One order for every delivery, so concurrent ones lock people and provider ids in the same order.
  const messages = [...webhook.messages].sort((a, b) => compare(a.from, b.from) || a.occurredAt.getTime() - b.occurredAt.getTime() || compare(a.providerMessageId, b.providerMessageId));
  const statuses = [...webhook.statuses].sort((a, b) => compare(a.providerMessageId, b.providerMessageId));
  const outcome = await services.db.transaction(async (tx) => {
    const recorded: RecordedInbound[] = [];
    for (const message of messages) {
      const result = await recordInbound(tx, message, policy, now);
      if (result !== null) recorded.push(result);
    }
    const changed: ChangedMessage[] = [];
    for (const status of statuses) {
      const result = await recordStatusUpdate(tx, status, now);
      if (result !== null) changed.push(result);
    }
    return { messages: recorded, statuses: changed };
  });
  if (outcome.messages.length > 0) services.metrics.count(METRICS.messagesIn, outcome.messages.length);
  await publishIngested(services, outcome);
  return outcome;
}

async function publishIngested(services: Services, outcome: IngestOutcome): Promise<void> {
  for (const recorded of outcome.messages) {
    if (recorded.aspirantChanged || recorded.conversationCreated) {
      // The aspirant's events include one per conversation, this one with its new last message.
      const published = await publishMessageEvent(services, recorded.conversationId, recorded.messageId);
      await publishAspirantEvents(services, recorded.aspirantId, undefined, published === null ? [] : [published.message]);
    } else {
      await publishMessageEvents(services, recorded.conversationId, recorded.messageId);
    }
  }
  // Several statuses of one message in one delivery make one event, with the status they add up to.
  const changedMessages = new Map(outcome.statuses.map((changed) => [changed.messageId, changed]));
  for (const changed of changedMessages.values()) await publishMessageUpdate(services, changed.conversationId, changed.messageId);
}

/** Code-unit order, the same in every locale. */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
