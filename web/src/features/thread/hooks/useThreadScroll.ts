import type { Virtualizer } from '@tanstack/react-virtual';
import { type RefObject, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { OPTIMISTIC_PREFIX } from '../components/MessageBubble.tsx';
import type { ThreadItem } from '../lib/threadItems.ts';

/** Within this many pixels of the bottom counts as "at the bottom": new messages keep a reader there. */
const STICK_TO_BOTTOM_PX = 120;
/** Scrolled this close to the top, the next older page loads. */
const LOAD_OLDER_WITHIN_PX = 200;

export interface ThreadScroll {
  readonly onScroll: () => void;
  readonly loadOlder: () => void;
  readonly loadingOlder: boolean;
}

/**
 * How a thread scrolls, as chat readers expect: it opens at the newest message and stays there as messages
 * arrive — also while message heights settle — until the reader scrolls up; a message the recruiter sends
 * brings the view back down. Near the top, older pages load above without moving what is on screen, one
 * after another while the reader stays at the top.
 */
export function useThreadScroll({
  scroller,
  virtualizer,
  items,
  loadOlderPage,
}: {
  readonly scroller: RefObject<HTMLDivElement | null>;
  readonly virtualizer: Virtualizer<HTMLDivElement, Element>;
  readonly items: readonly ThreadItem[];
  /** Fetches the next older page; null when there is none. */
  readonly loadOlderPage: (() => Promise<unknown>) | null;
}): ThreadScroll {
  const [loadingOlder, setLoadingOlder] = useState(false);
  const follow = useRef(true);
  /** Where our own last scroll put the view: its scroll event is not the reader's doing. */
  const ownScrollTop = useRef<number | null>(null);
  const anchor = useRef<{ key: string; offset: number } | null>(null);
  const oldestShown = useRef<string | undefined>(undefined);
  const newestShown = useRef<string | undefined>(undefined);
  const olderPageArrived = useRef(false);
  const inFlight = useRef(false);
  const totalSize = virtualizer.getTotalSize();

  /** The first message on screen and its distance below the top: what stays put when older ones arrive. */
  const messageAtTop = (scrollTop: number): { key: string; offset: number } | null => {
    const measurements = virtualizer.measurementsCache;
    let low = 0;
    let high = measurements.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (measurements[middle]!.end <= scrollTop) low = middle + 1;
      else high = middle;
    }
    for (let index = low; index < measurements.length; index += 1) {
      const item = items[index];
      if (item?.kind === 'message') return { key: item.key, offset: measurements[index]!.start - scrollTop };
    }
    return null;
  };

  const loadOlder = () => {
    const element = scroller.current;
    if (!element || loadOlderPage === null || inFlight.current) return;
    inFlight.current = true;
    anchor.current = messageAtTop(element.scrollTop);
    setLoadingOlder(true);
    void loadOlderPage()
      .catch(() => undefined)
      .finally(() => {
        inFlight.current = false;
        setLoadingOlder(false);
      });
  };
  const latestLoadOlder = useRef(loadOlder);
  latestLoadOlder.current = loadOlder;

  const scrollTo = (element: HTMLDivElement, top: number) => {
    element.scrollTop = top;
    ownScrollTop.current = element.scrollTop;
  };

  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    const ours = ownScrollTop.current !== null && Math.abs(element.scrollTop - ownScrollTop.current) <= 1;
    ownScrollTop.current = null;
    if (!ours) follow.current = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_TO_BOTTOM_PX;
    if (element.scrollTop < LOAD_OLDER_WITHIN_PX) loadOlder();
  };

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const oldest = items.find((item) => item.kind === 'message')?.key;
    const prepended = oldestShown.current !== undefined && oldest !== oldestShown.current;
    oldestShown.current = oldest;
    const newest = items.at(-1);
    if (newest?.key !== newestShown.current && newest?.kind === 'message' && newest.message.id.startsWith(OPTIMISTIC_PREFIX)) follow.current = true;
    newestShown.current = newest?.key;
    if (prepended && anchor.current) {
      const { key, offset } = anchor.current;
      anchor.current = null;
      olderPageArrived.current = true;
      const start = virtualizer.measurementsCache[items.findIndex((item) => item.key === key)]?.start;
      if (start !== undefined) scrollTo(element, start - offset);
    } else if (follow.current) {
      scrollTo(element, element.scrollHeight);
    }
  }, [items, totalSize, virtualizer]);

  // An older page is on screen and the reader is still at the top: the next one.
  useEffect(() => {
    if (loadingOlder || !olderPageArrived.current) return;
    olderPageArrived.current = false;
    if ((scroller.current?.scrollTop ?? Infinity) < LOAD_OLDER_WITHIN_PX) latestLoadOlder.current();
  }, [loadingOlder, items, scroller]);

  return { onScroll, loadOlder, loadingOlder };
}
