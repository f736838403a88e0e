import type { OperationVariables, TypedDocumentNode } from '@apollo/client';
import { useApolloClient } from '@apollo/client/react';
import { useEffect, useId, useRef, useState } from 'react';
import type { RealtimeContext } from '../apollo/realtime.ts';
import { useConnectionStore } from './connection.ts';

export interface LiveSubscriptionOptions<TData, TVariables> {
  readonly variables: TVariables;
  readonly skip?: boolean;
  /** Each event, in order. The caller writes it into the cache. */
  readonly onData: (data: TData) => void;
  /**
   * The subscription is live again (first start, reconnect, or a tab that slept): fetch whatever may have
   * happened while it was not, so nothing is missed between a page load or a drop and the start.
   */
  readonly onResync: () => void;
}

const RETRY_DELAYS_MS = [1000, 2000, 5000, 10_000, 15_000];

/**
 * A subscription that stays live: AppSync's start_ack (a control message) marks it live and triggers a
 * catch-up; a failure marks it retrying and starts it again after a short, growing delay — or at once
 * when the browser comes back online (a new socket generation).
 */
export function useLiveSubscription<TData, TVariables extends OperationVariables>(
  document: TypedDocumentNode<TData, TVariables>,
  options: LiveSubscriptionOptions<TData, TVariables>,
): void {
  const client = useApolloClient();
  const id = useId();
  const generation = useConnectionStore((store) => store.generation);
  const resyncRequests = useConnectionStore((store) => store.resyncRequests);
  const report = useConnectionStore((store) => store.report);
  const [attempt, setAttempt] = useState(0);
  const handlers = useRef(options);
  handlers.current = options;
  const variablesKey = JSON.stringify(options.variables);
  const live = useRef(false);
  const wasLive = useRef(false);
  const failures = useRef(0);
  const startedFor = useRef(variablesKey);

  useEffect(() => {
    if (startedFor.current !== variablesKey) {
      // Another conversation: its first start is not a reconnect.
      startedFor.current = variablesKey;
      wasLive.current = false;
      failures.current = 0;
    }
    if (options.skip) {
      report(id, null);
      return;
    }
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let finished = false;
    live.current = false;
    report(id, wasLive.current || failures.current > 0 ? 'retrying' : 'connecting');
    const fail = () => {
      if (finished) return;
      finished = true;
      live.current = false;
      report(id, 'retrying');
      const delay = RETRY_DELAYS_MS[Math.min(failures.current, RETRY_DELAYS_MS.length - 1)]!;
      failures.current += 1;
      retryTimer = setTimeout(() => setAttempt((value) => value + 1), delay);
    };
    const started = () => {
      if (finished) return;
      live.current = true;
      wasLive.current = true;
      failures.current = 0;
      report(id, 'live');
      handlers.current.onResync();
    };
    const context: RealtimeContext = { onSubscriptionStarted: started };
    const subscription = client
      .subscribe({ query: document, variables: JSON.parse(variablesKey) as TVariables, fetchPolicy: 'no-cache', context })
      .subscribe({
        next: (result) => {
          if (result.error) return fail();
          if (result.data) handlers.current.onData(result.data as TData);
        },
        error: fail,
        complete: fail,
      });
    return () => {
      finished = true;
      clearTimeout(retryTimer);
      subscription.unsubscribe();
    };
  }, [client, document, variablesKey, options.skip, attempt, generation, id, report]);

  // A tab that slept may have missed events on a socket that survived: catch up without reconnecting.
  useEffect(() => {
    if (resyncRequests > 0 && live.current) handlers.current.onResync();
  }, [resyncRequests]);

  useEffect(() => () => report(id, null), [id, report]);
}
