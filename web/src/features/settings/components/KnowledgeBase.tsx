import { useMutation, useQuery } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import { ErrorNotice, errorMessage } from '../../../components/ErrorNotice.tsx';
import type { Language } from '../../../generated/graphql.ts';
import { fullDateTime } from '../../../lib/time.ts';
import { ADD_KNOWLEDGE_DOCUMENT, DELETE_KNOWLEDGE_DOCUMENT, KNOWLEDGE_DOCUMENTS } from '../api/bot.ts';

/** The API's limit for one document. */
const MAX_DOCUMENT_BYTES = 1024 * 1024;

/** The documents the bot's FAQ agent answers from (and cites): plain text or Markdown. */
export function KnowledgeBase() {
  const { data, error } = useQuery(KNOWLEDGE_DOCUMENTS);
  const [add, { loading: adding }] = useMutation(ADD_KNOWLEDGE_DOCUMENT, { refetchQueries: [KNOWLEDGE_DOCUMENTS] });
  const [remove] = useMutation(DELETE_KNOWLEDGE_DOCUMENT, { refetchQueries: [KNOWLEDGE_DOCUMENTS] });
  const [problem, setProblem] = useState<string | null>(null);

  const upload = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = new FormData(form);
    const file = fields.get('file');
    setProblem(null);
    if (!(file instanceof File) || file.size === 0) return setProblem('Choose a .txt or .md file.');
    if (file.size > MAX_DOCUMENT_BYTES) return setProblem('The file is larger than 1 MiB.');
    try {
      const title = String(fields.get('title') ?? '').trim() || file.name.replace(/\.(txt|md)$/i, '');
      await add({ variables: { input: { title, fileName: file.name, language: fields.get('language') as Language, text: await file.text() } } });
      form.reset();
    } catch (failure) {
      setProblem(errorMessage(failure));
    }
  };

  return (
    <section className="settings__section" aria-labelledby="knowledge-title">
      <h2 id="knowledge-title">Knowledge base</h2>
      {error && <ErrorNotice error={error} />}
      {data && data.knowledgeDocuments.length === 0 && <p>No documents yet: the bot hands questions it cannot answer to a recruiter.</p>}
      {data && data.knowledgeDocuments.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Language</th>
              <th scope="col">Passages</th>
              <th scope="col">Added</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.knowledgeDocuments.map((document) => (
              <tr key={document.id}>
                <td>
                  {document.title}
                  <div className="table__detail">
                    {document.fileName} · {Math.max(1, Math.round(document.sizeBytes / 1024))} KB
                  </div>
                </td>
                <td>{document.language}</td>
                <td>{document.passageCount}</td>
                <td>
                  {fullDateTime(document.createdAt)}
                  {document.uploadedBy ? ` by ${document.uploadedBy.name}` : ''}
                </td>
                <td>
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => {
                      if (!window.confirm(`Remove "${document.title}" from the knowledge base?`)) return;
                      remove({ variables: { id: document.id } }).catch((failure: unknown) => setProblem(errorMessage(failure)));
                    }}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="knowledge__form" onSubmit={(event) => void upload(event)} aria-label="Add a document">
        <label className="field">
          <span className="field__label">Title</span>
          <input name="title" maxLength={200} placeholder="From the file name when empty" />
        </label>
        <label className="field">
          <span className="field__label">Language</span>
          <select name="language" defaultValue="ES">
            <option value="ES">Spanish</option>
            <option value="EN">English</option>
            <option value="PT">Portuguese</option>
          </select>
        </label>
        <label className="field">
          <span className="field__label">File (.txt or .md, up to 1 MiB)</span>
          <input name="file" type="file" accept=".txt,.md,text/plain,text/markdown" required />
        </label>
        {problem && (
          <p className="notice notice--error" role="alert">
            {problem}
          </p>
        )}
        <div>
          <button type="submit" className="button button--small" disabled={adding}>
            Add document
          </button>
        </div>
      </form>
    </section>
  );
}
