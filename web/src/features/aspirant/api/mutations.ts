import { gql, type TypedDocumentNode } from '@apollo/client';
import { useMutation } from '@apollo/client/react';
import { useCallback } from 'react';
import type { PipelineStatus } from '../../../generated/graphql.ts';
import type {
  RecordGuardianConsentMutation,
  RecordGuardianConsentMutationVariables,
  AddAspirantNoteMutation,
  AddAspirantNoteMutationVariables,
  AssignAspirantMutation,
  AssignAspirantMutationVariables,
  SetAspirantTagsMutation,
  SetAspirantTagsMutationVariables,
  UpdateAspirantStatusMutation,
  UpdateAspirantStatusMutationVariables,
} from '../../../generated/operations.ts';

const UPDATE_STATUS: TypedDocumentNode<UpdateAspirantStatusMutation, UpdateAspirantStatusMutationVariables> = gql`
  mutation UpdateAspirantStatus($aspirantId: ID!, $status: PipelineStatus!) {
    updateAspirantStatus(aspirantId: $aspirantId, status: $status) {
      id
      status
      allowedTransitions
      updatedAt
    }
  }
`;

const ASSIGN: TypedDocumentNode<AssignAspirantMutation, AssignAspirantMutationVariables> = gql`
  mutation AssignAspirant($aspirantId: ID!, $recruiterId: ID) {
    assignAspirant(aspirantId: $aspirantId, recruiterId: $recruiterId) {
      id
      assignee {
        id
        name
      }
      updatedAt
    }
  }
`;

const SET_TAGS: TypedDocumentNode<SetAspirantTagsMutation, SetAspirantTagsMutationVariables> = gql`
  mutation SetAspirantTags($aspirantId: ID!, $tags: [String!]!) {
    setAspirantTags(aspirantId: $aspirantId, tags: $tags) {
      id
      tags
      updatedAt
    }
  }
`;

const RECORD_GUARDIAN_CONSENT: TypedDocumentNode<RecordGuardianConsentMutation, RecordGuardianConsentMutationVariables> = gql`
  mutation RecordGuardianConsent($aspirantId: ID!) {
    recordGuardianConsent(aspirantId: $aspirantId) {
      id
      guardianConsentAt
      updatedAt
    }
  }
`;

const ADD_NOTE: TypedDocumentNode<AddAspirantNoteMutation, AddAspirantNoteMutationVariables> = gql`
  mutation AddAspirantNote($aspirantId: ID!, $body: String!) {
    addAspirantNote(aspirantId: $aspirantId, body: $body) {
      id
      aspirantId
      body
      createdAt
      author {
        id
        name
      }
    }
  }
`;

export function useUpdateStatus(): (aspirantId: string, status: PipelineStatus) => Promise<void> {
  const [mutate] = useMutation(UPDATE_STATUS);
  return useCallback(async (aspirantId, status) => void (await mutate({ variables: { aspirantId, status } })), [mutate]);
}

export function useAssignAspirant(): (aspirantId: string, recruiterId: string | null) => Promise<void> {
  const [mutate] = useMutation(ASSIGN);
  return useCallback(async (aspirantId, recruiterId) => void (await mutate({ variables: { aspirantId, recruiterId } })), [mutate]);
}

export function useSetTags(): (aspirantId: string, tags: string[], updatedAt: string) => Promise<void> {
  const [mutate] = useMutation(SET_TAGS);
  return useCallback(
    async (aspirantId, tags, updatedAt) =>
      void (await mutate({
        variables: { aspirantId, tags },
        optimisticResponse: { setAspirantTags: { __typename: 'Aspirant', id: aspirantId, tags, updatedAt } },
      })),
    [mutate],
  );
}

/** A private note; it joins the aspirant's notes as soon as the server has it. */
export function useAddNote(): (aspirantId: string, body: string) => Promise<void> {
  const [mutate] = useMutation(ADD_NOTE);
  return useCallback(
    async (aspirantId, body) =>
      void (await mutate({
        variables: { aspirantId, body },
        update(cache, { data }) {
          const note = data?.addAspirantNote;
          const noteRef = note && cache.identify(note);
          if (!noteRef) return;
          cache.modify({
            id: cache.identify({ __typename: 'Aspirant', id: aspirantId }),
            fields: {
              notes: (existing, { readField }) =>
                (existing as readonly { __ref: string }[]).some((ref) => readField('id', ref) === note.id) ? existing : [...(existing as readonly { __ref: string }[]), { __ref: noteRef }] as never,
            },
          });
        },
      })),
    [mutate],
  );
}

/** A minor's parent or guardian consented (the bot then asks for the photos). */
export function useRecordGuardianConsent(): (aspirantId: string) => Promise<void> {
  const [mutate] = useMutation(RECORD_GUARDIAN_CONSENT);
  return useCallback(async (aspirantId) => void (await mutate({ variables: { aspirantId } })), [mutate]);
}
