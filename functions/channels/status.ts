import type { OutboundStatus, StatusUpdate } from './model.ts';

export type StatusEvent = Pick<StatusUpdate, 'status' | 'errorCode' | 'errorMessage'>;

export interface DerivedStatus {
  readonly status: OutboundStatus;
  readonly failureCode?: string;
  readonly failureReason?: string;
}

/**
 * Providers do not deliver status callbacks in order and Twilio's carry no timestamp, so the status is the
 * highest-ranked event ever received, whatever the order. Failed and undelivered are terminal: they outrank
 * the sending pipeline (queued, sending, sent) and nothing short of proof of arrival replaces them. A
 * delivered or read receipt is that proof — the phone got the message — so it outranks a failure report,
 * which can only be stale or wrong (for instance a failed send retried by the provider).
 */
const RANK: Readonly<Record<OutboundStatus, number>> = {
  queued: 0,
  sending: 1,
  sent: 2,
  failed: 3,
  undelivered: 3,
  delivered: 4,
  read: 5,
};

/**
 * A total order on events, so the maximum does not depend on arrival order: rank first, then, between
 * failure reports of equal rank, by status, code and message.
 */
function compareEvents(a: StatusEvent, b: StatusEvent): number {
  return (
    RANK[a.status] - RANK[b.status] ||
    compareText(a.status, b.status) ||
    compareText(a.errorCode ?? '', b.errorCode ?? '') ||
    compareText(a.errorMessage ?? '', b.errorMessage ?? '')
  );
}

/** Code-unit order: unlike localeCompare, the same in every locale. */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A message's current status from all its status events, in any order; queued before the first event. */
export function deriveStatus(events: readonly StatusEvent[]): DerivedStatus {
  const winner = events.reduce<StatusEvent | undefined>(
    (best, event) => (best === undefined || compareEvents(event, best) > 0 ? event : best),
    undefined,
  );
  if (winner === undefined) return { status: 'queued' };
  if (winner.status !== 'failed' && winner.status !== 'undelivered') return { status: winner.status };
  return {
    status: winner.status,
    ...(winner.errorCode === undefined ? {} : { failureCode: winner.errorCode }),
    ...(winner.errorMessage === undefined ? {} : { failureReason: winner.errorMessage }),
  };
}
