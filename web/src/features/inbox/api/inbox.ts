import { gql, type TypedDocumentNode } from '@apollo/client';
import type {
  InboxConversationQuery,
  InboxConversationQueryVariables,
  InboxEventsSubscription,
  InboxEventsSubscriptionVariables,
  InboxQuery,
  InboxQueryVariables,
} from '../../../generated/operations.ts';
import { INBOX_CONVERSATION } from '../components/ConversationRow.tsx';

/** The first page fills a screen quickly; scrolling further loads the largest pages the API serves. */
export const INBOX_PAGE_SIZE = 50;
export const INBOX_MORE_PAGE_SIZE = 100;

export const INBOX: TypedDocumentNode<InboxQuery, InboxQueryVariables> = gql`
  query Inbox($filter: InboxFilter, $sort: InboxSort, $first: Int, $after: String) {
    inbox(filter: $filter, sort: $sort, first: $first, after: $after) {
      nodes {
        ...InboxConversation
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
  ${INBOX_CONVERSATION}
`;

/** One conversation with the reader's own unread count, for a live event about one not seen before. */
export const INBOX_CONVERSATION_BY_ID: TypedDocumentNode<InboxConversationQuery, InboxConversationQueryVariables> = gql`
  query InboxConversation($id: ID!) {
    conversation(id: $id) {
      ...InboxConversation
    }
  }
  ${INBOX_CONVERSATION}
`;

export const INBOX_EVENTS: TypedDocumentNode<InboxEventsSubscription, InboxEventsSubscriptionVariables> = gql`
  subscription InboxEvents {
    onInboxEvent {
      conversationId
      conversation {
        ...InboxConversation
      }
    }
  }
  ${INBOX_CONVERSATION}
`;
