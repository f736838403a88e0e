import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { errorMessage } from '../../../components/ErrorNotice.tsx';
import type { AspirantDetailsFragment } from '../../../generated/operations.ts';
import { useEraseAspirant } from '../api/dataRights.ts';

// Spaces, dashes and brackets are how people write numbers; the server compares the numbers themselves.
const digitsOf = (phone: string) => phone.replace(/\D/g, '');

/**
 * Confirms an erasure in a modal <dialog>: it says what goes and that it cannot be undone, and the button only
 * works once the aspirant's phone number has been typed.
 */
export function EraseAspirantDialog({
  aspirant,
  onClose,
  onErased,
}: {
  readonly aspirant: Pick<AspirantDetailsFragment, 'id' | 'displayName' | 'phone'>;
  readonly onClose: () => void;
  readonly onErased: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const erase = useEraseAspirant();
  const inputId = useId();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  const confirmed = digitsOf(typed) !== '' && digitsOf(typed) === digitsOf(aspirant.phone);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!confirmed || busy) return;
    setBusy(true);
    setProblem(null);
    try {
      await erase(aspirant.id, typed);
    } catch (failure) {
      setProblem(errorMessage(failure));
      setBusy(false);
      return;
    }
    // The aspirant is gone from the cache and this panel with it.
    onErased();
  };

  return (
    <dialog ref={dialog} className="erase-dialog" aria-labelledby={`${inputId}-title`} onClose={onClose}>
      <form onSubmit={(event) => void submit(event)}>
        <h2 id={`${inputId}-title`}>Erase {aspirant.displayName}?</h2>
        <p>This permanently deletes everything stored about this aspirant, for everyone. It cannot be undone; export the data first if it must be kept.</p>
        <ul>
          <li>the conversation and every message, with delivery statuses</li>
          <li>photos and attachments, including the stored files</li>
          <li>form links and submitted forms, profile, tags and private notes</li>
          <li>status history, the bot&apos;s state and traces, and messages still waiting to be sent</li>
        </ul>
        <p>Only a record that an admin erased an aspirant (when, and by whom) is kept. If they write again, they start over as a new aspirant.</p>
        <label className="field" htmlFor={inputId}>
          <span className="field__label">
            Type the phone number <span className="erase-dialog__phone">{aspirant.phone}</span> to confirm
          </span>
          <input id={inputId} type="text" inputMode="tel" autoComplete="off" value={typed} onChange={(event) => setTyped(event.target.value)} />
        </label>
        {problem && (
          <p className="notice notice--error" role="alert">
            {problem}
          </p>
        )}
        <div className="erase-dialog__actions">
          <button type="button" className="button" onClick={() => dialog.current?.close()} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="button button--danger button--solid" disabled={!confirmed || busy}>
            {busy ? 'Erasing…' : 'Erase permanently'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
