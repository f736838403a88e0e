import type { Message } from '../generated/graphql.ts';
import { scopeOf } from '../live/publisher.ts';
import { aspirantRowsById, loadAspirants } from './aspirants.ts';
import { conversationRowById, conversationRowsOfAspirant, loadConversations, type ConversationRow } from './conversations.ts';
import { loadMessages, messageRowsById } from './messages.ts';
import { everythingOfAspirant, everythingOfConversation, everythingOfMessage, type Services } from './services.ts';

/**
 * Live events, published after the change committed. Each carries everything the publish documents select,
 * read back from the database, with unreadCount null (it is per reader).
 */

/** A message was added or changed: the message event, then the conversation event (last message, activity). */
export async function publishMessageEvents(services: Services, conversationId: string, messageId: string): Promise<void> {
  const published = await publishMessageEvent(services, conversationId, messageId);
  if (published !== null) await publishConversationEvent(services, published);
}

async function publishConversationEvent(services: Services, { row, message }: PublishedMessage): Promise<void> {
  const [conversation] = await loadConversations(services.db, services, [row], everythingOfConversation, null, { messages: [message] });
  if (conversation !== undefined) await services.publisher.publish({ kind: 'conversation', conversationId: row.id, scope: scopeOf(row.assigneeId), conversation });
}

/**
 * An existing message changed (a delivery status, its media): the message event, and the conversation event
 * only when it is the conversation's last message, the one part of a conversation such a change can alter.
 */
export async function publishMessageUpdate(services: Services, conversationId: string, messageId: string): Promise<void> {
  const published = await publishMessageEvent(services, conversationId, messageId);
  if (published === null || published.row.lastMessageId !== messageId) return;
  await publishConversationEvent(services, published);
}

/** A message event as published, with its conversation's row. */
export interface PublishedMessage {
  readonly row: ConversationRow;
  readonly message: Message;
}

/**
 * The message event alone, for changes whose conversation event goes out anyway (publishAspirantEvents sends
 * one per conversation: pass it the message). Null when the message or conversation is gone.
 */
export async function publishMessageEvent(services: Services, conversationId: string, messageId: string): Promise<PublishedMessage | null> {
  const [row, messageRows] = await Promise.all([conversationRowById(services.db, conversationId, null), messageRowsById(services.db, [messageId])]);
  const messageRow = messageRows.get(messageId);
  if (row === null || messageRow === undefined) return null;
  const [message] = await loadMessages(services.db, services, [messageRow], everythingOfMessage);
  if (message === undefined) return null;
  await services.publisher.publish({ kind: 'message', conversationId, scope: scopeOf(row.assigneeId), message });
  return { row, message };
}

/**
 * An aspirant changed: the aspirant event and an event for each of their conversations (which embed the
 * aspirant). When the assignee changed, the previous scope gets the events too, so that recruiter's console
 * learns the aspirant left it. `publishedMessages`: messages whose events just went out, reused as their
 * conversations' last message rather than read again.
 */
export async function publishAspirantEvents(
  services: Services,
  aspirantId: string,
  previousAssigneeId: string | null | undefined = undefined,
  publishedMessages: readonly Message[] = [],
): Promise<void> {
  const [aspirantRows, conversationRows] = await Promise.all([aspirantRowsById(services.db, [aspirantId]), conversationRowsOfAspirant(services.db, aspirantId)]);
  const row = aspirantRows.get(aspirantId);
  if (row === undefined) return;
  const [aspirant] = await loadAspirants(services.db, services, [row], everythingOfAspirant);
  const conversations = await loadConversations(services.db, services, conversationRows, everythingOfConversation, null, {
    aspirants: aspirant === undefined ? [] : [aspirant],
    messages: publishedMessages,
  });
  const scopes = new Set([scopeOf(row.assigneeId)]);
  if (previousAssigneeId !== undefined) scopes.add(scopeOf(previousAssigneeId));
  for (const scope of scopes) {
    if (aspirant !== undefined) await services.publisher.publish({ kind: 'aspirant', aspirantId, scope, aspirant });
    for (const conversation of conversations) {
      await services.publisher.publish({ kind: 'conversation', conversationId: conversation.id, scope, conversation });
    }
  }
}
