import { describe, expect, it } from 'vitest';
import { addDays, defaultRange, humanDuration, percentOf, toQueryRange } from './figures.ts';

describe('the dashboard range', () => {
  it('defaults to the last 30 days, today included', () => {
    expect(defaultRange(new Date(2025, 2, 10, 15, 30))).toEqual({ from: '2025-02-09', through: '2025-03-10' });
    expect(toQueryRange(defaultRange(new Date(2025, 2, 10)))).toEqual({ from: '2025-02-09', to: '2025-03-11' });
  });

  it('counts calendar days across month ends, leap days and daylight saving changes', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-03-31', 1)).toBe('2025-04-01');
    expect(addDays('2025-03-09', -1)).toBe('2025-03-08');
  });

  it('asks for one day when start and end are the same day', () => {
    expect(toQueryRange({ from: '2025-03-10', through: '2025-03-10' })).toEqual({ from: '2025-03-10', to: '2025-03-11' });
  });

  it('explains instead of asking when a date is missing, reversed or the range is longer than 366 days', () => {
    expect(toQueryRange({ from: '', through: '2025-03-10' })).toEqual({ problem: 'Choose both dates.' });
    expect(toQueryRange({ from: '2025-03-10', through: '2025-03-09' })).toEqual({ problem: 'The end date must not be before the start date.' });
    expect(toQueryRange({ from: '2024-01-01', through: '2024-12-31' })).toEqual({ from: '2024-01-01', to: '2025-01-01' });
    expect(toQueryRange({ from: '2024-01-01', through: '2025-01-01' })).toEqual({ problem: 'Choose at most 366 days.' });
  });
});

describe('dashboard figures', () => {
  it('says durations in their two largest units', () => {
    expect(humanDuration(0)).toBe('0 s');
    expect(humanDuration(45.4)).toBe('45 s');
    expect(humanDuration(90)).toBe('1 min 30 s');
    expect(humanDuration(600)).toBe('10 min');
    expect(humanDuration(3605)).toBe('1 h');
    expect(humanDuration(7_500)).toBe('2 h 5 min');
    expect(humanDuration(273_600)).toBe('3 d 4 h');
  });

  it('gives a share of the cohort, or a dash for an empty one', () => {
    expect(percentOf(2, 5)).toMatch(/^40\s?%$/);
    expect(percentOf(1, 3)).toMatch(/^33[.,]3\s?%$/);
    expect(percentOf(0, 0)).toBe('—');
  });
});
