import { create } from 'zustand';

/**
 * The state of the live connection as the console shows it. Every live subscription reports here; the
 * browser's connectivity and visibility decide when all of them move to a fresh socket or catch up.
 */
export type SubscriptionState = 'connecting' | 'live' | 'retrying';

interface ConnectionStore {
  /** Bumped when every subscription must start over on a new socket. */
  readonly generation: number;
  /** Bumped when every live view must fetch what it may have missed. */
  readonly resyncRequests: number;
  readonly online: boolean;
  readonly subscriptions: Readonly<Record<string, SubscriptionState>>;
  report(id: string, state: SubscriptionState | null): void;
  reconnect(): void;
  requestResync(): void;
  setOnline(online: boolean): void;
}

export const useConnectionStore = create<ConnectionStore>()((set) => ({
  generation: 0,
  resyncRequests: 0,
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  subscriptions: {},
  report: (id, state) =>
    set((store) => {
      if (store.subscriptions[id] === state) return store;
      const { [id]: _previous, ...others } = store.subscriptions;
      return { subscriptions: state === null ? others : { ...others, [id]: state } };
    }),
  reconnect: () => set((store) => ({ generation: store.generation + 1 })),
  requestResync: () => set((store) => ({ resyncRequests: store.resyncRequests + 1 })),
  setOnline: (online) => set({ online }),
}));

export type LiveStatus = 'live' | 'connecting' | 'reconnecting' | 'offline';

/** One word for the whole console: any subscription retrying means updates may be missing right now. */
export function useLiveStatus(): LiveStatus {
  return useConnectionStore((store) => {
    if (!store.online) return 'offline';
    const states = Object.values(store.subscriptions);
    if (states.includes('retrying')) return 'reconnecting';
    if (states.includes('connecting')) return 'connecting';
    return 'live';
  });
}

/** A tab hidden at least this long may have slept: its live views catch up when it is shown again. */
const SLEEP_SUSPECTED_MS = 30_000;

/**
 * Follows the browser: going offline retires the socket (it may be half open), coming back online starts a
 * fresh one, whose subscriptions then catch up; a tab shown after a long while catches up too.
 */
export function followBrowserConnectivity(): () => void {
  const store = useConnectionStore.getState();
  let hiddenSince: number | undefined;
  const onOffline = () => {
    store.setOnline(false);
    store.reconnect();
  };
  const onOnline = () => {
    store.setOnline(true);
    store.reconnect();
  };
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') {
      hiddenSince = Date.now();
    } else if (hiddenSince !== undefined) {
      if (Date.now() - hiddenSince >= SLEEP_SUSPECTED_MS) store.requestResync();
      hiddenSince = undefined;
    }
  };
  const onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted) store.requestResync();
  };
  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('pageshow', onPageShow);
  return () => {
    window.removeEventListener('offline', onOffline);
    window.removeEventListener('online', onOnline);
    document.removeEventListener('visibilitychange', onVisibility);
    window.removeEventListener('pageshow', onPageShow);
  };
}
