import { create } from 'zustand';
import { persist } from 'zustand/middleware';

/**
 * Unsent text per recruiter and conversation. Kept in localStorage, so neither switching conversations, an
 * expired session nor a reload loses it; only sending or signing out on purpose clears it.
 */
interface DraftStore {
  readonly drafts: Readonly<Record<string, string>>;
  setDraft(key: string, text: string): void;
  forgetOwner(ownerId: string): void;
}

export const draftKey = (ownerId: string, conversationId: string): string => `${ownerId}:${conversationId}`;

export const useDrafts = create<DraftStore>()(
  persist(
    (set) => ({
      drafts: {},
      setDraft: (key, text) =>
        set((store) => {
          const { [key]: _previous, ...others } = store.drafts;
          return { drafts: text === '' ? others : { ...others, [key]: text } };
        }),
      forgetOwner: (ownerId) =>
        set((store) => ({ drafts: Object.fromEntries(Object.entries(store.drafts).filter(([key]) => !key.startsWith(`${ownerId}:`))) })),
    }),
    { name: 'wasaprecruit.drafts' },
  ),
);
