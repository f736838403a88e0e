/** Times as recruiters read them, in the browser's locale and time zone. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** WhatsApp's window counts as closing once less than this is left (the server's WindowState uses the same). */
export const CLOSING_SOON_MS = 2 * HOUR;

// Formatters are built once: building one per call is what makes dates slow to render in long lists.
const formats = {
  clock: new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }),
  weekday: new Intl.DateTimeFormat(undefined, { weekday: 'short' }),
  dayMonth: new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' }),
  dayThisYear: new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' }),
  dayAnyYear: new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
  full: new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }),
};

export type WindowPhase = 'OPEN' | 'CLOSING' | 'CLOSED';

export interface WindowCountdown {
  readonly phase: WindowPhase;
  /** "23h 05m", "45m", "closed". */
  readonly label: string;
  /** What a screen reader or a tooltip says. */
  readonly description: string;
}

/** The 24-hour window as of `now`, computed locally so the countdown moves between server updates. */
export function windowCountdown(windowExpiresAt: string | null, now: number): WindowCountdown {
  if (windowExpiresAt === null) {
    return { phase: 'CLOSED', label: 'closed', description: 'Window closed: the aspirant has not written yet' };
  }
  const left = Date.parse(windowExpiresAt) - now;
  if (left <= 0) return { phase: 'CLOSED', label: 'closed', description: 'Window closed: only approved templates can be sent' };
  const hours = Math.floor(left / HOUR);
  const minutes = Math.floor((left % HOUR) / MINUTE);
  const label = hours > 0 ? `${hours}h ${String(minutes).padStart(2, '0')}m` : left < MINUTE ? '<1m' : `${minutes}m`;
  return { phase: left <= CLOSING_SOON_MS ? 'CLOSING' : 'OPEN', label, description: `Window open for ${label} more` };
}

const sameDay = (a: Date, b: Date): boolean =>
  a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/** The local calendar day of a timestamp, as a stable key ("2025-03-09"). */
export function dayKey(iso: string): string {
  const date = new Date(iso);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** "Today", "Yesterday", or the date. */
export function dayLabel(iso: string, now: number): string {
  const date = new Date(iso);
  const today = new Date(now);
  if (sameDay(date, today)) return 'Today';
  if (sameDay(date, new Date(now - 24 * HOUR))) return 'Yesterday';
  return (date.getFullYear() === today.getFullYear() ? formats.dayThisYear : formats.dayAnyYear).format(date);
}


export const clockTime = (iso: string): string => formats.clock.format(new Date(iso));

/** A list timestamp: the time today, the weekday this week, the date before. */
export function shortWhen(iso: string, now: number): string {
  const date = new Date(iso);
  if (sameDay(date, new Date(now))) return formats.clock.format(date);
  if (now - date.getTime() < 6 * 24 * HOUR) return formats.weekday.format(date);
  return formats.dayMonth.format(date);
}

export const fullDateTime = (iso: string): string => formats.full.format(new Date(iso));
