import { create } from 'zustand';
import { consoleEnv } from '../../../config/env.ts';
import { decodeClaims } from '../../../lib/jwt.ts';
import { cognitoProvider } from '../api/cognito.ts';
import { localIssuer } from '../api/localIssuer.ts';
import type { AuthProvider, SignInOutcome } from '../api/provider.ts';

export interface SessionUser {
  /** The recruiter's id (the token's sub). */
  readonly id: string;
  readonly email: string;
  readonly isAdmin: boolean;
  /** When the current token expires, ms since the epoch. */
  readonly expiresAt: number;
}

interface SessionState {
  readonly status: 'starting' | 'signed-out' | 'signed-in';
  readonly user: SessionUser | null;
  /** Why the recruiter is looking at the sign-in page (an expired session), if not by choice. */
  readonly notice: string | null;
}

export const useSession = create<SessionState>()(() => ({ status: 'starting', user: null, notice: null }));

let provider: Promise<AuthProvider> | undefined;
const authProvider = (): Promise<AuthProvider> => {
  const env = consoleEnv();
  provider ??= env.cognito === null ? Promise.resolve(localIssuer(env.graphqlUrl)) : cognitoProvider(env.cognito);
  return provider;
};

function userOf(token: string): SessionUser {
  const claims = decodeClaims(token);
  return { id: claims.sub, email: claims.email, isAdmin: claims.groups.includes('admin'), expiresAt: claims.exp * 1000 };
}

const signedIn = (token: string) => useSession.setState({ status: 'signed-in', user: userOf(token), notice: null });

/** On start: continue the session the provider still holds, if any. */
export async function restoreSession(): Promise<void> {
  try {
    const token = await (await authProvider()).currentToken();
    if (token === null) useSession.setState({ status: 'signed-out', user: null });
    else signedIn(token);
  } catch {
    // Sign-in itself will say what is wrong (the identity provider cannot be reached, say).
    useSession.setState({ status: 'signed-out', user: null });
  }
}

async function settle(outcome: Promise<SignInOutcome>): Promise<SignInOutcome> {
  const result = await outcome;
  if (result.kind === 'signed-in') signedIn(result.token);
  return result;
}

export async function signIn(username: string, password: string): Promise<SignInOutcome> {
  return settle((await authProvider()).signIn(username, password));
}

export async function completeNewPassword(newPassword: string): Promise<SignInOutcome> {
  return settle((await authProvider()).completeNewPassword(newPassword));
}

export async function signOut(): Promise<void> {
  await (await authProvider()).signOut();
  useSession.setState({ status: 'signed-out', user: null, notice: null });
}

/**
 * The session ended without the recruiter choosing it (the token expired or the server refused it). The
 * sign-in page says so; nothing else is cleared, so drafts and unsent messages are still there afterwards.
 */
export function expireSession(): void {
  if (useSession.getState().status !== 'signed-in') return;
  useSession.setState({ status: 'signed-out', notice: 'Your session expired. Sign in again to continue — your drafts are kept.' });
}

/** The token for the next request; an ended session sends the recruiter to sign in. */
export async function getToken(): Promise<string> {
  const token = await (await authProvider()).currentToken();
  if (token === null) {
    expireSession();
    throw new Error('session expired');
  }
  return token;
}

/**
 * Checks the session when its token expires: a provider that can refresh (Cognito) carries on with a new
 * token, the local issuer's session ends. Returns the cancel function.
 */
export function watchSessionExpiry(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = (expiresAt: number | undefined) => {
    clearTimeout(timer);
    if (expiresAt === undefined) return;
    timer = setTimeout(async () => {
      const token = await (await authProvider()).currentToken();
      if (token === null) expireSession();
      else signedIn(token);
    }, Math.max(0, expiresAt - Date.now()) + 100);
  };
  schedule(useSession.getState().user?.expiresAt);
  const unsubscribe = useSession.subscribe((state, previous) => {
    if (state.user?.expiresAt !== previous.user?.expiresAt || state.status !== previous.status) {
      schedule(state.status === 'signed-in' ? state.user?.expiresAt : undefined);
    }
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}
