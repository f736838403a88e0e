import { ApolloClient, ApolloLink, gql, InMemoryCache } from '@apollo/client';
import { createAuthLink, type AuthOptions } from 'aws-appsync-auth-link';
import { createSubscriptionHandshakeLink } from 'aws-appsync-subscription-link';
import { WebSocket } from 'ws';
import { expect } from 'vitest';

/**
 * Conformance with a client nobody here wrote: Apollo Client 4 with AWS's aws-appsync-auth-link and
 * aws-appsync-subscription-link, which derives ws://…/graphql/realtime from the http:// endpoint and speaks
 * AppSync's real-time protocol. `subscriptionConformance` takes only a URL and tokens, so it can be pointed
 * at any host serving the real schema (infra/local/conformance.test.ts runs it against the full local host).
 */

/** What servers sent the link, read off the wire: Apollo does not surface start_ack, and the test must know every subscription is live. */
const wire: { readonly type: string; readonly id?: string }[] = [];

class WireTappedWebSocket extends WebSocket {
  constructor(address: string, protocols?: string | string[]) {
    super(address, protocols);
    this.on('message', (raw) => wire.push(JSON.parse(raw.toString()) as { type: string; id?: string }));
  }
}

// Node 20 has no global WebSocket; the subscription link needs one.
(globalThis as { WebSocket?: unknown }).WebSocket = WireTappedWebSocket;

export interface ConformanceTarget {
  /** The host's GraphQL endpoint, http://…/graphql. */
  readonly graphqlUrl: string;
  /** A conversation whose sendMessage the host publishes as onMessageEvent (and onInboxEvent). */
  readonly conversationId: string;
  /** A recruiter who may see the conversation and write to it. */
  readonly inScopeToken: string;
  /** A recruiter whose scope excludes the conversation. */
  readonly outOfScopeToken: string;
}

const ON_MESSAGE_EVENT = gql`
  subscription OnMessageEvent($conversationId: ID!) {
    onMessageEvent(conversationId: $conversationId) {
      conversationId
      message {
        id
        body
      }
    }
  }
`;

const ON_INBOX_EVENT = gql`
  subscription OnInboxEvent {
    onInboxEvent {
      conversationId
    }
  }
`;

const SEND_MESSAGE = gql`
  mutation SendMessage($input: SendMessageInput!) {
    sendMessage(input: $input) {
      id
      body
    }
  }
`;

function appSyncClient(graphqlUrl: string, token: string): ApolloClient {
  const config = { url: graphqlUrl, region: 'ap-south-1', auth: { type: 'AMAZON_COGNITO_USER_POOLS', jwtToken: async () => token } as AuthOptions };
  // The AWS links' typings name Apollo's CommonJS build; at run time both are the same ApolloLink.
  const links = [createAuthLink(config), createSubscriptionHandshakeLink(config)] as unknown as ApolloLink[];
  return new ApolloClient({ link: ApolloLink.from(links), cache: new InMemoryCache() });
}

/** What one subscription produced. */
interface Recording {
  readonly data: Record<string, unknown>[];
  readonly errors: unknown[];
  stop(): void;
}

function record(client: ApolloClient, query: typeof ON_MESSAGE_EVENT, variables: Record<string, unknown> = {}): Recording {
  const data: Record<string, unknown>[] = [];
  const errors: unknown[] = [];
  const subscription = client.subscribe({ query, variables }).subscribe({
    next: (result) => {
      if (result.data) data.push(result.data as Record<string, unknown>);
      if (result.error) errors.push(result.error);
    },
    error: (error: unknown) => errors.push(error),
  });
  return { data, errors, stop: () => subscription.unsubscribe() };
}

async function eventually(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A recruiter in scope subscribes to the conversation and sends a message through the HTTP link; the
 * subscription receives it. A recruiter out of scope, subscribed to the same conversation and to the inbox,
 * receives no data (the per-conversation subscription may be refused outright).
 */
export async function subscriptionConformance(target: ConformanceTarget): Promise<{ readonly outsiderMessageErrors: readonly unknown[] }> {
  wire.length = 0;
  const insider = appSyncClient(target.graphqlUrl, target.inScopeToken);
  const outsider = appSyncClient(target.graphqlUrl, target.outOfScopeToken);
  const recordings = [
    record(insider, ON_MESSAGE_EVENT, { conversationId: target.conversationId }),
    record(outsider, ON_MESSAGE_EVENT, { conversationId: target.conversationId }),
    record(outsider, ON_INBOX_EVENT),
  ] as const;
  const [insiderMessages, outsiderMessages, outsiderInbox] = recordings;
  try {
    // Each start is answered with start_ack, or with error when the host refuses it.
    await eventually(() => wire.filter((message) => message.type === 'start_ack' || (message.type === 'error' && message.id)).length === recordings.length);
    expect(insiderMessages.errors).toEqual([]);
    const body = `conformance ${Date.now()}`;

    const sent = await insider.mutate({
      mutation: SEND_MESSAGE,
      variables: { input: { conversationId: target.conversationId, body, idempotencyKey: `conformance-${Date.now()}` } },
    });

    const message = (sent.data as { sendMessage: { id: string; body: string } }).sendMessage;
    expect(message.body).toBe(body);
    await eventually(() => insiderMessages.data.length > 0);
    expect(insiderMessages.data[0]).toEqual({
      onMessageEvent: { __typename: 'MessageEvent', conversationId: target.conversationId, message: { __typename: 'Message', id: message.id, body } },
    });
    // Anything published to the outsider would have travelled with the insider's event; give it a moment more.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(outsiderMessages.data).toEqual([]);
    expect(outsiderInbox.data).toEqual([]);
    expect(outsiderInbox.errors).toEqual([]);
    return { outsiderMessageErrors: [...outsiderMessages.errors] };
  } finally {
    for (const recording of recordings) recording.stop();
    insider.stop();
    outsider.stop();
  }
}
