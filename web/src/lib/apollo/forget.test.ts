import { gql } from '@apollo/client';
import { describe, expect, it } from 'vitest';
import { createConsoleCache } from './client.ts';
import { forgetAspirant } from './forget.ts';

/** Forgetting an erased aspirant, through the console's own cache and its policies. */

const INBOX = gql`
  query Inbox($sort: InboxSort) {
    inbox(sort: $sort) {
      nodes {
        id
        lastActivityAt
        aspirant {
          id
          displayName
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const THREAD = gql`
  query Thread($conversationId: ID!) {
    thread(conversationId: $conversationId) {
      nodes {
        id
        body
        occurredAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const ASPIRANT = gql`
  query Aspirant($id: ID!) {
    aspirant(id: $id) {
      id
      displayName
    }
  }
`;

const aspirant = (id: string) => ({ __typename: 'Aspirant', id, displayName: `Aspirant ${id}` });
const conversation = (id: string, aspirantId: string, minutesAgo: number) => ({
  __typename: 'Conversation',
  id,
  lastActivityAt: new Date(Date.UTC(2025, 0, 1, 12, 0) - minutesAgo * 60_000).toISOString(),
  aspirant: aspirant(aspirantId),
});
const pageInfo = { __typename: 'PageInfo', hasNextPage: false, endCursor: null };

function cacheWithTwoAspirants() {
  const cache = createConsoleCache();
  for (const sort of ['LAST_ACTIVITY', 'WINDOW_EXPIRY']) {
    cache.writeQuery({
      query: INBOX,
      variables: { sort },
      data: { inbox: { __typename: 'ConversationConnection', nodes: [conversation('c-vale', 'a-vale', 1), conversation('c-olga', 'a-olga', 2)], pageInfo } },
    });
  }
  for (const [conversationId, body] of [['c-vale', 'hola'], ['c-olga', 'buenas']] as const) {
    cache.writeQuery({
      query: THREAD,
      variables: { conversationId },
      data: { thread: { __typename: 'MessageConnection', nodes: [{ __typename: 'Message', id: `m-${conversationId}`, body, occurredAt: '2025-01-01T11:00:00.000Z' }], pageInfo } },
    });
  }
  for (const id of ['a-vale', 'a-olga']) cache.writeQuery({ query: ASPIRANT, variables: { id }, data: { aspirant: aspirant(id) } });
  return cache;
}

describe('forgetAspirant', () => {
  it('removes the aspirant, their conversation, thread and messages from every list and lookup, and keeps everyone else', () => {
    const cache = cacheWithTwoAspirants();

    forgetAspirant(cache, 'a-vale');

    for (const sort of ['LAST_ACTIVITY', 'WINDOW_EXPIRY']) {
      const inbox = cache.readQuery<{ inbox: { nodes: { id: string }[] } }>({ query: INBOX, variables: { sort } });
      expect(inbox?.inbox.nodes.map((node) => node.id)).toEqual(['c-olga']);
    }
    expect(cache.readQuery({ query: THREAD, variables: { conversationId: 'c-vale' } })).toBeNull();
    expect(cache.readQuery<{ thread: { nodes: { body: string }[] } }>({ query: THREAD, variables: { conversationId: 'c-olga' } })?.thread.nodes).toEqual([
      expect.objectContaining({ body: 'buenas' }),
    ]);
    expect(cache.readQuery({ query: ASPIRANT, variables: { id: 'a-vale' } })).toBeNull();
    expect(cache.readQuery({ query: ASPIRANT, variables: { id: 'a-olga' } })).toEqual({ aspirant: aspirant('a-olga') });
    const stored = Object.keys(cache.extract());
    expect(stored.filter((key) => key.includes('vale'))).toEqual([]);
    expect(stored).toEqual(expect.arrayContaining(['Aspirant:a-olga', 'Conversation:c-olga', 'Message:m-c-olga']));
  });

  it('forgets a conversation named by an erasure event even when its aspirant was never loaded', () => {
    const cache = createConsoleCache();
    cache.writeQuery({
      query: THREAD,
      variables: { conversationId: 'c-lone' },
      data: { thread: { __typename: 'MessageConnection', nodes: [{ __typename: 'Message', id: 'm-lone', body: 'hola', occurredAt: '2025-01-01T11:00:00.000Z' }], pageInfo } },
    });

    forgetAspirant(cache, 'a-unknown', ['c-lone', null]);

    expect(Object.keys(cache.extract()).filter((key) => key !== 'ROOT_QUERY')).toEqual([]);
  });
});
