import { NetworkStatus } from '@apollo/client';
import { useQuery } from '@apollo/client/react';
import { useCallback } from 'react';
import { ErrorNotice } from '../../../components/ErrorNotice.tsx';
import type { InboxConversationFragment } from '../../../generated/operations.ts';
import { useDebounced } from '../../../lib/useDebounced.ts';
import { INBOX, INBOX_MORE_PAGE_SIZE, INBOX_PAGE_SIZE } from '../api/inbox.ts';
import { useInboxLive } from '../hooks/useInboxLive.ts';
import type { Viewer } from '../lib/membership.ts';
import { isFiltered, toInboxFilter, useInboxView } from '../stores/inboxView.ts';
import { InboxFilters } from './InboxFilters.tsx';
import { InboxList } from './InboxList.tsx';

export interface InboxProps {
  readonly viewer: Viewer;
  readonly selectedId: string | null;
  readonly onOpen: (conversationId: string) => void;
  readonly onInboundMessage?: (conversation: InboxConversationFragment) => void;
}

/** The recruiter's conversations: filtered, sorted, paged on scroll and kept live. */
export function Inbox({ viewer, selectedId, onOpen, onInboundMessage }: InboxProps) {
  const view = useInboxView();
  const search = useDebounced(view.search, 250);
  const { data, previousData, error, networkStatus, fetchMore, refetch } = useQuery(INBOX, {
    variables: { filter: toInboxFilter(view, search), sort: view.sort, first: INBOX_PAGE_SIZE },
    fetchPolicy: 'cache-and-network',
    nextFetchPolicy: 'cache-first',
    notifyOnNetworkStatusChange: true,
  });
  const inbox = (data ?? previousData)?.inbox;
  const endCursor = inbox?.pageInfo.endCursor ?? null;
  const loadMore = useCallback(() => {
    if (endCursor !== null) void fetchMore({ variables: { after: endCursor, first: INBOX_MORE_PAGE_SIZE } }).catch(() => undefined);
  }, [endCursor, fetchMore]);
  const resync = useCallback(() => void refetch().catch(() => undefined), [refetch]);
  useInboxLive({ viewer, onResync: resync, onInboundMessage });

  const conversations = inbox?.nodes ?? [];
  return (
    <section className="inbox" aria-label="Inbox">
      <InboxFilters />
      {error && !inbox && <ErrorNotice error={error} action={{ label: 'Retry', run: resync }} />}
      {!inbox && !error && <p className="inbox__empty">Loading conversations…</p>}
      {inbox && conversations.length === 0 && (
        <p className="inbox__empty">{isFiltered(view) || view.assignee !== 'ALL' ? 'No conversations match these filters.' : 'No conversations yet.'}</p>
      )}
      {conversations.length > 0 && (
        <InboxList
          conversations={conversations}
          hasMore={inbox?.pageInfo.hasNextPage ?? false}
          loadingMore={networkStatus === NetworkStatus.fetchMore}
          onLoadMore={loadMore}
          selectedId={selectedId}
          onOpen={onOpen}
          showAssignee={viewer.isAdmin || view.assignee !== 'MINE'}
        />
      )}
    </section>
  );
}
