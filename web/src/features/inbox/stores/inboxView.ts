import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { AssigneeFilter, InboxFilter, InboxSort, PipelineStatus, WindowState } from '../../../generated/graphql.ts';

/** How the recruiter is looking at the inbox. Kept across reloads, except the search text. */
export interface InboxView {
  readonly assignee: AssigneeFilter;
  readonly statuses: readonly PipelineStatus[];
  readonly window: WindowState | null;
  /** null: everyone; false: hide those who opted out; true: only them. */
  readonly optedOut: boolean | null;
  readonly search: string;
  readonly sort: InboxSort;
}

const defaults: InboxView = { assignee: 'ALL', statuses: [], window: null, optedOut: null, search: '', sort: 'LAST_ACTIVITY' };

interface InboxViewStore extends InboxView {
  update(change: Partial<InboxView>): void;
  reset(): void;
}

export const useInboxView = create<InboxViewStore>()(
  persist(
    (set) => ({
      ...defaults,
      update: (change) => set(change),
      reset: () => set(defaults),
    }),
    {
      name: 'wasaprecruit.inboxView',
      partialize: ({ assignee, statuses, window, optedOut, sort }) => ({ assignee, statuses, window, optedOut, sort }),
    },
  ),
);

/** The view as the query's filter argument; the search is passed separately once typing pauses. */
export function toInboxFilter(view: InboxView, search: string): InboxFilter {
  return {
    assignee: view.assignee,
    statuses: view.statuses.length > 0 ? [...view.statuses] : null,
    window: view.window,
    optedOut: view.optedOut,
    search: search.trim() === '' ? null : search.trim(),
  };
}

export const isFiltered = (view: InboxView): boolean =>
  view.statuses.length > 0 || view.window !== null || view.optedOut !== null || view.search.trim() !== '';
