import { useQuery } from '@apollo/client/react';
import { type FormEvent, type KeyboardEvent, useState } from 'react';
import { errorMessage } from '../../../components/ErrorNotice.tsx';
import { newIdempotencyKey } from '../../../lib/ids.ts';
import { windowCountdown } from '../../../lib/time.ts';
import { useNow } from '../../../lib/useNow.ts';
import { COMPOSER_CONVERSATION } from '../api/composer.ts';
import { quickReplies, quickReplyText } from '../lib/quickReplies.ts';
import { firstName } from '../lib/templates.ts';
import { draftKey, useDrafts } from '../stores/drafts.ts';
import { type OutboxEntry, type OutgoingContent, type ReadyMessage, useOutbox } from '../stores/outbox.ts';
import { FailedSends } from './FailedSends.tsx';
import { TemplatePicker } from './TemplatePicker.tsx';

/** WhatsApp's limit for a text message, as the server enforces it. */
const MAX_LENGTH = 4096;

export interface ComposerProps {
  readonly conversationId: string;
  /** The signed-in recruiter: drafts and unsent messages are theirs. */
  readonly ownerId: string;
  /**
   * Sends to the server. `optimistic`: show the message in the thread before the server answers — only on
   * the first attempt, since after a lost answer the server may already have it (and the thread with it).
   */
  readonly sendText: (input: { conversationId: string; body: string; idempotencyKey: string }, optimistic: boolean) => Promise<void>;
  readonly sendTemplate: (
    input: { conversationId: string; templateId: string; variables: string[]; idempotencyKey: string },
    preview: string,
    optimistic: boolean,
  ) => Promise<void>;
  readonly sendReady: (message: ReadyMessage, input: { conversationId: string; idempotencyKey: string }) => Promise<void>;
}

/**
 * Writing to an aspirant. Ctrl+Enter (⌘+Enter) sends. Each message gets its idempotency key when it is
 * sent and keeps it through retries. Outside the 24-hour window, or for someone who opted out, free text
 * is disabled with the reason; approved templates remain (except for opt-outs).
 */
export function Composer({ conversationId, ownerId, sendText, sendTemplate, sendReady }: ComposerProps) {
  const { data } = useQuery(COMPOSER_CONVERSATION, { variables: { id: conversationId } });
  const now = useNow(1000);
  const key = draftKey(ownerId, conversationId);
  const draft = useDrafts((store) => store.drafts[key] ?? '');
  const setDraft = useDrafts((store) => store.setDraft);
  const outbox = useOutbox();
  const [templatesOpen, setTemplatesOpen] = useState(false);
  const [repliesOpen, setRepliesOpen] = useState(false);

  const conversation = data?.conversation ?? null;
  const aspirant = conversation?.aspirant ?? null;
  const countdown = windowCountdown(conversation?.windowExpiresAt ?? null, now);
  const blockedReason =
    conversation === null ? 'Loading…'
    : aspirant?.optedOut ? 'This aspirant opted out of WhatsApp messages: nothing can be sent to them.'
    : countdown.phase === 'CLOSED' ? 'The 24-hour window is closed: the aspirant has not written in the last 24 hours, so WhatsApp only delivers approved templates.'
    : null;
  const failed = Object.values(outbox.entries).filter(
    // A first attempt shows in the thread; failures and retries show here.
    (entry) => entry.conversationId === conversationId && entry.ownerId === ownerId && (entry.state === 'failed' || entry.attempts > 1),
  );

  const deliver = async (previous: OutboxEntry) => {
    const entry: OutboxEntry = { ...previous, state: 'sending', attempts: previous.attempts + 1 };
    const optimistic = entry.attempts === 1;
    outbox.put(entry);
    try {
      const { content, conversationId: to, idempotencyKey } = entry;
      if (content.kind === 'text') {
        await sendText({ conversationId: to, body: content.body, idempotencyKey }, optimistic);
      } else if (content.kind === 'template') {
        const input = { conversationId: to, templateId: content.templateId, variables: [...content.variables], idempotencyKey };
        await sendTemplate(input, content.preview, optimistic);
      } else {
        await sendReady(content.message, { conversationId: to, idempotencyKey });
      }
      outbox.remove(entry.idempotencyKey);
    } catch (error) {
      outbox.put({ ...entry, state: 'failed', error: errorMessage(error) });
    }
  };

  const send = (content: OutgoingContent) =>
    void deliver({ idempotencyKey: newIdempotencyKey(), ownerId, conversationId, content, state: 'sending', attempts: 0 });

  const sendReadyMessage = (message: ReadyMessage) => {
    // One at a time: a second click while the first is on its way would be a second message.
    const inFlight = Object.values(useOutbox.getState().entries).some(
      (entry) => entry.conversationId === conversationId && entry.state === 'sending' && entry.content.kind === 'ready' && entry.content.message === message,
    );
    if (!inFlight && blockedReason === null) send({ kind: 'ready', message });
  };

  const sendDraft = () => {
    // Read the store, not the render: a second click in the same frame finds the draft already taken.
    const body = (useDrafts.getState().drafts[key] ?? '').trim();
    if (body === '' || blockedReason !== null) return;
    setDraft(key, '');
    send({ kind: 'text', body });
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    sendDraft();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      sendDraft();
    }
  };

  const name = aspirant ? firstName(aspirant) : '';
  return (
    <section className="composer" aria-label="Reply">
      <FailedSends entries={failed} onRetry={(entry) => void deliver(entry)} onDiscard={(entry) => outbox.remove(entry.idempotencyKey)} />
      {blockedReason !== null && conversation !== null && (
        <p className="notice notice--warning composer__blocked" role="status">
          {blockedReason}
        </p>
      )}
      {blockedReason === null && countdown.phase === 'CLOSING' && (
        <p className="notice notice--info composer__closing">The window closes in {countdown.label}: after that only templates can be sent.</p>
      )}
      {templatesOpen && aspirant && !aspirant.optedOut && (
        <TemplatePicker
          language={aspirant.language}
          defaultFirstVariable={name}
          onCancel={() => setTemplatesOpen(false)}
          onSend={(template, variables, preview) => {
            setTemplatesOpen(false);
            send({ kind: 'template', templateId: template.id, variables, preview });
          }}
        />
      )}
      {repliesOpen && blockedReason === null && (
        <ul className="quick-replies" aria-label="Quick replies">
          {quickReplies.map((reply) => (
            <li key={reply.label}>
              <button
                type="button"
                className="button button--small"
                onClick={() => {
                  const text = quickReplyText(reply, aspirant?.language ?? null, name);
                  const current = useDrafts.getState().drafts[key] ?? '';
                  setDraft(key, current.trim() === '' ? text : `${current}\n${text}`);
                  setRepliesOpen(false);
                }}
              >
                {reply.label}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="composer__form" onSubmit={onSubmit}>
        <label className="visually-hidden" htmlFor={`composer-${conversationId}`}>
          Message to {aspirant?.displayName ?? 'the aspirant'}
        </label>
        <textarea
          id={`composer-${conversationId}`}
          className="composer__input"
          value={draft}
          onChange={(event) => setDraft(key, event.target.value)}
          onKeyDown={onKeyDown}
          disabled={blockedReason !== null}
          maxLength={MAX_LENGTH}
          rows={3}
          placeholder={blockedReason === null ? 'Write a message — Ctrl+Enter to send' : 'Free text is not possible now'}
        />
        <div className="composer__actions">
          <button
            type="button"
            className="button button--small"
            aria-expanded={repliesOpen}
            disabled={blockedReason !== null}
            onClick={() => setRepliesOpen((open) => !open)}
          >
            Quick replies
          </button>
          <button type="button" className="button button--small" disabled={blockedReason !== null} onClick={() => sendReadyMessage('formLink')}>
            Send form link
          </button>
          <button type="button" className="button button--small" disabled={blockedReason !== null} onClick={() => sendReadyMessage('photoRequest')}>
            Request photos
          </button>
          <button
            type="button"
            className="button button--small"
            aria-expanded={templatesOpen}
            disabled={!aspirant || aspirant.optedOut}
            onClick={() => setTemplatesOpen((open) => !open)}
          >
            Templates
          </button>
          <span className="composer__count" aria-hidden="true">
            {draft.length > MAX_LENGTH - 500 ? `${draft.length}/${MAX_LENGTH}` : ''}
          </span>
          <button type="submit" className="button button--primary" disabled={blockedReason !== null || draft.trim() === ''}>
            Send
          </button>
        </div>
      </form>
    </section>
  );
}
