import { gql, type TypedDocumentNode } from '@apollo/client';
import { useApolloClient } from '@apollo/client/react';
import { useRef } from 'react';
import type { AspirantErasedSubscription, AspirantErasedSubscriptionVariables } from '../generated/operations.ts';
import { forgetAspirant } from '../lib/apollo/forget.ts';
import { useLiveSubscription } from '../lib/live/useLiveSubscription.ts';
import { navigate } from '../lib/router.ts';

const ASPIRANT_ERASED: TypedDocumentNode<AspirantErasedSubscription, AspirantErasedSubscriptionVariables> = gql`
  subscription AspirantErased {
    onAspirantErased {
      aspirantId
      conversationId
    }
  }
`;

// Nothing to fetch after a reconnect: the inbox's and the open conversation's own re-syncs no longer find them.
const noCatchUp = () => undefined;

/**
 * Aspirants an admin erased (here or in another console) leave this console at once: out of the cache (inbox
 * lists, thread, panel) and, when theirs is the open conversation, off the screen.
 */
export function useAspirantErasures(open: { readonly conversationId: string | null; readonly aspirantId: string | null }): void {
  const client = useApolloClient();
  const current = useRef(open);
  current.current = open;
  useLiveSubscription(ASPIRANT_ERASED, {
    variables: {},
    onResync: noCatchUp,
    onData: (data) => {
      const erased = data.onAspirantErased;
      if (!erased) return;
      const { conversationId, aspirantId } = current.current;
      if (aspirantId === erased.aspirantId || (conversationId !== null && conversationId === erased.conversationId)) navigate('/');
      forgetAspirant(client.cache, erased.aspirantId, [erased.conversationId ?? null]);
    },
  });
}
