import { z } from 'zod';
import type { Conversation, Message } from '../generated/graphql.ts';
import { BadRequestError, NotFoundError } from '../shared/errors.ts';
import { assertCanSee, type Caller } from './access.ts';
import { conversationRowById, loadConversations, windowState } from './conversations.ts';
import { publishMessageEvents } from './live.ts';
import { loadMessages, messageRowsById } from './messages.ts';
import type { ConversationIncludes, MessageIncludes, Services } from './services.ts';

export const MAX_MESSAGE_LENGTH = 4096;

export const sendMessageInput = z.object({
  conversationId: z.guid(),
  body: z
    .string()
    .max(MAX_MESSAGE_LENGTH)
    .refine((body) => body.trim() !== '', 'must not be empty'),
  idempotencyKey: z.string().min(8).max(128),
});
export type SendMessageInput = z.output<typeof sendMessageInput>;

/**
 * A recruiter's free-form WhatsApp message, queued for the sender. The idempotency key makes a double click
 * or a retry send once: a repeat returns the first message and publishes nothing. WhatsApp refuses free-form
 * messages outside the 24-hour window and to people who opted out, so those are refused here already. A
 * human writing takes the conversation over, so the bot pauses.
 */
export async function sendMessage(
  services: Services,
  caller: Caller,
  input: SendMessageInput,
  include: MessageIncludes,
): Promise<Message> {
  const now = services.now();
  const outcome = await services.db.transaction(async (tx) => {
    // Locking the conversation serializes its sends, so a repeated key always finds the first message.
    const [conversation] = await tx.query<{ assigneeId: string | null; windowExpiresAt: string | null; optedOutAt: string | null }>(
      `SELECT a.assignee_id, c.window_expires_at, a.opted_out_at
         FROM conversations c JOIN aspirants a ON a.id = c.aspirant_id
        WHERE c.id = :conversationId::uuid
          FOR UPDATE OF c`,
      { conversationId: input.conversationId },
    );
    if (conversation === undefined) throw new NotFoundError('conversation not found');
    assertCanSee(caller, conversation.assigneeId, 'conversation');
    const [existing] = await tx.query<{ id: string }>(
      'SELECT id FROM messages WHERE conversation_id = :conversationId::uuid AND idempotency_key = :idempotencyKey',
      { conversationId: input.conversationId, idempotencyKey: input.idempotencyKey },
    );
    if (existing !== undefined) return { messageId: existing.id, created: false };
    if (conversation.optedOutAt !== null) {
      throw new BadRequestError('opted out: the aspirant asked not to be messaged');
    }
    if (windowState(conversation.windowExpiresAt, now) === 'CLOSED') {
      throw new BadRequestError('window closed: the aspirant has not written in the last 24 hours, so only approved templates may be sent');
    }
    const [inserted] = await tx.query<{ id: string }>(
      `INSERT INTO messages (conversation_id, direction, author_kind, author_id, body, idempotency_key, status, occurred_at, created_at)
       VALUES (:conversationId::uuid, 'outbound', 'recruiter', :authorId::uuid, :body, :idempotencyKey, 'queued',
               :now::timestamptz, :now::timestamptz)
       RETURNING id`,
      { conversationId: input.conversationId, authorId: caller.id, body: input.body, idempotencyKey: input.idempotencyKey, now },
    );
    const messageId = inserted!.id;
    await tx.query(
      `UPDATE conversations
          SET last_message_id = :messageId::uuid, last_activity_at = greatest(last_activity_at, :now::timestamptz), bot_paused = true
        WHERE id = :conversationId::uuid`,
      { messageId, conversationId: input.conversationId, now },
    );
    return { messageId, created: true };
  });
  if (outcome.created) await publishMessageEvents(services, input.conversationId, outcome.messageId);
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
