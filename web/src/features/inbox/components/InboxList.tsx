import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { InboxConversationFragment } from '../../../generated/operations.ts';
import { ConversationRow } from './ConversationRow.tsx';

const ROW_HEIGHT = 84;
/** Start loading the next page this many rows before the end. */
const PREFETCH_ROWS = 15;

/**
 * The inbox as a virtual listbox: only the rows on screen exist in the DOM, so ten thousand conversations
 * scroll like fifty. Arrow keys, Page Up/Down, Home and End move through it, Enter opens.
 */
export function InboxList({
  conversations,
  hasMore,
  loadingMore,
  onLoadMore,
  selectedId,
  onOpen,
  showAssignee,
}: {
  readonly conversations: readonly InboxConversationFragment[];
  readonly hasMore: boolean;
  readonly loadingMore: boolean;
  readonly onLoadMore: () => void;
  readonly selectedId: string | null;
  readonly onOpen: (conversationId: string) => void;
  readonly showAssignee: boolean;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [activeId, setActiveId] = useState<string | null>(selectedId);
  const virtualizer = useVirtualizer({
    count: conversations.length + (hasMore ? 1 : 0),
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    getItemKey: (index) => conversations[index]?.id ?? 'more',
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= conversations.length - PREFETCH_ROWS) onLoadMore();
  }, [hasMore, loadingMore, lastIndex, conversations.length, onLoadMore]);

  useEffect(() => {
    if (selectedId !== null) setActiveId(selectedId);
  }, [selectedId]);

  const activeIndex = conversations.findIndex((conversation) => conversation.id === activeId);

  const moveTo = (index: number) => {
    const target = conversations[Math.max(0, Math.min(conversations.length - 1, index))];
    if (!target) return;
    setActiveId(target.id);
    virtualizer.scrollToIndex(conversations.indexOf(target), { align: 'auto' });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const pageRows = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1);
    const from = activeIndex < 0 ? -1 : activeIndex;
    const moves: Record<string, () => void> = {
      ArrowDown: () => moveTo(from + 1),
      ArrowUp: () => moveTo(Math.max(0, from - 1)),
      PageDown: () => moveTo(from + pageRows),
      PageUp: () => moveTo(from - pageRows),
      Home: () => moveTo(0),
      End: () => moveTo(conversations.length - 1),
      Enter: () => activeId !== null && onOpen(activeId),
      ' ': () => activeId !== null && onOpen(activeId),
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      move();
    }
  };

  return (
    <div
      ref={scroller}
      className="inbox-list"
      role="listbox"
      aria-label="Conversations"
      tabIndex={0}
      aria-activedescendant={activeIndex >= 0 ? `conversation-${activeId}` : undefined}
      onKeyDown={onKeyDown}
      onFocus={() => {
        if (activeIndex < 0 && conversations[0]) setActiveId(conversations[0].id);
      }}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const conversation = conversations[item.index];
          const style = { position: 'absolute', top: 0, left: 0, right: 0, height: item.size, transform: `translateY(${item.start}px)` } as const;
          if (!conversation) {
            return (
              <div key={item.key} style={style} className="inbox-list__more" role="presentation">
                Loading more…
              </div>
            );
          }
          return (
            <div
              key={item.key}
              id={`conversation-${conversation.id}`}
              role="option"
              aria-selected={conversation.id === selectedId}
              aria-posinset={item.index + 1}
              aria-setsize={hasMore ? -1 : conversations.length}
              className={`inbox-list__option${conversation.id === activeId ? ' is-active' : ''}`}
              style={style}
              onClick={() => {
                setActiveId(conversation.id);
                onOpen(conversation.id);
              }}
            >
              <ConversationRow conversation={conversation} selected={conversation.id === selectedId} showAssignee={showAssignee} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
