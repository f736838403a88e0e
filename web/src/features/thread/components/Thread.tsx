import { useQuery } from '@apollo/client/react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { ErrorNotice } from '../../../components/ErrorNotice.tsx';
import { useNow } from '../../../lib/useNow.ts';
import { THREAD, THREAD_CONVERSATION, THREAD_PAGE_SIZE } from '../api/thread.ts';
import { useMarkRead } from '../hooks/useMarkRead.ts';
import { useThreadLive } from '../hooks/useThreadLive.ts';
import { useThreadScroll } from '../hooks/useThreadScroll.ts';
import { threadItems } from '../lib/threadItems.ts';
import { MessageBubble } from './MessageBubble.tsx';
import { ThreadHeader } from './ThreadHeader.tsx';

/**
 * One conversation's messages, oldest at the top, virtualized so long histories stay smooth. Scrolling near
 * the top loads older pages without moving what is on screen; new messages keep a reader who is at the
 * bottom at the bottom.
 */
export function Thread({
  conversationId,
  banner,
  onShowDetails,
}: {
  readonly conversationId: string;
  /** Shown between the header and the messages (the bot's state). */
  readonly banner?: ReactNode;
  readonly onShowDetails?: () => void;
}) {
  const header = useQuery(THREAD_CONVERSATION, { variables: { id: conversationId } });
  const { data, error, fetchMore, refetch, loading } = useQuery(THREAD, {
    variables: { conversationId, first: THREAD_PAGE_SIZE },
    fetchPolicy: 'cache-and-network',
    nextFetchPolicy: 'cache-first',
  });
  useThreadLive(conversationId, refetch);
  const conversation = header.data?.conversation ?? null;
  useMarkRead(conversationId, conversation?.unreadCount);
  const aspirantName = conversation?.aspirant.displayName ?? 'Aspirant';
  const conversationName = useRef(aspirantName);
  conversationName.current = aspirantName;

  const now = useNow();
  const messages = data?.thread.nodes;
  const items = useMemo(() => threadItems(messages ?? [], now), [messages, now]);
  const hasOlder = data?.thread.pageInfo.hasNextPage ?? false;
  const olderCursor = data?.thread.pageInfo.endCursor ?? null;

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => (items[index]?.kind === 'day' ? 44 : 76),
    getItemKey: (index) => items[index]?.key ?? index,
    overscan: 8,
  });

  const { onScroll, loadOlder, loadingOlder } = useThreadScroll({
    scroller,
    virtualizer,
    items,
    loadOlderPage: hasOlder && olderCursor !== null ? () => fetchMore({ variables: { before: olderCursor } }) : null,
  });

  // A new message from the aspirant is announced to screen readers.
  const [announcement, setAnnouncement] = useState('');
  const newestKey = useRef<string | undefined>(undefined);
  useEffect(() => {
    const newest = items.at(-1);
    const previous = newestKey.current;
    newestKey.current = newest?.key;
    if (newest?.kind === 'message' && previous !== undefined && newest.key !== previous && newest.message.direction === 'INBOUND') {
      setAnnouncement(`New message from ${conversationName.current}`);
    }
  }, [items]);

  return (
    <section className="thread" aria-label={`Conversation with ${aspirantName}`}>
      {conversation && <ThreadHeader conversation={conversation} onShowDetails={onShowDetails} />}
      {banner}
      {error && !data && <ErrorNotice error={error} action={{ label: 'Retry', run: () => void refetch().catch(() => undefined) }} />}
      {hasOlder && (
        <div className="thread__older">
          <button type="button" className="button button--small" onClick={loadOlder} disabled={loadingOlder}>
            {loadingOlder ? 'Loading older messages…' : 'Load older messages'}
          </button>
        </div>
      )}
      {loading && !data && <p className="thread__status">Loading messages…</p>}
      {data && items.length === 0 && <p className="thread__status">No messages yet.</p>}
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      <div ref={scroller} className="thread__scroller" onScroll={onScroll} tabIndex={0} role="region" aria-label="Messages">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((virtual) => {
            const item = items[virtual.index]!;
            return (
              <div
                key={virtual.key}
                data-index={virtual.index}
                ref={virtualizer.measureElement}
                className="thread__item"
                style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${virtual.start}px)` }}
              >
                {item.kind === 'day' ? (
                  <div className="day-separator" role="separator" aria-label={item.label}>
                    <span>{item.label}</span>
                  </div>
                ) : (
                  <MessageBubble message={item.message} aspirantName={aspirantName} />
                )}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
