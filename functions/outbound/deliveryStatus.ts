import type { Queryable } from '../data/db.ts';
import type { OutboundStatus, StatusUpdate } from '../channels/model.ts';
import { deriveStatus, type StatusEvent } from '../channels/status.ts';

/**
 * Delivery status of outbound messages. Every report — a provider's status callback, the provider accepting
 * the message, a send refused — is appended to message_status_events, and the message's status, failure code
 * and reason are recomputed from all of its events with `deriveStatus`, so any arrival order ends in the same
 * state. A callback can arrive before the sender recorded the provider's id (Twilio may call back before
 * messages.create answers): its event waits keyed by the provider's id and joins the message when the id is
 * recorded. Both paths take the same per-id lock, so neither can miss the other.
 */

/** The message a change touched, for its live event. */
export interface ChangedMessage {
  readonly messageId: string;
  readonly conversationId: string;
}

/** Any fixed number: the namespace of the per-provider-id advisory locks. */
const PROVIDER_ID_LOCK_NAMESPACE = 3_303;

async function lockProviderMessageId(tx: Queryable, providerMessageId: string): Promise<void> {
  await tx.query('SELECT true AS locked FROM pg_advisory_xact_lock(:namespace::int, hashtext(:providerMessageId))', {
    namespace: PROVIDER_ID_LOCK_NAMESPACE,
    providerMessageId,
  });
}

/**
 * Appends a provider's status report (a redelivered one adds nothing) and recomputes its message's status.
 * Returns the message when its status changed; null when it did not, or when the message is not known yet.
 */
export async function recordStatusUpdate(tx: Queryable, update: StatusUpdate, receivedAt: Date): Promise<ChangedMessage | null> {
  await lockProviderMessageId(tx, update.providerMessageId);
  const [message] = await tx.query<{ id: string }>(
    "SELECT id FROM messages WHERE provider_message_id = :providerMessageId AND direction = 'outbound'",
    { providerMessageId: update.providerMessageId },
  );
  const inserted = await appendEvent(tx, message?.id ?? null, update.providerMessageId, update, receivedAt);
  if (message === undefined || !inserted) return null;
  return recomputeStatus(tx, message.id);
}

/**
 * Records the provider's id for a message it accepted, with the status it answered (never below `sending`:
 * the message has left us), takes in the reports that arrived ahead of it, and recomputes the status.
 */
export async function recordAccepted(
  tx: Queryable,
  messageId: string,
  accepted: { readonly providerMessageId: string; readonly status: OutboundStatus },
  at: Date,
): Promise<ChangedMessage | null> {
  await lockProviderMessageId(tx, accepted.providerMessageId);
  await tx.query('UPDATE messages SET provider_message_id = :providerMessageId WHERE id = :messageId::uuid AND provider_message_id IS NULL', {
    messageId,
    providerMessageId: accepted.providerMessageId,
  });
  await tx.query('UPDATE message_status_events SET message_id = :messageId::uuid WHERE provider_message_id = :providerMessageId AND message_id IS NULL', {
    messageId,
    providerMessageId: accepted.providerMessageId,
  });
  const status = accepted.status === 'queued' ? 'sending' : accepted.status;
  await appendEvent(tx, messageId, accepted.providerMessageId, { status }, at);
  return recomputeStatus(tx, messageId);
}

/** Records that the message failed before any provider took it, with the provider's code when it gave one. */
export async function recordSendFailure(
  tx: Queryable,
  messageId: string,
  failure: { readonly code?: string | undefined; readonly reason: string },
  at: Date,
): Promise<ChangedMessage | null> {
  await appendEvent(tx, messageId, null, { status: 'failed', errorCode: failure.code, errorMessage: failure.reason }, at);
  return recomputeStatus(tx, messageId);
}

/** True when the event was added; false when the same report was there already. */
async function appendEvent(tx: Queryable, messageId: string | null, providerMessageId: string | null, event: StatusEvent, at: Date): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO message_status_events (message_id, provider_message_id, status, error_code, error_message, received_at)
     VALUES (:messageId::uuid, :providerMessageId, :status, :errorCode, :errorMessage, :at::timestamptz)
     ON CONFLICT DO NOTHING
     RETURNING id`,
    { messageId, providerMessageId, status: event.status, errorCode: event.errorCode ?? null, errorMessage: event.errorMessage ?? null, at },
  );
  return rows.length > 0;
}

async function recomputeStatus(tx: Queryable, messageId: string): Promise<ChangedMessage | null> {
  const events = await tx.query<{ status: OutboundStatus; errorCode: string | null; errorMessage: string | null }>(
    'SELECT status, error_code, error_message FROM message_status_events WHERE message_id = :messageId::uuid',
    { messageId },
  );
  const derived = deriveStatus(
    events.map((event) => ({
      status: event.status,
      ...(event.errorCode === null ? {} : { errorCode: event.errorCode }),
      ...(event.errorMessage === null ? {} : { errorMessage: event.errorMessage }),
    })),
  );
  const [changed] = await tx.query<{ conversationId: string }>(
    `UPDATE messages SET status = :status, failure_code = :failureCode, failure_reason = :failureReason
      WHERE id = :messageId::uuid
        AND (status, failure_code, failure_reason) IS DISTINCT FROM (:status::text, :failureCode::text, :failureReason::text)
      RETURNING conversation_id`,
    { messageId, status: derived.status, failureCode: derived.failureCode ?? null, failureReason: derived.failureReason ?? null },
  );
  return changed === undefined ? null : { messageId, conversationId: changed.conversationId };
}
