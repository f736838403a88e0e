import { gql, type TypedDocumentNode } from '@apollo/client';
import type { MeQuery, MeQueryVariables, OpenConversationQuery, OpenConversationQueryVariables } from '../generated/operations.ts';

export const ME: TypedDocumentNode<MeQuery, MeQueryVariables> = gql`
  query Me {
    me {
      id
      name
      email
      role
    }
  }
`;

/** Which aspirant the open conversation belongs to, for the panel beside it. */
export const OPEN_CONVERSATION: TypedDocumentNode<OpenConversationQuery, OpenConversationQueryVariables> = gql`
  query OpenConversation($id: ID!) {
    conversation(id: $id) {
      id
      aspirant {
        id
      }
    }
  }
`;
