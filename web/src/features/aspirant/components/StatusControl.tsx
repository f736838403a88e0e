import { type FormEvent, useState } from 'react';
import { errorMessage } from '../../../components/ErrorNotice.tsx';
import { StatusChip } from '../../../components/StatusChip.tsx';
import type { PipelineStatus } from '../../../generated/graphql.ts';
import type { AspirantDetailsFragment } from '../../../generated/operations.ts';
import { pipelineStatusLabels } from '../../../lib/labels.ts';
import { useUpdateStatus } from '../api/mutations.ts';

/** The pipeline status, movable only to the statuses the server allows from here. */
export function StatusControl({ aspirant }: { readonly aspirant: AspirantDetailsFragment }) {
  const updateStatus = useUpdateStatus();
  const [next, setNext] = useState<PipelineStatus | ''>('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (next === '') return;
    setBusy(true);
    setError(null);
    try {
      await updateStatus(aspirant.id, next);
      setNext('');
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel__section" aria-labelledby="status-title">
      <h3 id="status-title">
        Status <StatusChip status={aspirant.status} />
      </h3>
      {aspirant.allowedTransitions.length > 0 && (
        <form className="inline-form" onSubmit={submit}>
          <label>
            <span className="visually-hidden">Move to status</span>
            <select value={next} onChange={(event) => setNext(event.target.value as PipelineStatus | '')}>
              <option value="">Move to…</option>
              {aspirant.allowedTransitions.map((status) => (
                <option key={status} value={status}>
                  {pipelineStatusLabels[status]}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="button button--small" disabled={next === '' || busy}>
            Move
          </button>
        </form>
      )}
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
