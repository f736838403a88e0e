import { gql, type TypedDocumentNode } from '@apollo/client';
import type {
  MarkConversationReadMutation,
  MarkConversationReadMutationVariables,
  MessageEventsSubscription,
  MessageEventsSubscriptionVariables,
  ThreadConversationQuery,
  ThreadConversationQueryVariables,
  ThreadQuery,
  ThreadQueryVariables,
} from '../../../generated/operations.ts';
import { THREAD_MESSAGE } from '../components/MessageBubble.tsx';

export const THREAD_PAGE_SIZE = 50;

export const THREAD: TypedDocumentNode<ThreadQuery, ThreadQueryVariables> = gql`
  query Thread($conversationId: ID!, $first: Int, $before: String) {
    thread(conversationId: $conversationId, first: $first, before: $before) {
      nodes {
        ...ThreadMessage
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
  ${THREAD_MESSAGE}
`;

export const THREAD_CONVERSATION: TypedDocumentNode<ThreadConversationQuery, ThreadConversationQueryVariables> = gql`
  query ThreadConversation($id: ID!) {
    conversation(id: $id) {
      id
      inboundCount
      unreadCount
      windowExpiresAt
      aspirant {
        id
        displayName
        phone
        status
        optedOut
      }
    }
  }
`;

export const MESSAGE_EVENTS: TypedDocumentNode<MessageEventsSubscription, MessageEventsSubscriptionVariables> = gql`
  subscription MessageEvents($conversationId: ID!) {
    onMessageEvent(conversationId: $conversationId) {
      conversationId
      message {
        ...ThreadMessage
      }
    }
  }
  ${THREAD_MESSAGE}
`;

export const MARK_CONVERSATION_READ: TypedDocumentNode<MarkConversationReadMutation, MarkConversationReadMutationVariables> = gql`
  mutation MarkConversationRead($conversationId: ID!) {
    markConversationRead(conversationId: $conversationId) {
      id
      inboundCount
      unreadCount
    }
  }
`;
