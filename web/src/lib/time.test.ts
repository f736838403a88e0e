import { describe, expect, it } from 'vitest';
import { windowCountdown } from './time.ts';

const NOW = Date.parse('2025-03-10T12:00:00Z');
const at = (msFromNow: number) => new Date(NOW + msFromNow).toISOString();

describe('the 24-hour window countdown', () => {
  it('is open with hours and minutes left, closing in its last two hours, closed after', () => {
    expect(windowCountdown(at(23 * 3_600_000 + 5 * 60_000), NOW)).toMatchObject({ phase: 'OPEN', label: '23h 05m' });
    expect(windowCountdown(at(2 * 3_600_000), NOW)).toMatchObject({ phase: 'CLOSING', label: '2h 00m' });
    expect(windowCountdown(at(45 * 60_000), NOW)).toMatchObject({ phase: 'CLOSING', label: '45m' });
    expect(windowCountdown(at(30_000), NOW)).toMatchObject({ phase: 'CLOSING', label: '<1m' });
    expect(windowCountdown(at(0), NOW)).toMatchObject({ phase: 'CLOSED' });
  });

  it('is closed before the aspirant has written', () => {
    expect(windowCountdown(null, NOW).phase).toBe('CLOSED');
  });
});
