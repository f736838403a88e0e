import { useLiveStatus } from '../lib/live/connection.ts';

const texts = {
  live: 'Live',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting… updates resume and missed messages load when the connection is back',
  offline: 'Offline — missed messages load when the connection is back',
} as const;

/** Whether what is on screen is current: a dropped connection is never silent. */
export function ConnectionStatus() {
  const status = useLiveStatus();
  return (
    <span className={`connection connection--${status}`} role="status" data-status={status}>
      <span className="connection__dot" aria-hidden="true" />
      <span className="connection__text">{texts[status]}</span>
    </span>
  );
}
