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
  const row = await publishMessageEvent(services, conversationId, messageId);
  if (row === null) return;
  const [conversation] = await loadConversations(services.db, services, [row], everythingOfConversation, null);
  if (conversation !== undefined) await services.publisher.publish({ kind: 'conversation', conversationId, scope: scopeOf(row.assigneeId), conversation });
}

/**
 * The message event alone, for changes whose conversation event goes out anyway (publishAspirantEvents sends
 * one per conversation). Returns the conversation's row, or null when the message or conversation is gone.
 */
export async function publishMessageEvent(services: Services, conversationId: string, messageId: string): Promise<ConversationRow | null> {
  const row = await conversationRowById(services.db, conversationId, null);
  const messageRow = (await messageRowsById(services.db, [messageId])).get(messageId);
  if (row === null || messageRow === undefined) return null;
  const [message] = await loadMessages(services.db, services, [messageRow], everythingOfMessage);
  if (message !== undefined) await services.publisher.publish({ kind: 'message', conversationId, scope: scopeOf(row.assigneeId), message });
  return row;
}

/**
 * An aspirant changed: the aspirant event and an event for each of their conversations (which embed the
 * aspirant). When the assignee changed, the previous scope gets the events too, so that recruiter's console
 * learns the aspirant left it.
 */
export async function publishAspirantEvents(
  services: Services,
  aspirantId: string,
  previousAssigneeId: string | null | undefined = undefined,
): Promise<void> {
  const row = (await aspirantRowsById(services.db, [aspirantId])).get(aspirantId);
  if (row === undefined) return;
  const [aspirant] = await loadAspirants(services.db, services, [row], everythingOfAspirant);
  const conversations = await loadConversations(
    services.db,
    services,
    await conversationRowsOfAspirant(services.db, aspirantId),
    everythingOfConversation,
    null,
  );
  const scopes = new Set([scopeOf(row.assigneeId)]);
  if (previousAssigneeId !== undefined) scopes.add(scopeOf(previousAssigneeId));
  for (const scope of scopes) {
    if (aspirant !== undefined) await services.publisher.publish({ kind: 'aspirant', aspirantId, scope, aspirant });
    for (const conversation of conversations) {
      await services.publisher.publish({ kind: 'conversation', conversationId: conversation.id, scope, conversation });
    }
  }
}
