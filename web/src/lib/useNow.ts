import { useSyncExternalStore } from 'react';

/**
 * The current time, shared by every countdown on screen: one timer, and a component re-renders only when
 * the time rounded to its granularity changes.
 */
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(() => listeners.forEach((notify) => notify()), 1000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

export function useNow(granularityMs = 60_000): number {
  return useSyncExternalStore(subscribe, () => Math.floor(Date.now() / granularityMs) * granularityMs);
}
