// First: AWS's real-time link needs Buffer before it connects.
import './lib/shims/buffer.ts';
import { type ReactNode, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './app/styles.css';

/**
 * One entry, two pages that each load only their own code: the aspirants' form at /apply/<token> (no login,
 * phone-sized, no GraphQL client) and the recruiter console everywhere else.
 */
const applyToken = /^\/apply\/([^/]+)$/.exec(window.location.pathname)?.[1];

async function page(): Promise<ReactNode> {
  if (applyToken !== undefined) {
    const { ApplyPage } = await import('./features/apply/index.ts');
    return <ApplyPage token={applyToken} />;
  }
  const { App } = await import('./app/App.tsx');
  return <App />;
}

createRoot(document.getElementById('root')!).render(<StrictMode>{await page()}</StrictMode>);
