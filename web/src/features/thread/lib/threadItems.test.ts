import { describe, expect, it } from 'vitest';
import type { ThreadMessageFragment } from '../../../generated/operations.ts';
import { threadItems } from './threadItems.ts';

/** Local times, since days start at the browser's midnight. */
const localIso = (day: number, hour: number, minute = 0) => new Date(2025, 2, day, hour, minute).toISOString();
const message = (id: string, occurredAt: string) => ({ id, occurredAt }) as ThreadMessageFragment;

describe('a thread as it is drawn', () => {
  it('runs oldest to newest with a separator at each new local day', () => {
    const newestFirst = [message('m3', localIso(10, 0, 5)), message('m2', localIso(9, 23, 55)), message('m1', localIso(9, 8))];
    const items = threadItems(newestFirst, new Date(2025, 2, 10, 12).getTime());
    expect(items.map((item) => (item.kind === 'day' ? `day:${item.label}` : item.key))).toEqual(['day:Yesterday', 'm1', 'm2', 'day:Today', 'm3']);
  });
});
