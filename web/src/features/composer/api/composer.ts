import { gql, type TypedDocumentNode } from '@apollo/client';
import type {
  ComposerConversationQuery,
  ComposerConversationQueryVariables,
  MessageTemplatesQuery,
  MessageTemplatesQueryVariables,
} from '../../../generated/operations.ts';

/** What decides whether and what the recruiter may send. */
export const COMPOSER_CONVERSATION: TypedDocumentNode<ComposerConversationQuery, ComposerConversationQueryVariables> = gql`
  query ComposerConversation($id: ID!) {
    conversation(id: $id) {
      id
      windowExpiresAt
      aspirant {
        id
        displayName
        fullName
        whatsappName
        optedOut
        language
      }
    }
  }
`;

export const MESSAGE_TEMPLATES: TypedDocumentNode<MessageTemplatesQuery, MessageTemplatesQueryVariables> = gql`
  query MessageTemplates($language: Language) {
    messageTemplates(language: $language) {
      id
      name
      language
      body
      variables
    }
  }
`;
