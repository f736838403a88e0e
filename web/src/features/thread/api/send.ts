import { type ApolloCache, gql, type TypedDocumentNode } from '@apollo/client';
import { useMutation } from '@apollo/client/react';
import { useCallback } from 'react';
import type {
  RequestPhotosMutation,
  RequestPhotosMutationVariables,
  SendFormLinkMutation,
  SendFormLinkMutationVariables,
  SendMessageMutation,
  SendMessageMutationVariables,
  SendTemplateMutation,
  SendTemplateMutationVariables,
  ThreadMessageFragment,
} from '../../../generated/operations.ts';
import { addToThread } from '../../../lib/apollo/pages.ts';
import { OPTIMISTIC_PREFIX, THREAD_MESSAGE } from '../components/MessageBubble.tsx';

const SEND_MESSAGE: TypedDocumentNode<SendMessageMutation, SendMessageMutationVariables> = gql`
  mutation SendMessage($input: SendMessageInput!) {
    sendMessage(input: $input) {
      ...ThreadMessage
    }
  }
  ${THREAD_MESSAGE}
`;

const SEND_FORM_LINK: TypedDocumentNode<SendFormLinkMutation, SendFormLinkMutationVariables> = gql`
  mutation SendFormLink($conversationId: ID!, $idempotencyKey: String!) {
    sendFormLink(conversationId: $conversationId, idempotencyKey: $idempotencyKey) {
      ...ThreadMessage
    }
  }
  ${THREAD_MESSAGE}
`;

const REQUEST_PHOTOS: TypedDocumentNode<RequestPhotosMutation, RequestPhotosMutationVariables> = gql`
  mutation RequestPhotos($conversationId: ID!, $idempotencyKey: String!) {
    requestPhotos(conversationId: $conversationId, idempotencyKey: $idempotencyKey) {
      ...ThreadMessage
    }
  }
  ${THREAD_MESSAGE}
`;

const SEND_TEMPLATE: TypedDocumentNode<SendTemplateMutation, SendTemplateMutationVariables> = gql`
  mutation SendTemplate($input: SendTemplateInput!) {
    sendTemplate(input: $input) {
      ...ThreadMessage
    }
  }
  ${THREAD_MESSAGE}
`;

/** A sent message joins its thread (the live event may bring it too; the thread keeps one). */
function addSent(cache: ApolloCache, conversationId: string, message: { __typename: 'Message'; id: string } | undefined): void {
  const ref = message && cache.identify(message);
  if (ref) addToThread(cache, conversationId, { __ref: ref });
}

export interface Author {
  readonly id: string;
  readonly name: string;
}

/** What the thread shows until the server answers: the recruiter's message, marked as sending. */
function optimisticMessage(conversationId: string, idempotencyKey: string, body: string, author: Author): ThreadMessageFragment {
  return {
    __typename: 'Message',
    id: `${OPTIMISTIC_PREFIX}${idempotencyKey}`,
    conversationId,
    direction: 'OUTBOUND',
    authorKind: 'RECRUITER',
    author: { __typename: 'Recruiter', ...author },
    body,
    media: [],
    status: 'QUEUED',
    statusHistory: [],
    failureCode: null,
    failureReason: null,
    occurredAt: new Date().toISOString(),
    botTrace: [],
  };
}

/**
 * Sends a recruiter's text. The caller chooses the idempotency key once per intended message and passes
 * the same key again to retry, so the server sends it once; `optimistic` shows it in the thread at once.
 * Rejects with the server's reason.
 */
export function useSendMessage(author: Author): (input: SendMessageMutationVariables['input'], optimistic: boolean) => Promise<void> {
  const [mutate] = useMutation(SEND_MESSAGE);
  return useCallback(
    async (input, optimistic) => {
      await mutate({
        variables: { input },
        optimisticResponse: optimistic ? { sendMessage: optimisticMessage(input.conversationId, input.idempotencyKey, input.body, author) } : undefined,
        update: (cache, { data }) => addSent(cache, input.conversationId, data?.sendMessage),
      });
    },
    [mutate, author],
  );
}

/** Sends an approved template (the only thing allowed once the window has closed). */
export function useSendTemplate(
  author: Author,
): (input: SendTemplateMutationVariables['input'], preview: string, optimistic: boolean) => Promise<void> {
  const [mutate] = useMutation(SEND_TEMPLATE);
  return useCallback(
    async (input, preview, optimistic) => {
      await mutate({
        variables: { input },
        optimisticResponse: optimistic ? { sendTemplate: optimisticMessage(input.conversationId, input.idempotencyKey, preview, author) } : undefined,
        update: (cache, { data }) => addSent(cache, input.conversationId, data?.sendTemplate),
      });
    },
    [mutate, author],
  );
}

export type ComposerAction = 'formLink' | 'photoRequest';

/**
 * The composer's ready-made messages, worded by the server from the bot's texts in the aspirant's language:
 * the personal form link, or a request for the photos still missing. Same idempotency rules as a text.
 */
export function useComposerAction(): (action: ComposerAction, input: { conversationId: string; idempotencyKey: string }) => Promise<void> {
  const [sendFormLink] = useMutation(SEND_FORM_LINK);
  const [requestPhotos] = useMutation(REQUEST_PHOTOS);
  return useCallback(
    async (action, input) => {
      const message =
        action === 'formLink'
          ? (await sendFormLink({ variables: input, update: (cache, { data }) => addSent(cache, input.conversationId, data?.sendFormLink) })).data?.sendFormLink
          : (await requestPhotos({ variables: input, update: (cache, { data }) => addSent(cache, input.conversationId, data?.requestPhotos) })).data?.requestPhotos;
      if (!message) throw new Error('the server sent no message back');
    },
    [sendFormLink, requestPhotos],
  );
}
