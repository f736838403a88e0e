import type { FunnelStageName } from '../../../generated/graphql.ts';

/** The server refuses longer ranges. */
export const MAX_RANGE_DAYS = 366;
export const DEFAULT_RANGE_DAYS = 30;

const DAY_MS = 86_400_000;

export const funnelStageLabels: Readonly<Record<FunnelStageName, string>> = {
  NEW: 'New',
  FORM_SENT: 'Form sent',
  FORM_SUBMITTED: 'Form submitted',
  PHOTOS: 'Photos',
  IN_REVIEW: 'In review',
  ACCEPTED: 'Accepted',
};

/** A calendar date as the inputs and the API write it ("2025-03-09"), from a date's local day. */
export function isoDay(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** Calendar arithmetic on "YYYY-MM-DD" days, in UTC so daylight saving never shifts a day. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** What the recruiter picks: both days included. */
export interface DayRange {
  readonly from: string;
  readonly through: string;
}

/** The last `DEFAULT_RANGE_DAYS` days, today included. */
export function defaultRange(now: Date): DayRange {
  const today = isoDay(now);
  return { from: addDays(today, 1 - DEFAULT_RANGE_DAYS), through: today };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The API's half-open range for the recruiter's inclusive one, or why it cannot be asked for (a date input
 * still being typed is empty).
 */
export function toQueryRange(range: DayRange): { from: string; to: string } | { problem: string } {
  if (!DAY.test(range.from) || !DAY.test(range.through)) return { problem: 'Choose both dates.' };
  if (range.through < range.from) return { problem: 'The end date must not be before the start date.' };
  const to = addDays(range.through, 1);
  const days = (Date.parse(to) - Date.parse(range.from)) / DAY_MS;
  if (days > MAX_RANGE_DAYS) return { problem: `Choose at most ${MAX_RANGE_DAYS} days.` };
  return { from: range.from, to };
}

const percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

/** "40%", or a dash when there is nothing to divide by. */
export function percentOf(part: number, whole: number): string {
  return whole === 0 ? '—' : percentFormat.format(part / whole);
}

export const percent = (share: number): string => percentFormat.format(share);

const durationUnits = [
  { seconds: 86_400, label: 'd' },
  { seconds: 3_600, label: 'h' },
  { seconds: 60, label: 'min' },
  { seconds: 1, label: 's' },
] as const;

/** A duration as people say it: its two largest units, "45 s", "1 min 30 s", "2 h 5 min", "3 d 4 h". */
export function humanDuration(totalSeconds: number): string {
  const seconds = Math.round(totalSeconds);
  const largest = durationUnits.findIndex((unit) => seconds >= unit.seconds);
  if (largest === -1) return '0 s';
  const major = durationUnits[largest]!;
  const minor = durationUnits[largest + 1];
  const majorText = `${Math.floor(seconds / major.seconds)} ${major.label}`;
  const minorAmount = minor === undefined ? 0 : Math.floor((seconds % major.seconds) / minor.seconds);
  // "1 h 0 min" reads as "1 h".
  return minorAmount === 0 ? majorText : `${majorText} ${minorAmount} ${minor!.label}`;
}

/** A median response time as the dashboard says it. */
export const responseTimeText = (seconds: number | null): string => (seconds === null ? 'no answers yet' : humanDuration(seconds));
