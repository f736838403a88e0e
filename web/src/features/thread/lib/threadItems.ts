import type { ThreadMessageFragment } from '../../../generated/operations.ts';
import { dayKey, dayLabel } from '../../../lib/time.ts';

export type ThreadItem =
  | { readonly kind: 'day'; readonly key: string; readonly label: string }
  | { readonly kind: 'message'; readonly key: string; readonly message: ThreadMessageFragment };

/** Oldest first, with a separator wherever the local calendar day changes. */
export function threadItems(newestFirst: readonly ThreadMessageFragment[], now: number): ThreadItem[] {
  const items: ThreadItem[] = [];
  let currentDay: string | undefined;
  for (let index = newestFirst.length - 1; index >= 0; index -= 1) {
    const message = newestFirst[index]!;
    const day = dayKey(message.occurredAt);
    if (day !== currentDay) {
      currentDay = day;
      items.push({ kind: 'day', key: `day-${day}`, label: dayLabel(message.occurredAt, now) });
    }
    items.push({ kind: 'message', key: message.id, message });
  }
  return items;
}
