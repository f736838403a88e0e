import { gql, type TypedDocumentNode } from '@apollo/client';
import { useMutation } from '@apollo/client/react';
import { useCallback } from 'react';
import type {
  BotStatusQuery,
  BotStatusQueryVariables,
  HandBackConversationMutation,
  HandBackConversationMutationVariables,
  TakeOverConversationMutation,
  TakeOverConversationMutationVariables,
} from '../../../generated/operations.ts';

export const BOT_STATUS: TypedDocumentNode<BotStatusQuery, BotStatusQueryVariables> = gql`
  query BotStatus($id: ID!) {
    conversation(id: $id) {
      id
      botState
      botPaused
      needsRecruiter
    }
  }
`;

const TAKE_OVER: TypedDocumentNode<TakeOverConversationMutation, TakeOverConversationMutationVariables> = gql`
  mutation TakeOverConversation($conversationId: ID!) {
    takeOverConversation(conversationId: $conversationId) {
      id
      botState
      botPaused
      needsRecruiter
    }
  }
`;

const HAND_BACK: TypedDocumentNode<HandBackConversationMutation, HandBackConversationMutationVariables> = gql`
  mutation HandBackConversation($conversationId: ID!) {
    handBackConversation(conversationId: $conversationId) {
      id
      botState
      botPaused
      needsRecruiter
    }
  }
`;

/** Pauses the bot: the recruiter talks from now on. */
export function useTakeOver(): (conversationId: string) => Promise<void> {
  const [mutate] = useMutation(TAKE_OVER);
  return useCallback(async (conversationId) => void (await mutate({ variables: { conversationId } })), [mutate]);
}

/** Asks the bot to resume; the conversation's next live event shows it running again. */
export function useHandBack(): (conversationId: string) => Promise<void> {
  const [mutate] = useMutation(HAND_BACK);
  return useCallback(async (conversationId) => void (await mutate({ variables: { conversationId } })), [mutate]);
}
