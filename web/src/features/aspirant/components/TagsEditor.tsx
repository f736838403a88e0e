import { type FormEvent, useState } from 'react';
import { errorMessage } from '../../../components/ErrorNotice.tsx';
import type { AspirantDetailsFragment } from '../../../generated/operations.ts';
import { useSetTags } from '../api/mutations.ts';

const MAX_TAG_LENGTH = 32;

export function TagsEditor({ aspirant }: { readonly aspirant: AspirantDetailsFragment }) {
  const setTags = useSetTags();
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const save = async (tags: string[]) => {
    setError(null);
    try {
      await setTags(aspirant.id, tags, aspirant.updatedAt);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };
  const add = (event: FormEvent) => {
    event.preventDefault();
    const tag = draft.trim();
    if (tag === '') return;
    setDraft('');
    if (!aspirant.tags.some((existing) => existing.toLowerCase() === tag.toLowerCase())) void save([...aspirant.tags, tag]);
  };
  return (
    <section className="panel__section" aria-labelledby="tags-title">
      <h3 id="tags-title">Tags</h3>
      <ul className="tags">
        {aspirant.tags.map((tag) => (
          <li key={tag} className="tag">
            {tag}
            <button type="button" className="tag__remove" aria-label={`Remove tag ${tag}`} onClick={() => void save(aspirant.tags.filter((other) => other !== tag))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <form className="inline-form" onSubmit={add}>
        <label>
          <span className="visually-hidden">New tag</span>
          <input value={draft} maxLength={MAX_TAG_LENGTH} placeholder="Add a tag" onChange={(event) => setDraft(event.target.value)} />
        </label>
        <button type="submit" className="button button--small" disabled={draft.trim() === ''}>
          Add
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
