import { ApolloProvider, useQuery } from '@apollo/client/react';
import { lazy, Suspense, useEffect, useMemo } from 'react';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { consoleEnv } from '../config/env.ts';
import { expireSession, getToken, signOut, type SessionUser } from '../features/auth/index.ts';
import { forgetUnsent, unsentCount } from '../features/composer/index.ts';
import { SettingsPage } from '../features/settings/index.ts';
import { createConsoleClient } from '../lib/apollo/client.ts';
import { followBrowserConnectivity } from '../lib/live/connection.ts';
import { Link } from '../lib/router.ts';
import { ME } from './api.ts';
import { ConnectionStatus } from './ConnectionStatus.tsx';
import type { Route } from './routes.ts';
import { Workspace } from './Workspace.tsx';

// Loaded on first visit: its code and styles stay out of the console's first download.
const DashboardPage = lazy(() => import('../features/dashboard/index.ts').then((feature) => ({ default: feature.DashboardPage })));

const signOutOnPurpose = async (userId: string) => {
  const unsent = unsentCount(userId);
  if (unsent > 0 && !window.confirm(`You have ${unsent} unsent message${unsent === 1 ? '' : 's'} or draft${unsent === 1 ? '' : 's'}. Sign out and discard them?`)) return;
  forgetUnsent(userId);
  await signOut();
};

function Shell({ user, route }: { readonly user: SessionUser; readonly route: Exclude<Route, { page: 'not-found' }> }) {
  const { data, error } = useQuery(ME);
  const me = data?.me;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="topbar__brand">WasaPrecruit</span>
        <nav aria-label="Main" className="topbar__nav">
          <Link to="/" aria-current={route.page === 'inbox' ? 'page' : undefined}>
            Inbox
          </Link>
          <Link to="/dashboard" aria-current={route.page === 'dashboard' ? 'page' : undefined}>
            Dashboard
          </Link>
          <Link to="/settings" aria-current={route.page === 'settings' ? 'page' : undefined}>
            Settings
          </Link>
        </nav>
        <ConnectionStatus />
        <span className="topbar__user">
          {me ? `${me.name}${me.role === 'ADMIN' ? ' (admin)' : ''}` : user.email}
        </span>
        <button type="button" className="button button--small" onClick={() => void signOutOnPurpose(user.id)}>
          Sign out
        </button>
      </header>
      <div id="main" className="shell__main">
        {error && !me && <ErrorNotice error={error} />}
        {me && route.page === 'inbox' && <Workspace me={me} conversationId={route.conversationId} />}
        {me && route.page === 'dashboard' && (
          <Suspense fallback={<p className="dashboard">Loading…</p>}>
            <DashboardPage />
          </Suspense>
        )}
        {me && route.page === 'settings' && <SettingsPage isAdmin={me.role === 'ADMIN'} />}
      </div>
    </div>
  );
}

/** The signed-in console: one Apollo client per recruiter, reaching the local host or AppSync alike. */
export function ConsoleApp({ user, route }: { readonly user: SessionUser; readonly route: Exclude<Route, { page: 'not-found' }> }) {
  const client = useMemo(() => {
    const env = consoleEnv();
    return createConsoleClient({ graphqlUrl: env.graphqlUrl, region: env.region, getToken, onSessionRejected: expireSession });
  }, [user.id]);
  useEffect(followBrowserConnectivity, []);
  return (
    <ApolloProvider client={client}>
      <Shell user={user} route={route} />
    </ApolloProvider>
  );
}
