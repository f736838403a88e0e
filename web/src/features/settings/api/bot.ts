import { gql, type TypedDocumentNode } from '@apollo/client';
import type {
  AddKnowledgeDocumentMutation,
  AddKnowledgeDocumentMutationVariables,
  BotTextsQuery,
  BotTextsQueryVariables,
  DeleteKnowledgeDocumentMutation,
  DeleteKnowledgeDocumentMutationVariables,
  KnowledgeDocumentsQuery,
  KnowledgeDocumentsQueryVariables,
  UpdateBotTextMutation,
  UpdateBotTextMutationVariables,
} from '../../../generated/operations.ts';

const BOT_TEXT_FIELDS = gql`
  fragment BotTextFields on BotText {
    key
    language
    body
    approved
    templateName
    variables
    updatedAt
  }
`;

export const BOT_TEXTS: TypedDocumentNode<BotTextsQuery, BotTextsQueryVariables> = gql`
  query BotTexts($language: Language) {
    botTexts(language: $language) {
      ...BotTextFields
    }
  }
  ${BOT_TEXT_FIELDS}
`;

export const UPDATE_BOT_TEXT: TypedDocumentNode<UpdateBotTextMutation, UpdateBotTextMutationVariables> = gql`
  mutation UpdateBotText($input: UpdateBotTextInput!) {
    updateBotText(input: $input) {
      ...BotTextFields
    }
  }
  ${BOT_TEXT_FIELDS}
`;

export const KNOWLEDGE_DOCUMENTS: TypedDocumentNode<KnowledgeDocumentsQuery, KnowledgeDocumentsQueryVariables> = gql`
  query KnowledgeDocuments {
    knowledgeDocuments {
      id
      title
      fileName
      language
      sizeBytes
      passageCount
      uploadedBy {
        id
        name
      }
      createdAt
    }
  }
`;

export const ADD_KNOWLEDGE_DOCUMENT: TypedDocumentNode<AddKnowledgeDocumentMutation, AddKnowledgeDocumentMutationVariables> = gql`
  mutation AddKnowledgeDocument($input: AddKnowledgeDocumentInput!) {
    addKnowledgeDocument(input: $input) {
      id
    }
  }
`;

export const DELETE_KNOWLEDGE_DOCUMENT: TypedDocumentNode<DeleteKnowledgeDocumentMutation, DeleteKnowledgeDocumentMutationVariables> = gql`
  mutation DeleteKnowledgeDocument($id: ID!) {
    deleteKnowledgeDocument(id: $id)
  }
`;
