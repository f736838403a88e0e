import { useApolloClient } from '@apollo/client/react';
import { useCallback } from 'react';
import { addToThread } from '../../../lib/apollo/pages.ts';
import { useLiveSubscription } from '../../../lib/live/useLiveSubscription.ts';
import { MESSAGE_EVENTS } from '../api/thread.ts';
import { THREAD_MESSAGE } from '../components/MessageBubble.tsx';
import { catchUpThread } from '../lib/catchUp.ts';

/**
 * New messages and status changes of one conversation, live; after any gap it catches up. `reload` is the
 * view's refetch, for a thread whose first load never arrived.
 */
export function useThreadLive(conversationId: string, reload: () => Promise<unknown>): void {
  const client = useApolloClient();
  const onResync = useCallback(() => void catchUpThread(client, conversationId, reload).catch(() => undefined), [client, conversationId, reload]);
  useLiveSubscription(MESSAGE_EVENTS, {
    variables: { conversationId },
    onResync,
    onData: (data) => {
      const message = data.onMessageEvent?.message;
      if (!message || message.conversationId !== conversationId) return;
      const ref = client.cache.writeFragment({ fragment: THREAD_MESSAGE, data: message });
      if (ref) addToThread(client.cache, conversationId, ref);
    },
  });
}
