import type { ApolloCache, Reference } from '@apollo/client';
import type { InboxConversationFragment } from '../../../generated/operations.ts';
import { inboxOrder, type StoredInbox } from '../../../lib/apollo/pages.ts';
import { belongsInInbox, type Viewer } from './membership.ts';

/**
 * Puts a changed conversation where it now belongs in every inbox list in the cache: moved to its place in
 * the list's order, added to lists it now matches, removed from lists it no longer matches (assigned to
 * someone else, another status…). A conversation that sorts after the last loaded row of a list with more
 * pages waits for that page instead.
 */
export function placeInInboxes(
  cache: ApolloCache,
  ref: Reference,
  conversation: InboxConversationFragment,
  viewer: Viewer,
  now: number,
): void {
  cache.modify({
    id: 'ROOT_QUERY',
    fields: {
      inbox(value, { readField }) {
        const list = value as unknown as StoredInbox;
        const others = list.nodes.filter((node) => node.__ref !== ref.__ref);
        if (!belongsInInbox(conversation, list.filter, viewer, now)) {
          return (others.length === list.nodes.length ? list : { ...list, nodes: others }) as never;
        }
        const order = inboxOrder(list.sort, readField);
        const position = others.findIndex((node) => order(ref, node) < 0);
        const nodes =
          position >= 0 ? [...others.slice(0, position), ref, ...others.slice(position)]
          : list.pageInfo.hasNextPage ? others
          : [...others, ref];
        return { ...list, nodes } as never;
      },
    },
  });
}
