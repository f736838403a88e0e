import { gql, type Reference } from '@apollo/client';
import { describe, expect, it } from 'vitest';
import { createConsoleCache } from './client.ts';
import { addToThread } from './pages.ts';

/** The cache's cursor-page policies, exercised through the cache as the console uses it. */

const INBOX = gql`
  query Inbox($filter: InboxFilter, $sort: InboxSort, $first: Int, $after: String) {
    inbox(filter: $filter, sort: $sort, first: $first, after: $after) {
      nodes {
        id
        lastActivityAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const THREAD = gql`
  query Thread($conversationId: ID!, $first: Int, $before: String) {
    thread(conversationId: $conversationId, first: $first, before: $before) {
      nodes {
        id
        occurredAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const MESSAGE = gql`
  fragment LiveMessage on Message {
    id
    occurredAt
  }
`;

const conversation = (id: string, minutesAgo: number) => ({
  __typename: 'Conversation',
  id,
  lastActivityAt: new Date(Date.UTC(2025, 0, 1, 12, 0) - minutesAgo * 60_000).toISOString(),
});
const message = (id: string, minute: number) => ({ __typename: 'Message', id, occurredAt: new Date(Date.UTC(2025, 0, 1, 12, minute)).toISOString() });
const page = <T>(nodes: T[], endCursor: string | null, hasNextPage = endCursor !== null) => ({ nodes, pageInfo: { __typename: 'PageInfo', hasNextPage, endCursor } });

function writeInbox(cache: ReturnType<typeof createConsoleCache>, after: string | null, nodes: ReturnType<typeof conversation>[], endCursor: string | null) {
  cache.writeQuery({
    query: INBOX,
    variables: { filter: { assignee: 'MINE' }, sort: 'LAST_ACTIVITY', first: 2, after },
    data: { inbox: { __typename: 'ConversationConnection', ...page(nodes, endCursor) } },
  });
}
const inboxIds = (cache: ReturnType<typeof createConsoleCache>) =>
  (cache.readQuery({ query: INBOX, variables: { filter: { assignee: 'MINE' }, sort: 'LAST_ACTIVITY' } }) as { inbox: { nodes: { id: string }[] } }).inbox.nodes.map(
    (node) => node.id,
  );

function writeThread(cache: ReturnType<typeof createConsoleCache>, before: string | null, nodes: ReturnType<typeof message>[], endCursor: string | null) {
  cache.writeQuery({
    query: THREAD,
    variables: { conversationId: 'c1', first: 2, before },
    data: { thread: { __typename: 'MessageConnection', ...page(nodes, endCursor) } },
  });
}
const readThread = (cache: ReturnType<typeof createConsoleCache>) =>
  (cache.readQuery({ query: THREAD, variables: { conversationId: 'c1' } }) as {
    thread: { nodes: { id: string }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
  }).thread;

describe('inbox pages in the cache', () => {
  it('appends each next page and starts afresh with a first page', () => {
    const cache = createConsoleCache();
    writeInbox(cache, null, [conversation('a', 1), conversation('b', 2)], 'cursor-b');
    writeInbox(cache, 'cursor-b', [conversation('c', 3), conversation('b', 2)], 'cursor-c');
    expect(inboxIds(cache)).toEqual(['a', 'b', 'c']);

    writeInbox(cache, null, [conversation('d', 0), conversation('a', 1)], 'cursor-a');
    expect(inboxIds(cache)).toEqual(['d', 'a']);
  });

  it('drops a page that no longer continues the list (it raced a re-sync)', () => {
    const cache = createConsoleCache();
    writeInbox(cache, null, [conversation('a', 1), conversation('b', 2)], 'cursor-b');
    writeInbox(cache, 'an-older-cursor', [conversation('x', 9)], null);
    expect(inboxIds(cache)).toEqual(['a', 'b']);
  });
});

describe('thread pages in the cache', () => {
  it('merges pages newest first without duplicates; the older-messages cursor moves only with the page continuing from it', () => {
    const cache = createConsoleCache();
    writeThread(cache, null, [message('m4', 4), message('m3', 3)], 'cursor-3');
    writeThread(cache, 'cursor-3', [message('m2', 2), message('m1', 1)], 'cursor-1');
    expect(readThread(cache).nodes.map((node) => node.id)).toEqual(['m4', 'm3', 'm2', 'm1']);
    expect(readThread(cache).pageInfo.endCursor).toBe('cursor-1');

    // A catch-up after reconnecting: the newest page, then one in between.
    writeThread(cache, null, [message('m7', 7), message('m6', 6)], 'cursor-6');
    writeThread(cache, 'cursor-6', [message('m5', 5), message('m4', 4)], 'cursor-4');
    expect(readThread(cache).nodes.map((node) => node.id)).toEqual(['m7', 'm6', 'm5', 'm4', 'm3', 'm2', 'm1']);
    expect(readThread(cache).pageInfo.endCursor).toBe('cursor-1');

    writeThread(cache, 'cursor-1', [], null);
    expect(readThread(cache).pageInfo).toMatchObject({ endCursor: null, hasNextPage: false });
  });

  it('adds a live message in order, once, and leaves one older than the loaded pages to its page', () => {
    const cache = createConsoleCache();
    writeThread(cache, null, [message('m4', 4), message('m2', 2)], 'cursor-2');
    const ref = (id: string, minute: number): Reference => cache.writeFragment({ fragment: MESSAGE, data: message(id, minute) })!;
    addToThread(cache, 'c1', ref('m5', 5));
    addToThread(cache, 'c1', ref('m3', 3));
    addToThread(cache, 'c1', ref('m3', 3));
    addToThread(cache, 'c1', ref('m1', 1));
    addToThread(cache, 'another-conversation', ref('m9', 9));
    expect(readThread(cache).nodes.map((node) => node.id)).toEqual(['m5', 'm4', 'm3', 'm2']);
  });
});
