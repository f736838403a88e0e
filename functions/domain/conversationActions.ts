import { z } from 'zod';
import { loadBotTextLibrary, type TextRef } from '../bot/texts.ts';
import type { ChannelId } from '../channels/model.ts';
import type { Queryable } from '../data/db.ts';
import { ensureFormLink } from '../forms/links.ts';
import type { Conversation, Message } from '../generated/graphql.ts';
import { enqueue } from '../jobs/queue.ts';
import { approvedTemplate, assertTemplateVariables, renderTemplate, templateRefFor } from '../outbound/templates.ts';
import { sendMessageJob } from '../worker/kinds.ts';
import { BadRequestError, NotFoundError } from '../shared/errors.ts';
import { assertCanSee, type Caller } from './access.ts';
import { conversationRowById, loadConversations, windowState } from './conversations.ts';
import { publishMessageEvents } from './live.ts';
import { loadMessages, messageRowsById } from './messages.ts';
import type { ConversationIncludes, MessageIncludes, Services } from './services.ts';

export const MAX_MESSAGE_LENGTH = 4096;

const idempotencyKey = z.string().min(8).max(128);

export const sendMessageInput = z.object({
  conversationId: z.guid(),
  body: z
    .string()
    .max(MAX_MESSAGE_LENGTH)
    .refine((body) => body.trim() !== '', 'must not be empty'),
  idempotencyKey,
});
export type SendMessageInput = z.output<typeof sendMessageInput>;

export const sendTemplateInput = z.object({
  conversationId: z.guid(),
  templateId: z.guid(),
  variables: z.array(z.string()).max(20),
  idempotencyKey,
});
export type SendTemplateInput = z.output<typeof sendTemplateInput>;

/** The composer's one-click messages (form link, photo request). */
export const composerActionInput = z.object({ conversationId: z.guid(), idempotencyKey });
export type ComposerActionInput = z.output<typeof composerActionInput>;

/**
 * A recruiter's free-form WhatsApp message, queued for the sender. WhatsApp refuses free-form messages outside
 * the 24-hour window, so those are refused here already: an approved template (sendTemplate) goes instead.
 */
export async function sendMessage(
  services: Services,
  caller: Caller,
  input: SendMessageInput,
  include: MessageIncludes,
): Promise<Message> {
  return queueOutbound(services, caller, input, include, async (_tx, conversation) => {
    assertWindowOpen(conversation, services.now());
    return { body: input.body, templateId: null, templateVariables: null };
  });
}

function assertWindowOpen(conversation: LockedConversation, now: Date): void {
  if (windowState(conversation.windowExpiresAt, now) === 'CLOSED') {
    throw new BadRequestError('window closed: the aspirant has not written in the last 24 hours, so only approved templates may be sent');
  }
}

/** The aspirant's personal form link, in their language from the bot's texts, as the caller's message. */
export async function sendFormLink(services: Services, caller: Caller, input: ComposerActionInput, include: MessageIncludes): Promise<Message> {
  return queueOutbound(services, caller, input, include, async (tx, conversation) => {
    assertWindowOpen(conversation, services.now());
    const link = await ensureFormLink(tx, conversation.aspirantId, services.formLinks, services.now());
    return libraryText(tx, services, conversation, { textKey: 'form.link', variables: { formUrl: link.url } });
  });
}

/** The photos still missing from the checklist (PHOTO_CHECKLIST), asked for in the aspirant's language. */
export async function requestPhotos(services: Services, caller: Caller, input: ComposerActionInput, include: MessageIncludes): Promise<Message> {
  return queueOutbound(services, caller, input, include, async (tx, conversation) => {
    assertWindowOpen(conversation, services.now());
    const photos = await tx.query<{ kind: string }>('SELECT DISTINCT kind FROM photos WHERE aspirant_id = :id::uuid', { id: conversation.aspirantId });
    const missing = services.bot.photoChecklist.filter((kind) => !photos.some((photo) => photo.kind === kind));
    if (missing.length === 0) throw new BadRequestError('photos: the aspirant has sent every photo of the checklist');
    return libraryText(tx, services, conversation, { textKey: 'photos.request', variables: { checklist: { photoKinds: missing } } });
  });
}

async function libraryText(tx: Queryable, services: Services, conversation: LockedConversation, text: TextRef): Promise<OutboundContent> {
  const library = await loadBotTextLibrary(tx, services.bot.defaultLanguage);
  const rendered = library.render(text, conversation.language ?? services.bot.defaultLanguage, { seed: conversation.aspirantId, delivery: 'session' });
  return { body: rendered.body, templateId: null, templateVariables: null };
}

/**
 * An approved template, queued for the sender: allowed outside the 24-hour window. The values must fit the
 * template's variables, and the template must be approved on the conversation's channel. The stored body is
 * the text the aspirant will read.
 */
export async function sendTemplate(
  services: Services,
  caller: Caller,
  input: SendTemplateInput,
  include: MessageIncludes,
): Promise<Message> {
  return queueOutbound(services, caller, input, include, async (tx, conversation) => {
    const template = await approvedTemplate(tx, input.templateId);
    if (template === undefined) throw new NotFoundError('template not found or not approved');
    assertTemplateVariables(template, input.variables);
    if (templateRefFor(template, conversation.channel, input.variables) === undefined) {
      throw new BadRequestError(`templateId: the template "${template.name}" is not approved on this conversation's channel`);
    }
    return { body: renderTemplate(template.body, input.variables), templateId: template.id, templateVariables: input.variables };
  });
}

interface LockedConversation {
  readonly aspirantId: string;
  readonly language: 'es' | 'en' | 'pt' | null;
  readonly assigneeId: string | null;
  readonly channel: ChannelId;
  readonly windowExpiresAt: string | null;
  readonly optedOutAt: string | null;
}

interface OutboundContent {
  readonly body: string;
  readonly templateId: string | null;
  readonly templateVariables: readonly string[] | null;
}

/**
 * Writes an outbound message (status queued) and its message.send job in one transaction, keyed by the
 * idempotency key: a double click or a retry returns the first message and queues and publishes nothing.
 * Nothing goes to an aspirant who opted out. A human writing takes the conversation over, so the bot pauses.
 * `compose` checks what may be sent and returns it; it throws to refuse.
 */
async function queueOutbound(
  services: Services,
  caller: Caller,
  target: { readonly conversationId: string; readonly idempotencyKey: string },
  include: MessageIncludes,
  compose: (tx: Queryable, conversation: LockedConversation) => Promise<OutboundContent>,
): Promise<Message> {
  const now = services.now();
  const outcome = await services.db.transaction(async (tx) => {
    // Locking the conversation serializes its sends, so a repeated key always finds the first message.
    const [conversation] = await tx.query<LockedConversation>(
      `SELECT a.id AS aspirant_id, a.language, a.assignee_id, c.channel, c.window_expires_at, a.opted_out_at
         FROM conversations c JOIN aspirants a ON a.id = c.aspirant_id
        WHERE c.id = :conversationId::uuid
          FOR UPDATE OF c`,
      { conversationId: target.conversationId },
    );
    if (conversation === undefined) throw new NotFoundError('conversation not found');
    assertCanSee(caller, conversation.assigneeId, 'conversation');
    const [existing] = await tx.query<{ id: string }>(
      'SELECT id FROM messages WHERE conversation_id = :conversationId::uuid AND idempotency_key = :idempotencyKey',
      { conversationId: target.conversationId, idempotencyKey: target.idempotencyKey },
    );
    if (existing !== undefined) return { messageId: existing.id, created: false };
    if (conversation.optedOutAt !== null) {
      throw new BadRequestError('opted out: the aspirant asked not to be messaged');
    }
    const content = await compose(tx, conversation);
    const [inserted] = await tx.query<{ id: string }>(
      `INSERT INTO messages (conversation_id, direction, author_kind, author_id, body, template_id, template_variables,
                             idempotency_key, status, occurred_at, created_at)
       VALUES (:conversationId::uuid, 'outbound', 'recruiter', :authorId::uuid, :body, :templateId::uuid, :templateVariables::jsonb,
               :idempotencyKey, 'queued', :now::timestamptz, :now::timestamptz)
       RETURNING id`,
      {
        conversationId: target.conversationId,
        idempotencyKey: target.idempotencyKey,
        authorId: caller.id,
        body: content.body,
        templateId: content.templateId,
        templateVariables: content.templateVariables,
        now,
      },
    );
    const messageId = inserted!.id;
    await tx.query(
      `UPDATE conversations
          SET last_message_id = :messageId::uuid, last_activity_at = greatest(last_activity_at, :now::timestamptz), bot_paused = true
        WHERE id = :conversationId::uuid`,
      { messageId, conversationId: target.conversationId, now },
    );
    await enqueue(tx, sendMessageJob.of({ messageId }, { dedupeKey: `message.send:${messageId}` }));
    return { messageId, created: true };
  });
  if (outcome.created) await publishMessageEvents(services, target.conversationId, outcome.messageId);
  const row = (await messageRowsById(services.db, [outcome.messageId])).get(outcome.messageId);
  const [message] = await loadMessages(services.db, services, row === undefined ? [] : [row], include);
  if (message === undefined) throw new Error(`message ${outcome.messageId} vanished after it was written`);
  return message;
}

/** Marks every inbound message so far as read by the caller (their unreadCount becomes 0). */
export async function markConversationRead(
  services: Services,
  caller: Caller,
  conversationId: string,
  include: ConversationIncludes,
): Promise<Conversation> {
  const row = await services.db.transaction(async (tx) => {
    const conversation = await conversationRowById(tx, conversationId, caller.id);
    if (conversation === null) throw new NotFoundError('conversation not found');
    assertCanSee(caller, conversation.assigneeId, 'conversation');
    // Counts only grow: a late, stale read never brings unread messages back.
    const [marker] = await tx.query<{ readInboundCount: number }>(
      `INSERT INTO conversation_reads (conversation_id, recruiter_id, read_inbound_count, read_at)
       VALUES (:conversationId::uuid, :readerId::uuid, :inboundCount::int, :now::timestamptz)
       ON CONFLICT (conversation_id, recruiter_id) DO UPDATE
          SET read_inbound_count = greatest(conversation_reads.read_inbound_count, excluded.read_inbound_count),
              read_at = excluded.read_at
       RETURNING read_inbound_count`,
      { conversationId, readerId: caller.id, inboundCount: conversation.inboundCount, now: services.now() },
    );
    return { ...conversation, readInboundCount: marker!.readInboundCount };
  });
  // Read markers are the caller's own: nothing shared changed, so there is no live event.
  const [conversation] = await loadConversations(services.db, services, [row], include, caller.id);
  return conversation!;
}
