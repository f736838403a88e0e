import type { ApolloClient } from '@apollo/client';
import type { ThreadQuery } from '../../../generated/operations.ts';
import { THREAD, THREAD_PAGE_SIZE } from '../api/thread.ts';

/** Further behind than this, the thread starts afresh rather than stitching pages. */
const MAX_CATCH_UP_PAGES = 10;

/**
 * Fetches what a thread missed while it was not live: newest pages, merged into the cached thread, until one
 * reaches a message already there. A thread too far behind is dropped and loads again from its newest page.
 * A thread with nothing cached (its first load failed, e.g. the network dropped meanwhile) is loaded afresh by
 * `loadAfresh`, the view's own refetch, which also clears the view's error.
 */
export async function catchUpThread(client: ApolloClient, conversationId: string, loadAfresh: () => Promise<unknown>): Promise<void> {
  const cached = client.readQuery({ query: THREAD, variables: { conversationId } });
  const known = new Set(cached?.thread.nodes.map((message) => message.id));
  if (known.size === 0) {
    await loadAfresh();
    return;
  }
  const fetchPage = async (before: string | null): Promise<ThreadQuery['thread'] | undefined> => {
    const { data } = await client.query({ query: THREAD, variables: { conversationId, first: THREAD_PAGE_SIZE, before }, fetchPolicy: 'network-only' });
    return data?.thread;
  };
  let before: string | null = null;
  for (let page = 0; page < MAX_CATCH_UP_PAGES; page += 1) {
    const thread = await fetchPage(before);
    if (!thread) return;
    if (thread.nodes.some((message) => known.has(message.id)) || !thread.pageInfo.hasNextPage) return;
    before = thread.pageInfo.endCursor;
  }
  client.cache.evict({ id: 'ROOT_QUERY', fieldName: 'thread', args: { conversationId } });
  client.cache.gc();
}
