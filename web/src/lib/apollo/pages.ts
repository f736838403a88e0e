import type { ApolloCache, FieldPolicy, Reference } from '@apollo/client';
import type { FieldFunctionOptions } from '@apollo/client/cache';
import type { InboxFilter, InboxSort } from '../../generated/graphql.ts';

/**
 * Cursor pages as the cache keeps them. The inbox and the thread are each one list per key (the inbox's
 * filter and sort, the thread's conversation) that pages, live events and re-syncs all merge into.
 */
interface PageInfo {
  readonly __typename?: 'PageInfo';
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
}

interface IncomingPage {
  readonly __typename?: string;
  readonly nodes: readonly Reference[];
  readonly pageInfo: PageInfo;
}

export interface StoredInbox extends IncomingPage {
  /** Which list this is, so live events can decide whether a conversation belongs in it. */
  readonly filter: InboxFilter | null;
  readonly sort: InboxSort;
}

export interface StoredThread extends IncomingPage {
  readonly conversationId: string;
}

type ReadField = FieldFunctionOptions['readField'];

/** Server order of the inbox: by activity newest first, or by window expiry soonest first (never opened last). */
export function inboxOrder(sort: InboxSort, readField: ReadField): (a: Reference, b: Reference) => number {
  const id = (ref: Reference) => readField<string>('id', ref) ?? '';
  if (sort === 'WINDOW_EXPIRY') {
    const expiry = (ref: Reference) => {
      const at = readField<string | null>('windowExpiresAt', ref);
      return at === null || at === undefined ? Number.POSITIVE_INFINITY : Date.parse(at);
    };
    return (a, b) => expiry(a) - expiry(b) || (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0);
  }
  const activity = (ref: Reference) => Date.parse(readField<string>('lastActivityAt', ref) ?? '');
  return (a, b) => activity(b) - activity(a) || (id(a) < id(b) ? 1 : id(a) > id(b) ? -1 : 0);
}

/** Server order of a thread: newest first, by when the message happened. */
export function threadOrder(readField: ReadField): (a: Reference, b: Reference) => number {
  const at = (ref: Reference) => Date.parse(readField<string>('occurredAt', ref) ?? '');
  const id = (ref: Reference) => readField<string>('id', ref) ?? '';
  return (a, b) => at(b) - at(a) || (id(a) < id(b) ? 1 : id(a) > id(b) ? -1 : 0);
}

/**
 * Query.inbox: a first page (no `after`) starts the list afresh — a load, a refetch or a re-sync after a
 * dropped connection — and each later page is appended. A page requested after an older cursor (one that
 * raced a re-sync) no longer continues the list and is dropped.
 */
export const inboxField: FieldPolicy<StoredInbox, IncomingPage> = {
  keyArgs: ['filter', 'sort'],
  merge(existing, incoming, { args }) {
    const key = { filter: (args?.filter as InboxFilter | undefined) ?? null, sort: (args?.sort as InboxSort | undefined) ?? 'LAST_ACTIVITY' };
    const after = args?.after as string | null | undefined;
    if (after === null || after === undefined || existing === undefined) return { ...incoming, ...key };
    if (existing.pageInfo.endCursor !== after) return existing;
    const present = new Set(existing.nodes.map((ref) => ref.__ref));
    return { ...incoming, ...key, nodes: [...existing.nodes, ...incoming.nodes.filter((ref) => !present.has(ref.__ref))] };
  },
};

/**
 * Query.thread: every page is merged into one newest-first list without duplicates, whether it is the
 * newest page (a load or a catch-up after reconnecting) or an older one. The cursor for loading older
 * messages moves only with the page that continues from it; catch-up pages fill in between.
 */
export const threadField: FieldPolicy<StoredThread, IncomingPage> = {
  keyArgs: ['conversationId'],
  merge(existing, incoming, { args, readField }) {
    const conversationId = String(args?.conversationId ?? '');
    if (existing === undefined || existing.nodes.length === 0) return { ...incoming, conversationId };
    const order = threadOrder(readField);
    const byRef = new Map<string, Reference>();
    for (const ref of [...existing.nodes, ...incoming.nodes]) byRef.set(ref.__ref, ref);
    const nodes = [...byRef.values()].sort(order);
    const continuesOlder = args?.before != null && args.before === existing.pageInfo.endCursor;
    return { ...existing, nodes, conversationId, pageInfo: continuesOlder ? incoming.pageInfo : existing.pageInfo };
  },
};

/**
 * Adds a message to its conversation's thread list, where the server would order it, if that thread is in
 * the cache (live events for a thread nobody loaded are left for its first load, and one older than every
 * loaded message for the page that holds it).
 */
export function addToThread(cache: ApolloCache, conversationId: string, message: Reference): void {
  cache.modify({
    id: 'ROOT_QUERY',
    fields: {
      thread(value, { readField }) {
        const list = value as unknown as StoredThread;
        if (list.conversationId !== conversationId || list.nodes.some((node) => node.__ref === message.__ref)) return value;
        const order = threadOrder(readField);
        const position = list.nodes.findIndex((node) => order(message, node) < 0);
        // Older than everything loaded while older pages remain: it arrives with its page.
        if (position < 0 && list.pageInfo.hasNextPage) return value;
        const nodes = position < 0 ? [...list.nodes, message] : [...list.nodes.slice(0, position), message, ...list.nodes.slice(position)];
        return { ...list, nodes } as never;
      },
    },
  });
}
