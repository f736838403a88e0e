import { useMutation, useQuery } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import { ErrorNotice, errorMessage } from '../../../components/ErrorNotice.tsx';
import type { Language } from '../../../generated/graphql.ts';
import type { BotTextsQuery } from '../../../generated/operations.ts';
import { BOT_TEXTS, UPDATE_BOT_TEXT } from '../api/bot.ts';

type BotText = BotTextsQuery['botTexts'][number];

function BotTextEditor({ text }: { readonly text: BotText }) {
  const [update, { loading }] = useMutation(UPDATE_BOT_TEXT);
  const [body, setBody] = useState(text.body);
  const [approved, setApproved] = useState(text.approved);
  const [problem, setProblem] = useState<string | null>(null);
  const changed = body !== text.body || approved !== text.approved;
  const save = (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    update({ variables: { input: { key: text.key, language: text.language, body, approved } } }).catch((failure: unknown) => setProblem(errorMessage(failure)));
  };
  const id = `bot-text-${text.key}-${text.language}`;
  return (
    <form className="bot-texts__item" onSubmit={save}>
      <div className="bot-texts__head">
        <label htmlFor={id}>
          <strong>{text.key}</strong> ({text.language})
        </label>
        <label className="check">
          <input type="checkbox" checked={approved} onChange={(event) => setApproved(event.target.checked)} />
          Approved
        </label>
        {text.templateName && <span className="flag">Template {text.templateName} outside the window</span>}
      </div>
      <textarea id={id} rows={3} value={body} onChange={(event) => setBody(event.target.value)} />
      {text.variables.length > 0 && <div className="bot-texts__vars">Must keep: {text.variables.map((name) => `{${name}}`).join(' ')}</div>}
      {problem && (
        <p className="notice notice--error" role="alert">
          {problem}
        </p>
      )}
      <div>
        <button type="submit" className="button button--small" disabled={!changed || loading}>
          Save
        </button>
      </div>
    </form>
  );
}

/** What the bot may say, per language; the server refuses texts that lose placeholders or promise work. */
export function BotTexts() {
  const [language, setLanguage] = useState<Language>('ES');
  const { data, error } = useQuery(BOT_TEXTS, { variables: { language } });
  return (
    <section className="settings__section" aria-labelledby="bot-texts-title">
      <h2 id="bot-texts-title">What the bot says</h2>
      <label>
        <span className="visually-hidden">Language</span>
        <select value={language} onChange={(event) => setLanguage(event.target.value as Language)}>
          <option value="ES">Spanish</option>
          <option value="EN">English</option>
          <option value="PT">Portuguese</option>
        </select>
      </label>
      {error && <ErrorNotice error={error} />}
      {data?.botTexts.map((text) => <BotTextEditor key={`${text.key}:${text.language}:${text.updatedAt}`} text={text} />)}
    </section>
  );
}
