/**
 * The console's configuration, read once from Vite's build-time variables. One build reaches the local host
 * (same origin, the local token issuer) or AWS AppSync with Cognito, depending only on these values.
 */
export interface CognitoConfig {
  readonly region: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
}

export interface ConsoleEnv {
  /** Absolute http(s) URL of the GraphQL endpoint; the real-time endpoint is derived from it. */
  readonly graphqlUrl: string;
  readonly region: string;
  /** Null: sign in through the local host's token endpoint. */
  readonly cognito: CognitoConfig | null;
}

export class ConsoleConfigError extends Error {
  override name = 'ConsoleConfigError';
}

type Vars = Readonly<Partial<Record<'VITE_GRAPHQL_URL' | 'VITE_AWS_REGION' | 'VITE_USER_POOL_ID' | 'VITE_USER_POOL_CLIENT_ID', string>>>;

const present = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value.trim());

export function parseEnv(vars: Vars, origin: string): ConsoleEnv {
  const rawUrl = present(vars.VITE_GRAPHQL_URL) ?? '/graphql';
  let graphqlUrl: URL;
  try {
    graphqlUrl = new URL(rawUrl, origin);
  } catch {
    throw new ConsoleConfigError(`VITE_GRAPHQL_URL: not a URL (${rawUrl})`);
  }
  if (graphqlUrl.protocol !== 'https:' && graphqlUrl.protocol !== 'http:') {
    throw new ConsoleConfigError(`VITE_GRAPHQL_URL: must be http(s), got ${graphqlUrl.protocol}`);
  }
  const region = present(vars.VITE_AWS_REGION) ?? 'local';
  const userPoolId = present(vars.VITE_USER_POOL_ID);
  const userPoolClientId = present(vars.VITE_USER_POOL_CLIENT_ID);
  if ((userPoolId === undefined) !== (userPoolClientId === undefined)) {
    throw new ConsoleConfigError('VITE_USER_POOL_ID and VITE_USER_POOL_CLIENT_ID: set both (Cognito) or neither (local sign-in)');
  }
  const cognito =
    userPoolId !== undefined && userPoolClientId !== undefined
      ? { region: present(vars.VITE_AWS_REGION) ?? userPoolId.split('_')[0] ?? region, userPoolId, userPoolClientId }
      : null;
  return { graphqlUrl: graphqlUrl.toString(), region, cognito };
}

/** Parsed on first use, so a bad configuration is reported by the app shell rather than a blank page. */
let parsed: ConsoleEnv | undefined;
export function consoleEnv(): ConsoleEnv {
  parsed ??= parseEnv(import.meta.env, window.location.origin);
  return parsed;
}
