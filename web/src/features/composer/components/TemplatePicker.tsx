import { useQuery } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import { ErrorNotice } from '../../../components/ErrorNotice.tsx';
import type { Language } from '../../../generated/graphql.ts';
import type { MessageTemplatesQuery } from '../../../generated/operations.ts';
import { MESSAGE_TEMPLATES } from '../api/composer.ts';
import { fillTemplate } from '../lib/templates.ts';

type Template = MessageTemplatesQuery['messageTemplates'][number];

/** Approved templates in the aspirant's language, their variables filled in before sending. */
export function TemplatePicker({
  language,
  defaultFirstVariable,
  onSend,
  onCancel,
}: {
  readonly language: Language | null;
  readonly defaultFirstVariable: string;
  readonly onSend: (template: Template, variables: string[], preview: string) => void;
  readonly onCancel: () => void;
}) {
  const { data, error, loading } = useQuery(MESSAGE_TEMPLATES, { variables: { language } });
  const [chosenId, setChosenId] = useState<string | null>(null);
  const [values, setValues] = useState<string[]>([]);
  const templates = data?.messageTemplates ?? [];
  const chosen = templates.find((template) => template.id === chosenId) ?? null;

  const choose = (template: Template) => {
    setChosenId(template.id);
    setValues(template.variables.map((_, index) => (index === 0 ? defaultFirstVariable : '')));
  };
  const complete = chosen !== null && values.length === chosen.variables.length && values.every((value) => value.trim() !== '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen && complete) onSend(chosen, values.map((value) => value.trim()), fillTemplate(chosen.body, values));
  };

  return (
    <form className="templates" onSubmit={submit} aria-label="Approved templates">
      <div className="templates__head">
        <strong>Approved templates</strong>
        <button type="button" className="button button--link" onClick={onCancel}>
          Close
        </button>
      </div>
      {loading && <p>Loading templates…</p>}
      {error && <ErrorNotice error={error} />}
      {data && templates.length === 0 && <p>No approved templates{language ? ` in ${language}` : ''}.</p>}
      <ul className="templates__list">
        {templates.map((template) => (
          <li key={template.id}>
            <label className="check">
              <input type="radio" name="template" checked={template.id === chosenId} onChange={() => choose(template)} />
              <span>
                <strong>{template.name}</strong> <span className="templates__body">{template.body}</span>
              </span>
            </label>
          </li>
        ))}
      </ul>
      {chosen && (
        <>
          {chosen.variables.map((label, index) => (
            <label key={index} className="field">
              <span className="field__label">
                {`{{${index + 1}}}`} {label}
              </span>
              <input
                value={values[index] ?? ''}
                required
                onChange={(event) => setValues((current) => current.map((value, position) => (position === index ? event.target.value : value)))}
              />
            </label>
          ))}
          <p className="templates__preview">{fillTemplate(chosen.body, values)}</p>
          <button type="submit" className="button button--primary" disabled={!complete}>
            Send template
          </button>
        </>
      )}
    </form>
  );
}
