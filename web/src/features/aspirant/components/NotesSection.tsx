import { type FormEvent, useState } from 'react';
import { errorMessage } from '../../../components/ErrorNotice.tsx';
import { SafeText } from '../../../components/SafeText.tsx';
import type { AspirantDetailsFragment } from '../../../generated/operations.ts';
import { fullDateTime } from '../../../lib/time.ts';
import { useAddNote } from '../api/mutations.ts';

const MAX_NOTE_LENGTH = 2000;

/** Notes recruiters keep for each other; the aspirant never sees them. */
export function NotesSection({ aspirant }: { readonly aspirant: AspirantDetailsFragment }) {
  const addNote = useAddNote();
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body = draft.trim();
    if (body === '') return;
    setBusy(true);
    setError(null);
    try {
      await addNote(aspirant.id, body);
      setDraft('');
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel__section" aria-labelledby="notes-title">
      <h3 id="notes-title">Private notes</h3>
      <ol className="notes">
        {aspirant.notes.map((note) => (
          <li key={note.id} className="note">
            <SafeText className="note__body" text={note.body} />
            <div className="note__meta">
              {note.author?.name ?? 'Someone'} · {fullDateTime(note.createdAt)}
            </div>
          </li>
        ))}
      </ol>
      <form className="notes__form" onSubmit={submit}>
        <label className="visually-hidden" htmlFor={`note-${aspirant.id}`}>
          New private note
        </label>
        <textarea id={`note-${aspirant.id}`} rows={2} maxLength={MAX_NOTE_LENGTH} placeholder="Add a private note" value={draft} onChange={(event) => setDraft(event.target.value)} />
        <button type="submit" className="button button--small" disabled={busy || draft.trim() === ''}>
          Add note
        </button>
      </form>
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
