/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The AppSync (or local host) GraphQL endpoint; the console's own origin + /graphql when unset. */
  readonly VITE_GRAPHQL_URL?: string;
  readonly VITE_AWS_REGION?: string;
  /** With VITE_USER_POOL_CLIENT_ID: sign in through Cognito (aws-amplify) instead of the local issuer. */
  readonly VITE_USER_POOL_ID?: string;
  readonly VITE_USER_POOL_CLIENT_ID?: string;
}
