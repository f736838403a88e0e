import { gql, type TypedDocumentNode } from '@apollo/client';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { useCallback } from 'react';
import type {
  EraseAspirantMutation,
  EraseAspirantMutationVariables,
  ExportAspirantDataQuery,
  ExportAspirantDataQueryVariables,
} from '../../../generated/operations.ts';
import { forgetAspirant } from '../../../lib/apollo/forget.ts';

const EXPORT_ASPIRANT_DATA: TypedDocumentNode<ExportAspirantDataQuery, ExportAspirantDataQueryVariables> = gql`
  query ExportAspirantData($aspirantId: ID!) {
    exportAspirantData(aspirantId: $aspirantId)
  }
`;

const ERASE_ASPIRANT: TypedDocumentNode<EraseAspirantMutation, EraseAspirantMutationVariables> = gql`
  mutation EraseAspirant($aspirantId: ID!, $confirmPhone: String!) {
    eraseAspirant(aspirantId: $aspirantId, confirmPhone: $confirmPhone)
  }
`;

/** The aspirant's export as pretty-printed JSON, always fresh from the server (its media links expire). */
export function useExportAspirantData(): (aspirantId: string) => Promise<string> {
  const client = useApolloClient();
  return useCallback(
    async (aspirantId) => {
      const { data } = await client.query({ query: EXPORT_ASPIRANT_DATA, variables: { aspirantId }, fetchPolicy: 'no-cache' });
      if (!data) throw new Error('The export came back empty. Try again.');
      return JSON.stringify(JSON.parse(data.exportAspirantData), null, 2);
    },
    [client],
  );
}

/** Erases the aspirant on the server, then forgets them here (the live erasure event does the same elsewhere). */
export function useEraseAspirant(): (aspirantId: string, confirmPhone: string) => Promise<void> {
  const [mutate] = useMutation(ERASE_ASPIRANT);
  return useCallback(
    async (aspirantId, confirmPhone) =>
      void (await mutate({
        variables: { aspirantId, confirmPhone },
        update: (cache) => forgetAspirant(cache, aspirantId),
      })),
    [mutate],
  );
}
