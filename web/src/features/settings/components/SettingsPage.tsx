import { lazy, Suspense } from 'react';
import { AlertSettings } from './AlertSettings.tsx';

// Admins only: their screens load on an admin's first visit, so the console's first download (every
// recruiter's) does not carry them.
const AdminSettings = lazy(() => import('./AdminSettings.tsx').then((module) => ({ default: module.AdminSettings })));

export function SettingsPage({ isAdmin }: { readonly isAdmin: boolean }) {
  return (
    <main className="settings" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <AlertSettings />
      {isAdmin && (
        <Suspense fallback={<p>Loading the admin settings…</p>}>
          <AdminSettings />
        </Suspense>
      )}
    </main>
  );
}
