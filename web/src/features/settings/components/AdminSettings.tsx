import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { ErrorNotice, errorMessage } from '../../../components/ErrorNotice.tsx';
import { fullDateTime } from '../../../lib/time.ts';
import { DEAD_LETTERS, RETRY_DEAD_LETTER, SETTINGS_TEMPLATES } from '../api/admin.ts';
import { BotTexts } from './BotTexts.tsx';
import { KnowledgeBase } from './KnowledgeBase.tsx';
import { Recruiters } from './Recruiters.tsx';

function Templates() {
  const { data, error } = useQuery(SETTINGS_TEMPLATES);
  return (
    <section className="settings__section" aria-labelledby="templates-title">
      <h2 id="templates-title">Approved WhatsApp templates</h2>
      {error && <ErrorNotice error={error} />}
      {data && data.messageTemplates.length === 0 && <p>No approved templates.</p>}
      <ul className="template-list">
        {data?.messageTemplates.map((template) => (
          <li key={template.id}>
            <strong>{template.name}</strong> ({template.language}) — {template.body}
            {template.variables.length > 0 && <div className="template-list__vars">Variables: {template.variables.join(', ')}</div>}
          </li>
        ))}
      </ul>
    </section>
  );
}

function DeadLetters() {
  const { data, error } = useQuery(DEAD_LETTERS, { fetchPolicy: 'network-only' });
  const [retry] = useMutation(RETRY_DEAD_LETTER, { refetchQueries: [DEAD_LETTERS] });
  const [problem, setProblem] = useState<string | null>(null);
  const letters = data?.deadLetters.nodes ?? [];
  return (
    <section className="settings__section" aria-labelledby="dead-letters-title">
      <h2 id="dead-letters-title">Failed background jobs</h2>
      {error && <ErrorNotice error={error} />}
      {problem && (
        <p className="notice notice--error" role="alert">
          {problem}
        </p>
      )}
      {data && letters.length === 0 && <p>None: every job finished.</p>}
      {letters.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last error</th>
              <th scope="col">Failed</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {letters.map((letter) => (
              <tr key={letter.id}>
                <td>
                  {letter.type}
                  <div className="table__detail">{letter.payload}</div>
                </td>
                <td>{letter.attempts}</td>
                <td>{letter.lastError ?? '—'}</td>
                <td>{fullDateTime(letter.failedAt)}</td>
                <td>
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => {
                      setProblem(null);
                      retry({ variables: { id: letter.id } }).catch((failure: unknown) => setProblem(errorMessage(failure)));
                    }}
                  >
                    Retry
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** What admins see beyond their own preferences. */
export function AdminSettings() {
  return (
    <>
      <Recruiters />
      <Templates />
      <BotTexts />
      <KnowledgeBase />
      <DeadLetters />
    </>
  );
}
