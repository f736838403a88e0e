import { type OutboxEntry, outgoingText } from '../stores/outbox.ts';

/** Sends the server refused or never answered, with the reason, a retry that reuses the key, and discard. */
export function FailedSends({
  entries,
  onRetry,
  onDiscard,
}: {
  readonly entries: readonly OutboxEntry[];
  readonly onRetry: (entry: OutboxEntry) => void;
  readonly onDiscard: (entry: OutboxEntry) => void;
}) {
  if (entries.length === 0) return null;
  return (
    <ul className="failed-sends" aria-label="Messages not sent">
      {entries.map((entry) => (
        <li key={entry.idempotencyKey} className="failed-sends__item" role={entry.state === 'failed' ? 'alert' : 'status'}>
          <div>
            <strong>{entry.state === 'sending' ? 'Sending again:' : 'Not sent:'}</strong> <span className="failed-sends__text">{outgoingText(entry.content)}</span>
            {entry.state === 'failed' && <div className="failed-sends__reason">{entry.error}</div>}
          </div>
          <div className="failed-sends__actions">
            <button type="button" className="button button--small" onClick={() => onRetry(entry)} disabled={entry.state === 'sending'}>
              {entry.state === 'sending' ? 'Retrying…' : 'Retry'}
            </button>
            <button type="button" className="button button--small button--link" onClick={() => onDiscard(entry)} disabled={entry.state === 'sending'}>
              Discard
            </button>
          </div>
        </li>
      ))}
    </ul>
  );
}
