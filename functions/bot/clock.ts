/**
 * Wall-clock arithmetic in the agency's IANA time zone (AGENCY_TIME_ZONE) with Intl only: quiet hours, the
 * local day the daily message cap counts, and when each ends. Daylight-saving jumps are honoured: a local time
 * is converted with the zone's offset at that instant.
 */
export interface QuietHours {
  /** Minutes after local midnight. start > end means the quiet period spans midnight (21:00-08:00). */
  readonly startMinute: number;
  readonly endMinute: number;
}

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** "21:00-08:00" → quiet hours; "" or "off" → none. Throws RangeError for anything else. */
export function parseQuietHours(text: string): QuietHours | null {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '' || trimmed === 'off') return null;
  const [start, end, ...rest] = trimmed.split('-').map((part) => TIME.exec(part.trim()));
  if (!start || !end || rest.length > 0) throw new RangeError(`QUIET_HOURS must look like 21:00-08:00 (or "off"), not "${text}"`);
  const startMinute = Number(start[1]) * 60 + Number(start[2]);
  const endMinute = Number(end[1]) * 60 + Number(end[2]);
  if (startMinute === endMinute) throw new RangeError('QUIET_HOURS must not start and end at the same time');
  return { startMinute, endMinute };
}

/** Throws RangeError unless Intl knows the zone. */
export function assertTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new RangeError(`AGENCY_TIME_ZONE must be an IANA time zone such as America/Mexico_City, not "${timeZone}"`);
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function wallClock(instant: Date, timeZone: string): WallClock {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(instant).map((part) => [part.type, Number(part.value)]));
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** The zone's offset from UTC at an instant, in milliseconds (positive east of Greenwich). */
function offsetMs(instant: Date, timeZone: string): number {
  const wall = wallClock(instant, timeZone);
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant the zone's clocks show this local time (day may overflow: day + 1 is tomorrow). */
function instantOf(year: number, month: number, day: number, minuteOfDay: number, timeZone: string): Date {
  const asUtc = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  const guess = asUtc - offsetMs(new Date(asUtc), timeZone);
  return new Date(asUtc - offsetMs(new Date(guess), timeZone));
}

const localMinuteOfDay = (instant: Date, timeZone: string): number => {
  const wall = wallClock(instant, timeZone);
  return wall.hour * 60 + wall.minute;
};

export function isQuietAt(instant: Date, quiet: QuietHours | null, timeZone: string): boolean {
  if (quiet === null) return false;
  const minute = localMinuteOfDay(instant, timeZone);
  return quiet.startMinute < quiet.endMinute
    ? minute >= quiet.startMinute && minute < quiet.endMinute
    : minute >= quiet.startMinute || minute < quiet.endMinute;
}

/** When the quiet period containing `instant` ends (only meaningful while `isQuietAt`). */
export function quietHoursEnd(instant: Date, quiet: QuietHours, timeZone: string): Date {
  const wall = wallClock(instant, timeZone);
  const minute = wall.hour * 60 + wall.minute;
  const endsTomorrow = minute >= quiet.endMinute;
  return instantOf(wall.year, wall.month, wall.day + (endsTomorrow ? 1 : 0), quiet.endMinute, timeZone);
}

/** Local midnight that started the day `instant` is in. */
export function startOfLocalDay(instant: Date, timeZone: string): Date {
  const wall = wallClock(instant, timeZone);
  return instantOf(wall.year, wall.month, wall.day, 0, timeZone);
}

/** The next local midnight after `instant`. */
export function nextLocalMidnight(instant: Date, timeZone: string): Date {
  const wall = wallClock(instant, timeZone);
  return instantOf(wall.year, wall.month, wall.day + 1, 0, timeZone);
}
