import type { AssigneeFilter, InboxSort, PipelineStatus, WindowState } from '../../../generated/graphql.ts';
import { pipelineStatusLabels, pipelineStatuses } from '../../../lib/labels.ts';
import { isFiltered, useInboxView } from '../stores/inboxView.ts';

const assigneeOptions: readonly { value: AssigneeFilter; label: string }[] = [
  { value: 'MINE', label: 'Mine' },
  { value: 'UNASSIGNED', label: 'Unassigned' },
  { value: 'ALL', label: 'All' },
];

export function InboxFilters() {
  const view = useInboxView();
  const toggleStatus = (status: PipelineStatus) =>
    view.update({ statuses: view.statuses.includes(status) ? view.statuses.filter((item) => item !== status) : [...view.statuses, status] });

  return (
    <div className="filters">
      <label className="filters__search">
        <span className="visually-hidden">Search by name or phone</span>
        <input
          type="search"
          placeholder="Search name or phone"
          maxLength={100}
          value={view.search}
          onChange={(event) => view.update({ search: event.target.value })}
        />
      </label>
      <div className="segmented" role="radiogroup" aria-label="Whose conversations">
        {assigneeOptions.map((option) => (
          <button
            key={option.value}
            type="button"
            role="radio"
            aria-checked={view.assignee === option.value}
            className={`segmented__option${view.assignee === option.value ? ' is-on' : ''}`}
            onClick={() => view.update({ assignee: option.value })}
          >
            {option.label}
          </button>
        ))}
      </div>
      <div className="filters__row">
        <details className="filters__statuses">
          <summary>{view.statuses.length === 0 ? 'Any status' : `${view.statuses.length} status${view.statuses.length > 1 ? 'es' : ''}`}</summary>
          <fieldset>
            <legend className="visually-hidden">Pipeline status</legend>
            {pipelineStatuses.map((status) => (
              <label key={status} className="check">
                <input type="checkbox" checked={view.statuses.includes(status)} onChange={() => toggleStatus(status)} />
                {pipelineStatusLabels[status]}
              </label>
            ))}
          </fieldset>
        </details>
        <label>
          <span className="visually-hidden">24-hour window</span>
          <select value={view.window ?? ''} onChange={(event) => view.update({ window: (event.target.value || null) as WindowState | null })}>
            <option value="">Any window</option>
            <option value="OPEN">Window open</option>
            <option value="CLOSING">Closing (&lt; 2 h)</option>
            <option value="CLOSED">Window closed</option>
          </select>
        </label>
        <label>
          <span className="visually-hidden">Opted out</span>
          <select
            value={view.optedOut === null ? '' : String(view.optedOut)}
            onChange={(event) => view.update({ optedOut: event.target.value === '' ? null : event.target.value === 'true' })}
          >
            <option value="">Opted out: any</option>
            <option value="false">Hide opted out</option>
            <option value="true">Only opted out</option>
          </select>
        </label>
        <label>
          <span className="visually-hidden">Sort</span>
          <select value={view.sort} onChange={(event) => view.update({ sort: event.target.value as InboxSort })}>
            <option value="LAST_ACTIVITY">Latest activity</option>
            <option value="WINDOW_EXPIRY">Window closing first</option>
          </select>
        </label>
        {isFiltered(view) && (
          <button type="button" className="button button--link" onClick={() => view.update({ statuses: [], window: null, optedOut: null, search: '' })}>
            Clear filters
          </button>
        )}
      </div>
    </div>
  );
}
