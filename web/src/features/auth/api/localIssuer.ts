import { decodeClaims } from '../../../lib/jwt.ts';
import { type AuthProvider, SignInError } from './provider.ts';

const STORAGE_KEY = 'wasaprecruit.localSession';
/** A token this close to expiry is not handed out: the request would fail on the way. */
const EXPIRY_MARGIN_MS = 5_000;

const stillValid = (token: string): boolean => {
  try {
    return decodeClaims(token).exp * 1000 - EXPIRY_MARGIN_MS > Date.now();
  } catch {
    return false;
  }
};

/**
 * The local host's issuer: POST /auth/token answers Cognito-shaped tokens that cannot be refreshed, so the
 * session ends when the token does. The token lives in sessionStorage: a reload keeps the session, closing
 * the tab ends it.
 */
export function localIssuer(graphqlUrl: string): AuthProvider {
  const tokenUrl = new URL('/auth/token', graphqlUrl).toString();
  return {
    async signIn(username, password) {
      const response = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      }).catch(() => {
        throw new SignInError('Cannot reach the server. Check the connection and try again.');
      });
      if (response.status === 401) throw new SignInError('Wrong email or password.');
      if (!response.ok) throw new SignInError(`Sign-in failed (HTTP ${response.status}).`);
      const { idToken } = (await response.json()) as { idToken: string };
      sessionStorage.setItem(STORAGE_KEY, idToken);
      return { kind: 'signed-in', token: idToken };
    },
    async completeNewPassword() {
      throw new SignInError('The local host does not ask for new passwords.');
    },
    async currentToken() {
      const token = sessionStorage.getItem(STORAGE_KEY);
      if (token !== null && stillValid(token)) return token;
      sessionStorage.removeItem(STORAGE_KEY);
      return null;
    },
    async signOut() {
      sessionStorage.removeItem(STORAGE_KEY);
    },
  };
}
