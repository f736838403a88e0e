import { ApolloLink } from '@apollo/client';
import { CONTROL_EVENTS_KEY, createSubscriptionHandshakeLink } from 'aws-appsync-subscription-link';
import { filter } from 'rxjs';

export interface RealtimeOptions {
  /** The GraphQL endpoint; AWS's link derives AppSync's real-time endpoint from it (…/graphql/realtime locally). */
  readonly url: string;
  readonly region: string;
  readonly jwtToken: () => Promise<string>;
  /** Changes when every subscription should move to a fresh socket (after the browser went offline, say). */
  readonly generation: () => number;
}

/** Operation context a subscriber may pass: called on AppSync's start_ack, when events will flow. */
export interface RealtimeContext {
  readonly onSubscriptionStarted?: () => void;
}

/**
 * Subscriptions over AppSync's real-time protocol through AWS's own client link.
 *
 * - AWS's link reports start_ack as a data-less "control message", which Apollo Client drops; here it is
 *   turned into a call to the operation's `onSubscriptionStarted`, so a subscriber knows when it is live.
 * - A half-open socket (a laptop that slept, a network that vanished) is not always noticed before the
 *   keep-alive times out, so a new generation replaces the link and with it the socket; the old socket
 *   closes once its subscriptions stop.
 */
export function createRealtimeLink(options: RealtimeOptions): ApolloLink {
  let current: { generation: number; link: ApolloLink } | undefined;
  const linkFor = (generation: number): ApolloLink => {
    if (current?.generation !== generation) {
      const config = { url: options.url, region: options.region, auth: { type: 'AMAZON_COGNITO_USER_POOLS' as const, jwtToken: options.jwtToken } };
      // The AWS link's typings name Apollo's CommonJS build; at run time it is the same ApolloLink.
      current = { generation, link: createSubscriptionHandshakeLink(config, ApolloLink.empty() as never) as unknown as ApolloLink };
    }
    return current.link;
  };
  return new ApolloLink((operation, forward) => {
    const { onSubscriptionStarted } = operation.getContext() as RealtimeContext;
    operation.setContext({ controlMessages: { [CONTROL_EVENTS_KEY]: true } });
    return linkFor(options.generation())
      .request(operation, forward)
      .pipe(
        filter((result) => {
          const control = result.extensions?.controlMsgType;
          if (control === undefined) return true;
          if (control === 'CONNECTED') onSubscriptionStarted?.();
          return false;
        }),
      );
  });
}
