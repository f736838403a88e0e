import type { DeliveryStatus } from '../../../generated/graphql.ts';
import type { ThreadMessageFragment } from '../../../generated/operations.ts';
import { deliveryStatusLabels } from '../../../lib/labels.ts';
import { fullDateTime } from '../../../lib/time.ts';

const marks: Readonly<Record<DeliveryStatus, string>> = {
  RECEIVED: '',
  QUEUED: '…',
  SENDING: '…',
  SENT: '✓',
  DELIVERED: '✓✓',
  READ: '✓✓',
  FAILED: '!',
  UNDELIVERED: '!',
};

/** WhatsApp-style ticks; the tooltip lists every status with its time. */
export function DeliveryTicks({ message, pending }: { readonly message: ThreadMessageFragment; readonly pending: boolean }) {
  const status: DeliveryStatus = pending ? 'SENDING' : message.status;
  const history = message.statusHistory
    .map((event) => `${deliveryStatusLabels[event.status]} ${fullDateTime(event.receivedAt)}${event.errorMessage ? ` — ${event.errorMessage}` : ''}`)
    .join('\n');
  return (
    <span
      className={`ticks ticks--${status.toLowerCase()}`}
      role="img"
      aria-label={deliveryStatusLabels[status]}
      title={history || deliveryStatusLabels[status]}
      data-status={status}
    >
      {marks[status]}
    </span>
  );
}
