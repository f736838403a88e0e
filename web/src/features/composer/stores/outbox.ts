import { create } from 'zustand';
import { persist } from 'zustand/middleware';

/**
 * Messages the recruiter sent that the server has not confirmed. Each keeps the idempotency key chosen
 * when it was first sent, so "Retry" can never send it twice. Kept across reloads: one interrupted
 * mid-flight comes back as failed, to be retried safely.
 */
/** Messages the server words itself, from the bot's texts in the aspirant's language. */
export type ReadyMessage = 'formLink' | 'photoRequest';

export type OutgoingContent =
  | { readonly kind: 'text'; readonly body: string }
  | { readonly kind: 'template'; readonly templateId: string; readonly variables: readonly string[]; readonly preview: string }
  | { readonly kind: 'ready'; readonly message: ReadyMessage };

export const readyMessageLabels: Readonly<Record<ReadyMessage, string>> = { formLink: 'The form link', photoRequest: 'The request for photos' };

/** What the recruiter sees of an outgoing message in the list of messages not sent. */
export function outgoingText(content: OutgoingContent): string {
  return content.kind === 'text' ? content.body : content.kind === 'template' ? content.preview : readyMessageLabels[content.message];
}

export interface OutboxEntry {
  readonly idempotencyKey: string;
  readonly ownerId: string;
  readonly conversationId: string;
  readonly content: OutgoingContent;
  readonly state: 'sending' | 'failed';
  /** Sends so far; only the first one is shown in the thread before the server answers. */
  readonly attempts: number;
  readonly error?: string;
}

interface OutboxStore {
  readonly entries: Readonly<Record<string, OutboxEntry>>;
  put(entry: OutboxEntry): void;
  remove(idempotencyKey: string): void;
  forgetOwner(ownerId: string): void;
}

export const useOutbox = create<OutboxStore>()(
  persist(
    (set) => ({
      entries: {},
      put: (entry) => set((store) => ({ entries: { ...store.entries, [entry.idempotencyKey]: entry } })),
      remove: (idempotencyKey) =>
        set((store) => {
          const { [idempotencyKey]: _removed, ...others } = store.entries;
          return { entries: others };
        }),
      forgetOwner: (ownerId) =>
        set((store) => ({ entries: Object.fromEntries(Object.entries(store.entries).filter(([, entry]) => entry.ownerId !== ownerId)) })),
    }),
    {
      name: 'wasaprecruit.outbox',
      merge: (persisted, current) => {
        const entries = (persisted as Partial<OutboxStore> | undefined)?.entries ?? {};
        const interrupted = Object.fromEntries(
          Object.entries(entries).map(([key, entry]) => [
            key,
            entry.state === 'sending' ? { ...entry, state: 'failed' as const, error: 'Interrupted before the server answered — retry to make sure it is sent' } : entry,
          ]),
        );
        return { ...current, entries: interrupted };
      },
    },
  ),
);
