import { NotFoundError } from '../shared/errors.ts';
import { assertCanSee, type Caller } from './access.ts';
import { aspirantRowsById } from './aspirants.ts';
import { conversationRowById } from './conversations.ts';
import type { Services } from './services.ts';

/**
 * Who may open a subscription. Only the start is checked here: afterwards the subscription filter on each
 * event's scope keeps a recruiter to what they may see, even when an aspirant is reassigned.
 */
export async function authorizeConversationSubscription(services: Services, caller: Caller, conversationId: string): Promise<void> {
  const row = await conversationRowById(services.db, conversationId, null);
  if (row === null) throw new NotFoundError('conversation not found');
  assertCanSee(caller, row.assigneeId, 'conversation');
}

/** Without an aspirant id the subscription covers every aspirant the caller may see (the filter scopes it). */
export async function authorizeAspirantSubscription(services: Services, caller: Caller, aspirantId: string | null): Promise<void> {
  if (aspirantId === null) return;
  const row = (await aspirantRowsById(services.db, [aspirantId])).get(aspirantId);
  if (row === undefined) throw new NotFoundError('aspirant not found');
  assertCanSee(caller, row.assigneeId, 'aspirant');
}
