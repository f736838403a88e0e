import { useEffect } from 'react';
import { ConsoleConfigError, consoleEnv } from '../config/env.ts';
import { restoreSession, SignInPage, useSession, watchSessionExpiry } from '../features/auth/index.ts';
import { Link, usePath } from '../lib/router.ts';
import { ConsoleApp } from './ConsoleApp.tsx';
import { routeOf } from './routes.ts';

function NotFound() {
  return (
    <main className="standalone">
      <h1>Page not found</h1>
      <p>
        <Link to="/">Go to the recruiter console</Link>
      </p>
    </main>
  );
}

function ConfigurationProblem({ message }: { readonly message: string }) {
  return (
    <main className="standalone" role="alert">
      <h1>The console is not configured correctly</h1>
      <p>{message}</p>
    </main>
  );
}

export function App() {
  const route = routeOf(usePath());
  const session = useSession();
  useEffect(() => {
    void restoreSession();
    return watchSessionExpiry();
  }, []);

  let env;
  try {
    env = consoleEnv();
  } catch (error) {
    if (error instanceof ConsoleConfigError) return <ConfigurationProblem message={error.message} />;
    throw error;
  }
  if (route.page === 'not-found') return <NotFound />;
  if (session.status === 'starting') return <p className="standalone">Loading…</p>;
  if (session.status === 'signed-out' || session.user === null) return <SignInPage isLocal={env.cognito === null} />;
  return <ConsoleApp user={session.user} route={route} />;
}
