import { useState } from 'react';
import { desktopNotificationsSupported, requestDesktopPermission, unlockSound } from '../lib/notify.ts';
import { usePreferences } from '../stores/preferences.ts';

export function AlertSettings() {
  const preferences = usePreferences();
  const [problem, setProblem] = useState<string | null>(null);
  const toggleDesktop = async (on: boolean) => {
    setProblem(null);
    if (on && !(await requestDesktopPermission())) {
      setProblem('The browser did not allow notifications. Allow them for this site in the browser settings.');
      return;
    }
    preferences.set({ desktopNotifications: on });
  };
  return (
    <section className="settings__section" aria-labelledby="alerts-title">
      <h2 id="alerts-title">New messages in my conversations</h2>
      <label className="check">
        <input
          type="checkbox"
          checked={preferences.desktopNotifications}
          disabled={!desktopNotificationsSupported()}
          onChange={(event) => void toggleDesktop(event.target.checked)}
        />
        Desktop notification when the console is in the background
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={preferences.sound}
          onChange={(event) => {
            if (event.target.checked) unlockSound();
            preferences.set({ sound: event.target.checked });
          }}
        />
        Play a sound
      </label>
      {problem && (
        <p className="notice notice--warning" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
