import { usePreferences } from '../stores/preferences.ts';

/** One sound per this many ms at most, however many messages arrive together. */
const SOUND_GAP_MS = 3000;
let lastSoundAt = 0;
let audio: AudioContext | undefined;

/** A short two-note chime, synthesized: no audio file to load. */
function chime(): void {
  audio ??= new AudioContext();
  const start = audio.currentTime;
  for (const [offset, frequency] of [
    [0, 880],
    [0.12, 1320],
  ] as const) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.15, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.25);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(start + offset);
    oscillator.stop(start + offset + 0.3);
  }
}

/** Browsers start audio only after a user gesture: the settings toggle is one. */
export function unlockSound(): void {
  audio ??= new AudioContext();
  void audio.resume();
}

export async function requestDesktopPermission(): Promise<boolean> {
  if (!('Notification' in window)) return false;
  return (await Notification.requestPermission()) === 'granted';
}

export const desktopNotificationsSupported = (): boolean => 'Notification' in window;

export interface IncomingAlert {
  /** One notification per conversation: a newer one replaces it instead of piling up. */
  readonly conversationId: string;
  readonly title: string;
  readonly body: string;
  readonly onOpen: () => void;
}

/**
 * A new message in one of the recruiter's conversations, as they chose to hear about it: a sound, and a
 * desktop notification when the console is not in front of them.
 */
export function alertIncoming(alert: IncomingAlert): void {
  const { sound, desktopNotifications } = usePreferences.getState();
  if (sound && Date.now() - lastSoundAt > SOUND_GAP_MS) {
    lastSoundAt = Date.now();
    chime();
  }
  const inFront = document.visibilityState === 'visible' && document.hasFocus();
  if (desktopNotifications && !inFront && desktopNotificationsSupported() && Notification.permission === 'granted') {
    const notification = new Notification(alert.title, { body: alert.body.slice(0, 120), tag: `conversation-${alert.conversationId}` });
    notification.onclick = () => {
      window.focus();
      alert.onOpen();
      notification.close();
    };
  }
}
