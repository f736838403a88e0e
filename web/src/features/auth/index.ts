export { SignInPage } from './components/SignInPage.tsx';
export { expireSession, getToken, restoreSession, signOut, useSession, watchSessionExpiry, type SessionUser } from './stores/session.ts';
