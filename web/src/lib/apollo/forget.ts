import type { ApolloCache, Reference } from '@apollo/client';

interface ListValue {
  readonly nodes?: unknown;
  readonly conversationId?: unknown;
}

/**
 * Drops an erased aspirant from the cache, so no view keeps showing them: their conversations (the ones named,
 * and any cached conversation of theirs) leave every list (inbox pages), their threads and the root fields that
 * point at them go, then the aspirant and the conversations are evicted and whatever only they held is
 * collected.
 */
export function forgetAspirant(cache: ApolloCache, aspirantId: string, conversationIds: readonly (string | null)[] = []): void {
  const aspirantRef = cache.identify({ __typename: 'Aspirant', id: aspirantId });
  if (aspirantRef === undefined) return;
  const stored = cache.extract() as Record<string, { readonly aspirant?: Reference } | undefined>;
  const conversations = new Set(conversationIds.filter((id): id is string => id !== null));
  for (const [key, entity] of Object.entries(stored)) {
    if (key.startsWith('Conversation:') && entity?.aspirant?.__ref === aspirantRef) conversations.add(key.slice('Conversation:'.length));
  }
  const gone = new Set([aspirantRef, ...[...conversations].flatMap((id) => cache.identify({ __typename: 'Conversation', id }) ?? [])]);

  cache.modify({
    id: 'ROOT_QUERY',
    fields: (value, { DELETE, isReference }) => {
      if (isReference(value)) return gone.has(value.__ref) ? DELETE : value;
      const list = value as ListValue | null;
      if (list === null || typeof list !== 'object') return value;
      if (typeof list.conversationId === 'string' && conversations.has(list.conversationId)) return DELETE;
      if (!Array.isArray(list.nodes)) return value;
      const nodes = (list.nodes as unknown[]).filter((node) => !(isReference(node) && gone.has(node.__ref)));
      return (nodes.length === list.nodes.length ? value : { ...list, nodes }) as typeof value;
    },
  });
  for (const id of gone) cache.evict({ id });
  cache.gc();
}
