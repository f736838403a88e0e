import { AdminSettings } from './AdminSettings.tsx';
import { AlertSettings } from './AlertSettings.tsx';

export function SettingsPage({ isAdmin }: { readonly isAdmin: boolean }) {
  return (
    <main className="settings" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <AlertSettings />
      {isAdmin && <AdminSettings />}
    </main>
  );
}
