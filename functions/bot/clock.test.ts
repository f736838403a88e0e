import { describe, expect, it } from 'vitest';
import { isQuietAt, nextLocalMidnight, parseQuietHours, quietHoursEnd, startOfLocalDay } from './clock.ts';
import { parseConfig } from '../shared/config.ts';

const quiet = parseQuietHours('21:00-08:00')!;

describe('quiet hours in the agency time zone', () => {
  it('spans midnight in local time, not UTC', () => {
    // Mexico City is UTC-6 all year.
    expect(isQuietAt(new Date('2030-03-05T02:59:00Z'), quiet, 'America/Mexico_City')).toBe(false); // 20:59
    expect(isQuietAt(new Date('2030-03-05T03:00:00Z'), quiet, 'America/Mexico_City')).toBe(true); // 21:00
    expect(isQuietAt(new Date('2030-03-05T13:59:00Z'), quiet, 'America/Mexico_City')).toBe(true); // 07:59
    expect(isQuietAt(new Date('2030-03-05T14:00:00Z'), quiet, 'America/Mexico_City')).toBe(false); // 08:00
    expect(isQuietAt(new Date('2030-03-05T03:00:00Z'), null, 'America/Mexico_City')).toBe(false);
    const daytime = parseQuietHours('13:00-15:30')!;
    expect(isQuietAt(new Date('2030-03-05T14:00:00Z'), daytime, 'UTC')).toBe(true);
    expect(isQuietAt(new Date('2030-03-05T15:30:00Z'), daytime, 'UTC')).toBe(false);
  });

  it('ends at the local hour across a daylight-saving change', () => {
    // Madrid moves from UTC+1 to UTC+2 in the night of 30 to 31 March 2030.
    expect(quietHoursEnd(new Date('2030-03-30T21:00:00Z'), quiet, 'Europe/Madrid').toISOString()).toBe('2030-03-31T06:00:00.000Z');
    expect(quietHoursEnd(new Date('2030-03-31T01:30:00Z'), quiet, 'Europe/Madrid').toISOString()).toBe('2030-03-31T06:00:00.000Z');
    // São Paulo has no daylight saving since 2019: 08:00 is 11:00 UTC.
    expect(quietHoursEnd(new Date('2030-07-01T01:00:00Z'), quiet, 'America/Sao_Paulo').toISOString()).toBe('2030-07-01T11:00:00.000Z');
  });

  it('knows where the local day starts and ends', () => {
    expect(startOfLocalDay(new Date('2030-03-05T05:00:00Z'), 'America/Mexico_City').toISOString()).toBe('2030-03-04T06:00:00.000Z');
    expect(nextLocalMidnight(new Date('2030-03-05T05:00:00Z'), 'America/Mexico_City').toISOString()).toBe('2030-03-05T06:00:00.000Z');
    expect(nextLocalMidnight(new Date('2030-03-30T23:30:00Z'), 'Europe/Madrid').toISOString()).toBe('2030-03-31T22:00:00.000Z');
  });
});

describe('bot settings', () => {
  it('has defaults for every variable', () => {
    expect(parseConfig({}).bot).toEqual({
      timeZone: 'UTC',
      quietHours: { startMinute: 21 * 60, endMinute: 8 * 60 },
      dailyMessageCap: 10,
      formReminderDelayHours: 4,
      maxFormReminders: 2,
      photoChecklist: ['headshot', 'full_body', 'profile'],
      defaultLanguage: 'es',
    });
    expect(parseConfig({ QUIET_HOURS: 'off', PHOTO_CHECKLIST: 'headshot, profile' }).bot).toMatchObject({ quietHours: null, photoChecklist: ['headshot', 'profile'] });
  });

  it.each([
    [{ AGENCY_TIME_ZONE: 'Mars/Olympus' }, 'AGENCY_TIME_ZONE must be an IANA time zone'],
    [{ QUIET_HOURS: '9pm-8am' }, 'QUIET_HOURS must look like 21:00-08:00'],
    [{ QUIET_HOURS: '08:00-08:00' }, 'must not start and end at the same time'],
    [{ BOT_DAILY_MESSAGE_CAP: '0' }, 'BOT_DAILY_MESSAGE_CAP'],
    [{ FORM_REMINDER_DELAY_HOURS: '30' }, 'FORM_REMINDER_DELAY_HOURS'],
    [{ PHOTO_CHECKLIST: 'headshot,selfie' }, 'PHOTO_CHECKLIST'],
    [{ PHOTO_CHECKLIST: 'headshot,headshot' }, 'each photo kind once'],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => parseConfig(env).bot).toThrow(message);
  });
});
