import type { InboxFilter } from '../../../generated/graphql.ts';
import type { InboxConversationFragment } from '../../../generated/operations.ts';
import { windowCountdown } from '../../../lib/time.ts';

export interface Viewer {
  readonly id: string;
  readonly isAdmin: boolean;
}

const PHONE_LIKE = /^\+?[\d\s().-]+$/;

/** The server's search rule: phone digits match the number's end, anything else the start of the name. */
export function matchesSearch(aspirant: InboxConversationFragment['aspirant'], search: string): boolean {
  const term = search.trim();
  if (term === '') return true;
  if (PHONE_LIKE.test(term) && /\d/.test(term)) return aspirant.phone.replace(/\D/g, '').endsWith(term.replace(/\D/g, ''));
  return (aspirant.fullName ?? aspirant.whatsappName ?? '').toLowerCase().startsWith(term.toLowerCase());
}

/**
 * Whether a conversation belongs in an inbox list, by the rules the server applies to the query: what the
 * viewer may see (admins all; recruiters their own and unassigned), then each filter.
 */
export function belongsInInbox(conversation: InboxConversationFragment, filter: InboxFilter | null, viewer: Viewer, now: number): boolean {
  const assigneeId = conversation.aspirant.assignee?.id ?? null;
  if (!viewer.isAdmin && assigneeId !== null && assigneeId !== viewer.id) return false;
  if (filter === null) return true;
  if (filter.assignee === 'MINE' && assigneeId !== viewer.id) return false;
  if (filter.assignee === 'UNASSIGNED' && assigneeId !== null) return false;
  if (filter.statuses && filter.statuses.length > 0 && !filter.statuses.includes(conversation.aspirant.status)) return false;
  if (filter.window && windowCountdown(conversation.windowExpiresAt, now).phase !== filter.window) return false;
  if (filter.optedOut !== null && filter.optedOut !== undefined && conversation.aspirant.optedOut !== filter.optedOut) return false;
  return matchesSearch(conversation.aspirant, filter.search ?? '');
}

/**
 * A live event's unread count for this reader. Events carry null (unread is per reader), so it is derived
 * from the cached count plus the inbound messages since; null when the conversation was never loaded.
 */
export function unreadAfterEvent(
  cached: Pick<InboxConversationFragment, 'inboundCount' | 'unreadCount'> | null,
  incoming: Pick<InboxConversationFragment, 'inboundCount' | 'unreadCount'>,
): number | null {
  if (incoming.unreadCount !== null) return incoming.unreadCount;
  if (cached === null || cached.unreadCount === null) return null;
  return cached.unreadCount + Math.max(0, incoming.inboundCount - cached.inboundCount);
}
