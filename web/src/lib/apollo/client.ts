import { ApolloClient, ApolloLink, CombinedGraphQLErrors, type FieldPolicy, HttpLink, InMemoryCache, ServerError } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { getMainDefinition } from '@apollo/client/utilities';
import { useConnectionStore } from '../live/connection.ts';
import { inboxField, threadField } from './pages.ts';
import { createRealtimeLink } from './realtime.ts';

export interface ConsoleClientOptions {
  readonly graphqlUrl: string;
  readonly region: string;
  /** The signed-in recruiter's current ID token (refreshed by the auth provider when it can). */
  readonly getToken: () => Promise<string>;
  /** The server refused the credentials: the session is over. */
  readonly onSessionRejected: () => void;
}

/** Query fields that name one entity read it from the cache when it is already there. */
const entityRedirect = (typename: string): FieldPolicy => ({
  read: (existing, { args, toReference }) =>
    existing ?? (typeof args?.id === 'string' ? toReference({ __typename: typename, id: args.id }) : undefined),
});

export function createConsoleCache(): InMemoryCache {
  return new InMemoryCache({
    typePolicies: {
      Query: {
        fields: {
          inbox: inboxField,
          thread: threadField,
          conversation: entityRedirect('Conversation'),
          aspirant: entityRedirect('Aspirant'),
        },
      },
      // Value objects without ids live inside their parent and are replaced as a whole.
      PageInfo: { keyFields: false },
      AspirantProfile: { keyFields: false, merge: true },
      ShiftPreference: { keyFields: false },
      DeliveryStatusEvent: { keyFields: false },
      // One bot text per key and language.
      BotText: { keyFields: ['key', 'language'] },
    },
  });
}

const isRejectedSession = (error: unknown): boolean =>
  (ServerError.is(error) && error.statusCode === 401) ||
  (CombinedGraphQLErrors.is(error) && error.errors.some((entry) => (entry as { errorType?: string }).errorType === 'UnauthorizedException'));

/**
 * One client for the local host and AWS AppSync: queries and mutations over HTTP with the Cognito-shaped
 * token in Authorization, subscriptions over AppSync's real-time protocol.
 */
export function createConsoleClient(options: ConsoleClientOptions): ApolloClient {
  const auth = new SetContextLink(async (context) => ({
    headers: { ...(context.headers as Record<string, string> | undefined), authorization: await options.getToken() },
  }));
  const sessionGuard = new ErrorLink(({ error }) => {
    if (isRejectedSession(error)) options.onSessionRejected();
  });
  const realtime = createRealtimeLink({
    url: options.graphqlUrl,
    region: options.region,
    jwtToken: options.getToken,
    generation: () => useConnectionStore.getState().generation,
  });
  const http = new HttpLink({ uri: options.graphqlUrl });
  const isSubscription = ({ query }: ApolloLink.Operation) => {
    const definition = getMainDefinition(query);
    return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
  };
  return new ApolloClient({
    link: ApolloLink.from([sessionGuard, ApolloLink.split(isSubscription, realtime, ApolloLink.from([auth, http]))]),
    cache: createConsoleCache(),
  });
}
