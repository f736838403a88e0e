import type { Queryable } from '../data/db.ts';
import { publishAspirantEvents, publishMessageEvent, publishMessageEvents } from '../domain/live.ts';
import type { Services } from '../domain/services.ts';
import { ensureFormLink } from '../forms/links.ts';
import { enqueue } from '../jobs/queue.ts';
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
 * Live events go out after commit.
 */
export interface BotJobDeps {
  readonly services: Services;
  readonly llm: LlmProvider;
}

export type BotEventPayload = Parameters<typeof botEventJob.of>[0];

export async function runBotEvent(deps: BotJobDeps, payload: BotEventPayload): Promise<void> {
  const { services } = deps;
  const { aspirantId, conversationId } = payload;
  const now = services.now();
  const outcome = await services.db.transaction(async (tx) => {
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
    const sent: string[] = [];
    for (const [position, message] of applied.send.entries()) {
      const rendered = library.render(message.text, decision.language, { seed: aspirantId, delivery: message.delivery });
      // A millisecond apart, so the thread keeps the order the flow said them in.
      sent.push(await queueBotMessage(tx, { conversationId, stepKey: message.stepKey, rendered, at: new Date(now.getTime() + position) }));
    }
    const answered = event.type === 'inbound_message' ? event.messageId : null;
    await recordBotTraces(tx, { conversationId, messageId: sent[0] ?? answered, entries: decision.trace, now });
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
  for (const messageId of outcome.sent) await publishMessageEvents(services, conversationId, messageId);
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

/** Writes one bot message (queued) and its send job; the step key is its idempotency key. */
async function queueBotMessage(tx: Queryable, input: { conversationId: string; stepKey: string; rendered: RenderedText; at: Date }): Promise<string> {
  const { rendered } = input;
  const template =
    rendered.template === null
      ? undefined
      : (
          await tx.query<{ id: string }>('SELECT id FROM message_templates WHERE name = :name AND language = :language AND approved', {
            name: rendered.template.name,
            language: rendered.language,
          })
        )[0];
  const [inserted] = await tx.query<{ id: string }>(
    `INSERT INTO messages (conversation_id, direction, author_kind, body, template_id, template_variables, idempotency_key, status, occurred_at, created_at)
     VALUES (:conversationId::uuid, 'outbound', 'bot', :body, :templateId::uuid, :templateVariables::jsonb, :idempotencyKey, 'queued', :at::timestamptz, :at::timestamptz)
     RETURNING id`,
    {
      conversationId: input.conversationId,
      body: rendered.body,
      templateId: template?.id ?? null,
      templateVariables: rendered.template === null ? null : JSON.stringify(rendered.template.variables),
      idempotencyKey: `bot:${input.stepKey}`,
      at: input.at.toISOString(),
    },
  );
  const messageId = inserted!.id;
  await tx.query(
    `UPDATE conversations SET last_message_id = :messageId::uuid, last_activity_at = greatest(last_activity_at, :at::timestamptz)
      WHERE id = :conversationId::uuid`,
    { messageId, conversationId: input.conversationId, at: input.at.toISOString() },
  );
  await enqueue(tx, sendMessageJob.of({ messageId }, { dedupeKey: `message.send:${messageId}` }));
  return messageId;
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
