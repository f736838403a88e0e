import { create } from 'zustand';
import { persist } from 'zustand/middleware';

/** Per-browser choices; both alerts are off until the recruiter opts in. */
interface Preferences {
  readonly desktopNotifications: boolean;
  readonly sound: boolean;
  set(change: Partial<Pick<Preferences, 'desktopNotifications' | 'sound'>>): void;
}

export const usePreferences = create<Preferences>()(
  persist((set) => ({ desktopNotifications: false, sound: false, set: (change) => set(change) }), {
    name: 'wasaprecruit.preferences',
    partialize: ({ desktopNotifications, sound }) => ({ desktopNotifications, sound }),
  }),
);
