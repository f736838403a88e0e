import { useApolloClient } from '@apollo/client/react';
import type { InboxConversationFragment } from '../../../generated/operations.ts';
import { useLiveSubscription } from '../../../lib/live/useLiveSubscription.ts';
import { INBOX_CONVERSATION_BY_ID, INBOX_EVENTS } from '../api/inbox.ts';
import { INBOX_CONVERSATION } from '../components/ConversationRow.tsx';
import { type Viewer } from '../lib/membership.ts';
import { unreadAfterEvent } from '../lib/membership.ts';
import { placeInInboxes } from '../lib/placement.ts';

export interface InboxLiveOptions {
  readonly viewer: Viewer;
  /** Catch up after the subscription (re)started: refetch the inbox on screen. */
  readonly onResync: () => void;
  /** A new message from an aspirant in a conversation assigned to the viewer. */
  readonly onInboundMessage?: (conversation: InboxConversationFragment) => void;
}

/** Keeps every inbox list in the cache current with onInboxEvent. */
export function useInboxLive({ viewer, onResync, onInboundMessage }: InboxLiveOptions): void {
  const client = useApolloClient();
  useLiveSubscription(INBOX_EVENTS, {
    variables: {},
    onResync,
    onData: (data) => {
      const incoming = data.onInboxEvent?.conversation;
      if (!incoming) return;
      const { cache } = client;
      const id = cache.identify(incoming);
      const cached = id === undefined ? null : cache.readFragment({ fragment: INBOX_CONVERSATION, id });
      const unreadCount = unreadAfterEvent(cached, incoming);
      const mayView = viewer.isAdmin || incoming.aspirant.assignee === null || incoming.aspirant.assignee.id === viewer.id;
      const conversation = { ...incoming, unreadCount };
      const ref = cache.writeFragment({ fragment: INBOX_CONVERSATION, data: conversation });
      if (ref) placeInInboxes(cache, ref, conversation, viewer, Date.now());
      if (unreadCount === null && mayView) {
        // Never loaded here: shown at once, and its badge follows with this reader's own unread count.
        void client.query({ query: INBOX_CONVERSATION_BY_ID, variables: { id: incoming.id }, fetchPolicy: 'network-only' }).catch(() => undefined);
        return;
      }
      // Keyed on the count, not the last message: the bot may have answered before this event was read back.
      const newInbound = cached !== null && incoming.inboundCount > cached.inboundCount;
      if (newInbound && incoming.aspirant.assignee?.id === viewer.id) onInboundMessage?.(conversation);
    },
  });
}
