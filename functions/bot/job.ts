import type { Queryable } from '../data/db.ts';
import { publishAspirantEvents, publishMessageEvent, publishMessageEvents } from '../domain/live.ts';
import type { Services } from '../domain/services.ts';
import { ensureFormLink } from '../forms/links.ts';
import { enqueue, type JobContext } from '../jobs/queue.ts';
import { searchPassages } from '../knowledge/search.ts';
import type { LlmProvider } from '../llm/provider.ts';
import { METRICS } from '../shared/metrics.ts';
import { botEventJob, type BotEventRef, sendMessageJob } from '../worker/kinds.ts';
import { runBot } from './engine.ts';
import type { AutoReply, BotEvent, StoredPhotoKind } from './flow.ts';
import { applyBotDecision, loadFlowContext, lockBotState, recordBotTraces } from './store.ts';
import { loadBotTextLibrary, type RenderedText } from './texts.ts';

/**
 * The bot.event job: one conversation event through the bot, in ONE transaction that holds the aspirant's bot
 * state (store.ts): the flow decides, its steps are claimed (a redelivered or concurrent event claims nothing
 * again), each claimed message is written as an outbound message with its message.send job — the same path a
 * recruiter's message takes, so it gets statuses, the rate limit, the window and opt-out checks — and the
 * decision's trace is stored under the first message (or under the inbound message it answered). The wake-up
 * the flow asks for (reminders, prompts held for quiet hours or the daily cap) is another bot.event job.
 * After commit the send jobs run at once where the runner allows it (the aspirant is waiting), then the live
 * events go out.
 */
export interface BotJobDeps {
  readonly services: Services;
  readonly llm: LlmProvider;
}

export type BotEventPayload = Parameters<typeof botEventJob.of>[0];

/**
 * `runCommittedJobs` (the worker's JobContext): the messages' send jobs run right after the commit, in the
 * order the flow said them, instead of waiting for a claim; without it (SQS) the queue delivers them.
 */
export async function runBotEvent(deps: BotJobDeps, payload: BotEventPayload, runCommittedJobs?: JobContext['runCommittedJobs']): Promise<void> {
  const { services } = deps;
  const { aspirantId, conversationId } = payload;
  const now = services.now();
  const outcome = await services.db.transaction(async (tx) => {
    // An erased aspirant's events do nothing; the share lock keeps an erasure (functions/domain/aspirantData.ts) waiting until this turn commits.
    const [aspirant] = await tx.query('SELECT id FROM aspirants WHERE id = :aspirantId::uuid FOR KEY SHARE', { aspirantId });
    if (aspirant === undefined) return null;
    const state = await lockBotState(tx, aspirantId);
    const event = await loadEvent(tx, payload);
    if (event === null) return null;
    const library = await loadBotTextLibrary(tx, services.bot.defaultLanguage);
    const context = await loadFlowContext(tx, { aspirantId, conversationId, now, settings: services.bot, library });
    const decision = await runBot(
      {
        llm: deps.llm,
        searchPassages: (question, language, limit) => searchPassages(tx, question, language, limit),
        formUrl: async () => (await ensureFormLink(tx, aspirantId, services.formLinks, now)).url,
      },
      state,
      event,
      context,
    );
    const applied = await applyBotDecision(tx, { aspirantId, conversationId, decision, now });
    const sent = await queueBotMessages(
      tx,
      conversationId,
      applied.send.map((message, position) => ({
        stepKey: message.stepKey,
        rendered: library.render(message.text, decision.language, { seed: aspirantId, delivery: message.delivery }),
        // A millisecond apart, so the thread keeps the order the flow said them in.
        at: new Date(now.getTime() + position),
      })),
    );
    const answered = event.type === 'inbound_message' ? event.messageId : null;
    await recordBotTraces(tx, { conversationId, messageId: sent[0]?.messageId ?? answered, entries: decision.trace, now });
    if (decision.wakeAt !== null) {
      await enqueue(
        tx,
        botEventJob.of({ aspirantId, conversationId, event: { type: 'reminder_due' } }, { runAt: new Date(decision.wakeAt), dedupeKey: `bot.wake:${aspirantId}:${decision.wakeAt}` }),
      );
    }
    const repliedTo = event.type === 'inbound_message' && sent.length > 0 ? new Date(event.occurredAt) : null;
    return { sent, tracedOnly: sent.length === 0 ? answered : null, aspirantChanged: applied.aspirantChanged || applied.conversationChanged, repliedTo };
  });
  if (outcome === null) return;
  // What the aspirant waits: queueing, the model and the write, measured when the reply committed.
  if (outcome.repliedTo !== null) services.metrics.duration(METRICS.botLatency, services.now().getTime() - outcome.repliedTo.getTime());
  const ran = new Set(runCommittedJobs === undefined ? [] : await runCommittedJobs(outcome.sent.map((message) => message.sendJobId)));
  // A send that ran published its message already.
  for (const { messageId, sendJobId } of outcome.sent) if (!ran.has(sendJobId)) await publishMessageEvents(services, conversationId, messageId);
  if (outcome.tracedOnly !== null) await publishMessageEvent(services, conversationId, outcome.tracedOnly);
  if (outcome.aspirantChanged) await publishAspirantEvents(services, aspirantId);
}

/** The event as the flow takes it, read from the rows the reference names; null when they are gone. */
async function loadEvent(tx: Queryable, payload: BotEventPayload): Promise<BotEvent | null> {
  const ref: BotEventRef = payload.event;
  switch (ref.type) {
    case 'inbound_message': {
      const [message] = await tx.query<{ body: string | null; occurredAt: string; autoReply: AutoReply | null; hasMedia: boolean }>(
        `SELECT m.body, m.occurred_at, m.auto_reply, EXISTS (SELECT 1 FROM media WHERE message_id = m.id) AS has_media
           FROM messages m WHERE m.id = :id::uuid AND m.conversation_id = :conversationId::uuid AND m.direction = 'inbound'`,
        { id: ref.messageId, conversationId: payload.conversationId },
      );
      if (message === undefined) return null;
      return {
        type: 'inbound_message',
        messageId: ref.messageId,
        text: message.body,
        hasMedia: message.hasMedia,
        occurredAt: new Date(message.occurredAt).toISOString(),
        autoReply: message.autoReply ?? 'eligible',
      };
    }
    case 'form_submitted': {
      const [submission] = await tx.query<{ dateOfBirth: string }>(
        "SELECT data->>'dateOfBirth' AS date_of_birth FROM form_submissions WHERE id = :id::uuid AND aspirant_id = :aspirantId::uuid",
        { id: ref.submissionId, aspirantId: payload.aspirantId },
      );
      return submission === undefined ? null : { type: 'form_submitted', submissionId: ref.submissionId, dateOfBirth: submission.dateOfBirth };
    }
    case 'photo_stored': {
      const [photo] = await tx.query<{ kind: StoredPhotoKind; caption: string | null }>(
        `SELECT p.kind, m.body AS caption FROM photos p LEFT JOIN messages m ON m.id = p.message_id
          WHERE p.id = :id::uuid AND p.aspirant_id = :aspirantId::uuid`,
        { id: ref.photoId, aspirantId: payload.aspirantId },
      );
      return photo === undefined ? null : { type: 'photo_stored', photoId: ref.photoId, kind: photo.kind, caption: photo.caption };
    }
    case 'form_opened':
      return { type: 'form_opened', formLinkId: ref.formLinkId };
    default:
      return { type: ref.type };
  }
}

interface QueuedBotMessage {
  readonly messageId: string;
  readonly sendJobId: string;
}

/**
 * Writes the bot's messages (queued), in order, and their send jobs; a message's step key is its idempotency
 * key. A few statements whatever the count: every round trip here is in the aspirant's wait.
 */
async function queueBotMessages(
  tx: Queryable,
  conversationId: string,
  messages: readonly { readonly stepKey: string; readonly rendered: RenderedText; readonly at: Date }[],
): Promise<QueuedBotMessage[]> {
  const last = messages.at(-1);
  if (last === undefined) return [];
  const rows = [];
  for (const { stepKey, rendered, at } of messages) {
    const template =
      rendered.template === null
        ? undefined
        : (
            await tx.query<{ id: string }>('SELECT id FROM message_templates WHERE name = :name AND language = :language AND approved', {
              name: rendered.template.name,
              language: rendered.language,
            })
          )[0];
    rows.push({ body: rendered.body, templateId: template?.id ?? null, templateVariables: rendered.template?.variables ?? null, idempotencyKey: `bot:${stepKey}`, at: at.toISOString() });
  }
  // The messages and the conversation's last message in one statement.
  const inserted = await tx.query<{ id: string; idempotencyKey: string }>(
    `WITH inserted AS (
       INSERT INTO messages (conversation_id, direction, author_kind, body, template_id, template_variables, idempotency_key, status, occurred_at, created_at)
       SELECT :conversationId::uuid, 'outbound', 'bot', m->>'body', (m->>'templateId')::uuid, NULLIF(m->'templateVariables', 'null'::jsonb),
              m->>'idempotencyKey', 'queued', (m->>'at')::timestamptz, (m->>'at')::timestamptz
         FROM jsonb_array_elements(:messages::jsonb) AS m
       RETURNING id, idempotency_key),
     latest AS (
       UPDATE conversations
          SET last_message_id = (SELECT id FROM inserted WHERE idempotency_key = :lastKey), last_activity_at = greatest(last_activity_at, :lastAt::timestamptz)
        WHERE id = :conversationId::uuid)
     SELECT id, idempotency_key FROM inserted`,
    { conversationId, messages: JSON.stringify(rows), lastKey: rows.at(-1)!.idempotencyKey, lastAt: last.at.toISOString() },
  );
  const idByKey = new Map(inserted.map((row) => [row.idempotencyKey, row.id]));
  const messageIds = rows.map((row) => idByKey.get(row.idempotencyKey)!);
  // New messages, so every dedupe key is new and each job is added, in this order.
  const sendJobIds = await enqueue(tx, messageIds.map((messageId) => sendMessageJob.of({ messageId }, { dedupeKey: `message.send:${messageId}` })));
  return messageIds.map((messageId, index) => ({ messageId, sendJobId: sendJobIds[index]! }));
}

/**
 * Enqueues a bot event about an aspirant on their most recent conversation, in the caller's transaction; does
 * nothing for an aspirant without one (the bot only speaks where the aspirant wrote first).
 */
export async function enqueueBotEventForAspirant(tx: Queryable, aspirantId: string, event: BotEventRef, dedupeKey?: string): Promise<void> {
  const [conversation] = await tx.query<{ id: string }>(
    'SELECT id FROM conversations WHERE aspirant_id = :aspirantId::uuid ORDER BY last_activity_at DESC, id DESC LIMIT 1',
    { aspirantId },
  );
  if (conversation === undefined) return;
  await enqueue(tx, botEventJob.of({ aspirantId, conversationId: conversation.id, event }, dedupeKey === undefined ? {} : { dedupeKey }));
}
