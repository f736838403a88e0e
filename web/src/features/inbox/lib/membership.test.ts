import { describe, expect, it } from 'vitest';
import type { InboxConversationFragment } from '../../../generated/operations.ts';
import { belongsInInbox, unreadAfterEvent } from './membership.ts';

const NOW = Date.parse('2025-03-10T12:00:00Z');
const HOUR = 3_600_000;
const me = { id: 'me', isAdmin: false };

function conversation(change: { assignee?: string | null; status?: InboxConversationFragment['aspirant']['status']; windowLeftHours?: number | null; optedOut?: boolean } = {}): InboxConversationFragment {
  const windowLeftHours = change.windowLeftHours === undefined ? 10 : change.windowLeftHours;
  return {
    __typename: 'Conversation',
    id: 'c1',
    lastActivityAt: new Date(NOW).toISOString(),
    inboundCount: 3,
    unreadCount: 1,
    windowExpiresAt: windowLeftHours === null ? null : new Date(NOW + windowLeftHours * HOUR).toISOString(),
    windowState: 'OPEN',
    botState: 'WELCOMED',
    botPaused: false,
    needsRecruiter: false,
    lastMessage: null,
    aspirant: {
      __typename: 'Aspirant',
      id: 'a1',
      displayName: 'Valentina Rodríguez',
      fullName: 'Valentina Rodríguez',
      whatsappName: 'Vale',
      phone: '+525531001013',
      status: change.status ?? 'NEW',
      optedOut: change.optedOut ?? false,
      isMinor: false,
      assignee: change.assignee === undefined || change.assignee === null ? null : { __typename: 'Recruiter', id: change.assignee, name: change.assignee },
    },
  };
}

describe('which inbox lists a changed conversation belongs in', () => {
  it('follows what the viewer may see: a recruiter loses a conversation assigned to someone else, an admin does not', () => {
    expect(belongsInInbox(conversation({ assignee: 'someone-else' }), null, me, NOW)).toBe(false);
    expect(belongsInInbox(conversation({ assignee: 'someone-else' }), null, { id: 'boss', isAdmin: true }, NOW)).toBe(true);
    expect(belongsInInbox(conversation({ assignee: null }), { assignee: 'ALL' }, me, NOW)).toBe(true);
  });

  it('applies the assignee, status, window and opt-out filters as the server does', () => {
    expect(belongsInInbox(conversation({ assignee: 'me' }), { assignee: 'MINE' }, me, NOW)).toBe(true);
    expect(belongsInInbox(conversation({ assignee: null }), { assignee: 'MINE' }, me, NOW)).toBe(false);
    expect(belongsInInbox(conversation({ assignee: 'me' }), { assignee: 'UNASSIGNED' }, me, NOW)).toBe(false);
    expect(belongsInInbox(conversation({ status: 'IN_REVIEW' }), { statuses: ['NEW', 'CONTACTED'] }, me, NOW)).toBe(false);
    expect(belongsInInbox(conversation({ status: 'IN_REVIEW' }), { statuses: [] }, me, NOW)).toBe(true);
    expect(belongsInInbox(conversation({ windowLeftHours: 1 }), { window: 'CLOSING' }, me, NOW)).toBe(true);
    expect(belongsInInbox(conversation({ windowLeftHours: 3 }), { window: 'CLOSING' }, me, NOW)).toBe(false);
    expect(belongsInInbox(conversation({ windowLeftHours: null }), { window: 'CLOSED' }, me, NOW)).toBe(true);
    expect(belongsInInbox(conversation({ optedOut: true }), { optedOut: false }, me, NOW)).toBe(false);
  });

  it('matches a search by name prefix or by the phone number\'s last digits', () => {
    expect(belongsInInbox(conversation(), { search: 'valen' }, me, NOW)).toBe(true);
    expect(belongsInInbox(conversation(), { search: 'rodríguez' }, me, NOW)).toBe(false);
    expect(belongsInInbox(conversation(), { search: '1013' }, me, NOW)).toBe(true);
    expect(belongsInInbox(conversation(), { search: '+52 55 3100' }, me, NOW)).toBe(false);
  });
});

describe('unread counts from live events', () => {
  it('adds the inbound messages since the cached count, since events carry no per-reader count', () => {
    expect(unreadAfterEvent({ inboundCount: 5, unreadCount: 1 }, { inboundCount: 7, unreadCount: null })).toBe(3);
    expect(unreadAfterEvent({ inboundCount: 5, unreadCount: 0 }, { inboundCount: 5, unreadCount: null })).toBe(0);
  });

  it('takes the reader\'s own count when there is one, and knows nothing for a conversation never loaded', () => {
    expect(unreadAfterEvent({ inboundCount: 5, unreadCount: 4 }, { inboundCount: 6, unreadCount: 0 })).toBe(0);
    expect(unreadAfterEvent(null, { inboundCount: 2, unreadCount: null })).toBeNull();
  });
});
