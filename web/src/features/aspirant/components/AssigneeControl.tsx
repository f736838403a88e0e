import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { errorMessage } from '../../../components/ErrorNotice.tsx';
import type { AspirantDetailsFragment } from '../../../generated/operations.ts';
import { RECRUITERS } from '../api/aspirant.ts';
import { useAssignAspirant } from '../api/mutations.ts';
import type { PanelViewer } from './AspirantPanel.tsx';

/**
 * Who works this aspirant. Admins assign anyone; a recruiter may take an unassigned aspirant or release
 * their own — the server's rule, reflected here.
 */
export function AssigneeControl({ aspirant, viewer }: { readonly aspirant: AspirantDetailsFragment; readonly viewer: PanelViewer }) {
  const assign = useAssignAspirant();
  const recruiters = useQuery(RECRUITERS, { skip: !viewer.isAdmin });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (recruiterId: string | null) => {
    setBusy(true);
    setError(null);
    try {
      await assign(aspirant.id, recruiterId);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };
  const assigneeId = aspirant.assignee?.id ?? null;
  return (
    <section className="panel__section" aria-labelledby="assignee-title">
      <h3 id="assignee-title">Assignee</h3>
      <div className="inline-form">
        {viewer.isAdmin ? (
          <label>
            <span className="visually-hidden">Assign to</span>
            <select value={assigneeId ?? ''} disabled={busy} onChange={(event) => void run(event.target.value || null)}>
              <option value="">Unassigned</option>
              {(recruiters.data?.recruiters ?? [])
                .filter((recruiter) => recruiter.active || recruiter.id === assigneeId)
                .map((recruiter) => (
                  <option key={recruiter.id} value={recruiter.id}>
                    {recruiter.name}
                  </option>
                ))}
            </select>
          </label>
        ) : (
          <>
            <span>{aspirant.assignee ? (assigneeId === viewer.id ? 'You' : aspirant.assignee.name) : 'Unassigned'}</span>
            {assigneeId === null && (
              <button type="button" className="button button--small" disabled={busy} onClick={() => void run(viewer.id)}>
                Take
              </button>
            )}
            {assigneeId === viewer.id && (
              <button type="button" className="button button--small" disabled={busy} onClick={() => void run(null)}>
                Release
              </button>
            )}
          </>
        )}
      </div>
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
