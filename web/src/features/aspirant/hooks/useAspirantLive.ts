import { useApolloClient } from '@apollo/client/react';
import { useCallback } from 'react';
import { useLiveSubscription } from '../../../lib/live/useLiveSubscription.ts';
import { ASPIRANT_DETAILS, ASPIRANT_EVENTS, ASPIRANT_PANEL } from '../api/aspirant.ts';

/** The open aspirant, live: a submitted form, a status change or a new assignee shows at once. */
export function useAspirantLive(aspirantId: string): void {
  const client = useApolloClient();
  const onResync = useCallback(
    () => void client.query({ query: ASPIRANT_PANEL, variables: { id: aspirantId }, fetchPolicy: 'network-only' }).catch(() => undefined),
    [client, aspirantId],
  );
  useLiveSubscription(ASPIRANT_EVENTS, {
    variables: { aspirantId },
    onResync,
    onData: (data) => {
      const aspirant = data.onAspirantEvent?.aspirant;
      if (aspirant?.id === aspirantId) client.cache.writeFragment({ fragment: ASPIRANT_DETAILS, data: aspirant });
    },
  });
}
