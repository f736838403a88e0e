import type { ThreadMessageFragment } from '../../../generated/operations.ts';

/** What the bot decided and why, folded away under its message until a recruiter asks. */
export function BotTrace({ entries }: { readonly entries: ThreadMessageFragment['botTrace'] }) {
  return (
    <details className="trace">
      <summary>
        Bot trace ({entries.length} step{entries.length === 1 ? '' : 's'})
      </summary>
      <ol className="trace__steps">
        {entries.map((entry) => (
          <li key={entry.id}>
            <strong>{entry.agent}</strong>
            {entry.intent && <span> · {entry.intent}</span>}
            {entry.confidence !== null && <span> · {Math.round(entry.confidence * 100)}%</span>}
            {entry.latencyMs !== null && <span> · {entry.latencyMs} ms</span>}
            {entry.summary && <div className="trace__summary">{entry.summary}</div>}
          </li>
        ))}
      </ol>
    </details>
  );
}
