import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OutboundStatus } from './model.ts';
import { deriveStatus, type StatusEvent } from './status.ts';

const statusEvent: fc.Arbitrary<StatusEvent> = fc.oneof(
  fc.constantFrom<OutboundStatus>('queued', 'sending', 'sent', 'delivered', 'read').map((status) => ({ status })),
  fc.record({
    status: fc.constantFrom<OutboundStatus>('failed', 'undelivered'),
    errorCode: fc.constantFrom('63016', '63018', '21610', '30008'),
    errorMessage: fc.constantFrom('outside the window', 'tier limit', 'opted out'),
  }),
);

/** The events and the same events in another order. */
const eventsInTwoOrders = fc
  .array(statusEvent, { maxLength: 12 })
  .chain((events) => fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length })));

/** The expected status, stated directly from the rules rather than by rank. */
function expectedStatus(events: readonly StatusEvent[]): OutboundStatus {
  const seen = new Set(events.map((event) => event.status));
  if (seen.has('read')) return 'read';
  if (seen.has('delivered')) return 'delivered';
  if (seen.has('undelivered')) return 'undelivered';
  if (seen.has('failed')) return 'failed';
  if (seen.has('sent')) return 'sent';
  if (seen.has('sending')) return 'sending';
  return 'queued';
}

describe('deriveStatus', () => {
  it('gives the same status, code and reason for every arrival order of the same callbacks', () => {
    fc.assert(
      fc.property(eventsInTwoOrders, ([events, reordered]) => {
        expect(deriveStatus(reordered)).toEqual(deriveStatus(events));
      }),
      { numRuns: 2000 },
    );
  });

  it('ends at the highest status reached: read over delivered over a failure over the sending pipeline', () => {
    fc.assert(
      fc.property(fc.array(statusEvent, { maxLength: 12 }), (events) => {
        const derived = deriveStatus(events);
        expect(derived.status).toBe(expectedStatus(events));
        if (derived.status === 'failed' || derived.status === 'undelivered') {
          expect(events).toContainEqual({ status: derived.status, errorCode: derived.failureCode, errorMessage: derived.failureReason });
        } else {
          expect(derived.failureCode).toBeUndefined();
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never goes backwards when another callback arrives', () => {
    const order: OutboundStatus[] = ['queued', 'sending', 'sent', 'failed', 'delivered', 'read'];
    const rank = (status: OutboundStatus) => (status === 'undelivered' ? order.indexOf('failed') : order.indexOf(status));
    fc.assert(
      fc.property(fc.array(statusEvent, { maxLength: 12 }), statusEvent, (events, late) => {
        expect(rank(deriveStatus([...events, late]).status)).toBeGreaterThanOrEqual(rank(deriveStatus(events).status));
      }),
      { numRuns: 2000 },
    );
  });

  it('settles every ordering of a realistic callback sequence on the same final state', () => {
    const callbacks: StatusEvent[] = [
      { status: 'queued' },
      { status: 'sending' },
      { status: 'sent' },
      { status: 'delivered' },
      { status: 'undelivered', errorCode: '30008', errorMessage: 'unknown' },
    ];
    const orderings = permutations(callbacks);
    expect(orderings).toHaveLength(120);
    for (const ordering of orderings) expect(deriveStatus(ordering)).toEqual({ status: 'delivered' });
  });

  it('keeps a failure terminal against late queued, sending and sent callbacks', () => {
    const failure = { status: 'undelivered', errorCode: '63016', errorMessage: 'Outside the 24-hour window' } as const;
    expect(deriveStatus([{ status: 'sent' }, failure, { status: 'sending' }, { status: 'queued' }])).toEqual({
      status: 'undelivered',
      failureCode: '63016',
      failureReason: 'Outside the 24-hour window',
    });
  });

  it('lets a read receipt that arrives after a failure win, because the phone got the message', () => {
    expect(deriveStatus([{ status: 'failed', errorCode: '30008', errorMessage: 'unknown' }, { status: 'read' }])).toEqual({ status: 'read' });
  });

  it('is queued before any callback', () => {
    expect(deriveStatus([])).toEqual({ status: 'queued' });
  });
});

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}
