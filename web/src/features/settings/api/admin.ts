import { gql, type TypedDocumentNode } from '@apollo/client';
import type {
  DeadLettersQuery,
  DeadLettersQueryVariables,
  RetryDeadLetterMutation,
  RetryDeadLetterMutationVariables,
  SettingsTemplatesQuery,
  SettingsTemplatesQueryVariables,
} from '../../../generated/operations.ts';

export const SETTINGS_TEMPLATES: TypedDocumentNode<SettingsTemplatesQuery, SettingsTemplatesQueryVariables> = gql`
  query SettingsTemplates {
    messageTemplates {
      id
      name
      language
      body
      variables
    }
  }
`;

export const DEAD_LETTERS: TypedDocumentNode<DeadLettersQuery, DeadLettersQueryVariables> = gql`
  query DeadLetters($after: String) {
    deadLetters(first: 50, after: $after) {
      nodes {
        id
        type
        payload
        attempts
        lastError
        failedAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const RETRY_DEAD_LETTER: TypedDocumentNode<RetryDeadLetterMutation, RetryDeadLetterMutationVariables> = gql`
  mutation RetryDeadLetter($id: ID!) {
    retryDeadLetter(id: $id) {
      id
    }
  }
`;
